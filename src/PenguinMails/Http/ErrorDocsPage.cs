using System.Net;
using System.Text;

namespace PenguinMails.Http;

/// <summary>
/// /docs/errors: one anchor per error code, which every error's documentation_url points to. Where a message or remedy
/// names the portal's "Settings → API Keys" (the spec's own words, api-access.md), the page links to it.
/// </summary>
public static class ErrorDocsPage
{
    public static IEndpointRouteBuilder MapErrorDocs(this IEndpointRouteBuilder app)
    {
        var html = Render();
        app.MapGet("/docs/errors", () => Results.Content(html, "text/html; charset=utf-8"))
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static string Render()
    {
        var rows = new StringBuilder();
        foreach (var code in ErrorCodes.All)
        {
            rows.Append(CultureInfoInvariant($"""
                <section id="{code.Code}">
                  <h2><code>{code.Code}</code> <small>HTTP {code.Status}</small></h2>
                  <p>{LinkPortal(code.Message)}</p>
                  <p><strong>What to do:</strong> {LinkPortal(code.Remedy)}</p>
                </section>
                """));
        }

        return $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>PenguinMails API errors</title>
            <style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
            section{border-top:1px solid #ddd;padding:.5rem 0}small{color:#666;font-weight:normal}:target{background:#fff8d6}</style>
            </head><body>
            <h1>API errors</h1>
            <p>Every error answers <code>{"success": false, "error": {"code", "message", "details", "request_id", "documentation_url"}, "timestamp"}</code>.
            Quote the <code>request_id</code> (also in the <code>X-Request-Id</code> header) when asking for help.</p>
            {{rows}}
            </body></html>
            """;
    }

    private const string KeysPageName = "Settings → API Keys";

    private static string LinkPortal(string text) => WebUtility.HtmlEncode(text).Replace(
        KeysPageName, $"<a href=\"/dashboard/settings/developers/keys\">{KeysPageName}</a>", StringComparison.Ordinal);

    private static string CultureInfoInvariant(FormattableString text) => FormattableString.Invariant(text);
}
