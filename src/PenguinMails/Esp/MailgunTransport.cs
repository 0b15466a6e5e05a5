using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MimeKit;
using PenguinMails.Delivery;

namespace PenguinMails.Esp;

/// <summary>
/// Delivery through Mailgun's sending API with our finished MIME, <c>POST {base}/v3/{domain}/messages.mime</c>
/// (https://documentation.mailgun.com/docs/mailgun/api-reference/send/mailgun/messages/post-v3--domain-name--messages-mime):
/// multipart/form-data with <c>to</c> (the envelope recipients, Bcc included) and <c>message</c> (the bytes
/// <see cref="WireFormat"/> prepared and our DKIM key signed, unchanged), our id as the user variable
/// <c>v:penguinmails_id</c> (echoed in event webhooks), basic auth <c>api:&lt;key&gt;</c>. Answers: 200 queued (its
/// <c>id</c> recorded without the angle brackets, as webhooks carry it); 400 and 413 fail the message; 401, 403 and 404
/// (bad key, domain not found or not allowed) are configuration errors, retried and visible in the attempt; 429 and 5xx
/// are retried after Retry-After when given.
/// </summary>
public sealed class MailgunTransport(HttpClient http, EspOptions options, EspConfig config, TimeProvider time) : IMailTransport
{
    private const string Service = "Mailgun";

    public async Task<TransportResult> SendAsync(MimeMessage message, MailboxAddress sender, IReadOnlyList<MailboxAddress> recipients, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(config.MailgunApiKey) || string.IsNullOrEmpty(config.MailgunDomain))
        {
            return TransportResult.Failed(ReplyVerdict.Retry, null, "Mailgun is the tenant's transport but its API key or domain is not set");
        }

        var mime = new MemoryStream();
        await message.WriteToAsync(WireFormat.Options, mime, ct);
        mime.Position = 0;
        var form = new MultipartFormDataContent();
        foreach (var recipient in recipients)
        {
            form.Add(new StringContent(recipient.Address, Encoding.UTF8), "to");
        }

        if (message.Headers["X-PenguinMails-Id"] is { } id)
        {
            form.Add(new StringContent(id, Encoding.UTF8), "v:penguinmails_id");
        }

        var file = new StreamContent(mime);
        file.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        form.Add(file, "message", "message.mime");
        var baseUrl = config.MailgunRegion == "eu" ? options.MailgunEuBaseUrl : options.MailgunUsBaseUrl;
        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"{baseUrl.TrimEnd('/')}/v3/{Uri.EscapeDataString(config.MailgunDomain)}/messages.mime") { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("api:" + config.MailgunApiKey)));
        request.Headers.Accept.ParseAdd("application/json");
        try
        {
            using var response = await http.SendAsync(request, ct);
            return Judge(response, await response.Content.ReadAsStringAsync(ct));
        }
        catch (Exception e) when (EspHttp.IsTransient(e, ct))
        {
            return EspHttp.Unreachable(Service, e);
        }
    }

    private TransportResult Judge(HttpResponseMessage response, string text)
    {
        var json = EspHttp.TryParse(text);
        var answer = $"Mailgun answered {(int)response.StatusCode}: {json.Text("message") ?? EspHttp.Excerpt(text)}";
        if (response.IsSuccessStatusCode)
        {
            var bare = json.Text("id")?.Trim().TrimStart('<').TrimEnd('>');
            return TransportResult.Sent(null, bare is null ? answer : $"{answer} (id {bare})") with { EspMessageId = bare };
        }

        if (EspHttp.IsRetryable(response.StatusCode))
        {
            return TransportResult.Failed(ReplyVerdict.Retry, null, answer) with { RetryAfter = EspHttp.RetryAfter(response, time.GetUtcNow()) };
        }

        return response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound
            ? TransportResult.Failed(ReplyVerdict.Retry, null, $"{answer} (a configuration error: check the tenant's Mailgun API key, domain and region)")
            : TransportResult.Failed(ReplyVerdict.Failed, null, answer);
    }

    /// <summary>Mailgun takes our MIME over HTTP and has no EHLO to read: the message goes as a relay with SMTPUTF8 would get it.</summary>
    public Task<bool> CarriesUtf8HeadersAsync(CancellationToken ct) => Task.FromResult(true);

    public Task IdleAsync(CancellationToken ct) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
