// Webhook verification beyond the shared scenario: several signatures, header forms, clock tolerance, bytes.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { test } from "node:test";
import { Webhook, WebhookVerificationError, verifyWebhook } from "../dist/esm/index.js";

const secret = "whsec_" + Buffer.from("a fixed test secret of 32 bytes!").toString("base64");
const sign = (id, ts, body, key = secret) =>
  "v1," + createHmac("sha256", Buffer.from(key.slice(6), "base64")).update(`${id}.${ts}.${body}`).digest("base64");
const now = Math.floor(Date.now() / 1000);
const body = JSON.stringify({ id: "evt_1", type: "email.sent", data: { subject: "Grüße" } });

test("any one of several space-separated signatures may match; other versions are ignored", () => {
  const headers = { "Webhook-Id": "evt_1", "Webhook-Timestamp": String(now), "Webhook-Signature": `v2,abc v1,AAAA ${sign("evt_1", now, body)}` };
  assert.equal(verifyWebhook(body, headers, secret).type, "email.sent");
});

test("a Headers object, bytes and array header values work", () => {
  const headers = new Headers({ "webhook-id": "evt_1", "webhook-timestamp": String(now), "webhook-signature": sign("evt_1", now, body) });
  assert.equal(new Webhook(secret).verify(Buffer.from(body, "utf8"), headers).id, "evt_1");
  const node = { "webhook-id": ["evt_1"], "webhook-timestamp": [String(now)], "webhook-signature": [sign("evt_1", now, body)] };
  assert.equal(verifyWebhook(new TextEncoder().encode(body), node, secret).id, "evt_1");
});

test("missing headers, a changed id, a future timestamp and a bad timestamp are refused", () => {
  const good = { "webhook-id": "evt_1", "webhook-timestamp": String(now), "webhook-signature": sign("evt_1", now, body) };
  for (const name of Object.keys(good)) {
    const { [name]: _, ...missing } = good;
    assert.throws(() => verifyWebhook(body, missing, secret), WebhookVerificationError);
  }
  assert.throws(() => verifyWebhook(body, { ...good, "webhook-id": "evt_2" }, secret), /No webhook-signature matches/);
  const future = now + 600;
  assert.throws(() => verifyWebhook(body, { ...good, "webhook-timestamp": String(future), "webhook-signature": sign("evt_1", future, body) }, secret), /future/);
  assert.throws(() => verifyWebhook(body, { ...good, "webhook-timestamp": "yesterday" }, secret), WebhookVerificationError);
});

test("the tolerance is configurable", () => {
  const old = now - 400;
  const headers = { "webhook-id": "evt_1", "webhook-timestamp": String(old), "webhook-signature": sign("evt_1", old, body) };
  assert.throws(() => verifyWebhook(body, headers, secret), /too old/);
  assert.equal(verifyWebhook(body, headers, secret, { toleranceSeconds: 600 }).id, "evt_1");
});

test("a secret that is not whsec_ base64 is refused at once", () => {
  assert.throws(() => new Webhook(""), TypeError);
  assert.throws(() => new Webhook("whsec_"), TypeError);
});
