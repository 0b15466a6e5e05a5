// The retry rules: backoff with full jitter, Retry-After parsing, which failures are retried, the Idempotency-Key
// reused by retries, and secret-returning calls never retried once the request may have reached the server
// (through the harness's chaos proxy and a closed port).
import assert from "node:assert/strict";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { test } from "node:test";
import { backoffDelay, Client, ConnectionError, isRetryable, parseRetryAfter, PenguinMailsError, ServerError } from "../dist/esm/index.js";
import { direct, env, proxied, proxy, unique, UUID_V4 } from "./env.mjs";

test("backoff: full jitter below an exponential ceiling capped by the max delay", () => {
  assert.equal(backoffDelay(0, 500, 30_000, () => 0.999999), 499);
  assert.equal(backoffDelay(1, 500, 30_000, () => 0.999999), 999);
  assert.equal(backoffDelay(3, 500, 30_000, () => 0.5), 2000);
  assert.equal(backoffDelay(10, 500, 30_000, () => 0.999999), 29_999, "capped at maxDelay");
  assert.equal(backoffDelay(2, 500, 30_000, () => 0), 0, "full jitter starts at 0");
  const samples = Array.from({ length: 200 }, () => backoffDelay(2, 500, 30_000));
  assert.ok(samples.every((d) => d >= 0 && d < 2000));
  assert.ok(new Set(samples).size > 50, "random, not fixed");
});

test("Retry-After: seconds, an HTTP date, or nothing", () => {
  const now = new Date("2026-11-30T12:00:00Z");
  assert.equal(parseRetryAfter("7", now), 7);
  assert.equal(parseRetryAfter(" 0 ", now), 0);
  assert.equal(parseRetryAfter("Mon, 30 Nov 2026 12:00:30 GMT", now), 30);
  assert.equal(parseRetryAfter("Mon, 30 Nov 2026 11:59:00 GMT", now), 0, "a date in the past: retry now");
  assert.equal(parseRetryAfter(null, now), null);
  assert.equal(parseRetryAfter("", now), null);
  assert.equal(parseRetryAfter("-3", now), null);
  assert.equal(parseRetryAfter("soon", now), null);
});

test("which failures are retried", () => {
  const status = (s, retryAfter = null) => ({ kind: "status", status: s, retryAfter });
  for (const safe of [true, false]) {
    assert.equal(isRetryable(status(429), safe), true);
    assert.equal(isRetryable(status(503, 2), safe), true);
    assert.equal(isRetryable({ kind: "connection", connected: false }, safe), true);
    assert.equal(isRetryable(status(500), safe), false);
    assert.equal(isRetryable(status(400), safe), false);
    assert.equal(isRetryable(status(409), safe), false);
  }
  for (const s of [502, 503, 504]) {
    assert.equal(isRetryable(status(s), true), true);
    assert.equal(isRetryable(status(s), false), false);
  }
  assert.equal(isRetryable({ kind: "connection", connected: true }, true), true);
  assert.equal(isRetryable({ kind: "connection", connected: true }, false), false);
});

test("a 503 of a send is retried with the same Idempotency-Key; a caller's key is used as given", async () => {
  await proxy.reset();
  await proxy.failNext("POST", "/api/v1/emails/send", 503);
  const to = `${unique("retry503")}@example.com`;
  const key = `order-${unique("k")}`;
  const sent = await proxied().emails.send({ from: env.sender, to, subject: "503", text_body: "x" }, { idempotencyKey: key });
  assert.equal(sent.status, "queued");
  const sends = await proxy.requests("POST", "/api/v1/emails/send");
  assert.deepEqual(sends.map((r) => [r.action, r.headers["idempotency-key"]]), [["failed", key], ["forwarded", key]]);
});

test("each call gets its own Idempotency-Key (UUID v4)", async () => {
  await proxy.reset();
  const client = proxied();
  for (let i = 0; i < 2; i++) await client.emails.send({ from: env.sender, to: `${unique("two")}@example.com`, subject: "k", text_body: "x" });
  const keys = (await proxy.requests("POST", "/api/v1/emails/send")).map((r) => r.headers["idempotency-key"]);
  assert.equal(keys.length, 2);
  assert.ok(keys.every((k) => UUID_V4.test(k)));
  assert.notEqual(keys[0], keys[1]);
  const gets = await proxy.requests("GET");
  assert.ok(gets.every((r) => !("idempotency-key" in r.headers)));
});

test("GET, PATCH and DELETE are retried after a 502 and a dropped answer", async () => {
  await proxy.reset();
  await proxy.failNext("GET", "/api/v1/me", 502);
  await proxy.dropNext("GET", "/api/v1/me");
  const retries = [];
  const me = await proxied({ onRetry: (r) => retries.push(r) }).account.get();
  assert.match(me.key_id, /^pm_live_/);
  assert.deepEqual(retries.map((r) => r.status), [502, null]);
  assert.deepEqual((await proxy.requests("GET", "/api/v1/me")).map((r) => r.action), ["failed", "dropped", "forwarded"]);
});

test("a secret-returning call is not retried after a 502 or a dropped answer", async () => {
  await proxy.reset();
  await proxy.failNext("POST", "/api/v1/platform/api-keys", 502);
  const client = proxied();
  const error = await client.apiKeys.create({ name: unique("never-retried"), preset: "read_only" }).then(() => undefined, (e) => e);
  assert.ok(error instanceof ServerError, String(error));
  assert.equal(error.status, 502);
  assert.equal((await proxy.requests("POST", "/api/v1/platform/api-keys")).length, 1);

  await proxy.reset();
  await proxy.dropNext("POST", "/api/v1/platform/api-keys");
  const name = unique("dropped-key");
  const dropped = await client.apiKeys.create({ name, preset: "read_only" }).then(() => undefined, (e) => e);
  assert.ok(dropped instanceof ConnectionError, String(dropped));
  assert.equal(dropped.connected, true);
  assert.equal((await proxy.requests("POST", "/api/v1/platform/api-keys")).length, 1, "one key made, and its secret lost once only");
  // the server did make it: the one key of that name
  const made = await direct().apiKeys.list({ search: name });
  assert.equal(made.data.length, 1);
  await direct().apiKeys.revoke(made.data[0].id);

  await proxy.reset();
  await proxy.dropNext("POST", "/api/v1/webhooks/00000000-0000-0000-0000-000000000000/rotate-secret");
  const rotate = await client.webhooks.rotateSecret("00000000-0000-0000-0000-000000000000").then(() => undefined, (e) => e);
  assert.ok(rotate instanceof ConnectionError);
  assert.equal((await proxy.requests("POST")).length, 1);
});

test("a secret-returning call is retried when the request surely did not reach the server: 429, 503 with Retry-After", async () => {
  await proxy.reset();
  await proxy.failNext("POST", "/api/v1/platform/api-keys", 429, { "Retry-After": "1" });
  await proxy.failNext("POST", "/api/v1/platform/api-keys", 503, { "Retry-After": "0" });
  const created = await proxied().apiKeys.create({ name: unique("refused-then-made"), preset: "read_only" });
  assert.match(created.key, /^pm_live_/);
  assert.deepEqual((await proxy.requests("POST", "/api/v1/platform/api-keys")).map((r) => r.action), ["failed", "failed", "forwarded"]);
  await direct().apiKeys.revoke(created.api_key.id);
});

test("a POST without Idempotency-Key is not retried after a 503 without Retry-After", async () => {
  await proxy.reset();
  await proxy.failNext("POST", "/api/v1/domains", 503);
  const error = await proxied().domains.create({ name: `${unique("d")}.example.com` }).then(() => undefined, (e) => e);
  assert.ok(error instanceof ServerError);
  assert.equal((await proxy.requests("POST", "/api/v1/domains")).length, 1);
});

test("a connection that never opened is retried, also for a secret-returning call", async () => {
  const port = await closedPort();
  const attempts = [];
  const client = new Client(env.apiKey, { baseUrl: `http://127.0.0.1:${port}`, maxRetries: 2, initialRetryDelayMs: 10, onRequest: (r) => attempts.push(r) });
  const error = await client.apiKeys.create({ name: "never-sent" }).then(() => undefined, (e) => e);
  assert.ok(error instanceof ConnectionError, String(error));
  assert.equal(error.connected, false);
  assert.equal(error.status, null);
  assert.equal(attempts.length, 3, "the first attempt and two retries");
});

test("maxRetries 0 turns retries off; a Retry-After longer than maxRetryDelayMs is not waited for", async () => {
  await proxy.reset();
  await proxy.failNext("GET", "/api/v1/me", 503);
  await assert.rejects(proxied({ maxRetries: 0 }).account.get(), ServerError);
  await proxy.failNext("GET", "/api/v1/me", 429, { "Retry-After": "3600" });
  const started = performance.now();
  await assert.rejects(proxied().account.get(), (e) => e.status === 429 && e.retryAfter === 3600);
  assert.ok(performance.now() - started < 2000);
  assert.equal((await proxy.requests("GET", "/api/v1/me")).length, 2);
});

test("an answer cut off midway is a connection failure, retried for a GET; a redirect is never followed", async () => {
  let calls = 0;
  const server = createHttpServer((req, res) => {
    calls++;
    if (req.url.startsWith("/api/v1/me") && calls === 1) {
      res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
      res.write('{"success":true,"data":{"key_id"');
      setTimeout(() => res.socket.destroy(), 10);
      return;
    }
    if (req.url.startsWith("/api/v1/me")) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ success: true, data: { key_id: "pm_live_cut" }, meta: { request_id: "req_1" } }));
      return;
    }
    res.writeHead(308, { location: "https://elsewhere.example/api/v1/emails" });
    res.end();
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const client = new Client("pm_live_local", { baseUrl: `http://127.0.0.1:${server.address().port}`, initialRetryDelayMs: 10 });
    assert.equal((await client.account.get()).key_id, "pm_live_cut");
    assert.equal(calls, 2);
    const error = await client.emails.list().then(() => undefined, (e) => e);
    assert.ok(error instanceof PenguinMailsError);
    assert.equal(error.code, "UNEXPECTED_REDIRECT");
    assert.equal(error.status, 308);
    assert.equal(calls, 3, "not followed, not retried");
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}
