"""Typed errors: every failed call raises a :class:`PenguinMailsError` (or one of its subclasses).

The API answers errors with the envelope of api-reference.md "Error Handling"::

    {"success": false, "error": {"code", "message", "details": [{"field"?, "message"}], "request_id",
     "documentation_url"}, "timestamp"}

The API key is never part of an error's message or repr.
"""

from __future__ import annotations

from typing import Any, Mapping, TypedDict

__all__ = [
    "ErrorDetailItem", "PenguinMailsError", "APIConnectionError", "AuthenticationError", "PermissionDeniedError",
    "NotFoundError", "ValidationError", "ConflictError", "RateLimitError", "ServerError", "error_for_status",
]


class ErrorDetailItem(TypedDict, total=False):
    """One entry of ``error.details``: the failing ``field`` (absent for whole-request problems) and why."""

    field: str
    message: str


class PenguinMailsError(Exception):
    """An API error (or, with ``status`` None, no HTTP answer at all).

    ``code`` is the API's error code (e.g. ``VALIDATION_ERROR``), ``status`` the HTTP status, ``request_id`` the
    server's ``req_…`` id to quote to support, ``details`` the per-field problems.
    """

    def __init__(self, message: str, *, code: str = "UNKNOWN_ERROR", status: int | None = None,
                 request_id: str | None = None, details: list[ErrorDetailItem] | None = None,
                 documentation_url: str | None = None, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.request_id = request_id
        self.details: list[ErrorDetailItem] = details or []
        self.documentation_url = documentation_url
        self.headers: dict[str, str] = dict(headers or {})

    def __str__(self) -> str:
        where = f"HTTP {self.status}, " if self.status is not None else ""
        request = f", request {self.request_id}" if self.request_id else ""
        return f"{self.code}: {self.message} ({where}{type(self).__name__}{request})"

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(code={self.code!r}, status={self.status!r}, message={self.message!r}, "
                f"request_id={self.request_id!r})")


class APIConnectionError(PenguinMailsError):
    """No HTTP answer: the connection failed, was dropped or timed out (after the retries allowed)."""


class AuthenticationError(PenguinMailsError):
    """401: the key is missing, unknown, revoked or expired."""


class PermissionDeniedError(PenguinMailsError):
    """403: the key lacks a permission, the address is not allowed, or the sender's domain is not verified."""


class NotFoundError(PenguinMailsError):
    """404: no such resource in this tenant."""


class ValidationError(PenguinMailsError):
    """400 or 422: the request is not valid; ``details`` names each failing field."""


class ConflictError(PenguinMailsError):
    """409: the resource's state forbids the change, or the same idempotency key is still in flight."""


class RateLimitError(PenguinMailsError):
    """429: too many requests. ``retry_after`` is the server's ``Retry-After`` in seconds (None when absent)."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(PenguinMailsError):
    """5xx: the server failed; retried automatically when safe."""


def error_for_status(status: int, body: Any, headers: Mapping[str, str], retry_after: float | None) -> PenguinMailsError:
    """The typed error of an HTTP error answer (its envelope when it has one, the status otherwise)."""
    error = body.get("error") if isinstance(body, dict) else None
    error = error if isinstance(error, dict) else {}
    details = [d for d in error.get("details") or [] if isinstance(d, dict)]
    kwargs: dict[str, Any] = {
        "code": str(error.get("code") or f"HTTP_{status}"),
        "status": status,
        "request_id": error.get("request_id") or headers.get("x-request-id"),
        "details": details,
        "documentation_url": error.get("documentation_url"),
        "headers": headers,
    }
    message = str(error.get("message") or f"The server answered HTTP {status}.")
    if status == 429:
        return RateLimitError(message, retry_after=retry_after, **kwargs)
    kind = {401: AuthenticationError, 403: PermissionDeniedError, 404: NotFoundError, 400: ValidationError,
            422: ValidationError, 409: ConflictError}.get(status)
    if kind is None:
        kind = ServerError if status >= 500 else PenguinMailsError
    return kind(message, **kwargs)
