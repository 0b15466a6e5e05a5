// The shared scenarios of sdks/scenarios.json, one test per id (named after it), against the harness's server.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { Client, RateLimitError, ValidationError, Webhook, WebhookVerificationError, verifyWebhook } from "../dist/esm/index.js";
import { direct, env, proxied, proxy, unique, UUID_V4 } from "./env.mjs";

const scenarios = {
  async send_email() {
    const to = `${unique("send")}@example.com`;
    const sent = await direct().emails.send({ from: env.sender, to, subject: "Hello", html_body: "<h1>Hello World</h1>" });
    assert.match(sent.id, /^msg_[0-9a-f]{32}$/);
    assert.equal(sent.status, "queued");
    const stored = await direct().emails.get(sent.id);
    assert.equal(stored.id, sent.id);
    assert.deepEqual(stored.recipients.map((r) => r.email), [to]);
  },

  async retry_after_dropped_connection_sends_once() {
    await proxy.reset();
    await proxy.dropNext("POST", "/api/v1/emails/send");
    const to = `${unique("dropped")}@example.com`;
    const sent = await proxied().emails.send({ from: env.sender, to, subject: "Once", text_body: "Sent once." });
    assert.equal(sent.status, "queued");

    const sends = await proxy.requests("POST", "/api/v1/emails/send");
    assert.equal(sends.length, 2, "the first attempt and one retry");
    assert.deepEqual(sends.map((r) => r.action), ["dropped", "forwarded"]);
    const keys = sends.map((r) => r.headers["idempotency-key"]);
    assert.match(keys[0], UUID_V4);
    assert.equal(keys[1], keys[0], "the retry reuses the call's Idempotency-Key");

    const listed = await direct().emails.list({ recipient: to });
    assert.deepEqual(listed.data.map((e) => e.id), [sent.id], "exactly one message for the recipient");
  },

  async rate_limited_429_waits_retry_after() {
    const url = `${env.baseUrl}/api/v1/me`;
    const headers = { authorization: `Bearer ${env.limitedApiKey}` };
    for (let round = 1; ; round++) {
      // Exhaust the starter plan's burst (100) with plain HTTP until the server refuses.
      let refused = false;
      for (let batch = 0; batch < 12 && !refused; batch++) {
        const statuses = await Promise.all(Array.from({ length: 20 }, () => fetch(url, { headers }).then(async (r) => (await r.arrayBuffer(), r.status))));
        refused = statuses.includes(429);
      }
      assert.ok(refused, "the burst of 100 was exhausted");

      const retries = [];
      const client = new Client(env.limitedApiKey, { baseUrl: env.baseUrl, maxRetries: 3, onRetry: (r) => retries.push(r) });
      const started = performance.now();
      const me = await client.account.get();
      const elapsedMs = performance.now() - started;
      assert.match(me.key_id, /^pm_live_/);
      const first429 = retries.find((r) => r.status === 429);
      if (!first429 && round < 3) continue; // the bucket refilled between the exhaustion and the call: once more
      assert.ok(first429, "the SDK call got a 429 and retried");
      assert.ok(first429.retryAfter >= 1, `Retry-After was ${first429.retryAfter}`);
      assert.equal(first429.delayMs, first429.retryAfter * 1000, "the wait is the server's Retry-After");
      assert.ok(elapsedMs >= first429.retryAfter * 1000, `waited ${elapsedMs} ms, Retry-After ${first429.retryAfter} s`);
      return;
    }
  },

  async validation_error_is_typed() {
    const attempts = [];
    const client = direct({ onRequest: (r) => attempts.push(r) });
    const error = await client.emails.send({ from: env.sender, subject: "No recipient", text_body: "x" }).then(
      () => assert.fail("a send without to must fail"),
      (e) => e,
    );
    assert.ok(error instanceof ValidationError);
    assert.equal(error.code, "VALIDATION_ERROR");
    assert.ok([400, 422].includes(error.status));
    assert.ok(error.message.length > 0);
    assert.ok(error.details.some((d) => d.field === "to"), JSON.stringify(error.details));
    assert.match(error.requestId, /^req_/);
    assert.equal(error.request_id, error.requestId);
    assert.equal(attempts.length, 1, "a validation error is not retried");
  },

  async auto_paging_250_contacts() {
    const tag = unique("paging");
    const contacts = Array.from({ length: 250 }, (_, i) => ({ email: `${tag}-${i}@example.com`, first_name: `Contact ${i}`, tags: [tag] }));
    const report = await direct().contacts.bulkImport(contacts);
    assert.equal(report.created, 250);
    assert.equal(report.failed, 0);

    await proxy.reset();
    const seen = [];
    for await (const contact of proxied().contacts.listAll({ tag, limit: 100 })) {
      assert.ok(contact.tags.includes(tag));
      seen.push(contact.id);
    }
    assert.equal(seen.length, 250);
    assert.equal(new Set(seen).size, 250, "all distinct");
    const lists = await proxy.requests("GET", "/api/v1/contacts");
    assert.equal(lists.length, 3, "pages of 100, 100 and 50");
    assert.ok(lists.every((r) => r.action === "forwarded" && r.status === 200));
  },

  async verify_webhook_signature() {
    const v = JSON.parse(readFileSync(env.webhookVector, "utf8"));
    const event = new Webhook(v.secret).verify(v.payload, v.headers);
    assert.equal(event.id, v.id);
    assert.deepEqual(verifyWebhook(v.payload, v.headers, v.secret), JSON.parse(v.payload));

    assert.throws(() => verifyWebhook(v.payload.replace("email.delivered", "email.bounced"), v.headers, v.secret), WebhookVerificationError);
    const wrongSecret = "whsec_" + Buffer.alloc(32, 7).toString("base64");
    assert.throws(() => verifyWebhook(v.payload, v.headers, wrongSecret), WebhookVerificationError);
    const stale = { "webhook-id": v.id, "webhook-timestamp": v.stale.timestamp, "webhook-signature": v.stale.signature };
    assert.throws(() => verifyWebhook(v.payload, stale, v.secret), /too old/);
    assert.throws(() => verifyWebhook(v.payload, stale, v.secret), WebhookVerificationError);
  },
};

for (const [id, run] of Object.entries(scenarios)) test(id, run);

test("every scenario of sdks/scenarios.json has a test here", () => {
  const listed = JSON.parse(readFileSync(new URL("../../scenarios.json", import.meta.url), "utf8")).scenarios.map((s) => s.id);
  assert.ok(listed.length >= 6);
  const missing = listed.filter((id) => !(id in scenarios));
  assert.deepEqual(missing, [], `scenarios without a test: ${missing.join(", ")}`);
});

test("errors of a 429 are RateLimitError with retryAfter when retries are off", async () => {
  const client = new Client(env.limitedApiKey, { baseUrl: env.baseUrl, maxRetries: 0 });
  const headers = { authorization: `Bearer ${env.limitedApiKey}` };
  let error;
  for (let i = 0; i < 12 && !error; i++) {
    await Promise.all(Array.from({ length: 20 }, () => fetch(`${env.baseUrl}/api/v1/me`, { headers }).then((r) => r.arrayBuffer())));
    error = await client.account.get().then(() => undefined, (e) => e);
  }
  assert.ok(error instanceof RateLimitError, String(error));
  assert.equal(error.status, 429);
  assert.equal(error.code, "RATE_LIMIT_EXCEEDED");
  assert.ok(error.retryAfter >= 1);
});
