using System.Security.Cryptography;
using System.Text;
using PenguinMails.Data;
using PenguinMails.Emails;
using PenguinMails.Http;
using PenguinMails.Suppressions;
using PenguinMails.Tenancy;

namespace PenguinMails.Tracking;

/// <summary>
/// The public links inside messages: the open pixel (<c>/t/o/</c>), click-through (<c>/t/c/</c>) and unsubscribe
/// (<c>/t/u/</c>, a page for people and a one-click POST for mail clients, RFC 8058). No key: the signed token is
/// the authority, and it names one message of one tenant.
/// </summary>
public static class TrackingApi
{
    private static readonly byte[] Pixel = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    public static IEndpointRouteBuilder MapTracking(this IEndpointRouteBuilder app)
    {
        var links = app.MapGroup("/t").AllowAnonymous().ExcludeFromDescription();
        links.MapGet("/o/{token}", OpenAsync);
        links.MapGet("/c/{token}", ClickAsync);
        links.MapGet("/u/{token}", UnsubscribePage);
        links.MapPost("/u/{token}", UnsubscribeAsync);
        return app;
    }

    /// <summary>Always the pixel, valid token or not, so that the answer tells nothing about tokens.</summary>
    private static async Task<IResult> OpenAsync(string token, TrackingTokens tokens, TrackingEvents events, HttpContext http, CancellationToken ct)
    {
        if (tokens.Read(token) is { Kind: TokenKind.Open } open)
        {
            await events.RecordAsync(open.MessageId, EmailEventType.Opened, null, ClientOf(http), ct);
        }

        http.Response.Headers.CacheControl = "no-store, max-age=0";
        return Results.File(Pixel, "image/gif");
    }

    private static async Task<IResult> ClickAsync(string token, TrackingTokens tokens, TrackingEvents events, HttpContext http, CancellationToken ct)
    {
        if (tokens.Read(token) is not { Kind: TokenKind.Click, Url: { } url } click)
        {
            return ApiError.NotFound("Link");
        }

        await events.RecordAsync(click.MessageId, EmailEventType.Clicked, url, ClientOf(http), ct);
        http.Response.Headers.CacheControl = "no-store";
        return Results.Redirect(url);
    }

    private static IResult UnsubscribePage(string token, TrackingTokens tokens) =>
        tokens.Read(token) is { Kind: TokenKind.Unsubscribe }
            ? Results.Content("""
                <!doctype html><html><head><meta charset="utf-8"><title>Unsubscribe</title></head>
                <body><form method="post"><p>Stop receiving these emails?</p>
                <button type="submit" name="List-Unsubscribe" value="One-Click">Unsubscribe</button></form></body></html>
                """, "text/html; charset=utf-8")
            : ApiError.NotFound("Link");

    /// <summary>RFC 8058: a POST (body <c>List-Unsubscribe=One-Click</c>) unsubscribes at once, no confirmation.</summary>
    private static async Task<IResult> UnsubscribeAsync(string token, TrackingTokens tokens, TrackingEvents events, CancellationToken ct)
    {
        if (tokens.Read(token) is not { Kind: TokenKind.Unsubscribe } unsubscribe
            || !await events.UnsubscribeAsync(unsubscribe.MessageId, ct))
        {
            return ApiError.NotFound("Link");
        }

        return Results.Content("<!doctype html><p>You are unsubscribed.</p>", "text/html; charset=utf-8");
    }

    /// <summary>Counts unique opens and clicks by client without storing its address: a hash of address and user agent.</summary>
    private static string ClientOf(HttpContext http)
    {
        var text = $"{http.Connection.RemoteIpAddress}|{http.Request.Headers.UserAgent}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }
}

/// <summary>Writes tracking events for the message a token names, in that message's tenant.</summary>
public sealed class TrackingEvents(AppDb db, TenantContext tenant, TimeProvider time, SuppressionList suppressions)
{
    public async Task<bool> RecordAsync(Guid messageId, EmailEventType type, string? detail, string? client, CancellationToken ct)
    {
        if (!await EnterAsync(messageId, ct))
        {
            return false;
        }

        db.EmailEvents.Add(new EmailEvent
        {
            MessageId = messageId, Type = type, At = time.GetUtcNow().UtcDateTime, Detail = detail is { Length: > 2048 } ? detail[..2048] : detail,
            Client = client,
        });
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Unsubscribes the message's To recipients (the List-Unsubscribe header is the same for every copy): suppressed from now on.</summary>
    public async Task<bool> UnsubscribeAsync(Guid messageId, CancellationToken ct)
    {
        if (!await EnterAsync(messageId, ct))
        {
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var to = await db.EmailRecipients.Where(r => r.MessageId == messageId && r.Kind == RecipientKind.To).Select(r => r.Email).ToListAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var email in to)
        {
            await suppressions.AddAsync(email, SuppressionReason.Unsubscribe, ct);
        }

        db.EmailEvents.AddRange(to.Select(email => new EmailEvent { MessageId = messageId, Type = EmailEventType.Unsubscribed, At = now, Recipient = email }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    private async Task<bool> EnterAsync(Guid messageId, CancellationToken ct)
    {
        var owner = await db.EmailMessages.IgnoreQueryFilters().Where(m => m.Id == messageId).Select(m => (Guid?)m.TenantId).FirstOrDefaultAsync(ct);
        if (owner is not { } tenantId)
        {
            return false;
        }

        tenant.Enter(tenantId);
        return true;
    }
}
