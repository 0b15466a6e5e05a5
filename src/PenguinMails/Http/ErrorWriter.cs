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
        response.Headers.CacheControl = "no-store";
        var envelope = new ErrorEnvelope(
            new ErrorBody(code.Code, message ?? code.Message, details ?? [], context.TraceIdentifier,
                DocumentationUrl(context, code)),
            time.GetUtcNow().UtcDateTime);
        await response.WriteAsJsonAsync(envelope, json.Value.SerializerOptions, "application/json; charset=utf-8",
            context.RequestAborted);
    }

    public static string DocumentationUrl(HttpContext context, ErrorCode code)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<PenguinMailsOptions>>().Value;
        var baseUrl = string.IsNullOrEmpty(options.PublicUrl)
            ? $"{context.Request.Scheme}://{context.Request.Host}"
            : options.PublicUrl.TrimEnd('/');
        return $"{baseUrl}/docs/errors#{code.Code}";
    }
}
