using Microsoft.Extensions.Options;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Domains;

/// <summary>
/// <c>PenguinMails:Domains:DnsServers</c> is checked when the server starts: an entry that is not an IP address or
/// IP:port stops it with the setting's name, instead of every later verify answering an error.
/// </summary>
public sealed class DnsServersSettingTests
{
    [Theory]
    [InlineData("dns.example.com")]
    [InlineData("127.0.0.1:53:53")]
    [InlineData("300.1.1.1")]
    public void NotAnAddress_StopsTheStart_NamingTheSetting(string server)
    {
        using var app = new SqliteFactory();
        app.Settings["PenguinMails:Domains:DnsServers:0"] = "127.0.0.1:5353";
        app.Settings["PenguinMails:Domains:DnsServers:1"] = server;

        var refused = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("PenguinMails:Domains:DnsServers", refused.Message);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:5353")]
    [InlineData("[::1]:5353")]
    public async Task AnAddress_Starts(string server)
    {
        using var app = new SqliteFactory();
        app.Settings["PenguinMails:Domains:DnsServers:0"] = server;

        Assert.Equal(200, (int)(await app.CreateClient().GetAsync("/healthz")).StatusCode);
    }
}
