<?php

declare(strict_types=1);

namespace PenguinMails\Exception;

/**
 * An API call that failed: the server's error envelope (api-reference.md "Errors"), or no answer at all
 * ({@see ConnectionException}).
 *
 * Like PDOException, getCode() gives the API's error code as a string (e.g. `VALIDATION_ERROR`); the HTTP
 * status is {@see getStatus()}. Subclasses tell the kinds apart: 400/422 {@see ValidationException},
 * 401 {@see AuthenticationException}, 403 {@see PermissionException}, 404 {@see NotFoundException},
 * 409 {@see ConflictException}, 429 {@see RateLimitException}, 5xx {@see ServerException}. Other statuses
 * (413, 415 …) are this class itself. The message never contains the API key.
 *
 * @phpstan-type ErrorDetail array{field?: string|null, message: string, permission?: string|null, retry_after?: int|null, status?: string|null, allowed_actions?: list<string>|null}
 */
class PenguinMailsException extends \RuntimeException
{
    /**
     * @param string $errorCode the API's code, e.g. `NOT_FOUND`; `CONNECTION_ERROR` when no answer came
     * @param list<array<string, mixed>> $details `error.details`: `[{field?, message, …}]`
     * @param ?int $status the HTTP status; null when no answer came
     * @param ?string $requestId `error.request_id` (also the `X-Request-Id` header), to quote when asking for help
     */
    public function __construct(
        string $message,
        string $errorCode,
        private readonly array $details = [],
        private readonly ?int $status = null,
        private readonly ?string $requestId = null,
        private readonly ?string $documentationUrl = null,
        ?\Throwable $previous = null,
    ) {
        parent::__construct($message, 0, $previous);
        // PHP's code is an int by convention, but Exception::$code is untyped: the API's code is a string.
        $this->code = $errorCode;
    }

    /** The API's error code, e.g. `VALIDATION_ERROR` (same as getCode(), typed). */
    public function getErrorCode(): string
    {
        return (string) $this->code;
    }

    /** @return list<array<string, mixed>> `error.details`: each `{field?, message, permission?, retry_after?, status?, allowed_actions?}` */
    public function getDetails(): array
    {
        return $this->details;
    }

    /** The HTTP status, or null when the server never answered. */
    public function getStatus(): ?int
    {
        return $this->status;
    }

    public function getRequestId(): ?string
    {
        return $this->requestId;
    }

    public function getDocumentationUrl(): ?string
    {
        return $this->documentationUrl;
    }
}
