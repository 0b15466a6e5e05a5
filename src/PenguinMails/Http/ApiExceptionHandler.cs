using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace PenguinMails.Http;

/// <summary>
/// Every exception becomes an error envelope: bad requests the framework detected keep their meaning
/// (malformed JSON, wrong content type, too large); anything else is a 500 with no internals shown.
/// </summary>
internal sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (code, message, details) = Classify(exception);
        if (code == ErrorCodes.InternalServerError)
        {
            logger.LogError(exception, "Unhandled exception");
        }

        await ErrorWriter.WriteAsync(context, code, message, details);
        return true;
    }

    private static (ErrorCode Code, string? Message, List<ErrorDetail>? Details) Classify(Exception exception) =>
        exception switch
        {
            BadHttpRequestException { InnerException: JsonException { Path: { Length: > 1 } } json } when IsTypeMismatch(json)
                => (ErrorCodes.ValidationError, (string?)null,
                    new List<ErrorDetail> { new(FieldOf(json.Path), $"{FieldOf(json.Path)} has the wrong type.") }),
            BadHttpRequestException { InnerException: JsonException json } => (ErrorCodes.MalformedJson, null,
                new List<ErrorDetail> { new(FieldOf(json.Path), Describe(json)) }),
            BadHttpRequestException { StatusCode: 415 } => (ErrorCodes.UnsupportedMediaType, null, null),
            BadHttpRequestException { StatusCode: 413 } => (ErrorCodes.PayloadTooLarge, null, null),
            BadHttpRequestException bad when bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase)
                && (bad.Message.Contains("required", StringComparison.OrdinalIgnoreCase)
                    || bad.Message.Contains("no body was provided", StringComparison.OrdinalIgnoreCase))
                => (ErrorCodes.MissingRequiredField, "A JSON request body is required.", null),
            BadHttpRequestException bad => (ErrorCodes.ValidationError, Sanitize(bad.Message), null),
            JsonException json => (ErrorCodes.MalformedJson, null,
                new List<ErrorDetail> { new(FieldOf(json.Path), Describe(json)) }),
            _ => (ErrorCodes.InternalServerError, null, null),
        };

    private static bool IsTypeMismatch(JsonException json) =>
        json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal);

    private static string? FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? null : path.TrimStart('$', '.');

    private static string Describe(JsonException json) =>
        json.LineNumber is { } line
            ? $"Invalid JSON at line {line + 1}, position {json.BytePositionInLine + 1}."
            : "The body could not be read as the expected JSON object.";

    private static string Sanitize(string message) =>
        message.Length > 300 ? message[..300] : message;
}
