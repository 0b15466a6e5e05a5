"""HTTP transport: authentication, the envelope, typed errors, retries with backoff and idempotency keys.

Retry rules (api-reference.md "Rate limiting" and the SDK contract):

* retried: 429, 502, 503, 504, and failures without an answer, at most ``max_retries`` times, waiting
  ``Retry-After`` (seconds or HTTP date) when the server sent one, otherwise exponential backoff with full jitter
  (``uniform(0, min(max_delay, initial_delay * 2**attempt))``);
* writes the API marks as taking an ``Idempotency-Key`` get one UUID v4 per call (or the caller's), sent again by
  every retry, so a retry after a lost answer never acts twice; a 409 ``IDEMPOTENCY_KEY_IN_FLIGHT`` (the first try
  is still running) is retried too;
* calls whose answer carries a secret (a new API key, a webhook secret) and POSTs without an idempotency key are
  retried only when the request surely did not reach the server: a 429, a 503 with ``Retry-After``, or a connection
  that never opened;
* a ``Retry-After`` longer than ``max_retry_delay`` is not waited for: the :class:`RateLimitError` is raised with
  its ``retry_after`` so the caller decides.

The API key goes only into the ``Authorization`` header: never logged, never in an error or a repr.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import logging
import random
import socket
import ssl
import time
import urllib.parse
import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from ._errors import APIConnectionError, PenguinMailsError, error_for_status
from ._version import __version__

__all__ = ["Transport", "encode_path", "parse_retry_after"]

log = logging.getLogger("penguinmails")

RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})


def encode_path(value: str) -> str:
    """A path parameter, percent-encoded so that ``/`` or ``?`` in it cannot change the route."""
    return urllib.parse.quote(str(value), safe="")


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """``Retry-After`` in seconds (RFC 9110 §10.2.3: delay-seconds or an HTTP date), None when absent or invalid."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class _NotConnected(Exception):
    """The connection never opened: nothing reached the server."""


class _Dropped(Exception):
    """The connection opened but no complete answer came back: the server may have acted."""


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


class Transport:
    """Sends requests to one PenguinMails server with one API key (see the module's doc for the retry rules)."""

    def __init__(self, api_key: str, *, base_url: str, timeout: float, max_retries: int, initial_retry_delay: float,
                 max_retry_delay: float, user_agent: str | None = None) -> None:
        parsed = urllib.parse.urlsplit(base_url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError("base_url must be an http:// or https:// URL, e.g. http://localhost:5080")
        if max_retries < 0 or initial_retry_delay < 0 or max_retry_delay < 0 or timeout <= 0:
            raise ValueError("max_retries and the retry delays must be >= 0 and timeout > 0")
        self.__api_key = api_key
        self.base_url = base_url.rstrip("/")
        self._scheme = parsed.scheme
        self._host = parsed.hostname
        self._port = parsed.port
        self._prefix = parsed.path.rstrip("/")
        self.timeout = timeout
        self.max_retries = max_retries
        self.initial_retry_delay = initial_retry_delay
        self.max_retry_delay = max_retry_delay
        self.user_agent = user_agent or f"penguinmails-python/{__version__}"
        # Replaceable for tests of the retry timing.
        self.sleep: Callable[[float], None] = time.sleep
        self.jitter: Callable[[float, float], float] = random.uniform

    def __repr__(self) -> str:
        return f"Transport(base_url={self.base_url!r}, api_key=<hidden>)"

    def backoff(self, attempt: int) -> float:
        """The wait before retry number ``attempt + 1``: full jitter over an exponentially growing cap."""
        cap = min(self.max_retry_delay, self.initial_retry_delay * (2 ** attempt))
        return self.jitter(0.0, cap)

    def request(self, method: str, path: str, *, query: Mapping[str, Any] | None = None, body: Any = None,
                content_type: str | None = None, idempotent: bool = False, idempotency_key: str | None = None,
                returns_secret: bool = False) -> tuple[Any, dict[str, Any]]:
        """Sends one call (with its retries) and returns the envelope's ``data`` and ``meta``."""
        raw, _ = self._call(method, path, query, body, content_type, idempotent, idempotency_key, returns_secret,
                            "application/json")
        try:
            envelope = json.loads(raw.decode("utf-8")) if raw else {}
        except ValueError:
            raise PenguinMailsError("The server's answer is not JSON.", code="INVALID_RESPONSE") from None
        if not isinstance(envelope, dict):
            raise PenguinMailsError("The server's answer is not the API's envelope.", code="INVALID_RESPONSE")
        meta = envelope.get("meta")
        return envelope.get("data"), meta if isinstance(meta, dict) else {}

    def text(self, method: str, path: str, *, query: Mapping[str, Any] | None = None) -> str:
        """Sends one call whose answer is text (CSV exports) and returns it."""
        raw, _ = self._call(method, path, query, None, None, False, None, False, "text/csv, application/json")
        return raw.decode("utf-8")

    def _call(self, method: str, path: str, query: Mapping[str, Any] | None, body: Any, content_type: str | None,
              idempotent: bool, idempotency_key: str | None, returns_secret: bool,
              accept: str) -> tuple[bytes, dict[str, str]]:
        target = self._prefix + path
        pairs = [(k, _query_value(v)) for k, v in (query or {}).items() if v is not None]
        if pairs:
            target += "?" + urllib.parse.urlencode(pairs)
        headers = {"Authorization": f"Bearer {self.__api_key}", "Accept": accept, "User-Agent": self.user_agent}
        payload: bytes | None = None
        if body is not None:
            if isinstance(body, str):
                payload = body.encode("utf-8")
                headers["Content-Type"] = content_type or "text/csv"
            else:
                payload = json.dumps(body, separators=(",", ":"), default=_query_value).encode("utf-8")
                headers["Content-Type"] = content_type or "application/json"
        if idempotent:
            headers["Idempotency-Key"] = idempotency_key or str(uuid.uuid4())
        # Only a refusal proves the server did not act on these.
        careful = returns_secret or (method == "POST" and not idempotent)
        attempt = 0
        while True:
            try:
                status, answer_headers, raw = self._once(method, target, headers, payload)
            except (_NotConnected, _Dropped) as failure:
                reached = isinstance(failure, _Dropped)
                if attempt < self.max_retries and not (reached and careful):
                    delay = self.backoff(attempt)
                    log.info("penguinmails: %s %s: no answer (%s); retry %d in %.2fs", method, path,
                             type(failure.__cause__).__name__, attempt + 1, delay)
                    self.sleep(delay)
                    attempt += 1
                    continue
                raise APIConnectionError(
                    f"No answer from {self.base_url}: {failure}" + (
                        " (not retried: the server may have acted, and this call is not safe to repeat)"
                        if reached and careful and attempt < self.max_retries else ""),
                    code="CONNECTION_ERROR") from failure.__cause__
            if 200 <= status < 300:
                log.debug("penguinmails: %s %s -> %d", method, path, status)
                return raw, answer_headers
            retry_after = parse_retry_after(answer_headers.get("retry-after"))
            try:
                parsed: Any = json.loads(raw.decode("utf-8")) if raw else None
            except ValueError:
                parsed = None
            error = error_for_status(status, parsed, answer_headers, retry_after)
            if attempt < self.max_retries and self._should_retry(status, error.code, retry_after, careful, idempotent):
                delay = retry_after if retry_after is not None else self.backoff(attempt)
                log.info("penguinmails: %s %s -> %d %s; retry %d in %.2fs", method, path, status, error.code,
                         attempt + 1, delay)
                self.sleep(delay)
                attempt += 1
                continue
            log.debug("penguinmails: %s %s -> %d %s", method, path, status, error.code)
            raise error

    def _should_retry(self, status: int, code: str, retry_after: float | None, careful: bool,
                      idempotent: bool) -> bool:
        if retry_after is not None and retry_after > self.max_retry_delay:
            return False
        if status == 429 or (status == 503 and retry_after is not None):
            return True
        if status == 409 and code == "IDEMPOTENCY_KEY_IN_FLIGHT":
            return idempotent
        return status in RETRYABLE_STATUSES and not careful

    def _connection(self) -> http.client.HTTPConnection:
        if self._scheme == "https":
            return http.client.HTTPSConnection(self._host, self._port, timeout=self.timeout,
                                               context=ssl.create_default_context())
        return http.client.HTTPConnection(self._host, self._port, timeout=self.timeout)

    def _once(self, method: str, target: str, headers: dict[str, str],
              payload: bytes | None) -> tuple[int, dict[str, str], bytes]:
        connection = self._connection()
        try:
            try:
                connection.connect()
            except (OSError, socket.timeout) as failure:
                raise _NotConnected(str(failure) or type(failure).__name__) from failure
            try:
                connection.request(method, target, body=payload, headers=headers)
                answer = connection.getresponse()
                raw = answer.read()
            except (OSError, http.client.HTTPException) as failure:
                raise _Dropped(str(failure) or type(failure).__name__) from failure
            return answer.status, {k.lower(): v for k, v in answer.getheaders()}, raw
        finally:
            connection.close()
