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
            // Answers written after a handler cleared the response (the exception handler does) carry it too.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[Header] = id;
                return Task.CompletedTask;
            });
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("PenguinMails.Request");
            using (logger.BeginScope(new RequestLogScope(id)))
            {
                await next(context);
            }
        });

    /// <summary>
    /// A structured scope (<c>request_id</c>) that also reads well in plain console output. ASP.NET Core's own
    /// "RequestId" scope is the connection's trace id, captured before this middleware runs; ours is the one
    /// clients see in X-Request-Id and error envelopes.
    /// </summary>
    private sealed class RequestLogScope(string id) : IReadOnlyList<KeyValuePair<string, object>>
    {
        public KeyValuePair<string, object> this[int index] =>
            index == 0 ? new("request_id", id) : throw new ArgumentOutOfRangeException(nameof(index));

        public int Count => 1;

        public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
        {
            yield return this[0];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"request_id:{id}";
    }
}
