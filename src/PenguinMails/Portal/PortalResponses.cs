using System.Net;
using Microsoft.AspNetCore.Diagnostics;

namespace PenguinMails.Portal;

/// <summary>
/// For page URLs (<see cref="PortalPaths"/>): the security headers of a page, and HTML error pages instead of the
/// API's JSON envelope — an unknown page, a form refused by antiforgery (400), an unexpected failure (500, logged,
/// never showing internals; the request id lets an operator find the log line).
/// </summary>
internal sealed class PortalResponses(RequestDelegate next, ILogger<PortalResponses> logger)
{
    /// <summary>
    /// No inline script or style anywhere (script-src 'self'); data: images only for Bootstrap's own SVG icons in CSS;
    /// no framing (frame-ancestors 'none', X-Frame-Options DENY for older browsers); forms post only here.
    /// </summary>
    internal const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!PortalPaths.IsPortal(context.Request.Path))
        {
            await next(context);
            return;
        }

        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers.XContentTypeOptions = "nosniff";
            headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
        {
            statusPages.Enabled = false;
        }

        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            logger.LogError(e, "Unhandled exception on a page");
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        }

        if (context.Response.StatusCode >= 400 && !context.Response.HasStarted)
        {
            await WriteAsync(context);
        }
    }

    private static Task WriteAsync(HttpContext context)
    {
        var (title, text) = context.Response.StatusCode switch
        {
            400 => ("The form could not be accepted",
                "It may have expired or been sent from another site. Go back, reload the page and try again."),
            403 => ("You cannot open this page", "Your role in this tenant does not allow it."),
            404 => ("Page not found", "There is no page at this address."),
            405 => ("Page not found", "There is no page at this address for this kind of request."),
            _ => ("Something went wrong on our side", "The error was logged. Try again in a moment."),
        };
        context.Response.ContentType = "text/html; charset=utf-8";
        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · PenguinMails</title><link rel="stylesheet" href="/lib/bootstrap/css/bootstrap.min.css"><link rel="stylesheet" href="/css/portal.css"></head>
            <body class="bg-body-tertiary"><main class="container py-5">
            <h1 class="h3">{title}</h1><p>{text}</p>
            <p class="text-body-secondary small">Error {context.Response.StatusCode} · request id {WebUtility.HtmlEncode(context.TraceIdentifier)}</p>
            <p><a href="{PortalPaths.Overview}">Go to the developer overview</a></p>
            </main></body></html>
            """;
        return context.Response.WriteAsync(html);
    }
}
