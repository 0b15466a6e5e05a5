namespace PenguinMails.Http;

/// <summary>
/// Query string values are text for people and databases: a NUL or another C0 control character (which PostgreSQL
/// cannot store or compare in text, and no filter needs) is refused with <c>400 VALIDATION_ERROR</c> naming the
/// parameter, before any endpoint reads it. Tabs count too: no parameter takes one.
/// </summary>
public static class QueryStringText
{
    public static IApplicationBuilder UseQueryStringText(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            foreach (var (name, values) in context.Request.Query)
            {
                if (HasControl(name) || values.Any(v => v is not null && HasControl(v)))
                {
                    var field = HasControl(name) ? null : name;
                    return ErrorWriter.WriteAsync(context, ErrorCodes.ValidationError, null,
                        [new ErrorDetail(field, $"{field ?? "A query parameter"} must not contain control characters such as NUL (%00).")]);
                }
            }

            return next(context);
        });

    private static bool HasControl(string text) => text.Any(c => c < ' ' || c == '\x7f');
}
