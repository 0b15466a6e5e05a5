using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Http;

namespace PenguinMails.Esp;

/// <summary>What an inbound webhook call did: <c>recorded</c>, <c>duplicate</c> (already recorded), <c>unknown_message</c>, <c>ignored</c>.</summary>
public sealed record EspWebhookAnswer(string Result);

/// <summary>
/// The ESPs' event webhooks, one URL per tenant and ESP (<c>/inbound/esp/{postmark|mailgun}/{token}</c>, token from
/// <see cref="EspSettings.InboundToken"/>), shown in the portal's ESP settings. No API key: Postmark authenticates
/// with basic auth in the URL (a user and password generated per tenant, compared in constant time), Mailgun with its
/// HMAC signature (<see cref="MailgunEvents"/>; a signature older than <see cref="EspOptions.SignatureMaxAgeSeconds"/>
/// or a token seen before is refused). An unknown token is a 404; bad credentials a 401 (recorded, bounded, by
/// <see cref="EspRefusals"/>); an unreadable body a 400; an event for a message that is not the tenant's, or of a kind
/// that changes nothing, a 200 so that the ESP does not retry it. Left out of the API document: ESPs call these, not clients.
/// </summary>
public static class EspWebhooksApi
{
    public const string Root = "/inbound/esp";

    public static IEndpointRouteBuilder MapEspWebhooks(this IEndpointRouteBuilder app)
    {
        var inbound = app.MapGroup(Root).AllowAnonymous().ExcludeFromDescription();
        inbound.MapPost("/postmark/{token}", PostmarkAsync);
        inbound.MapPost("/mailgun/{token}", MailgunAsync);
        return app;
    }

    private static async Task<IResult> PostmarkAsync(string token, AppDb db, EspSecrets secrets, EspRefusals refusals, EspEventRecorder recorder,
        HttpContext http, CancellationToken ct)
    {
        if (await FindAsync(db, token, ct) is not { } settings)
        {
            return ApiError.NotFound("Webhook");
        }

        if (!BasicAuthMatches(http.Request.Headers.Authorization.ToString(), settings.PostmarkWebhookUser, secrets.Unprotect(settings.PostmarkWebhookPassword)))
        {
            return Refuse(refusals, settings, "postmark", "missing or wrong basic-auth credentials", http);
        }

        var read = await ReadAsync(http, ct);
        return read is JsonElement body ? await RecordAsync(recorder, settings, () => PostmarkEvents.Read(body), http, ct) : (ApiError)read;
    }

    private static async Task<IResult> MailgunAsync(string token, AppDb db, EspSecrets secrets, EspRefusals refusals, EspEventRecorder recorder,
        IOptions<PenguinMailsOptions> options, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (await FindAsync(db, token, ct) is not { } settings)
        {
            return ApiError.NotFound("Webhook");
        }

        var read = await ReadAsync(http, ct);
        if (read is not JsonElement body)
        {
            return (ApiError)read;
        }

        MailgunEvents.Signature signature;
        try
        {
            signature = MailgunEvents.ReadSignature(body);
        }
        catch (EspPayloadException e)
        {
            return Refuse(refusals, settings, "mailgun", e.Message, http);
        }

        var maxAge = TimeSpan.FromSeconds(options.Value.Esp.SignatureMaxAgeSeconds);
        if (secrets.UnprotectOrNull(settings.MailgunSigningKey) is not { } key)
        {
            return Refuse(refusals, settings, "mailgun", "no webhook signing key is set for Mailgun", http);
        }

        if (!MailgunEvents.Verify(signature, key, time.GetUtcNow(), maxAge, out var why))
        {
            return Refuse(refusals, settings, "mailgun", why, http);
        }

        if (!await recorder.FirstUseOfTokenAsync(settings.TenantId, signature.Token, maxAge, ct))
        {
            return Refuse(refusals, settings, "mailgun", "the signature's token was used before (a replayed call)", http);
        }

        return await RecordAsync(recorder, settings, () => MailgunEvents.Read(body), http, ct);
    }

    private static Task<EspSettings?> FindAsync(AppDb db, string token, CancellationToken ct) =>
        token.Length is > 0 and <= 64
            ? db.EspSettings.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(s => s.InboundToken == token, ct)
            : Task.FromResult<EspSettings?>(null);

    /// <summary>The body as JSON, or the 400 that says why not.</summary>
    private static async Task<object> ReadAsync(HttpContext http, CancellationToken ct)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: ct);
            return NulCharacters.FirstInvalid(document.RootElement) is { } where
                ? new ApiError(ErrorCodes.ValidationError, null, [new ErrorDetail(where, NulCharacters.Rule(where))])
                : document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return new ApiError(ErrorCodes.MalformedJson, null, [new ErrorDetail("body", $"Not valid JSON (line {e.LineNumber + 1}).")]);
        }
    }

    private static async Task<IResult> RecordAsync(EspEventRecorder recorder, EspSettings settings, Func<EspEvent?> read, HttpContext http,
        CancellationToken ct)
    {
        EspEvent? e;
        try
        {
            e = read();
        }
        catch (EspPayloadException x)
        {
            return ApiError.Validation(x.Field, x.Message);
        }

        if (e is null)
        {
            return ApiResults.Ok(http, new EspWebhookAnswer("ignored"));
        }

        var result = await recorder.RecordAsync(settings.TenantId, e, ct);
        return ApiResults.Ok(http, new EspWebhookAnswer(result switch
        {
            EspEventResult.Recorded => "recorded",
            EspEventResult.Duplicate => "duplicate",
            _ => "unknown_message",
        }));
    }

    private static ApiError Refuse(EspRefusals refusals, EspSettings settings, string provider, string reason, HttpContext http)
    {
        refusals.Refused(settings.TenantId, provider, reason, http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString());
        return new ApiError(ErrorCodes.AuthenticationRequired, "The webhook call's credentials or signature are missing or wrong.");
    }

    /// <summary>Both parts compared in constant time, as SHA-256 digests so that their lengths tell nothing either.</summary>
    private static bool BasicAuthMatches(string header, string user, string password)
    {
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string given;
        try
        {
            given = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = SHA256.HashData(Encoding.UTF8.GetBytes($"{user}:{password}"));
        return CryptographicOperations.FixedTimeEquals(expected, SHA256.HashData(Encoding.UTF8.GetBytes(given)));
    }
}
