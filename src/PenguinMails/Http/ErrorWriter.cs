using Microsoft.Extensions.Options;

namespace PenguinMails.Http;

/// <summary>The one place that writes an error envelope, whoever detected the error.</summary>
public static class ErrorWriter
{
    public static async Task WriteAsync(
        HttpContext context, ErrorCode code, string? message = null, IReadOnlyList<ErrorDetail>? details = null)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        var time = context.RequestServices.GetRequiredService<TimeProvider>();
        var json = context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>();
        response.StatusCode = code.Status;
        context.Features.Set(new WrittenError(code.Code, message ?? code.Message));
        response.Headers.CacheControl = "no-store";
        response.Headers[RequestIds.Header] = context.TraceIdentifier;
        var envelope = new ErrorEnvelope(
            new ErrorBody(code.Code, message ?? code.Message, details ?? [], context.TraceIdentifier,
                DocumentationUrl(context, code)),
            time.GetUtcNow().UtcDateTime);
        await response.WriteAsJsonAsync(envelope, json.Value.SerializerOptions, "application/json; charset=utf-8",
            context.RequestAborted);
    }

    /// <summary>
    /// The error's documentation link: absolute under the configured <c>PublicUrl</c>, else relative to the server.
    /// Never built from the request's Host header, which a client controls.
    /// </summary>
    public static string DocumentationUrl(HttpContext context, ErrorCode code)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<PenguinMailsOptions>>().Value;
        return $"{options.PublicUrl.TrimEnd('/')}/docs/errors#{code.Code}";
    }
}

/// <summary>The error envelope a request was answered with, for the request log (ApiUsage.ApiRequestLog).</summary>
public sealed record WrittenError(string Code, string Message)
{
    /// <summary>The error a status code's own envelope carries (<see cref="ErrorCodes.ForStatus"/>).</summary>
    public static WrittenError For(ErrorCode code) => new(code.Code, code.Message);
}
