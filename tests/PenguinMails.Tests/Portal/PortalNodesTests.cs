using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Data;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// The Data Protection key ring lives in the database, encrypted under a master key kept outside it: a sign-in made on
/// one node is valid on another node of the same database and master key, and useless to a node without that key.
/// </summary>
public abstract class PortalNodesTests(PenguinMailsFactory app) : IDisposable
{
    private readonly List<PenguinMailsFactory> _nodes = [];

    [Fact]
    public async Task SignInOnOneNode_IsValidOnAnotherWithTheSameMasterKey_NotWithoutIt()
    {
        var (_, email, password) = await PortalSignInTests.MemberAsync(app);
        using var browser = PortalClient.For(app);
        var signedIn = await browser.SignInAsync(email, password);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("pm_portal=")).Split(';')[0];

        var sameKey = await OverviewOnAsync(Node(app.MasterKey), cookie);
        var otherKey = await OverviewOnAsync(Node(Convert.ToBase64String(new byte[32])), cookie);

        Assert.Equal(HttpStatusCode.OK, sameKey.StatusCode);
        Assert.Contains(email, await sameKey.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, otherKey.StatusCode);
        Assert.Equal("/account/sign-in", new Uri(new Uri("http://localhost"), otherKey.Headers.Location!).AbsolutePath);
    }

    [Fact]
    public async Task KeyRing_IsStoredInTheDatabase_EncryptedWithAesGcm_NeverInTheClear()
    {
        var (_, email, password) = await PortalSignInTests.MemberAsync(app);
        using var browser = PortalClient.For(app);
        await browser.SignInAsync(email, password);

        await using var scope = app.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<AppDb>().DataProtectionKeys.Select(k => k.Xml!).ToListAsync();

        Assert.NotEmpty(stored);
        Assert.All(stored, xml =>
        {
            Assert.Contains("alg=\"AES-256-GCM\"", xml);
            Assert.DoesNotContain("<masterKey", xml); // the key material Data Protection would otherwise store
        });
    }

    private static async Task<HttpResponseMessage> OverviewOnAsync(PenguinMailsFactory node, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/settings/developers");
        request.Headers.Add("Cookie", cookie);
        return await node.Client().SendAsync(request);
    }

    private NodeFactory Node(string masterKey)
    {
        var connection = app.Provider == "sqlite" ? $"Data Source={Path.Combine(app.DataDirectory, "penguinmails.db")}" : app.ConnectionString;
        var node = new NodeFactory(app.Provider, connection, app.HashSecret, masterKey);
        _nodes.Add(node);
        return node;
    }

    public void Dispose()
    {
        _nodes.ForEach(n => n.Dispose());
        GC.SuppressFinalize(this);
    }

    /// <summary>Another node: same database and key-hash secret, the given master key, its own data directory.</summary>
    private sealed class NodeFactory(string provider, string connectionString, string secret, string masterKey) : PenguinMailsFactory
    {
        public override string Provider => provider;
        public override string ConnectionString => connectionString;
        public override string HashSecret => secret;
        public override string MasterKey => masterKey;
    }
}

public sealed class PortalNodesSqliteTests(SqliteFactory app) : PortalNodesTests(app), IClassFixture<SqliteFactory>;

public sealed class PortalNodesPostgresTests(PostgresFactory app) : PortalNodesTests(app), IClassFixture<PostgresFactory>;
