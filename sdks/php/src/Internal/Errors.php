<?php

declare(strict_types=1);

namespace PenguinMails\Internal;

use PenguinMails\Exception\AuthenticationException;
use PenguinMails\Exception\ConflictException;
use PenguinMails\Exception\NotFoundException;
use PenguinMails\Exception\PenguinMailsException;
use PenguinMails\Exception\PermissionException;
use PenguinMails\Exception\RateLimitException;
use PenguinMails\Exception\ServerException;
use PenguinMails\Exception\ValidationException;
use PenguinMails\RetryPolicy;

/** @internal Turns an error answer (the envelope `{"success": false, "error": {...}}`, or anything else) into its exception. */
final class Errors
{
    public static function fromResponse(RawResponse $response): PenguinMailsException
    {
        $error = [];
        try {
            $decoded = Json::decode($response->body);
            if (is_array($decoded) && is_array($decoded['error'] ?? null)) {
                $error = $decoded['error'];
            }
        } catch (\JsonException) {
            // Not the API's envelope (a proxy's page, say): described from the status alone below.
        }
        $status = $response->status;
        $code = is_string($error['code'] ?? null) ? $error['code'] : 'HTTP_' . $status;
        $message = is_string($error['message'] ?? null) ? $error['message'] : 'HTTP ' . $status . ' without an error envelope from the API.';
        $details = is_array($error['details'] ?? null) ? array_values(array_filter($error['details'], 'is_array')) : [];
        $requestId = is_string($error['request_id'] ?? null) ? $error['request_id'] : $response->header('X-Request-Id');
        $docs = is_string($error['documentation_url'] ?? null) ? $error['documentation_url'] : null;

        if ($status === 429) {
            $retryAfter = RetryPolicy::parseRetryAfter($response->header('Retry-After'));
            foreach ($details as $detail) {
                if ($retryAfter === null && is_numeric($detail['retry_after'] ?? null)) {
                    $retryAfter = (float) $detail['retry_after'];
                }
            }
            return new RateLimitException($message, $code, $details, $status, $requestId, $docs, $retryAfter);
        }
        $class = match (true) {
            $status === 400, $status === 422 => ValidationException::class,
            $status === 401 => AuthenticationException::class,
            $status === 403 => PermissionException::class,
            $status === 404 => NotFoundException::class,
            $status === 409 => ConflictException::class,
            $status >= 500 => ServerException::class,
            default => PenguinMailsException::class,
        };
        return new $class($message, $code, $details, $status, $requestId, $docs);
    }
}
