using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace PenguinMails.Http;

/// <summary>
/// Every exception becomes an error envelope: bad requests the framework detected keep their meaning
/// (malformed JSON, a value of the wrong type or form, wrong content type, too large); anything else is a 500 with
/// no internals shown. No message written here quotes the framework's text, which names .NET types.
/// </summary>
internal sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var json = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>();
        var (code, message, details) = Classify(exception, json.Value.SerializerOptions);
        if (code == ErrorCodes.InternalServerError)
        {
            logger.LogError(exception, "Unhandled exception");
        }

        await ErrorWriter.WriteAsync(context, code, message, details);
        return true;
    }

    /// <summary>The status and error this handler answers <paramref name="exception"/> with (for the request log).</summary>
    public static (int Status, WrittenError Error) Answer(Exception exception)
    {
        var (code, message, _) = Classify(exception, null);
        return (code.Status, new WrittenError(code.Code, message ?? code.Message));
    }

    private static (ErrorCode Code, string? Message, List<ErrorDetail>? Details) Classify(Exception exception, JsonSerializerOptions? options) =>
        exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => FromJson(json, options),
            BadHttpRequestException { StatusCode: 415 } => (ErrorCodes.UnsupportedMediaType, null, null),
            BadHttpRequestException { StatusCode: 413 } => (ErrorCodes.PayloadTooLarge, null, null),
            BadHttpRequestException bad when ParameterBindingFailure.TryDescribe(bad.Message, out var detail, out var missing)
                => (missing ? ErrorCodes.MissingRequiredField : ErrorCodes.ValidationError, null, [detail]),
            BadHttpRequestException bad when bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase)
                && (bad.Message.Contains("required", StringComparison.OrdinalIgnoreCase)
                    || bad.Message.Contains("no body was provided", StringComparison.OrdinalIgnoreCase))
                => (ErrorCodes.MissingRequiredField, "A JSON request body is required.", null),
            BadHttpRequestException => (ErrorCodes.ValidationError, "The request could not be read.", null),
            JsonException json => FromJson(json, options),
            _ => (ErrorCodes.InternalServerError, null, null),
        };

    /// <summary>
    /// The error for the serializer's refusal of a body (or, with <paramref name="prefix"/> such as <c>emails[2].</c>,
    /// of one object read on its own out of a larger body: its fields are named by their path in the body).
    /// </summary>
    internal static (ErrorCode Code, string? Message, List<ErrorDetail>? Details) FromJson(JsonException json, JsonSerializerOptions? options, string prefix = "")
    {
        var field = FieldOf(json.Path) is { } relative ? prefix + relative : prefix.Length > 0 ? prefix.TrimEnd('.') : null;
        if (UnknownFields.TryDescribe(json, options, out var unknown, prefix) || DuplicateFields.TryDescribe(json, out unknown, prefix))
        {
            return (ErrorCodes.ValidationError, null, [unknown]);
        }

        return json switch
        {
            JsonFieldException rule => (ErrorCodes.ValidationError, null,
                [new ErrorDetail(field + rule.Suffix, rule.Describe(field + rule.Suffix))]),
            { InnerException: InvalidOperationException invalid } when invalid.Message.Contains("UTF-16", StringComparison.Ordinal)
                => (ErrorCodes.ValidationError, null,
                    [new ErrorDetail(field, invalid.Message.Contains("UTF-8", StringComparison.Ordinal)
                        ? $"{field ?? "A value"} is not valid text: its bytes are not UTF-8."
                        : $"{field ?? "A value"} is not valid text: an unpaired surrogate escape (\\ud800) is not a character.")]),
            _ when json.Message.Contains("maximum configured depth", StringComparison.Ordinal) => (ErrorCodes.ValidationError, null,
                [new ErrorDetail(field, "The body nests objects and arrays deeper than the 64 levels a request may have.")]),
            _ when field is not null && WrongJsonType.Is(json) => (ErrorCodes.ValidationError, null,
                [new ErrorDetail(field, WrongJsonType.Rule(json, field))]),
            _ when field is null && WrongJsonType.Is(json) => (ErrorCodes.ValidationError, null,
                [new ErrorDetail(null, "The body must be a JSON object ({...}) with this operation's fields.")]),
            _ => (ErrorCodes.MalformedJson, null, [new ErrorDetail(field, Describe(json))]),
        };
    }

    private static string? FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? null : path.TrimStart('$', '.');

    private static string Describe(JsonException json) =>
        json.LineNumber is { } line
            ? $"Invalid JSON at line {line + 1}, position {json.BytePositionInLine + 1}."
            : "The body could not be read as the expected JSON object.";
}
