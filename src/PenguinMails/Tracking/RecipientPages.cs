using System.Net;

namespace PenguinMails.Tracking;

/// <summary>
/// The pages a message's recipient opens from a link (unsubscribe, and a link that is no longer valid): plain HTML in
/// the portal's stylesheet, never the API's JSON envelope, with the portal pages' security headers (no script, no
/// framing, no referrer sent on).
/// </summary>
internal static class RecipientPages
{
    /// <summary>A page of <paramref name="status"/> with <paramref name="title"/> and <paramref name="body"/> (HTML, already encoded).</summary>
    public static IResult Page(HttpContext http, int status, string title, string body)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = Portal.PortalResponses.ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";
        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{WebUtility.HtmlEncode(title)}</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/lib/bootstrap/css/bootstrap.min.css"></head>
            <body class="bg-body-tertiary"><main class="container py-5">
            <h1 class="h3">{WebUtility.HtmlEncode(title)}</h1>
            {body}
            </main></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>A link whose token is not valid, or whose message or contact is gone: 404, saying so to a person.</summary>
    public static IResult LinkNotFound(HttpContext http) =>
        Page(http, StatusCodes.Status404NotFound, "This link is not valid",
            "<p>It may be incomplete (copied in part from the email), or the message it belongs to is no longer kept.</p>");
}
