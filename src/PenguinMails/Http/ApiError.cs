namespace PenguinMails.Http;

/// <summary>
/// An error answer in the global envelope, usable in <c>Results&lt;...&gt;</c> unions. The OpenAPI document
/// declares the errors of each operation itself (PenguinMails.OpenApi.OperationErrors), by status and code.
/// </summary>
public sealed class ApiError(ErrorCode code, string? message = null, IReadOnlyList<ErrorDetail>? details = null)
    : IResult, IStatusCodeHttpResult
{
    public ErrorCode Code { get; } = code;
    public string Message { get; } = message ?? code.Message;
    public IReadOnlyList<ErrorDetail> Details { get; } = details ?? [];
    public int? StatusCode => Code.Status;

    public Task ExecuteAsync(HttpContext httpContext) =>
        ErrorWriter.WriteAsync(httpContext, Code, Message, Details);

    public static ApiError NotFound(string resource) =>
        new(ErrorCodes.ResourceNotFound, $"{resource} not found.");

    public static ApiError Conflict(string message) => new(ErrorCodes.ResourceConflict, message);

    public static ApiError Validation(string field, string message) =>
        new(ErrorCodes.ValidationError, null, [new ErrorDetail(field, message)]);
}
