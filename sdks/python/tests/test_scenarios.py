"""The shared scenarios of sdks/scenarios.json, one test each (named test_<id>), against the harness's real server."""

from __future__ import annotations

import json
import os
import time
import unittest
import uuid
from pathlib import Path

import penguinmails
from penguinmails import webhooks

from .harness import client, env, harness, http

SCENARIOS = Path(os.path.abspath(__file__)).parents[2] / "scenarios.json"
UUID_V4 = r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"


def unique_address() -> str:
    return f"py-{uuid.uuid4().hex[:12]}@example.com"


class ScenarioTests(unittest.TestCase):
    def test_send_email(self) -> None:
        sent = client().emails.send({"from": env("PENGUINMAILS_SENDER"), "to": unique_address(),
                                     "subject": "Hello", "html_body": "<h1>Hello World</h1>"})
        self.assertTrue(sent["id"].startswith("msg_"), sent)
        self.assertEqual("queued", sent["status"])
        self.assertIn("created_at", sent)

    def test_retry_after_dropped_connection_sends_once(self) -> None:
        harness("POST", "/reset")
        harness("POST", "/drop-next", {"method": "POST", "path": "/api/v1/emails/send"})
        recipient = unique_address()
        sent = client(proxy=True).emails.send({"from": env("PENGUINMAILS_SENDER"), "to": recipient,
                                               "subject": "Once", "text_body": "Sent once despite the retry."})
        sends = [r for r in harness("GET", "/requests")
                 if r["method"] == "POST" and r["path"] == "/api/v1/emails/send"]
        self.assertEqual(2, len(sends), sends)
        self.assertEqual("dropped", sends[0]["action"])
        keys = {r["headers"].get("idempotency-key") for r in sends}
        self.assertEqual(1, len(keys), keys)
        self.assertRegex(keys.pop() or "", UUID_V4)
        listed = client().emails.list(recipient=recipient)
        self.assertEqual([sent["id"]], [email["id"] for email in listed.data])

    def test_rate_limited_429_waits_retry_after(self) -> None:
        headers = {"Authorization": "Bearer " + env("PENGUINMAILS_LIMITED_API_KEY")}
        for _ in range(500):
            status, answer_headers, _ = http("GET", env("PENGUINMAILS_BASE_URL") + "/api/v1/me", headers=headers)
            if status == 429:
                break
        self.assertEqual(429, status, "the starter plan's burst was never exhausted")
        limited = client(limited=True, max_retries=3, max_retry_delay=120)
        waits: list[float] = []
        real_sleep = limited._transport.sleep

        def recording_sleep(seconds: float) -> None:
            waits.append(seconds)
            real_sleep(seconds)

        limited._transport.sleep = recording_sleep
        started = time.monotonic()
        with self.assertLogs("penguinmails", "INFO") as logs:
            me = limited.account.get()
        elapsed = time.monotonic() - started
        self.assertTrue(me["key_id"].startswith("pm_"))
        self.assertTrue(any("-> 429 RATE_LIMIT_EXCEEDED" in line for line in logs.output), logs.output)
        self.assertGreaterEqual(len(waits), 1)
        self.assertGreater(waits[0], 0)
        self.assertGreaterEqual(elapsed, waits[0], f"waited {elapsed:.2f}s for a Retry-After of {waits[0]}s")
        self.assertIn("retry-after", answer_headers)

    def test_validation_error_is_typed(self) -> None:
        with self.assertNoLogs("penguinmails", "INFO"), self.assertRaises(penguinmails.ValidationError) as caught:
            client().emails.send({"from": env("PENGUINMAILS_SENDER"), "subject": "No recipient",
                                  "html_body": "<p>x</p>"})
        error = caught.exception
        self.assertIsInstance(error, penguinmails.PenguinMailsError)
        self.assertEqual("VALIDATION_ERROR", error.code)
        self.assertIn(error.status, (400, 422))
        self.assertTrue(error.message)
        self.assertIn("to", [d.get("field") for d in error.details])
        self.assertTrue((error.request_id or "").startswith("req_"), error.request_id)

    def test_auto_paging_250_contacts(self) -> None:
        tag = "py-" + uuid.uuid4().hex[:10]
        rows = [{"email": f"{tag}-{i}@example.com", "tags": [tag]} for i in range(250)]
        report = client().contacts.bulk_import(rows)
        self.assertEqual(250, report["created"], report)
        harness("POST", "/reset")
        contacts = list(client(proxy=True).contacts.list_all(tag=tag, limit=100))
        self.assertEqual(250, len(contacts))
        self.assertEqual(250, len({c["id"] for c in contacts}))
        self.assertTrue(all(tag in c["tags"] for c in contacts))
        lists = [r for r in harness("GET", "/requests") if r["method"] == "GET" and r["path"] == "/api/v1/contacts"]
        self.assertEqual(3, len(lists), lists)

    def test_verify_webhook_signature(self) -> None:
        vector = json.loads(Path(env("PENGUINMAILS_WEBHOOK_VECTOR")).read_text(encoding="utf-8"))
        event = webhooks.verify(vector["payload"], vector["headers"], vector["secret"])
        self.assertEqual(vector["id"], event["id"])
        self.assertEqual(vector["id"], webhooks.verify(vector["payload"].encode(), vector["headers"],
                                                       vector["secret"])["id"])
        with self.assertRaises(webhooks.WebhookVerificationError):
            webhooks.verify(vector["payload"].replace("email.delivered", "email.bounced"), vector["headers"],
                            vector["secret"])
        with self.assertRaises(penguinmails.WebhookVerificationError):
            webhooks.verify(vector["payload"], vector["headers"], "whsec_" + "QUJD" * 8)
        stale = {**vector["headers"], "webhook-timestamp": vector["stale"]["timestamp"],
                 "webhook-signature": vector["stale"]["signature"]}
        with self.assertRaises(webhooks.WebhookVerificationError):
            webhooks.verify(vector["payload"], stale, vector["secret"])
        # The stale vector is correctly signed: only its age fails.
        self.assertEqual(vector["id"], webhooks.verify(vector["payload"], stale, vector["secret"],
                                                       now=float(vector["stale"]["timestamp"]))["id"])

    def test_scenarios_complete(self) -> None:
        ids = [s["id"] for s in json.loads(SCENARIOS.read_text(encoding="utf-8"))["scenarios"]]
        self.assertGreaterEqual(len(ids), 6)
        missing = [i for i in ids if not callable(getattr(self, f"test_{i}", None))]
        self.assertEqual([], missing, "scenarios.json lists scenarios this suite has no test for")
