// The API key is sent as a Bearer token and never shows in console output, JSON, error messages or stacks.
import assert from "node:assert/strict";
import { test } from "node:test";
import { inspect } from "node:util";
import { AuthenticationError, Client, ConnectionError, NotFoundError, PermissionDeniedError } from "../dist/esm/index.js";
import { env, proxied, proxy } from "./env.mjs";

const everything = (value) => [inspect(value, { showHidden: true, depth: 10, getters: true }), JSON.stringify(value) ?? "", String(value), value?.stack ?? ""].join("\n");

test("the key is not in the client's inspect or JSON output", () => {
  const client = new Client(env.apiKey, { baseUrl: env.baseUrl });
  const out = everything(client) + everything(client.emails) + inspect(client.emails, { showHidden: true, depth: 10 });
  assert.ok(!out.includes(env.apiKey));
  assert.ok(!out.includes(env.apiKey.slice(-20)));
  assert.match(inspect(client), /baseUrl/);
});

test("an unknown key is an AuthenticationError that does not carry the key", async () => {
  const bad = "pm_live_" + "x".repeat(56);
  const error = await new Client(bad, { baseUrl: env.baseUrl }).account.get().then(() => undefined, (e) => e);
  assert.ok(error instanceof AuthenticationError, String(error));
  assert.equal(error.status, 401);
  assert.match(error.code, /^(INVALID_API_KEY|AUTHENTICATION_REQUIRED)$/);
  assert.ok(!everything(error).includes(bad));
});

test("connection errors do not carry the key", async () => {
  const client = new Client(env.apiKey, { baseUrl: "http://127.0.0.1:9", maxRetries: 0 });
  const error = await client.emails.list().then(() => undefined, (e) => e);
  assert.ok(error instanceof ConnectionError);
  assert.ok(!everything(error).includes(env.apiKey));
  assert.ok(!everything(error.cause).includes(env.apiKey));
});

test("the key goes as Authorization: Bearer", async () => {
  await proxy.reset();
  await proxied().account.get();
  const [seen] = await proxy.requests("GET", "/api/v1/me");
  assert.match(seen.headers.authorization, /^Bearer pm_live_/);
  assert.match(seen.headers["user-agent"], /^penguinmails-node\/1\.0\.0 /);
});

test("404 and 403 are typed", async () => {
  const missing = await new Client(env.apiKey, { baseUrl: env.baseUrl }).emails.get("msg_00000000000000000000000000000000").then(() => undefined, (e) => e);
  assert.ok(missing instanceof NotFoundError, String(missing));
  assert.equal(missing.status, 404);
  const created = await new Client(env.apiKey, { baseUrl: env.baseUrl }).apiKeys.create({ name: "read only for the 403 test", preset: "read_only" });
  try {
    const readOnly = new Client(created.key, { baseUrl: env.baseUrl });
    const refused = await readOnly.emails.send({ from: env.sender, to: "x@example.com", subject: "x", text_body: "x" }).then(() => undefined, (e) => e);
    assert.ok(refused instanceof PermissionDeniedError, String(refused));
    assert.equal(refused.code, "INSUFFICIENT_PERMISSIONS");
    assert.ok(!everything(refused).includes(created.key));
  } finally {
    await new Client(env.apiKey, { baseUrl: env.baseUrl }).apiKeys.revoke(created.api_key.id);
  }
});

test("bad settings are refused without echoing the key", () => {
  assert.throws(() => new Client(""), TypeError);
  assert.throws(() => new Client("pm_live_abc def"), (e) => e instanceof TypeError && !e.message.includes("abc"));
  assert.throws(() => new Client("pm_live_x", { baseUrl: "localhost:5080" }), TypeError);
  assert.throws(() => new Client("pm_live_x", { maxRetries: -1 }), TypeError);
});
