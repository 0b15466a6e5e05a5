using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.ApiKeys;
using PenguinMails.Data;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Emails;

/// <summary>
/// The first hour of a new user: the spec's own example sends on a fresh install, and where a sender is still
/// missing the error names the fix without hiding the documented answers.
/// </summary>
public abstract class FirstHourTests(PenguinMailsFactory app)
{
    private async Task<Guid> DefaultTenantAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        return await db.Tenants.Where(t => t.Slug == FirstRunSeeder.DefaultTenantSlug).Select(t => t.Id).SingleAsync();
    }

    private async Task<HttpClient> ClientAsync(Guid tenant)
    {
        var (key, _) = await app.CreateKeyAsync(tenant, [Permissions.AdminFull]);
        return app.Client(key);
    }

    [Fact]
    public async Task FreshInstall_TheSpecsSendExample_IsQueuedFromTheSeededSender()
    {
        var client = await ClientAsync(await DefaultTenantAsync());

        var sent = await client.PostJsonAsync("/v1/emails/send", new
        {
            to = "user@example.com", subject = "Welcome to PenguinMails", html_body = "<h1>Welcome!</h1><p>Thanks for signing up.</p>",
        });

        var id = (await sent.DataAsync())["id"]!.GetValue<string>();
        var email = await client.EmailAsync(id);
        Assert.Equal("\"PenguinMails\" <noreply@localhost>", email["from"]!.GetValue<string>()); // as MimeKit writes it
    }

    [Fact]
    public async Task NoDefaultSender_TheErrorNamesHowToSetOne()
    {
        var client = await ClientAsync(await app.CreateTenantAsync());

        var error = await (await client.PostJsonAsync("/api/v1/emails/send", new { to = "user@example.com", subject = "S", html_body = "B" }))
            .ErrorAsync(400, "VALIDATION_ERROR");

        var detail = Assert.Single(error["details"]!.AsArray())!;
        Assert.Equal("from", detail["field"]!.GetValue<string>());
        Assert.Contains("tenants set-default-from", detail["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task NoDefaultSender_UnknownTemplate_IsStillTheDocumented422()
    {
        var client = await ClientAsync(await app.CreateTenantAsync());

        await (await client.PostJsonAsync("/api/v1/emails/send", new { to = "user@example.com", template_id = "no-such-template" }))
            .ErrorAsync(422, "TEMPLATE_NOT_FOUND");
    }

    [Fact]
    public async Task Campaign_WithoutFrom_UsesTheTenantsDefaultSender_OrNamesTheFix()
    {
        var seeded = await ClientAsync(await DefaultTenantAsync());
        var bare = await ClientAsync(await app.CreateTenantAsync());
        var body = new { name = "Launch", subject = "Hi", html_body = "<p>Hi</p>", audience = new { all = true } };

        var created = await (await seeded.PostJsonAsync("/api/v1/campaigns", body)).DataAsync(201);
        var refused = await (await bare.PostJsonAsync("/api/v1/campaigns", body)).ErrorAsync(400, "VALIDATION_ERROR");

        Assert.Equal(FirstRunSeeder.DefaultSender, created["from"]!.GetValue<string>());
        Assert.Contains("tenants set-default-from", refused["details"]![0]!["message"]!.GetValue<string>());
    }
}

public sealed class FirstHourSqliteTests(SqliteFactory app) : FirstHourTests(app), IClassFixture<SqliteFactory>;

public sealed class FirstHourPostgresTests(PostgresFactory app) : FirstHourTests(app), IClassFixture<PostgresFactory>;
