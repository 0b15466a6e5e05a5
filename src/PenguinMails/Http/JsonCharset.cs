using Microsoft.Net.Http.Headers;

namespace PenguinMails.Http;

/// <summary>
/// The <c>charset</c> of a JSON request body, read as RFC 9110 §8.3.1 allows it (case-insensitive, optionally quoted:
/// <c>charset="utf-8"</c>) before the framework reads the body: a spelling of UTF-8 becomes <c>utf-8</c>, another
/// charset the runtime supports is kept (the framework transcodes it), and one it does not know or refuses (UTF-7)
/// is <c>415 UNSUPPORTED_MEDIA_TYPE</c> naming it, never a 500. Labels are read by <see cref="Charsets"/>, as the
/// contact import reads them.
/// </summary>
public static class JsonCharset
{
    public static IApplicationBuilder UseJsonCharset(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type)
                || !type.Parameters.Any(p => p.Name.Equals("charset", StringComparison.OrdinalIgnoreCase))
                || !(type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                     || type.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
            {
                return next(context);
            }

            var name = HeaderUtilities.RemoveQuotes(type.Charset).ToString().Trim();
            if (Charsets.Find(name) is not { } encoding)
            {
                return ErrorWriter.WriteAsync(context, ErrorCodes.UnsupportedMediaType,
                    $"The charset '{name}' is not supported for JSON; send UTF-8 (Content-Type: application/json; charset=utf-8).");
            }

            type.Charset = encoding.WebName;
            context.Request.ContentType = type.ToString();
            return next(context);
        });
}
