using System.Net;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Emails;

/// <summary>Accepting sends: the answer, validation, batches, scheduling and cancelling.</summary>
public abstract class SendEmailTests(PenguinMailsFactory app)
{
    [Fact]
    public async Task Send_Valid_AnswersQueuedOnceStored()
    {
        var (_, client) = await app.TenantClientAsync();
        var data = await (await client.PostJsonAsync("/api/v1/emails/send", new
        {
            from = "sender@example.com", to = "user@example.com", subject = "Hi", html_body = "<p>Hi</p>", tags = new[] { "welcome" },
        })).DataAsync();
        Assert.Matches("^msg_[0-9a-f]{32}$", data["id"]!.GetValue<string>());
        Assert.Equal("queued", data["status"]!.GetValue<string>());
        Assert.Equal("user@example.com", data["to"]!.GetValue<string>());
        Assert.NotNull(data["created_at"]);
        var email = await client.EmailAsync(data["id"]!.GetValue<string>());
        Assert.Equal("queued", email.EventTypes()[0]);
        Assert.Equal("welcome", email["tags"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Send_ManyInvalidFields_ListsEveryOne()
    {
        var (_, client) = await app.TenantClientAsync();
        var response = await client.PostJsonAsync("/api/v1/emails/send", new
        {
            from = "not an address", to = new[] { "ok@example.com", "bad@@example.com" }, cc = "x\r\nBcc: evil@example.com",
            subject = "Hi\r\nBcc: evil@example.com", headers = new Dictionary<string, string> { ["X-Ok"] = "a\nb", ["From"] = "x@y.z" },
        });
        var error = await response.ErrorAsync(400, "VALIDATION_ERROR");
        var fields = error["details"]!.AsArray().Select(d => d!["field"]!.GetValue<string>()).ToList();
        Assert.Contains("from", fields);
        Assert.Contains("to[1]", fields);
        Assert.Contains("cc[0]", fields);
        Assert.Contains("subject", fields);
        Assert.Contains("html_body", fields);
        Assert.Contains("headers.X-Ok", fields);
        Assert.Contains("headers.From", fields);
    }

    [Theory]
    [InlineData(" ", "\r\n\t")]
    [InlineData(null, "\u3000")]
    [InlineData("", null)]
    public async Task Send_WithOnlyBlankBodies_IsRefused(string? html, string? text)
    {
        var (_, client) = await app.TenantClientAsync();
        var error = await (await client.PostJsonAsync("/api/v1/emails/send", new
        {
            from = "sender@example.com", to = "user@example.com", subject = "Hi", html_body = html, text_body = text,
        })).ErrorAsync(400, "VALIDATION_ERROR");

        Assert.Equal("html_body", Assert.Single(error["details"]!.AsArray())!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Send_WithoutFromAndNoDefaultSender_Refused()
    {
        var (_, client) = await app.TenantClientAsync();
        var error = await (await client.PostJsonAsync("/api/v1/emails/send", new { to = "a@example.com", subject = "s", text_body = "t" }))
            .ErrorAsync(400, "VALIDATION_ERROR");
        Assert.Equal("from", error["details"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Send_TooLarge_Refused()
    {
        var (_, client) = await app.TenantClientAsync();
        var response = await client.PostJsonAsync("/api/v1/emails/send", EmailTestKit.Simple("a@example.com", html: new string('x', 1_100_000)));
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, $"{response.StatusCode}");
    }

    [Fact]
    public async Task Batch_MixedItems_AcceptsValidOnesWithAResultEach()
    {
        var (_, client) = await app.TenantClientAsync();
        var data = await (await client.PostJsonAsync("/api/v1/emails/batch", new
        {
            emails = new object[] { EmailTestKit.Simple("a@example.com"), new { to = "nope" }, EmailTestKit.Simple("b@example.com") },
        })).DataAsync();
        Assert.Equal(2, data["accepted"]!.GetValue<int>());
        Assert.Equal(1, data["rejected"]!.GetValue<int>());
        var results = data["results"]!.AsArray();
        Assert.StartsWith("msg_", results[0]!["id"]!.GetValue<string>());
        Assert.Equal("VALIDATION_ERROR", results[1]!["error"]!["code"]!.GetValue<string>());
        Assert.Contains(results[1]!["error"]!["details"]!.AsArray(), d => d!["field"]!.GetValue<string>() == "emails[1].to[0]");
        Assert.Equal("b@example.com", (await client.EmailAsync(results[2]!["id"]!.GetValue<string>()))["recipients"]![0]!["email"]!.GetValue<string>());
    }

    /// <summary>
    /// Each item is read on its own: one that is null, not an object, has a field of the wrong type, a field a send does
    /// not have or one given twice is that item's error, named from the body; the others are accepted.
    /// </summary>
    [Fact]
    public async Task Batch_AnItemTheSerializerRefuses_IsThatItemsError_TheOthersAreAccepted()
    {
        var (_, client) = await app.TenantClientAsync();
        const string Good = """{"from": "sender@example.com", "to": "a@example.com", "subject": "Hi", "text_body": "Hi"}""";
        var body = $$"""
            {"emails": [{{Good}}, null, "text", {"from": "sender@example.com", "to": 5, "subject": "Hi", "text_body": "Hi"},
              {"from": "sender@example.com", "to": "b@example.com", "subject": "Hi", "text_body": "Hi", "tgas": ["x"]},
              {"from": "sender@example.com", "to": "c@example.com", "subject": "Hi", "Subject": "Ho", "text_body": "Hi"}, {{Good}}]}
            """;

        var data = await (await client.PostAsync("/api/v1/emails/batch", new StringContent(body, System.Text.Encoding.UTF8, "application/json"))).DataAsync();

        Assert.Equal(2, data["accepted"]!.GetValue<int>());
        Assert.Equal(5, data["rejected"]!.GetValue<int>());
        var results = data["results"]!.AsArray();
        Assert.StartsWith("msg_", results[0]!["id"]!.GetValue<string>());
        Assert.StartsWith("msg_", results[6]!["id"]!.GetValue<string>());
        string Field(int i) => results[i]!["error"]!["details"]![0]!["field"]!.GetValue<string>();
        string Message(int i) => results[i]!["error"]!["details"]![0]!["message"]!.GetValue<string>();
        Assert.Equal(["emails[1]", "emails[2]", "emails[3].to", "emails[4].tgas", "emails[5].Subject"], [Field(1), Field(2), Field(3), Field(4), Field(5)]);
        Assert.Contains("did you mean emails[4].tags?", Message(4));
        Assert.Contains("given twice", Message(5));
        Assert.All(Enumerable.Range(1, 5), i => Assert.Equal("VALIDATION_ERROR", results[i]!["error"]!["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Batch_OverFiveHundred_Refused()
    {
        var (_, client) = await app.TenantClientAsync();
        var emails = Enumerable.Range(0, 501).Select(i => EmailTestKit.Simple($"u{i}@example.com")).ToArray();
        await (await client.PostJsonAsync("/api/v1/emails/batch", new { emails })).ErrorAsync(400, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task Scheduled_CancelledBeforeItsTime_NeverSent()
    {
        var (_, client) = await app.TenantClientAsync();
        var at = app.Clock.GetUtcNow().AddHours(1);
        var data = await (await client.PostJsonAsync("/api/v1/emails/send", new
        {
            from = "s@example.com", to = "a@example.com", subject = "later", text_body = "t", scheduled_at = at,
        })).DataAsync();
        var id = data["id"]!.GetValue<string>();
        Assert.Equal(at.UtcDateTime, data["scheduled_at"]!.GetValue<DateTime>().ToUniversalTime());
        var cancelled = await (await client.PostAsync($"/api/v1/emails/{id}/cancel", null)).DataAsync();
        Assert.Equal("cancelled", cancelled["status"]!.GetValue<string>());
        await (await client.PostAsync($"/api/v1/emails/{id}/cancel", null)).ErrorAsync(409, "EMAIL_NOT_CANCELLABLE");
        app.Advance(TimeSpan.FromHours(2));
        Assert.Equal("cancelled", (await client.EmailAsync(id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Scheduled_MoreThanThirtyDaysAhead_Refused()
    {
        var (_, client) = await app.TenantClientAsync();
        var error = await (await client.PostJsonAsync("/api/v1/emails/send", new
        {
            from = "s@example.com", to = "a@example.com", subject = "s", text_body = "t", scheduled_at = app.Clock.GetUtcNow().AddDays(31),
        })).ErrorAsync(400, "VALIDATION_ERROR");
        Assert.Equal("scheduled_at", error["details"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Scheduled_DeliveredWhenItsTimeComes()
    {
        var (_, client) = await app.TenantClientAsync();
        var data = await (await client.PostJsonAsync("/api/v1/emails/send", new
        {
            from = "s@example.com", to = "a@example.com", subject = "s", text_body = "t", scheduled_at = app.Clock.GetUtcNow().AddMinutes(10),
        })).DataAsync();
        var id = data["id"]!.GetValue<string>();
        Assert.Equal("queued", (await client.EmailAsync(id))["status"]!.GetValue<string>());
        await app.WaitForStatusAsync(client, id, "sent", TimeSpan.FromMinutes(11));
    }

    [Fact]
    public async Task List_FiltersByTagRecipientAndStatus_WithCursorPages()
    {
        var (_, client) = await app.TenantClientAsync();
        for (var i = 0; i < 3; i++)
        {
            await client.PostJsonAsync("/api/v1/emails/send", new { from = "s@example.com", to = $"r{i}@example.com", subject = "s", text_body = "t", tags = new[] { "news" } });
        }

        await client.SendAsync(EmailTestKit.Simple("other@example.com"));
        var page1 = await client.GetAsync("/api/v1/emails?tag=news&limit=2");
        var body1 = await page1.BodyAsync();
        Assert.Equal(2, body1["data"]!.AsArray().Count);
        var cursor = body1["meta"]!["pagination"]!["next_cursor"]!.GetValue<string>();
        var page2 = await (await client.GetAsync($"/api/v1/emails?tag=news&limit=2&cursor={cursor}")).DataAsync();
        Assert.Single(page2.AsArray());
        var byRecipient = await (await client.GetAsync("/api/v1/emails?recipient=OTHER@example.com")).DataAsync();
        Assert.Equal("other@example.com", byRecipient[0]!["to"]![0]!.GetValue<string>());
        await (await client.GetAsync("/api/v1/emails?status=nonsense")).ErrorAsync(400, "VALIDATION_ERROR");
    }

    /// <summary>A scheduled_at just past (clock skew, a retry) means now; one over an hour back is refused, not sent at
    /// once as if it were meant (2020-01-01 used to go out immediately).</summary>
    [Fact]
    public async Task ScheduledAt_JustPast_MeansNow_FurtherBack_IsRefused()
    {
        var (_, client) = await app.TenantClientAsync();
        var now = app.Clock.GetUtcNow();
        object At(DateTimeOffset at) => new
        {
            from = "a@example.com", to = "b@example.com", subject = "S", html_body = "B",
            scheduled_at = at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        };

        var recent = await (await client.PostJsonAsync("/api/v1/emails/send", At(now.AddMinutes(-30)))).DataAsync();
        var stale = await (await client.PostJsonAsync("/api/v1/emails/send", At(now.AddHours(-2)))).ErrorAsync(400, "VALIDATION_ERROR");
        var ancient = await (await client.PostJsonAsync("/api/v1/emails/send", At(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)))).ErrorAsync(400, "VALIDATION_ERROR");

        Assert.Null(recent["scheduled_at"]?.GetValue<string>());
        Assert.Equal("scheduled_at", stale["details"]![0]!["field"]!.GetValue<string>());
        Assert.Contains("in the past", ancient["details"]![0]!["message"]!.GetValue<string>());
    }

    /// <summary>The recipient filter reads an address as a send does: every spelling of one mailbox finds its mail
    /// (the domain in punycode or another case, a quoted local part, full-width letters), as suppressions do.</summary>
    [Theory]
    [InlineData("a@xn--bcher-kva.example")]
    [InlineData("A@BÜCHER.example")]
    [InlineData("\"a\"@bücher.example")]
    [InlineData("a@ｂüｃｈｅｒ.example")]
    [InlineData(" a@bücher.example ")]
    public async Task List_ByRecipient_FindsEverySpellingOfTheMailbox(string spelling)
    {
        var (_, client) = await app.TenantClientAsync();
        var id = await client.SendAsync(EmailTestKit.Simple("a@bücher.example"));

        var found = await (await client.GetAsync($"/api/v1/emails?recipient={Uri.EscapeDataString(spelling)}")).DataAsync();

        Assert.Equal([id], found.AsArray().Select(e => e!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Get_OtherTenantsEmail_NotFound()
    {
        var (_, owner) = await app.TenantClientAsync();
        var (_, stranger) = await app.TenantClientAsync();
        var id = await owner.SendAsync(EmailTestKit.Simple("a@example.com"));
        await (await stranger.GetAsync($"/api/v1/emails/{id}")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await stranger.PostAsync($"/api/v1/emails/{id}/cancel", null)).ErrorAsync(404, "RESOURCE_NOT_FOUND");
    }

    [Fact]
    public async Task Send_NoRelayConfigured_WritesAnEmlFile()
    {
        var (_, client) = await app.TenantClientAsync();
        var id = await client.SendAsync(EmailTestKit.Simple("pickup@example.com", subject: "To the outbox"));
        await app.WaitForStatusAsync(client, id, "sent");
        var file = Path.Combine(app.DataDirectory, "outbox", id[4..] + ".eml");
        var message = MimeKit.MimeMessage.Load(file);
        Assert.Equal("To the outbox", message.Subject);
        Assert.Equal(id, message.Headers["X-PenguinMails-Id"]);
    }
}

public sealed class SendEmailSqliteTests(SqliteFactory app) : SendEmailTests(app), IClassFixture<SqliteFactory>;

public sealed class SendEmailPostgresTests(PostgresFactory app) : SendEmailTests(app), IClassFixture<PostgresFactory>;
