"""Unit tests of the retry rules against a scripted loopback HTTP server (real sockets; waits recorded, not slept)."""

from __future__ import annotations

import json
import logging
import socket
import threading
import unittest
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import penguinmails
from penguinmails._transport import parse_retry_after

KEY = "pm_live_SecretKeyThatMustNeverBeShown0123456789"


class Scripted(ThreadingHTTPServer):
    """Answers each request with the next scripted answer: (status, headers, body) or "drop" (closes the socket)."""

    def __init__(self, answers: list[Any]) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.answers = answers
        self.seen: list[tuple[str, str, dict[str, str]]] = []


class Handler(BaseHTTPRequestHandler):
    server: Scripted

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    def handle_one(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.server.seen.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))
        answer = self.server.answers.pop(0)
        if answer == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        status, headers, body = answer
        raw = json.dumps(body).encode()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    do_GET = do_POST = do_DELETE = do_PATCH = do_PUT = handle_one


def ok(data: Any) -> tuple[int, dict[str, str], Any]:
    return 200, {}, {"success": True, "data": data, "meta": {"request_id": "req_1"}}


def fail(status: int, code: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], Any]:
    return status, headers or {}, {"success": False, "error": {
        "code": code, "message": f"{code} happened", "details": [], "request_id": "req_2",
        "documentation_url": "/docs/errors"}, "timestamp": "2026-01-01T00:00:00Z"}


class RetryTests(unittest.TestCase):
    def serve(self, *answers: Any, **options: Any) -> tuple[penguinmails.Client, Scripted, list[float]]:
        server = Scripted(list(answers))
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        thread.start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        client = penguinmails.Client(KEY, base_url=f"http://127.0.0.1:{server.server_port}", **options)
        waits: list[float] = []
        client._transport.sleep = waits.append
        return client, server, waits

    def test_backoff_is_exponential_with_full_jitter_under_the_cap(self) -> None:
        client = penguinmails.Client(KEY, initial_retry_delay=0.5, max_retry_delay=30)
        client._transport.jitter = lambda low, high: high
        self.assertEqual([0.5, 1.0, 2.0, 4.0, 30.0], [client._transport.backoff(a) for a in (0, 1, 2, 3, 10)])
        client._transport.jitter = lambda low, high: low
        self.assertEqual(0.0, client._transport.backoff(3))
        real = penguinmails.Client(KEY, initial_retry_delay=1, max_retry_delay=4)._transport
        samples = [real.backoff(5) for _ in range(200)]
        self.assertTrue(all(0 <= s <= 4 for s in samples))
        self.assertGreater(len(set(samples)), 100, "the delays are jittered")

    def test_retry_after_in_seconds_is_waited_then_the_call_succeeds(self) -> None:
        client, server, waits = self.serve(fail(429, "RATE_LIMIT_EXCEEDED", {"Retry-After": "7"}), ok({"id": "x"}))
        self.assertEqual({"id": "x"}, client.account.get())
        self.assertEqual([7.0], waits)
        self.assertEqual(2, len(server.seen))

    def test_retry_after_as_an_http_date(self) -> None:
        self.assertAlmostEqual(30.0, parse_retry_after(formatdate(1_000_030, usegmt=True), now=1_000_000), delta=0.01)
        self.assertEqual(0.0, parse_retry_after(formatdate(999_000, usegmt=True), now=1_000_000))
        self.assertEqual(12.0, parse_retry_after("12"))
        self.assertIsNone(parse_retry_after("soon"))
        self.assertIsNone(parse_retry_after(None))

    def test_a_retry_after_longer_than_the_max_delay_is_raised_not_waited(self) -> None:
        client, server, waits = self.serve(fail(429, "MONTHLY_QUOTA_EXCEEDED", {"Retry-After": "3600"}))
        with self.assertRaises(penguinmails.RateLimitError) as caught:
            client.account.get()
        self.assertEqual(3600.0, caught.exception.retry_after)
        self.assertEqual([], waits)
        self.assertEqual(1, len(server.seen))

    def test_get_retries_502_503_504_with_backoff_then_gives_up(self) -> None:
        client, server, waits = self.serve(fail(502, "BAD_GATEWAY"), fail(504, "GATEWAY_TIMEOUT"),
                                           fail(503, "UNAVAILABLE"), max_retries=2)
        client._transport.jitter = lambda low, high: high
        with self.assertRaises(penguinmails.ServerError) as caught:
            client.emails.get("msg_1")
        self.assertEqual(503, caught.exception.status)
        self.assertEqual([0.5, 1.0], waits)
        self.assertEqual(3, len(server.seen))

    def test_a_500_and_a_400_are_not_retried(self) -> None:
        client, server, waits = self.serve(fail(500, "INTERNAL_ERROR"), fail(404, "NOT_FOUND"))
        with self.assertRaises(penguinmails.ServerError):
            client.emails.get("msg_1")
        with self.assertRaises(penguinmails.NotFoundError):
            client.emails.get("msg_1")
        self.assertEqual([], waits)

    def test_an_idempotent_write_reuses_its_key_across_retries(self) -> None:
        client, server, waits = self.serve("drop", fail(503, "UNAVAILABLE"), ok({"id": "msg_1", "status": "queued"}))
        client.emails.send({"to": "a@example.com", "subject": "s", "text_body": "t"})
        keys = [headers.get("idempotency-key") for _, _, headers in server.seen]
        self.assertEqual(3, len(keys))
        self.assertEqual(1, len(set(keys)))
        self.assertRegex(keys[0] or "", r"^[0-9a-f-]{36}$")
        self.assertEqual(2, len(waits))

    def test_the_callers_idempotency_key_is_used_and_each_call_gets_a_new_one(self) -> None:
        client, server, _ = self.serve(ok({}), ok({}), ok({}))
        client.emails.send({"to": "a@example.com"}, idempotency_key="order-42")
        client.emails.send({"to": "a@example.com"})
        client.emails.send({"to": "a@example.com"})
        keys = [headers.get("idempotency-key") for _, _, headers in server.seen]
        self.assertEqual("order-42", keys[0])
        self.assertNotEqual(keys[1], keys[2])

    def test_secret_returning_calls_are_not_retried_once_the_server_may_have_acted(self) -> None:
        for answer in ("drop", fail(502, "BAD_GATEWAY"), fail(503, "UNAVAILABLE"), fail(504, "GATEWAY_TIMEOUT")):
            with self.subTest(answer=answer if answer == "drop" else answer[0]):
                client, server, waits = self.serve(answer, ok({"key": "pm_live_new"}))
                with self.assertRaises(penguinmails.PenguinMailsError):
                    client.api_keys.create({"name": "ci"})
                self.assertEqual(1, len(server.seen), "a second request could create a second key")
                self.assertEqual([], waits)
                self.assertNotIn("idempotency-key", server.seen[0][2])
        client, server, _ = self.serve("drop", ok({}))
        with self.assertRaises(penguinmails.APIConnectionError):
            client.webhooks.rotate_secret("wh_1")
        self.assertEqual(1, len(server.seen))

    def test_secret_returning_calls_are_retried_after_a_refusal(self) -> None:
        client, server, waits = self.serve(fail(429, "RATE_LIMIT_EXCEEDED", {"Retry-After": "1"}),
                                           fail(503, "MAINTENANCE", {"Retry-After": "2"}), ok({"key": "pm_live_x"}))
        self.assertEqual({"key": "pm_live_x"}, client.api_keys.create({"name": "ci"}))
        self.assertEqual([1.0, 2.0], waits)
        self.assertEqual(3, len(server.seen))

    def test_a_connection_that_never_opened_is_retried_even_for_secrets(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        client = penguinmails.Client(KEY, base_url=f"http://127.0.0.1:{port}", max_retries=3)
        waits: list[float] = []
        client._transport.sleep = waits.append
        with self.assertRaises(penguinmails.APIConnectionError) as caught:
            client.api_keys.rotate("key_1")
        self.assertEqual(3, len(waits))
        self.assertIsNone(caught.exception.status)
        self.assertEqual("CONNECTION_ERROR", caught.exception.code)

    def test_the_key_is_never_shown(self) -> None:
        client, server, _ = self.serve(fail(401, "INVALID_API_KEY"), fail(503, "UNAVAILABLE"), ok({}))
        with self.assertLogs("penguinmails", logging.DEBUG) as logs:
            with self.assertRaises(penguinmails.AuthenticationError) as caught:
                client.account.get()
            client.account.get()
        shown = " ".join([repr(client), str(client), repr(client._transport), str(caught.exception),
                          repr(caught.exception), *logs.output])
        self.assertNotIn(KEY, shown)
        self.assertNotIn(KEY[8:20], shown)
        self.assertEqual(f"Bearer {KEY}", server.seen[0][2]["authorization"])

    def test_errors_carry_the_envelope(self) -> None:
        body = {"success": False, "error": {"code": "VALIDATION_ERROR", "message": "bad", "details": [
            {"field": "to", "message": "to is required"}], "request_id": "req_9", "documentation_url": "/docs/errors"}}
        client, _, _ = self.serve((422, {}, body))
        with self.assertRaises(penguinmails.ValidationError) as caught:
            client.emails.send({})
        error = caught.exception
        self.assertEqual(("VALIDATION_ERROR", "bad", 422, "req_9"), (error.code, error.message, error.status,
                                                                   error.request_id))
        self.assertEqual([{"field": "to", "message": "to is required"}], error.details)


if __name__ == "__main__":
    unittest.main()
