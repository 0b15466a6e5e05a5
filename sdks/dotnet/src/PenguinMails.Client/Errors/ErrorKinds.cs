namespace PenguinMails;

/// <summary>401: no key, or the key is unknown, revoked or expired (<c>INVALID_API_KEY</c>, <c>API_KEY_REVOKED</c>, ...).</summary>
/// <param name="error">The error's fields.</param>
public sealed class AuthenticationException(ErrorInfo error) : PenguinMailsException(error);

/// <summary>403: the key lacks the permission, the IP is not allowed, or the sending domain is not verified.</summary>
/// <param name="error">The error's fields.</param>
public sealed class PermissionDeniedException(ErrorInfo error) : PenguinMailsException(error);

/// <summary>404: no such resource in this tenant.</summary>
/// <param name="error">The error's fields.</param>
public sealed class NotFoundException(ErrorInfo error) : PenguinMailsException(error);

/// <summary>400 or 422: the request is invalid; <see cref="PenguinMailsException.Details"/> names the fields at fault.</summary>
/// <param name="error">The error's fields.</param>
public sealed class ValidationException(ErrorInfo error) : PenguinMailsException(error);

/// <summary>409: a conflict with the resource's state (e.g. a campaign's status), or an idempotency key still in flight.</summary>
/// <param name="error">The error's fields.</param>
public sealed class ConflictException(ErrorInfo error) : PenguinMailsException(error);

/// <summary>429 after the retries: the key's rate limit. <see cref="RetryAfter"/> says when to try again.</summary>
/// <param name="error">The error's fields.</param>
/// <param name="retryAfter">The answer's Retry-After.</param>
public sealed class RateLimitException(ErrorInfo error, TimeSpan? retryAfter) : PenguinMailsException(error)
{
    /// <summary>How long to wait before the next call (the answer's <c>Retry-After</c>); null when absent.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>5xx after the retries: the server failed; quote <see cref="PenguinMailsException.RequestId"/> to its operator.</summary>
/// <param name="error">The error's fields.</param>
public sealed class ServerException(ErrorInfo error) : PenguinMailsException(error);

/// <summary>
/// No answer (after the retries): the connection was refused, dropped or timed out. Code <c>CONNECTION_ERROR</c>, no
/// status. For a write that takes an Idempotency-Key, repeating it with the same key is safe.
/// </summary>
/// <param name="message">What happened.</param>
/// <param name="innerException">The transport's failure.</param>
public sealed class ConnectionException(string message, Exception innerException)
    : PenguinMailsException(new ErrorInfo("CONNECTION_ERROR", message, [], null, null, null), innerException);
