using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using PenguinMails.ApiKeys;
using PenguinMails.Data;
using PenguinMails.Emails.Attachments;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Emails;

/// <summary>
/// Attachments end to end: what a real SMTP server on loopback receives (parsed by MimeKit: bytes, names, cid
/// references), what GET lists, replays under one Idempotency-Key, retention on the fake clock, a contact's erasure.
/// </summary>
public abstract class AttachmentDeliveryTests
{
    private readonly PenguinMailsFactory _app;
    private readonly SmtpServer _smtp;

    protected AttachmentDeliveryTests(PenguinMailsFactory app, SmtpServer smtp)
    {
        (_app, _smtp) = (app, smtp);
        foreach (var (name, value) in smtp.Settings())
        {
            app.Settings[name] = value;
        }
    }

    private static readonly byte[] Pdf = [.. "%PDF-1.7\n"u8, .. Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7919 % 251))];
    private static readonly byte[] Png = [0x89, .. "PNG\r\n\u001a\n"u8, .. Enumerable.Range(0, 5000).Select(i => (byte)(i % 256))];

    private static string Unique(string local) => $"{local}-{Guid.NewGuid():N}@example.com";

    private static object[] Files() =>
    [
        new { filename = "Rechnung März 2026 – Nr. 7.pdf", content = Convert.ToBase64String(Pdf), content_type = "application/pdf" },
        new { filename = "logo.png", content = Convert.ToBase64String(Png), content_id = "logo" },
        new { filename = "請求書.txt", content = Convert.ToBase64String("Grüße\r\n"u8.ToArray()) },
    ];

    [Fact]
    public async Task Send_AttachmentsAndInlineImage_ArriveIntactAtTheRelay_AndGetListsThemWithoutContent()
    {
        var (_, client) = await _app.TenantClientAsync();
        var to = Unique("files");
        var id = await client.SendAsync(new
        {
            from = "s@example.com", to, subject = "Your invoice", text_body = "Attached.",
            html_body = "<p>Invoice attached</p><img src=\"cid:logo\" alt=\"Logo\">", attachments = Files(),
        });
        var email = await _app.WaitForStatusAsync(client, id, "sent");

        var message = Assert.Single(_smtp.MessagesTo(to));
        var mixed = Assert.IsType<Multipart>(message.Body);
        Assert.Equal("multipart/mixed", mixed.ContentType.MimeType);
        // multipart/mixed( multipart/alternative( text/plain, multipart/related( text/html, image/png ) ), files… )
        var alternative = Assert.IsType<MultipartAlternative>(mixed[0]);
        var related = Assert.IsType<MultipartRelated>(alternative[1]);
        Assert.Equal("text/html", related.Root?.ContentType.MimeType);
        var inline = Assert.IsType<MimePart>(related.Single(p => p.ContentId == "logo"));
        Assert.Equal("image/png", inline.ContentType.MimeType);
        Assert.Equal(ContentDisposition.Inline, inline.ContentDisposition?.Disposition);
        Assert.Equal(Png, Bytes(inline));
        Assert.Contains("cid:logo", message.HtmlBody);
        var files = message.Attachments.OfType<MimePart>().ToList();
        Assert.Equal(["Rechnung März 2026 – Nr. 7.pdf", "請求書.txt"], files.Select(f => f.FileName));
        Assert.Equal(Pdf, Bytes(files[0]));
        Assert.Equal("application/pdf", files[0].ContentType.MimeType);
        Assert.Equal("Grüße\r\n"u8.ToArray(), Bytes(files[1]));
        Assert.Equal("text/plain", files[1].ContentType.MimeType);
        var raw = await File.ReadAllTextAsync(Directory.GetFiles(_smtp.Directory, "*.eml").Single(f => File.ReadAllText(f).Contains(to)));
        Assert.Contains("filename*=utf-8''Rechnung%20M%C3%A4rz", raw, StringComparison.OrdinalIgnoreCase); // RFC 2231

        var listed = email["attachments"]!.AsArray();
        Assert.Equal(3, listed.Count);
        Assert.Equal("Rechnung März 2026 – Nr. 7.pdf", listed[0]!["filename"]!.GetValue<string>());
        Assert.Equal(Pdf.Length, listed[0]!["size"]!.GetValue<long>());
        Assert.Equal("logo", listed[1]!["content_id"]!.GetValue<string>());
        Assert.Equal("text/plain", listed[2]!["content_type"]!.GetValue<string>());
        Assert.All(listed, a => Assert.Null(a!["content"]));
    }

    [Fact]
    public async Task Batch_EachMessageCarriesItsOwnAttachments()
    {
        var (_, client) = await _app.TenantClientAsync();
        var (a, b) = (Unique("batch-a"), Unique("batch-b"));
        var answer = await (await client.PostJsonAsync("/api/v1/emails/batch", new
        {
            emails = new object[]
            {
                new { from = "s@example.com", to = a, subject = "A", text_body = "a", attachments = new[] { new { filename = "a.csv", content = Convert.ToBase64String("x,y\n1,2\n"u8.ToArray()) } } },
                new { from = "s@example.com", to = b, subject = "B", text_body = "b" },
            },
        })).DataAsync();
        Assert.Equal(2, answer["accepted"]!.GetValue<int>());
        var first = answer["results"]![0]!["id"]!.GetValue<string>();
        await _app.WaitForStatusAsync(client, first, "sent");
        await _app.WaitForStatusAsync(client, answer["results"]![1]!["id"]!.GetValue<string>(), "sent");
        var part = Assert.IsAssignableFrom<MimePart>(Assert.Single(Assert.Single(_smtp.MessagesTo(a)).Attachments));
        Assert.Equal("a.csv", part.FileName);
        Assert.Equal("text/csv", part.ContentType.MimeType);
        Assert.Empty(Assert.Single(_smtp.MessagesTo(b)).Attachments);
    }

    [Fact]
    public async Task IdempotentRetry_WithAttachments_ReplaysTheFirstAnswer_StoringOnce()
    {
        var (tenant, client) = await _app.TenantClientAsync();
        var body = new { from = "s@example.com", to = Unique("idem"), subject = "Once", text_body = "x", attachments = Files() };
        var key = Guid.NewGuid().ToString();
        var answers = new List<JsonNode>();
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/emails/send") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            var response = await client.SendAsync(request);
            answers.Add(await response.DataAsync());
            Assert.Equal(i == 1, response.Headers.Contains("Idempotent-Replayed"));
        }

        Assert.Equal(answers[0]["id"]!.GetValue<string>(), answers[1]["id"]!.GetValue<string>());
        Assert.Equal((1, 3), await CountsAsync(_app, tenant));
    }

    [Fact]
    public async Task Retention_DeletesTheContentAfterThePeriod_KeepsTheListing()
    {
        var (tenant, client) = await _app.TenantClientAsync();
        var id = await client.SendAsync(new { from = "s@example.com", to = Unique("kept"), subject = "Keep", text_body = "x", attachments = Files() });
        await _app.WaitForStatusAsync(client, id, "sent");
        var retention = _app.Services.GetRequiredService<AttachmentRetention>();
        _app.Advance(TimeSpan.FromDays(6));
        await retention.PruneAsync(CancellationToken.None);
        Assert.Equal(3, await StoredContentsAsync(tenant));

        _app.Advance(TimeSpan.FromDays(1.5));
        await retention.PruneAsync(CancellationToken.None); // the job itself may have run on the clock's move already
        Assert.Equal(0, await StoredContentsAsync(tenant));
        var listed = (await client.EmailAsync(id))["attachments"]!.AsArray();
        Assert.Equal(3, listed.Count);
        Assert.All(listed, a => Assert.NotNull(a!["content_deleted_at"]));
    }

    [Fact]
    public async Task ContactErase_RemovesTheAttachmentsOfMessagesSentToIt_ExportListsThemBefore()
    {
        var tenant = await _app.CreateTenantAsync();
        var (key, _) = await _app.CreateKeyAsync(tenant, [Permissions.EmailsSend, Permissions.ContactsRead, Permissions.ContactsWrite, Permissions.ContactsDelete]);
        var client = _app.Client(key);
        var address = Unique("erased");
        var contact = (await (await client.PostJsonAsync("/api/v1/contacts", new { email = address })).DataAsync(201))["id"]!.GetValue<string>();
        var id = await client.SendAsync(new { from = "s@example.com", to = address, subject = "Mine", text_body = "x", attachments = Files() });
        await _app.WaitForStatusAsync(client, id, "sent");

        var export = await (await client.GetAsync($"/api/v1/contacts/{contact}/export")).DataAsync();
        var exported = export["messages"]![0]!["attachments"]!.AsArray();
        Assert.Equal(["Rechnung März 2026 – Nr. 7.pdf", "logo.png", "請求書.txt"], exported.Select(a => a!["filename"]!.GetValue<string>()));
        var report = await (await client.PostAsync($"/api/v1/contacts/{contact}/erase", null)).DataAsync();
        Assert.Equal(3, report["removed"]!["attachments"]!.GetValue<int>());
        Assert.Equal((1, 0), await CountsAsync(_app, tenant));
        Assert.Empty((await client.EmailAsync(id))["attachments"]!.AsArray());
    }

    /// <summary>Messages and attachment rows of one tenant.</summary>
    internal static Task<(int Messages, int Attachments)> CountsAsync(PenguinMailsFactory app, Guid tenant) =>
        app.InTenantAsync(tenant, async sp =>
        {
            var db = sp.GetRequiredService<AppDb>();
            return (await db.EmailMessages.CountAsync(), await db.EmailAttachments.CountAsync());
        });

    private Task<int> StoredContentsAsync(Guid tenant) =>
        _app.InTenantAsync(tenant, sp => sp.GetRequiredService<AppDb>().EmailAttachments.CountAsync(a => a.Content != null));

    private static byte[] Bytes(MimePart part)
    {
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        return stream.ToArray();
    }
}

public sealed class AttachmentDeliverySqliteTests(SqliteFactory app, SmtpServer smtp)
    : AttachmentDeliveryTests(app, smtp), IClassFixture<SqliteFactory>, IClassFixture<SmtpServer>;

public sealed class AttachmentDeliveryPostgresTests(PostgresFactory app, SmtpServer smtp)
    : AttachmentDeliveryTests(app, smtp), IClassFixture<PostgresFactory>, IClassFixture<SmtpServer>;
