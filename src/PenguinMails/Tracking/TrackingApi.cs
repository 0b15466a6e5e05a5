using PenguinMails.Emails;

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
    private static async Task<IResult> OpenAsync(string token, TrackingTokens tokens, TrackingEvents events, ClientAddresses clients,
        HttpContext http, CancellationToken ct)
    {
        if (tokens.Read(token) is { Kind: TokenKind.Open } open)
        {
            await events.RecordAsync(open.MessageId, EmailEventType.Opened, 0, null, clients.Of(http.Connection.RemoteIpAddress), ct);
        }

        http.Response.Headers.CacheControl = "no-store, max-age=0";
        return Results.File(Pixel, "image/gif");
    }

    /// <summary>
    /// A 302 to the link's ASCII form. The target is known before anything is written, so a click is recorded only
    /// when it is answered; a target that still is not a valid header value (it cannot be, after <see cref="TrackedUrl"/>)
    /// is a 404, never a failed response.
    /// </summary>
    private static async Task<IResult> ClickAsync(string token, TrackingTokens tokens, TrackingEvents events, ClientAddresses clients,
        HttpContext http, CancellationToken ct)
    {
        if (tokens.Read(token) is not { Kind: TokenKind.Click } click
            || await events.ClickTargetAsync(click, ct) is not { } url || !TrackedUrl.IsHeaderSafe(url))
        {
            return RecipientPages.LinkNotFound(http);
        }

        await events.RecordAsync(click.MessageId, EmailEventType.Clicked, TrackingEvents.LinkKey(click), url, clients.Of(http.Connection.RemoteIpAddress), ct);
        http.Response.Headers.CacheControl = "no-store";
        return Results.Redirect(url);
    }

    private static IResult UnsubscribePage(string token, TrackingTokens tokens, HttpContext http) =>
        tokens.Read(token) is { Kind: TokenKind.Unsubscribe }
            ? RecipientPages.Page(http, StatusCodes.Status200OK, "Unsubscribe", """
                <form method="post"><p>Stop receiving these emails?</p>
                <button type="submit" class="btn btn-primary" name="List-Unsubscribe" value="One-Click">Unsubscribe</button></form>
                """)
            : RecipientPages.LinkNotFound(http);

    /// <summary>RFC 8058: a POST (body <c>List-Unsubscribe=One-Click</c>) unsubscribes at once, no confirmation.</summary>
    private static async Task<IResult> UnsubscribeAsync(string token, TrackingTokens tokens, TrackingEvents events, HttpContext http, CancellationToken ct)
    {
        if (tokens.Read(token) is not { Kind: TokenKind.Unsubscribe } unsubscribe
            || !await events.UnsubscribeAsync(unsubscribe.MessageId, ct))
        {
            return RecipientPages.LinkNotFound(http);
        }

        return RecipientPages.Page(http, StatusCodes.Status200OK, "You are unsubscribed", "<p>You will not receive these emails any more.</p>");
    }
}
