using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using PenguinMails.Tests.Emails;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Delivery;

/// <summary>
/// Without a relay each message is written to the pickup directory as SMTP would carry it (RFC 5321/5322: CRLF,
/// lines of at most 998 octets, a transfer encoding for what is not 7-bit); and what a tenant reads of the attempt
/// shows no server internals (file paths, host names, process ids).
/// </summary>
public abstract partial class PickupFileTests(PenguinMailsFactory app)
{
    private static readonly string LongLine = string.Concat(Enumerable.Repeat("Grüße aus Köln — ", 1000));

    [Fact]
    public async Task PickupFile_NonAsciiAndLongLines_IsWhatSmtpWouldCarry()
    {
        var (_, client) = await app.TenantClientAsync();
        var html = $"<p>{LongLine}</p>";
        var text = "Hallo Dörte,\n" + LongLine + "\nTschüß";
        var id = await client.SendAsync(new
        {
            from = "s@example.com", to = "reader@example.com", subject = "Grüße", html_body = html, text_body = text,
            track_opens = false, track_clicks = false,
        });
        await app.WaitForStatusAsync(client, id, "sent");
        var bytes = await File.ReadAllBytesAsync(Path.Combine(app.DataDirectory, "outbox", id[4..] + ".eml"));

        for (var i = 0; i < bytes.Length; i++)
        {
            Assert.True(bytes[i] != '\n' || (i > 0 && bytes[i - 1] == '\r'), $"a bare LF at byte {i}");
            Assert.True(bytes[i] != '\r' || (i + 1 < bytes.Length && bytes[i + 1] == '\n'), $"a bare CR at byte {i}");
        }

        var longest = Encoding.UTF8.GetString(bytes).Split("\r\n").Max(l => Encoding.UTF8.GetByteCount(l));
        Assert.True(longest <= 998, $"a line of {longest} octets");
        var message = MimeMessage.Load(new MemoryStream(bytes));
        foreach (var part in message.BodyParts.OfType<TextPart>())
        {
            Assert.Contains(part.ContentTransferEncoding, new[] { ContentEncoding.QuotedPrintable, ContentEncoding.Base64 });
        }

        Assert.Equal(html, message.HtmlBody);
        Assert.Equal(text, message.TextBody);
        Assert.Equal("Grüße", message.Subject);
    }

    [Fact]
    public async Task TenantAnswers_AfterAPickupWrite_ShowNoSmtpCodeFilePathHostOrProcess()
    {
        var (_, client) = await app.TenantClientAsync();
        var id = await client.SendAsync(EmailTestKit.Simple("reader@example.com"));
        var email = await app.WaitForStatusAsync(client, id, "sent");
        var attempt = email["delivery_attempts"]![0]!;
        Assert.Null(attempt["smtp_code"]);
        Assert.Matches(OpaqueNode(), attempt["node"]!.GetValue<string>());
        var json = email.ToJsonString();
        Assert.DoesNotContain(app.DataDirectory, json);
        Assert.DoesNotContain("outbox/", json);
        Assert.DoesNotContain($":{Environment.ProcessId}:", json);
    }

    [GeneratedRegex("^node_[0-9a-f]{12}$")]
    private static partial Regex OpaqueNode();
}

public sealed class PickupFileSqliteTests(SqliteFactory app) : PickupFileTests(app), IClassFixture<SqliteFactory>;

public sealed class PickupFilePostgresTests(PostgresFactory app) : PickupFileTests(app), IClassFixture<PostgresFactory>;
