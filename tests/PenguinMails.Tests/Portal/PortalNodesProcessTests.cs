using System.Net;
using PenguinMails.Tests.Cli;
using PenguinMails.Tests.RateLimiting;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// Several nodes as they are deployed: separate <c>penguinmails serve</c> processes on one PostgreSQL database (a fresh
/// one, on the server of PENGUINMAILS_TEST_POSTGRES). A sign-in made on one process opens the pages of another given
/// the same master key — the Data Protection key ring is read from the database — and not of one with another key.
/// PostgreSQL only: SQLite is one file of one node.
/// </summary>
public sealed class PortalNodesProcessPostgresTests : IDisposable
{
    private readonly TestDatabase _database = new();
    private readonly List<PenguinMailsExecutable> _executables = [];

    [Fact]
    public async Task SignInOnProcessA_OpensTheOverviewOnProcessB_NotOnAProcessWithAnotherMasterKey()
    {
        var masterKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var hashSecret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var a = await StartAsync(masterKey, hashSecret);
        await using var b = await StartAsync(masterKey, hashSecret);
        await using var c = await StartAsync(Convert.ToBase64String(new byte[32]), hashSecret);
        var password = a.OutputSoFar.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("password:", StringComparison.Ordinal))["password:".Length..].Trim();

        var cookies = new CookieContainer();
        using var browser = new PortalClient(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies })
            { BaseAddress = a.BaseAddress });
        var signedIn = await browser.SignInAsync("admin@penguinmails.local", password);
        var cookie = Assert.Single(cookies.GetCookies(a.BaseAddress), c => c.Name == "pm_portal");

        var onA = await OverviewAsync(a, cookie);
        var onB = await OverviewAsync(b, cookie);
        var onC = await OverviewAsync(c, cookie);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, onA.StatusCode);
        Assert.Equal(HttpStatusCode.OK, onB.StatusCode);
        Assert.Contains("admin@penguinmails.local", await onB.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, onC.StatusCode);
        Assert.Equal("/account/sign-in", new Uri(c.BaseAddress, onC.Headers.Location!).AbsolutePath);
    }

    private async Task<ServeProcess> StartAsync(string masterKey, string hashSecret)
    {
        var executable = new PenguinMailsExecutable(new Dictionary<string, string>
        {
            ["PenguinMails__Database__Provider"] = "postgres",
            ["PenguinMails__Database__ConnectionString"] = _database.ConnectionString,
            ["PenguinMails__DataProtection__MasterKey"] = masterKey,
            ["PenguinMails__ApiKeys__HashSecret"] = hashSecret,
        });
        _executables.Add(executable);
        return await ServeProcess.StartAsync(executable);
    }

    private static async Task<HttpResponseMessage> OverviewAsync(ServeProcess node, Cookie cookie)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = node.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/settings/developers");
        request.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    public void Dispose()
    {
        _executables.ForEach(e => e.Dispose());
        _database.Dispose();
    }
}
