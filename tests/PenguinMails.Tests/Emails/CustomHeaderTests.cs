using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Emails;

/// <summary>
/// Custom headers may not set fields the server or receiving servers own: our X-PenguinMails- prefix, RFC 5322
/// trace and resent fields, authentication results, ARC, DKIM, delivery fields, and what the server writes.
/// </summary>
public abstract class CustomHeaderTests(PenguinMailsFactory app)
{
    [Theory]
    [InlineData("X-PenguinMails-Campaign")]
    [InlineData("x-penguinmails-id")]
    [InlineData("X-PenguinMails-Envelope-To")]
    [InlineData("X-PenguinMails-Anything")]
    [InlineData("Resent-From")]
    [InlineData("Resent-Sender")]
    [InlineData("Resent-To")]
    [InlineData("Resent-Cc")]
    [InlineData("Resent-Bcc")]
    [InlineData("Resent-Date")]
    [InlineData("resent-message-id")]
    [InlineData("Return-Path")]
    [InlineData("Received")]
    [InlineData("Authentication-Results")]
    [InlineData("ARC-Seal")]
    [InlineData("ARC-Message-Signature")]
    [InlineData("arc-authentication-results")]
    [InlineData("Delivered-To")]
    [InlineData("X-Original-To")]
    [InlineData("Envelope-To")]
    [InlineData("x-envelope-from")]
    [InlineData("Apparently-To")]
    [InlineData("X-Spam-Status")]
    [InlineData("X-Spam-Flag")]
    [InlineData("X-MS-Exchange-Organization-SCL")]
    [InlineData("X-Microsoft-Antispam")]
    [InlineData("X-Forefront-Antispam-Report")]
    [InlineData("DKIM-Signature")]
    [InlineData("Received-SPF")]
    [InlineData("From")]
    [InlineData("Message-ID")]
    [InlineData("List-Unsubscribe")]
    [InlineData("Content-Transfer-Encoding")]
    public async Task CustomHeaders_OwnedByTheServerOrReceivingServers_RefusedOnSendAndBatch(string name)
    {
        var (_, client) = await app.TenantClientAsync();
        var email = new
        {
            from = "s@example.com", to = "a@example.com", subject = "s", text_body = "t",
            headers = new Dictionary<string, string> { [name] = "value", ["X-Allowed"] = "fine" },
        };
        var error = await (await client.PostJsonAsync("/api/v1/emails/send", email)).ErrorAsync(400, "VALIDATION_ERROR");
        Assert.Equal($"headers.{name}", Assert.Single(error["details"]!.AsArray())!["field"]!.GetValue<string>());

        var batch = await (await client.PostJsonAsync("/api/v1/emails/batch", new { emails = new[] { email } })).DataAsync();
        var item = batch["results"]![0]!["error"]!;
        Assert.Equal("VALIDATION_ERROR", item["code"]!.GetValue<string>());
        Assert.Equal($"emails[0].headers.{name}", Assert.Single(item["details"]!.AsArray())!["field"]!.GetValue<string>());
    }
}

public sealed class CustomHeaderSqliteTests(SqliteFactory app) : CustomHeaderTests(app), IClassFixture<SqliteFactory>;

public sealed class CustomHeaderPostgresTests(PostgresFactory app) : CustomHeaderTests(app), IClassFixture<PostgresFactory>;
