using System.Security.Cryptography;
using PenguinMails.Auth;
using PenguinMails.Tenancy;

namespace PenguinMails.Http.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on a write: the same key and the same request within 24 hours get the first answer
/// again (with <c>Idempotent-Replayed: true</c>); the same key with another request is a 422; a retry while the
/// first request is still running is a 409 with <c>Retry-After</c>. Only answers of requests that ran are kept
/// (status below 400): a request refused before it did anything (validation, a missing template, a state conflict,
/// a 5xx) leaves its key free, so the corrected request with the same key runs. Authentication and rate limits
/// refuse before this filter is reached, so they never touch a key. Keys are per tenant and key environment
/// (<see cref="IdempotencyScope"/>): the same key sent with a test key and then with a live key runs twice.
/// </summary>
internal sealed class IdempotencyFilter(IdempotencyStore store) : IEndpointFilter
{
    public const string Header = "Idempotency-Key";

    /// <summary>Seconds a client is asked to wait before retrying while the first request with its key runs.</summary>
    private const string InFlightRetrySeconds = "1";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var values = http.Request.Headers[Header];
        var tenantId = http.RequestServices.GetRequiredService<TenantContext>().TenantId;
        if (values.Count == 0 || tenantId is not { } tenant)
        {
            return await next(context);
        }

        // Two headers would otherwise be read as one key joined by a comma ("a,b"): which one the client meant is unknown.
        if (values.Count > 1)
        {
            return ApiError.Validation(Header, $"Idempotency-Key is given {values.Count} times; a request takes one key.");
        }

        // A header sent empty is a client's bug (an unset variable): running the write unprotected would hide it.
        var key = values.ToString();
        if (key.Length is 0 or > 255 || string.IsNullOrWhiteSpace(key) || !key.All(c => c is >= ' ' and <= '~'))
        {
            return ApiError.Validation(Header, "Idempotency-Key must have 1 to 255 printable ASCII characters (a UUID is a good key).");
        }

        var ct = http.RequestAborted;
        var scope = new IdempotencyScope(tenant, ApiKeyPrincipal.EnvironmentOf(http.User), key);
        var (outcome, record) = await store.BeginAsync(scope, await RequestHashAsync(http.Request, ct), ct);
        switch (outcome)
        {
            case IdempotencyOutcome.Replay:
                return new ReplayedAnswer(record!);
            case IdempotencyOutcome.DifferentRequest:
                return new ApiError(ErrorCodes.IdempotencyKeyReused);
            case IdempotencyOutcome.InFlight:
                http.Response.Headers.RetryAfter = InFlightRetrySeconds;
                return new ApiError(ErrorCodes.IdempotencyKeyInFlight);
        }

        try
        {
            var result = await next(context);
            if (result is not IResult answer)
            {
                await store.ForgetAsync(scope, CancellationToken.None);
                return result;
            }

            var body = await CaptureAsync(http, answer);
            if (http.Response.StatusCode >= 400)
            {
                await store.ForgetAsync(scope, CancellationToken.None);
            }
            else
            {
                await store.CompleteAsync(scope, http.Response.StatusCode, http.Response.ContentType,
                    http.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null, body, CancellationToken.None);
            }

            await http.Response.Body.WriteAsync(body, ct);
            return Results.Empty;
        }
        catch
        {
            await store.ForgetAsync(scope, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Runs the answer into memory so that exactly those bytes are both sent and kept.</summary>
    private static async Task<byte[]> CaptureAsync(HttpContext http, IResult answer)
    {
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await answer.ExecuteAsync(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        return buffer.ToArray();
    }

    /// <summary>Method, path and body bytes; the body was buffered by <see cref="IdempotencyExtensions.UseIdempotencyKeys"/>.</summary>
    private static async Task<byte[]> RequestHashAsync(HttpRequest request, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n"));
        if (request.Body.CanSeek)
        {
            request.Body.Position = 0;
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                hash.AppendData(chunk, 0, read);
            }
        }

        return hash.GetHashAndReset();
    }

    private sealed class ReplayedAnswer(IdempotencyRecord record) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = record.ResponseStatus!.Value;
            response.ContentType = record.ResponseContentType;
            if (record.ResponseLocation is { } location)
            {
                response.Headers.Location = location;
            }

            response.Headers["Idempotent-Replayed"] = "true";
            await response.Body.WriteAsync(record.ResponseBody ?? [], httpContext.RequestAborted);
        }
    }
}
