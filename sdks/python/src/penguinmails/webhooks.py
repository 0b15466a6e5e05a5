"""Verification of webhook deliveries (Standard Webhooks, https://www.standardwebhooks.com/).

Each delivery carries ``webhook-id``, ``webhook-timestamp`` (Unix seconds) and ``webhook-signature`` (space-separated
``v1,<base64 HMAC-SHA256>`` entries, any one of which may match). The signed content is
``"{webhook-id}.{webhook-timestamp}.{raw body}"``, keyed with the base64-decoded part of the endpoint's
``whsec_…`` secret. Verify the raw body exactly as received, before any JSON parsing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

__all__ = ["WebhookVerificationError", "verify", "sign", "DEFAULT_TOLERANCE"]

DEFAULT_TOLERANCE = 300
"""Seconds a delivery's timestamp may be away from now (either way) before it is refused as a replay."""


class WebhookVerificationError(Exception):
    """The delivery is not authentic or not fresh: answer it with 400 and do not act on it."""


def _secret_bytes(secret: str) -> bytes:
    encoded = secret[len("whsec_"):] if secret.startswith("whsec_") else secret
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise WebhookVerificationError("The webhook secret is not a whsec_ secret (base64 after the prefix).") from None


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    raise WebhookVerificationError(f"The {name} header is missing.")


def sign(payload: str | bytes, *, secret: str, msg_id: str, timestamp: int) -> str:
    """The ``v1,<base64>`` signature of a payload (what the server sends in ``webhook-signature``)."""
    body = payload if isinstance(payload, bytes) else payload.encode("utf-8")
    content = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_secret_bytes(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def verify(payload: str | bytes, headers: Mapping[str, str], secret: str, *,
           tolerance: int = DEFAULT_TOLERANCE, now: float | None = None) -> Any:
    """Checks a delivery's signature and freshness and returns its parsed JSON event.

    ``payload`` is the raw request body, ``headers`` the request's headers (any case), ``secret`` the endpoint's
    ``whsec_…`` secret. Raises :class:`WebhookVerificationError` when a header is missing, the timestamp is more
    than ``tolerance`` seconds from ``now``, or no ``v1`` signature matches (compared in constant time).
    """
    msg_id = _header(headers, "webhook-id")
    stamp = _header(headers, "webhook-timestamp")
    signatures = _header(headers, "webhook-signature")
    try:
        timestamp = int(stamp)
    except ValueError:
        raise WebhookVerificationError("The webhook-timestamp header is not a Unix time in seconds.") from None
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise WebhookVerificationError(
            f"The webhook-timestamp is more than {tolerance} seconds from now (a replay, or a wrong clock).")
    expected = sign(payload, secret=secret, msg_id=msg_id, timestamp=timestamp).encode("ascii")
    matched = False
    for candidate in signatures.split(" "):
        if candidate.startswith("v1,") and hmac.compare_digest(candidate.encode("ascii", "replace"), expected):
            matched = True
    if not matched:
        raise WebhookVerificationError("No webhook-signature matches the payload and secret.")
    body = payload.decode("utf-8") if isinstance(payload, bytes) else payload
    try:
        return json.loads(body)
    except ValueError:
        raise WebhookVerificationError("The payload is signed but is not JSON.") from None
