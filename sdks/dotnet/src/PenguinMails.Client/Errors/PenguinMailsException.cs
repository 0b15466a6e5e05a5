namespace PenguinMails;

/// <summary>
/// An error of the API (api-reference "Errors": <c>{"success": false, "error": {"code", "message", "details",
/// "request_id", "documentation_url"}}</c>) or a call that got no answer. Subclasses by status: 401
/// <see cref="AuthenticationException"/>, 403 <see cref="PermissionDeniedException"/>, 404
/// <see cref="NotFoundException"/>, 400/422 <see cref="ValidationException"/>, 409 <see cref="ConflictException"/>,
/// 429 <see cref="RateLimitException"/>, 5xx <see cref="ServerException"/>, no answer
/// <see cref="ConnectionException"/>; other statuses (413, 415, ...) are this class itself. Messages are the
/// server's and never contain the API key.
/// </summary>
public class PenguinMailsException : Exception
{
    /// <summary>An error with its code and message (and nothing else known).</summary>
    /// <param name="message">The human-readable message.</param>
    public PenguinMailsException(string message)
        : this(new ErrorInfo("PENGUINMAILS_ERROR", message, [], null, null, null))
    {
    }

    /// <summary>An error with its message and cause.</summary>
    /// <param name="message">The human-readable message.</param>
    /// <param name="innerException">The failure behind it.</param>
    public PenguinMailsException(string message, Exception innerException)
        : this(new ErrorInfo("PENGUINMAILS_ERROR", message, [], null, null, null), innerException)
    {
    }

    /// <summary>An error from what the server answered (or did not).</summary>
    /// <param name="error">The error's fields.</param>
    /// <param name="innerException">The failure behind it, if any.</param>
    public PenguinMailsException(ErrorInfo error, Exception? innerException = null)
        : base((error ?? throw new ArgumentNullException(nameof(error))).Message, innerException)
    {
        Code = error.Code;
        Details = error.Details;
        RequestId = error.RequestId;
        StatusCode = error.StatusCode;
        DocumentationUrl = error.DocumentationUrl;
    }

    /// <summary>The error code, e.g. <c>VALIDATION_ERROR</c>, <c>RATE_LIMIT_EXCEEDED</c>; <c>CONNECTION_ERROR</c> when no answer came.</summary>
    public string Code { get; }

    /// <summary>The <c>error.details</c> entries: the field at fault and its message, or facts to act on.</summary>
    public IReadOnlyList<ErrorDetail> Details { get; }

    /// <summary>The <c>request_id</c> to quote to the server's operator; null when no answer came.</summary>
    public string? RequestId { get; }

    /// <summary>The HTTP status; null when no answer came.</summary>
    public int? StatusCode { get; }

    /// <summary>The page describing the code (<c>documentation_url</c>), when the server gave one.</summary>
    public string? DocumentationUrl { get; }

    /// <summary>Makes the exception of the right subclass for an answer's status.</summary>
    internal static PenguinMailsException For(ErrorInfo error, TimeSpan? retryAfter) => error.StatusCode switch
    {
        401 => new AuthenticationException(error),
        403 => new PermissionDeniedException(error),
        404 => new NotFoundException(error),
        400 or 422 => new ValidationException(error),
        409 => new ConflictException(error),
        429 => new RateLimitException(error, retryAfter),
        >= 500 => new ServerException(error),
        _ => new PenguinMailsException(error),
    };
}

/// <summary>The fields of an API error, as <see cref="PenguinMailsException"/> carries them.</summary>
/// <param name="Code">The error code.</param>
/// <param name="Message">The human-readable message.</param>
/// <param name="Details">The details entries.</param>
/// <param name="RequestId">The request id.</param>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="DocumentationUrl">The code's documentation page.</param>
public sealed record ErrorInfo(string Code, string Message, IReadOnlyList<ErrorDetail> Details, string? RequestId, int? StatusCode, string? DocumentationUrl);
