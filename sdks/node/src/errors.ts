/**
 * One entry of an error's `details`: the field at fault (`field`, e.g. `to`), or facts a client can act on
 * (`permission`, `retry_after`, a resource's current `status` and `allowed_actions`).
 */
export interface ErrorDetail {
  field?: string | null;
  message: string;
  permission?: string | null;
  retry_after?: number | null;
  status?: string | null;
  allowed_actions?: string[] | null;
  [extra: string]: unknown;
}

/** What an error carries besides its message. */
export interface PenguinMailsErrorInit {
  status?: number | null;
  code?: string;
  details?: ErrorDetail[];
  requestId?: string | null;
  documentationUrl?: string | null;
  headers?: Record<string, string>;
  retryAfter?: number | null;
  cause?: unknown;
}

/**
 * Every error the client throws for an API call: the server's error envelope (`code`, `message`, `details`,
 * `request_id`, the HTTP `status`) or no answer at all (ConnectionError, status null). Catch the subclasses for
 * one kind: AuthenticationError (401), PermissionDeniedError (403), NotFoundError (404), ValidationError (400/422),
 * ConflictError (409), RateLimitError (429), ServerError (5xx), ConnectionError. The API key never appears in it.
 */
export class PenguinMailsError extends Error {
  /** The HTTP status, or null when no answer came (ConnectionError). */
  readonly status: number | null;
  /** The API's error code, e.g. `VALIDATION_ERROR`, `RATE_LIMIT_EXCEEDED` (see the server's /docs/errors). */
  readonly code: string;
  readonly details: ErrorDetail[];
  /** The `request_id` (`req_…`) to quote to the server's operator; null when no answer came. */
  readonly requestId: string | null;
  readonly documentationUrl: string | null;
  /** The answer's headers (lower-case names). */
  readonly headers: Record<string, string>;

  constructor(message: string, init: PenguinMailsErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.status = init.status ?? null;
    this.code = init.code ?? "UNKNOWN_ERROR";
    this.details = init.details ?? [];
    this.requestId = init.requestId ?? null;
    this.documentationUrl = init.documentationUrl ?? null;
    this.headers = init.headers ?? {};
  }

  /** The same as requestId, spelled as the API spells it. */
  get request_id(): string | null {
    return this.requestId;
  }
}

/** 401: no key, an unknown, revoked or expired key. */
export class AuthenticationError extends PenguinMailsError {}
/** 403: the key lacks a permission (`details[].permission`), its IP is not allowed, or HTTPS is required. */
export class PermissionDeniedError extends PenguinMailsError {}
/** 404: no such resource (in this tenant). */
export class NotFoundError extends PenguinMailsError {}
/** 400 or 422: the request is not valid; `details[].field` names each failing field. */
export class ValidationError extends PenguinMailsError {}
/** 409: the resource's state does not allow it, or a retry while the first request with that Idempotency-Key is still running. */
export class ConflictError extends PenguinMailsError {}
/** 5xx: the server failed (after the client's retries where they were safe). */
export class ServerError extends PenguinMailsError {}

/** 429: the tenant's rate limit; `retryAfter` is how long (seconds) the server asked to wait. */
export class RateLimitError extends PenguinMailsError {
  /** Seconds to wait before trying again (from `Retry-After`), or null when the answer did not say. */
  readonly retryAfter: number | null;

  constructor(message: string, init: PenguinMailsErrorInit = {}) {
    super(message, init);
    this.retryAfter = init.retryAfter ?? null;
  }

  /** The same as retryAfter, spelled as the API spells it. */
  get retry_after(): number | null {
    return this.retryAfter;
  }
}

/**
 * No HTTP answer: the connection was refused, reset or timed out (after the client's retries where they were safe).
 * `connected` says whether the request may have reached the server.
 */
export class ConnectionError extends PenguinMailsError {
  /** False when the connection never opened (the request surely did not reach the server). */
  readonly connected: boolean;

  constructor(message: string, init: PenguinMailsErrorInit & { connected: boolean }) {
    super(message, { ...init, code: init.code ?? "CONNECTION_ERROR" });
    this.connected = init.connected;
  }
}

/** The error class for an HTTP status. */
export function errorClassFor(status: number): new (message: string, init?: PenguinMailsErrorInit) => PenguinMailsError {
  if (status === 401) return AuthenticationError;
  if (status === 403) return PermissionDeniedError;
  if (status === 404) return NotFoundError;
  if (status === 400 || status === 422) return ValidationError;
  if (status === 409) return ConflictError;
  if (status === 429) return RateLimitError;
  if (status >= 500) return ServerError;
  return PenguinMailsError;
}
