import {
  ConnectionError,
  errorClassFor,
  PenguinMailsError,
  RateLimitError,
  type ErrorDetail,
} from "./errors.js";
import { backoffDelay, isRetryable, parseRetryAfter, type Failure } from "./retry.js";
import type { UpsertContactRequest } from "./types.js";
import { VERSION } from "./version.js";

/** Options of one call (the last argument of every method). */
export interface RequestOptions {
  /** The Idempotency-Key of this call, for operations that take one; default a new UUID v4 per call. */
  idempotencyKey?: string;
  /** Aborts the call, its retries and their waits. */
  signal?: AbortSignal;
  /** Overrides the client's maxRetries for this call. */
  maxRetries?: number;
  /** Overrides the client's timeoutMs (per attempt) for this call. */
  timeoutMs?: number;
  /** Extra request headers. */
  headers?: Record<string, string>;
}

/** The body of `contacts.bulkImport`: CSV text (default), NDJSON text, or contacts as objects (sent as a JSON array). */
export type ContactImportData = string | Uint8Array | UpsertContactRequest[];

/** Options of `contacts.bulkImport`: `format` of a string or bytes body, `csv` (default) or `ndjson`. */
export interface ImportOptions extends RequestOptions {
  format?: "csv" | "ndjson" | "json";
}

/** A cursor page of a list: its items and `pagination` (`limit`, `has_more`, `next_cursor`). */
export interface Page<T> {
  data: T[];
  pagination: Pagination;
  /** The answer's `meta.request_id`. */
  requestId: string | null;
}

export interface Pagination {
  limit: number;
  has_more: boolean;
  next_cursor: string | null;
}

/** Told before every attempt (hooks are for metrics and tests; the key is never in them). */
export interface RequestInfo {
  operation: string;
  method: string;
  url: string;
  /** 1 for the first attempt, 2 for the first retry… */
  attempt: number;
  idempotencyKey: string | null;
}

/** Told before each retry's wait. */
export interface RetryInfo extends RequestInfo {
  /** The failed attempt's status, or null when no answer came. */
  status: number | null;
  /** The failed attempt's Retry-After in seconds, if it had one. */
  retryAfter: number | null;
  /** How long the client waits now, in ms. */
  delayMs: number;
}

/** Client settings the transport uses (see ClientOptions). */
export interface TransportSettings {
  baseUrl: string;
  maxRetries: number;
  initialRetryDelayMs: number;
  maxRetryDelayMs: number;
  timeoutMs: number;
  headers: Record<string, string>;
  fetch: typeof fetch;
  onRequest?: (info: RequestInfo) => void;
  onRetry?: (info: RetryInfo) => void;
  random: () => number;
}

/** One operation's call, as the generated resources describe it. */
export interface Call {
  operation: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  pathParams?: string[];
  body?: unknown;
  rawBody?: { body: string | Uint8Array; contentType: string };
  query?: object;
  idempotent?: boolean;
  returnsSecret?: boolean;
  expect?: "json" | "page" | "csv" | "none";
}

/** Codes of a connection that never opened: the request surely did not reach the server. */
const NEVER_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

/**
 * Sends calls with the key, retries and idempotency keys of the contract. Holds the API key in a private field, so it
 * is never printed by console.log/util.inspect or serialised by JSON.stringify.
 */
export class Transport {
  readonly #apiKey: string;
  readonly settings: TransportSettings;

  constructor(apiKey: string, settings: TransportSettings) {
    this.#apiKey = apiKey;
    this.settings = settings;
  }

  /** One call: its `data` (typed by the caller), a Page for lists, or the text of a CSV answer. */
  async request<T>(call: Call, options: RequestOptions = {}): Promise<T> {
    const url = this.url(call);
    const idempotencyKey = call.idempotent ? (options.idempotencyKey ?? globalThis.crypto.randomUUID()) : null;
    // Retried after an answer may have been lost only when the retry cannot act twice and loses no secret.
    const safe = call.method !== "POST" || (idempotencyKey !== null && !call.returnsSecret);
    const maxRetries = options.maxRetries ?? this.settings.maxRetries;
    const headers: Record<string, string> = {
      accept: call.expect === "csv" ? "text/csv, application/json" : "application/json",
      "user-agent": `penguinmails-node/${VERSION} node/${process.versions.node}`,
      ...this.settings.headers,
      ...options.headers,
      authorization: `Bearer ${this.#apiKey}`,
    };
    let body: string | Uint8Array | undefined;
    if (call.rawBody) {
      body = call.rawBody.body;
      headers["content-type"] = call.rawBody.contentType;
    } else if (call.body !== undefined && call.body !== null) {
      body = JSON.stringify(call.body);
      headers["content-type"] = "application/json";
    }
    if (idempotencyKey !== null) headers["idempotency-key"] = idempotencyKey;

    for (let attempt = 1; ; attempt++) {
      const info: RequestInfo = { operation: call.operation, method: call.method, url, attempt, idempotencyKey };
      this.settings.onRequest?.(info);
      let response: Response;
      let text: string;
      let failure: Failure;
      let error: PenguinMailsError;
      try {
        response = await this.settings.fetch(url, {
          method: call.method,
          headers,
          body: body as BodyInit | undefined,
          redirect: "manual",
          signal: attemptSignal(options.signal, options.timeoutMs ?? this.settings.timeoutMs),
        });
        text = await response.text(); // within the try: an answer cut off midway is a connection failure too
      } catch (e) {
        if (options.signal?.aborted) throw options.signal.reason ?? e;
        const connected = !NEVER_CONNECTED.has(causeCode(e) ?? "");
        failure = { kind: "connection", connected };
        error = new ConnectionError(connectionMessage(e, call, this.settings.baseUrl, connected), { connected, cause: e });
        if (attempt <= maxRetries && isRetryable(failure, safe)) {
          await this.wait(info, null, null, attempt, options.signal);
          continue;
        }
        throw error;
      }

      if (response.ok) return this.read(response, text, call) as T;
      if (response.status >= 300 && response.status < 400) {
        // Never followed: a redirect would resend the key, or turn a POST into a GET.
        throw new PenguinMailsError(
          `The server redirected ${call.method} ${call.path} to ${response.headers.get("location") ?? "elsewhere"}: set baseUrl to the server's address.`,
          { status: response.status, code: "UNEXPECTED_REDIRECT", headers: headerRecord(response.headers) },
        );
      }
      const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
      error = errorFrom(response, text, retryAfter);
      failure = { kind: "status", status: response.status, retryAfter };
      const tooLong = retryAfter !== null && retryAfter * 1000 > this.settings.maxRetryDelayMs;
      if (attempt <= maxRetries && !tooLong && isRetryable(failure, safe)) {
        await this.wait(info, response.status, retryAfter, attempt, options.signal);
        continue;
      }
      throw error;
    }
  }

  /** Every item of a cursor list, page after page; each page's request is retried on its own. */
  async *paginate<T>(call: Call, options: RequestOptions = {}): AsyncGenerator<T, void, undefined> {
    let query: Record<string, unknown> = { ...(call.query ?? {}) };
    for (;;) {
      const page = await this.request<Page<T>>({ ...call, query, expect: "page" }, options);
      yield* page.data;
      if (!page.pagination.has_more || !page.pagination.next_cursor) return;
      query = { ...query, cursor: page.pagination.next_cursor };
    }
  }

  private async wait(info: RequestInfo, status: number | null, retryAfter: number | null, attempt: number, signal?: AbortSignal): Promise<void> {
    const delayMs = retryAfter !== null
      ? retryAfter * 1000
      : backoffDelay(attempt - 1, this.settings.initialRetryDelayMs, this.settings.maxRetryDelayMs, this.settings.random);
    this.settings.onRetry?.({ ...info, status, retryAfter, delayMs });
    await sleep(delayMs, signal);
  }

  private url(call: Call): string {
    let i = 0;
    const path = call.path.replace(/\{[^}]+\}/g, (name) => {
      const value = call.pathParams?.[i++];
      if (typeof value !== "string" || value.length === 0) {
        throw new TypeError(`${call.operation}: ${name} must be a non-empty string`);
      }
      return encodeURIComponent(value);
    });
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(call.query ?? {})) {
      if (value === undefined || value === null) continue;
      for (const one of Array.isArray(value) ? value : [value]) {
        search.append(name, one instanceof Date ? one.toISOString() : String(one));
      }
    }
    const qs = search.toString();
    return this.settings.baseUrl + path + (qs ? `?${qs}` : "");
  }

  private read(response: Response, text: string, call: Call): unknown {
    if (call.expect === "csv") return text;
    if (call.expect === "none" || text === "") return undefined;
    let envelope: { data?: unknown; meta?: { request_id?: string; pagination?: Pagination } };
    try {
      envelope = JSON.parse(text);
    } catch {
      throw new PenguinMailsError(`The server answered ${response.status} with a body that is not JSON.`, {
        status: response.status,
        code: "INVALID_RESPONSE",
        requestId: response.headers.get("x-request-id"),
        headers: headerRecord(response.headers),
      });
    }
    if (call.expect === "page") {
      return {
        data: (envelope.data ?? []) as unknown[],
        pagination: envelope.meta?.pagination ?? { limit: 0, has_more: false, next_cursor: null },
        requestId: envelope.meta?.request_id ?? null,
      } satisfies Page<unknown>;
    }
    return envelope.data;
  }
}

/** The typed error of a non-2xx answer, from its error envelope when it has one. */
function errorFrom(response: Response, text: string, retryAfter: number | null): PenguinMailsError {
  let error: { code?: string; message?: string; details?: ErrorDetail[]; request_id?: string; documentation_url?: string } | undefined;
  try {
    error = JSON.parse(text)?.error;
  } catch {
    error = undefined;
  }
  const Kind = errorClassFor(response.status);
  const message = error?.message ?? `The server answered HTTP ${response.status}${response.statusText ? " " + response.statusText : ""}.`;
  const detailRetryAfter = error?.details?.find((d) => typeof d.retry_after === "number")?.retry_after ?? null;
  return new Kind(message, {
    status: response.status,
    code: error?.code ?? `HTTP_${response.status}`,
    details: Array.isArray(error?.details) ? error.details : [],
    requestId: error?.request_id ?? response.headers.get("x-request-id"),
    documentationUrl: error?.documentation_url ?? null,
    headers: headerRecord(response.headers),
    ...(Kind === RateLimitError ? { retryAfter: retryAfter ?? detailRetryAfter } : {}),
  });
}

/** The body and content type of an import: a JSON array for objects, CSV or NDJSON text as given. */
export function importBody(data: ContactImportData, options: ImportOptions): { body: string | Uint8Array; contentType: string } {
  if (Array.isArray(data)) return { body: JSON.stringify(data), contentType: "application/json" };
  const format = options.format ?? "csv";
  const contentType = format === "ndjson" ? "application/x-ndjson" : format === "json" ? "application/json" : "text/csv";
  return { body: data, contentType: `${contentType}; charset=utf-8` };
}

function headerRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

function attemptSignal(user: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return user ? AbortSignal.any([user, timeout]) : timeout;
}

function causeCode(e: unknown): string | undefined {
  const cause = (e as { cause?: { code?: string; errors?: Array<{ code?: string }> } })?.cause;
  return cause?.code ?? cause?.errors?.[0]?.code ?? (e as { code?: string })?.code;
}

function connectionMessage(e: unknown, call: Call, baseUrl: string, connected: boolean): string {
  const code = causeCode(e) ?? (e as Error)?.name ?? "error";
  return connected
    ? `${call.method} ${call.path}: the connection to ${baseUrl} failed before an answer came (${code}); the request may have reached the server.`
    : `${call.method} ${call.path}: could not connect to ${baseUrl} (${code}).`;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
