using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Emails;

/// <summary>
/// Every attachment rule refuses what it should, naming the field, before anything is stored: the tenant's messages
/// and attachment rows are counted after each refusal. Refused types answer 422 ATTACHMENT_TYPE_NOT_ALLOWED.
/// </summary>
public abstract class AttachmentLimitTests(PenguinMailsFactory app)
{
    private static readonly string Small = Convert.ToBase64String("hello"u8.ToArray());

    /// <summary>A minimal PE image: "MZ", e_lfanew at 0x3C pointing at "PE\0\0".</summary>
    private static string PortableExecutable()
    {
        var image = new byte[256];
        image[0] = (byte)'M';
        image[1] = (byte)'Z';
        image[0x3C] = 0x80;
        "PE\0\0"u8.CopyTo(image.AsSpan(0x80));
        return Convert.ToBase64String(image);
    }

    public static TheoryData<string, object, int, string, string> Refusals() => new()
    {
        { "exe", new { filename = "setup.exe", content = Small }, 422, "ATTACHMENT_TYPE_NOT_ALLOWED", "attachments[1].filename" },
        { "exe with trailing dot", new { filename = "invoice.pdf.exe. ", content = Small }, 422, "ATTACHMENT_TYPE_NOT_ALLOWED", "attachments[1].filename" },
        { "script", new { filename = "run.VBS", content = Small }, 422, "ATTACHMENT_TYPE_NOT_ALLOWED", "attachments[1].filename" },
        { "zero-width space after .exe", new { filename = "a.exe\u200B", content = Small }, 422, "ATTACHMENT_TYPE_NOT_ALLOWED", "attachments[1].filename" },
        { "word joiner inside .exe", new { filename = "a.ex\u2060e", content = Small }, 422, "ATTACHMENT_TYPE_NOT_ALLOWED", "attachments[1].filename" },
        { "NTFS data stream", new { filename = "a.exe::$DATA", content = Small }, 422, "ATTACHMENT_TYPE_NOT_ALLOWED", "attachments[1].filename" },
        { "NTFS named stream", new { filename = "a.bat:x", content = Small }, 422, "ATTACHMENT_TYPE_NOT_ALLOWED", "attachments[1].filename" },
        { "name in the type", new { filename = "a.txt", content = Small, content_type = "text/plain; name=\"evil.exe\"" }, 400, "VALIDATION_ERROR", "attachments[1].content_type" },
        { "non-ASCII type", new { filename = "a.txt", content = Small, content_type = "text/plain; charset=\"\u00FC\"" }, 400, "VALIDATION_ERROR", "attachments[1].content_type" },
        { "js type", new { filename = "notes", content = Small, content_type = "application/javascript" }, 422, "ATTACHMENT_TYPE_NOT_ALLOWED", "attachments[1].content_type" },
        { "PE content", new { filename = "photo.jpg", content = PortableExecutable() }, 422, "ATTACHMENT_TYPE_NOT_ALLOWED", "attachments[1].content" },
        { "not base64", new { filename = "a.txt", content = "not base64!" }, 400, "VALIDATION_ERROR", "attachments[1].content" },
        { "no content", new { filename = "a.txt" }, 400, "VALIDATION_ERROR", "attachments[1].content" },
        { "no filename", new { content = Small }, 400, "VALIDATION_ERROR", "attachments[1].filename" },
        { "path", new { filename = "../etc/passwd", content = Small }, 400, "VALIDATION_ERROR", "attachments[1].filename" },
        { "bidi override", new { filename = "invoice\u202Efdp.exe", content = Small }, 400, "VALIDATION_ERROR", "attachments[1].filename" },
        { "control", new { filename = "a\r\nb.txt", content = Small }, 400, "VALIDATION_ERROR", "attachments[1].filename" },
        { "bad type", new { filename = "a.txt", content = Small, content_type = "text" }, 400, "VALIDATION_ERROR", "attachments[1].content_type" },
        { "multipart type", new { filename = "a.txt", content = Small, content_type = "multipart/mixed" }, 400, "VALIDATION_ERROR", "attachments[1].content_type" },
        { "bad content id", new { filename = "a.png", content = Small, content_id = "<logo>" }, 400, "VALIDATION_ERROR", "attachments[1].content_id" },
        { "same content id", new { filename = "a.png", content = Small, content_id = "FIRST" }, 400, "VALIDATION_ERROR", "attachments[1].content_id" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Send_RefusedAttachment_NamesTheField_StoresNothing(string scenario, object attachment, int status, string code, string field)
    {
        var (tenant, client) = await app.TenantClientAsync();
        var first = new { filename = "first.png", content = Small, content_id = "first" };
        var response = await client.PostJsonAsync("/api/v1/emails/send", Mail(new[] { first, attachment }));
        var error = await response.ErrorAsync(status, code);
        Assert.Contains(error["details"]!.AsArray(), d => d!["field"]!.GetValue<string>() == field);
        Assert.True((0, 0) == await AttachmentDeliveryTests.CountsAsync(app, tenant), scenario);
    }

    [Fact]
    public async Task Send_OverTheCountLimit_Refused_StoresNothing()
    {
        var (tenant, client) = await app.TenantClientAsync();
        var files = Enumerable.Range(0, 21).Select(i => new { filename = $"f{i}.txt", content = Small }).ToArray();
        var error = await (await client.PostJsonAsync("/api/v1/emails/send", Mail(files))).ErrorAsync(400, "VALIDATION_ERROR");
        Assert.Equal("attachments", error["details"]![0]!["field"]!.GetValue<string>());
        Assert.Equal((0, 0), await AttachmentDeliveryTests.CountsAsync(app, tenant));
    }

    /// <summary>The default 15 MiB in total passes the request size limit and is stored; one byte more is refused.</summary>
    [Fact]
    public async Task Send_AtTheSizeLimit_Accepted_OneByteOver_Refused()
    {
        var (tenant, client) = await app.TenantClientAsync("test");
        var half = Convert.ToBase64String(new byte[15 * 1024 * 1024 / 2]);
        var over = await client.PostJsonAsync("/api/v1/emails/send",
            Mail(new[] { new { filename = "a.bin", content = half }, new { filename = "b.bin", content = Convert.ToBase64String(new byte[15 * 1024 * 1024 / 2 + 1]) } }));
        var error = await over.ErrorAsync(400, "VALIDATION_ERROR");
        Assert.Equal("attachments", error["details"]![0]!["field"]!.GetValue<string>());
        Assert.Equal((0, 0), await AttachmentDeliveryTests.CountsAsync(app, tenant));

        await client.SendAsync(Mail(new[] { new { filename = "a.bin", content = half }, new { filename = "b.bin", content = half } }));
        Assert.Equal((1, 2), await AttachmentDeliveryTests.CountsAsync(app, tenant));
    }

    [Fact]
    public async Task Batch_RefusedAttachment_RefusesThatItemOnly()
    {
        var (tenant, client) = await app.TenantClientAsync();
        var answer = await (await client.PostJsonAsync("/api/v1/emails/batch", new
        {
            emails = new[] { Mail(new[] { new { filename = "ok.txt", content = Small } }), Mail(new[] { new { filename = "bad.scr", content = Small } }) },
        })).DataAsync();
        Assert.Equal(1, answer["accepted"]!.GetValue<int>());
        var refused = answer["results"]![1]!["error"]!;
        Assert.Equal("ATTACHMENT_TYPE_NOT_ALLOWED", refused["code"]!.GetValue<string>());
        Assert.Equal("emails[1].attachments[0].filename", refused["details"]![0]!["field"]!.GetValue<string>());
        Assert.Equal((1, 1), await AttachmentDeliveryTests.CountsAsync(app, tenant));
    }

    [Fact]
    public async Task Campaign_WithAttachments_RefusedRatherThanDropped()
    {
        var (_, client) = await PenguinMails.Tests.Campaigns.CampaignKit.CampaignClientAsync(app);
        var error = await (await client.PostJsonAsync("/api/v1/campaigns", new
        {
            name = "Launch", subject = "Hi", from = "news@example.com", html_body = "<p>Hi</p>", audience = new { all = true },
            attachments = new[] { new { filename = "a.pdf", content = Small } },
        })).ErrorAsync(400, "VALIDATION_ERROR");
        var detail = Assert.Single(error["details"]!.AsArray());
        Assert.Equal("attachments", detail!["field"]!.GetValue<string>());
        Assert.Contains("no attachments", detail["message"]!.GetValue<string>());
    }

    private static object Mail(object attachments) =>
        new { from = "s@example.com", to = "someone@example.com", subject = "Files", text_body = "x", attachments };
}

public sealed class AttachmentLimitSqliteTests(SqliteFactory app) : AttachmentLimitTests(app), IClassFixture<SqliteFactory>;

public sealed class AttachmentLimitPostgresTests(PostgresFactory app) : AttachmentLimitTests(app), IClassFixture<PostgresFactory>;
