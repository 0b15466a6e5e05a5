using PenguinMails.Tests.Emails;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Domains;

/// <summary>
/// Mail from a verified domain reaches a real SMTP server signed with that domain's own key, and the signature is
/// checked by dkimpy (Debian's python3-dkim) against the TXT record the API told the tenant to publish.
/// </summary>
public abstract class DomainDkimTests
{
    private readonly PenguinMailsFactory _app;
    private readonly SmtpServer _smtp;
    private readonly DnsServer _dns;

    protected DomainDkimTests(PenguinMailsFactory app, SmtpServer smtp, DnsServer dns)
    {
        (_app, _smtp, _dns) = (app, smtp, dns);
        foreach (var (name, value) in smtp.Settings().Concat(dns.Settings()))
        {
            app.Settings[name] = value;
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("eu.mail.")]
    public async Task DeliveredMail_FromTheDomainOrAnUnregisteredSubdomain_VerifiesWithDkimpy(string subdomain)
    {
        var (live, _) = await _app.ClientsAsync(await _app.CreateTenantAsync());
        var name = DomainTestKit.Unique("signed");
        var domain = await live.VerifiedDomainAsync(_dns, name);
        var to = $"dkim-{Guid.NewGuid():N}@example.com";

        var id = await live.SendAsync(new
        {
            from = $"Shop <news@{subdomain}{name}>", to, subject = "Your receipt — ünïcode", text_body = "Thanks!\nLine two.",
            html_body = "<p>Thanks! <a href=\"https://example.org/r\">Receipt</a></p>",
        });
        await _app.WaitForStatusAsync(live, id, "sent");
        var file = MessageFile(to);
        var dkim = domain.Record("dkim");
        var host = dkim["host"]!.GetValue<string>();

        var verdict = Dkimpy.Verify(file, host, dkim["value"]!.GetValue<string>());
        var withAnotherKey = Dkimpy.Verify(file, host, Dkimpy.SeededKeyRecord);

        Assert.StartsWith("PASS", verdict);
        Assert.Contains($"asked={host}", verdict);
        Assert.StartsWith("FAIL", withAnotherKey);
    }

    private string MessageFile(string to) =>
        Directory.GetFiles(_smtp.Directory, "*.eml").Single(f => File.ReadLines(f).First().Contains(to, StringComparison.OrdinalIgnoreCase));
}

public sealed class DomainDkimSqliteTests(SqliteFactory app, SmtpServer smtp, DnsServer dns)
    : DomainDkimTests(app, smtp, dns), IClassFixture<SqliteFactory>, IClassFixture<SmtpServer>, IClassFixture<DnsServer>;

public sealed class DomainDkimPostgresTests(PostgresFactory app, SmtpServer smtp, DnsServer dns)
    : DomainDkimTests(app, smtp, dns), IClassFixture<PostgresFactory>, IClassFixture<SmtpServer>, IClassFixture<DnsServer>;
