using System.Security.Cryptography;

namespace PenguinMails.Http;

/// <summary>
/// Gives every request an id (<c>req_</c> + 24 characters), returned as X-Request-Id, quoted in every
/// error envelope and attached to every log line of the request through a logging scope.
/// </summary>
public static class RequestIds
{
    public const string Header = "X-Request-Id";

    public static IApplicationBuilder UseRequestIds(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var id = "req_" + RandomNumberGenerator.GetHexString(24, lowercase: true);
            context.TraceIdentifier = id;
            context.Response.Headers[Header] = id;
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("PenguinMails.Request");
            using (logger.BeginScope(new Dictionary<string, object> { ["RequestId"] = id }))
            {
                await next(context);
            }
        });
}
