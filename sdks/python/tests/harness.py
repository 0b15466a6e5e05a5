"""The harness's environment (sdks/run-tests.sh) and small HTTP helpers for the tests (standard library only)."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from typing import Any

import penguinmails


def env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: run the suite through sdks/run-tests.sh python (see README.md)")
    return value


def client(*, proxy: bool = False, limited: bool = False, **options: Any) -> penguinmails.Client:
    key = env("PENGUINMAILS_LIMITED_API_KEY" if limited else "PENGUINMAILS_API_KEY")
    base = env("PENGUINMAILS_PROXY_URL" if proxy else "PENGUINMAILS_BASE_URL")
    options.setdefault("initial_retry_delay", 0.05)
    return penguinmails.Client(key, base_url=base, **options)


def http(method: str, url: str, body: Any = None, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], Any]:
    """A plain HTTP call (not through the SDK): status, lower-cased headers and the parsed JSON body."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            raw, status, answer_headers = answer.read(), answer.status, answer.headers
    except urllib.error.HTTPError as error:
        raw, status, answer_headers = error.read(), error.code, error.headers
    parsed = json.loads(raw) if raw else None
    return status, {k.lower(): v for k, v in answer_headers.items()}, parsed


def harness(method: str, path: str, body: Any = None) -> Any:
    """The chaos proxy's control API: POST /reset, POST /drop-next, GET /requests."""
    status, _, parsed = http(method, env("PENGUINMAILS_HARNESS_URL") + path, body)
    if status != 200:
        raise RuntimeError(f"harness {method} {path}: HTTP {status} {parsed}")
    return parsed
