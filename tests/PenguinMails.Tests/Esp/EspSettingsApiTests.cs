using System.Net.Http.Json;
using PenguinMails.ApiKeys;
using PenguinMails.Tests.Infrastructure;
using static PenguinMails.Tests.Esp.EspTestKit;

namespace PenguinMails.Tests.Esp;

/// <summary>/api/v1/tenant/esp: the transport and credentials, secrets never shown back, every fault named.</summary>
public abstract class EspSettingsApiTests(PenguinMailsFactory app)
{
    private async Task<HttpClient> AdminAsync()
    {
        var tenant = await app.CreateTenantAsync();
        return app.Client((await app.CreateKeyAsync(tenant, [Permissions.AdminFull])).Key);
    }

    [Fact]
    public async Task Get_NewTenant_IsOnTheRelayWithItsWebhookUrls()
    {
        var data = await (await (await AdminAsync()).GetAsync("/api/v1/tenant/esp")).DataAsync();
        Assert.Equal("smtp", data["transport"]!.GetValue<string>());
        Assert.Null(data["postmark"]!["server_token_last4"]);
        Assert.Equal("outbound", data["postmark"]!["message_stream"]!.GetValue<string>());
        var postmark = new Uri(data["postmark"]!["webhook_url"]!.GetValue<string>());
        Assert.Matches("^pm-[A-Za-z0-9_-]{8}:[A-Za-z0-9_-]{32}$", postmark.UserInfo);
        Assert.Matches("^/inbound/esp/postmark/[A-Za-z0-9_-]{43}$", postmark.AbsolutePath);
        Assert.Matches("^http://localhost:5080/inbound/esp/mailgun/[A-Za-z0-9_-]{43}$", data["mailgun"]!["webhook_url"]!.GetValue<string>());
        Assert.Equal("us", data["mailgun"]!["region"]!.GetValue<string>());
    }

    [Fact]
    public async Task Put_ShowsOnlyTheLast4OfEachSecret_KeepsOmittedOnes_AndAuditsWithoutSecrets()
    {
        var admin = await AdminAsync();
        var saved = await (await admin.PutAsJsonAsync("/api/v1/tenant/esp", MailgunSettings("key-secret-abcd", "sign-secret-wxyz"))).DataAsync();
        Assert.Equal("mailgun", saved["transport"]!.GetValue<string>());
        Assert.Equal("abcd", saved["mailgun"]!["api_key_last4"]!.GetValue<string>());
        Assert.Equal("wxyz", saved["mailgun"]!["webhook_signing_key_last4"]!.GetValue<string>());
        Assert.Equal(EspStandIn.MailgunDomain, saved["mailgun"]!["domain"]!.GetValue<string>());
        var switched = await (await admin.PutAsJsonAsync("/api/v1/tenant/esp", new { transport = "smtp" })).DataAsync();
        Assert.Equal("abcd", switched["mailgun"]!["api_key_last4"]!.GetValue<string>());
        var everything = saved.ToJsonString() + switched.ToJsonString() + (await admin.GetStringAsync("/api/v1/platform/audit-log"));
        Assert.DoesNotContain("key-secret", everything);
        Assert.DoesNotContain("sign-secret", everything);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Message.Contains("key-secret", StringComparison.Ordinal));
        var audit = await (await admin.GetAsync("/api/v1/platform/audit-log?type=esp.settings_changed")).DataAsync();
        Assert.Contains(audit.AsArray(), e => e!["detail"]!.GetValue<string>().Contains("mailgun.api_key replaced", StringComparison.Ordinal));
    }

    /// <summary>Read as a sending domain is: IDNA to ASCII (the form Mailgun's API path takes), lower case, no trailing dot.</summary>
    [Theory]
    [InlineData("MG.Example.com.", "mg.example.com")]
    [InlineData("mg.bücher.example", "mg.xn--bcher-kva.example")]
    public async Task Put_MailgunDomain_IsReadAsASendingDomainIs(string given, string stored)
    {
        var admin = await AdminAsync();
        var saved = await (await admin.PutAsJsonAsync("/api/v1/tenant/esp", new
        {
            transport = "mailgun", mailgun = new { api_key = "key-1234", domain = given, webhook_signing_key = "sign-1234" },
        })).DataAsync();

        Assert.Equal(stored, saved["mailgun"]!["domain"]!.GetValue<string>());
    }

    [Fact]
    public async Task Put_Invalid_NamesEveryFaultyField()
    {
        var admin = await AdminAsync();
        var error = await (await admin.PutAsJsonAsync("/api/v1/tenant/esp", new
        {
            transport = "sendgrid",
            postmark = new { server_token = "has space", message_stream = "Bad Stream" },
            mailgun = new { domain = "not a domain", region = "asia", api_key = "" },
        })).ErrorAsync(400, "VALIDATION_ERROR");
        var fields = error["details"]!.AsArray().Select(d => d!["field"]!.GetValue<string>()).ToList();
        Assert.Equal(["transport", "postmark.server_token", "postmark.message_stream", "mailgun.api_key", "mailgun.domain", "mailgun.region"], fields);
    }

    /// <summary>A word of a fixed set is read exactly as the API writes it, as every other enum is (README "Conventions").</summary>
    [Theory]
    [InlineData("{\"transport\": \"Postmark\", \"postmark\": {\"server_token\": \"t\"}}", "transport", "transport must be one of smtp, postmark, mailgun: did you mean postmark?")]
    [InlineData("{\"transport\": \"SMTP\"}", "transport", "transport must be one of smtp, postmark, mailgun: did you mean smtp?")]
    [InlineData("{\"transport\": \"smtp\", \"mailgun\": {\"region\": \"EU\"}}", "mailgun.region", "mailgun.region must be us or eu: did you mean eu?")]
    public async Task Put_AWordInAnotherCase_IsRefusedWithTheWordMeant(string body, string field, string message)
    {
        var admin = await AdminAsync();
        var error = await (await admin.PutAsync("/api/v1/tenant/esp", new StringContent(body, System.Text.Encoding.UTF8, "application/json")))
            .ErrorAsync(400, "VALIDATION_ERROR");
        var detail = Assert.Single(error["details"]!.AsArray());
        Assert.Equal(field, detail!["field"]!.GetValue<string>());
        Assert.Equal(message, detail["message"]!.GetValue<string>());
        Assert.Equal("smtp", (await (await admin.GetAsync("/api/v1/tenant/esp")).DataAsync())["transport"]!.GetValue<string>());
    }

    [Fact]
    public async Task Put_AnEspWithoutItsCredentials_IsRefused()
    {
        var admin = await AdminAsync();
        var postmark = await (await admin.PutAsJsonAsync("/api/v1/tenant/esp", new { transport = "postmark" })).ErrorAsync(400, "VALIDATION_ERROR");
        Assert.Equal("postmark.server_token", postmark["details"]![0]!["field"]!.GetValue<string>());
        var mailgun = await (await admin.PutAsJsonAsync("/api/v1/tenant/esp", new { transport = "mailgun" })).ErrorAsync(400, "VALIDATION_ERROR");
        Assert.Equal(2, mailgun["details"]!.AsArray().Count);
        var none = await (await admin.PutAsJsonAsync("/api/v1/tenant/esp", new { })).ErrorAsync(400, "MISSING_REQUIRED_FIELD");
        Assert.Equal("transport", none["details"]![0]!["field"]!.GetValue<string>()); // required in the document too
    }

    [Fact]
    public async Task AKeyWithoutAdminFull_IsRefused()
    {
        var tenant = await app.CreateTenantAsync();
        var (key, _) = await app.CreateKeyAsync(tenant, [Permissions.AdminApiKeys, Permissions.EmailsSend]);
        var error = await (await app.Client(key).GetAsync("/api/v1/tenant/esp")).ErrorAsync(403, "INSUFFICIENT_PERMISSIONS");
        Assert.Equal("admin:full", error["details"]![0]!["permission"]!.GetValue<string>());
    }
}

public sealed class EspSettingsApiSqliteTests(SqliteFactory app) : EspSettingsApiTests(app), IClassFixture<SqliteFactory>;

public sealed class EspSettingsApiPostgresTests(PostgresFactory app) : EspSettingsApiTests(app), IClassFixture<PostgresFactory>;
