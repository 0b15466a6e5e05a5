"""Unit tests of penguinmails.webhooks beyond the shared vector: several signatures, header case, bad input."""

from __future__ import annotations

import base64
import json
import time
import unittest

from penguinmails import webhooks

SECRET = "whsec_" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()


class WebhookTests(unittest.TestCase):
    def headers(self, body: str, stamp: int, signature: str | None = None) -> dict[str, str]:
        return {"Webhook-Id": "evt_1", "Webhook-Timestamp": str(stamp),
                "Webhook-Signature": signature or webhooks.sign(body, secret=SECRET, msg_id="evt_1", timestamp=stamp)}

    def test_any_one_of_several_signatures_may_match_and_header_case_does_not_matter(self) -> None:
        body = json.dumps({"id": "evt_1", "type": "email.sent"})
        now = int(time.time())
        good = webhooks.sign(body, secret=SECRET, msg_id="evt_1", timestamp=now)
        headers = self.headers(body, now, f"v1,AAAA v1a,xyz {good}")
        self.assertEqual("email.sent", webhooks.verify(body, headers, SECRET)["type"])

    def test_tolerance_applies_both_ways_and_is_configurable(self) -> None:
        body = "{}"
        now = int(time.time())
        with self.assertRaises(webhooks.WebhookVerificationError):
            webhooks.verify(body, self.headers(body, now + 301), SECRET)
        self.assertEqual({}, webhooks.verify(body, self.headers(body, now - 290), SECRET))
        with self.assertRaises(webhooks.WebhookVerificationError):
            webhooks.verify(body, self.headers(body, now - 120), SECRET, tolerance=60)

    def test_missing_headers_and_bad_secrets_fail_typed(self) -> None:
        body = "{}"
        now = int(time.time())
        headers = self.headers(body, now)
        for name in ("Webhook-Id", "Webhook-Timestamp", "Webhook-Signature"):
            partial = {k: v for k, v in headers.items() if k != name}
            with self.assertRaises(webhooks.WebhookVerificationError):
                webhooks.verify(body, partial, SECRET)
        with self.assertRaises(webhooks.WebhookVerificationError):
            webhooks.verify(body, {**headers, "Webhook-Timestamp": "yesterday"}, SECRET)
        with self.assertRaises(webhooks.WebhookVerificationError):
            webhooks.verify(body, headers, "whsec_not base64!")
        with self.assertRaises(webhooks.WebhookVerificationError):
            webhooks.verify(body, {**headers, "Webhook-Signature": "v1,ünïcode"}, SECRET)
