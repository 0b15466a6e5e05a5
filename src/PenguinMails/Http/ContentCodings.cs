using Microsoft.Net.Http.Headers;

namespace PenguinMails.Http;

/// <summary>
/// Request bodies are read as sent: a body with a <c>Content-Encoding</c> other than <c>identity</c> (gzip, br,
/// deflate) is <c>415 UNSUPPORTED_MEDIA_TYPE</c> naming the coding, as RFC 9110 §15.5.16 asks of a server that does not
/// decode it, and the answer lists the codings taken (<c>Accept-Encoding: identity</c>, §12.5.3). Read as it came, a
/// gzip JSON body was "Invalid JSON at line 1" and a gzip CSV import a file without an email column.
/// </summary>
public static class ContentCodings
{
    public static IApplicationBuilder UseContentCodings(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var codings = context.Request.Headers.ContentEncoding.ToString();
            var refused = codings.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .FirstOrDefault(c => !c.Equals("identity", StringComparison.OrdinalIgnoreCase));
            if (refused is null)
            {
                return next(context);
            }

            context.Response.Headers[HeaderNames.AcceptEncoding] = "identity";
            return ErrorWriter.WriteAsync(context, ErrorCodes.UnsupportedMediaType,
                $"Content-Encoding '{Data.TextClip.Shortened(refused, 40)}' is not supported: send the body uncompressed, without Content-Encoding.");
        });
}
