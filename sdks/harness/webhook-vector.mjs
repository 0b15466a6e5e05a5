// Writes a Standard Webhooks test vector, signed now by the reference library (npm standardwebhooks, pinned in
// tools/webhook-verify), so every SDK's verifier is checked against the reference rather than against itself:
//   node webhook-vector.mjs <out.json>
// {secret: "whsec_<base64>", id, timestamp (Unix seconds, string), payload (the exact body), signature ("v1,<base64>"),
//  headers: {webhook-id, webhook-timestamp, webhook-signature},
//  stale: {timestamp, signature} — the same message correctly signed 10 minutes ago (must fail the 5-minute tolerance)}
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "../../tools/webhook-verify/package.json"));
const { Webhook } = require("standardwebhooks");

const out = process.argv[2];
if (!out) {
  console.error("usage: node webhook-vector.mjs <out.json>");
  process.exit(2);
}
const secret = "whsec_" + randomBytes(32).toString("base64");
const id = "evt_" + randomBytes(12).toString("hex");
const now = Math.floor(Date.now() / 1000);
const payload = JSON.stringify({
  id,
  type: "email.delivered",
  created_at: new Date(now * 1000).toISOString(),
  data: { email_id: "msg_" + randomBytes(16).toString("hex"), to: "dörte@example.com", subject: "Grüße — ✓" },
});
const webhook = new Webhook(secret);
const signature = webhook.sign(id, new Date(now * 1000), payload);
const staleTimestamp = now - 600;
const vector = {
  secret,
  id,
  timestamp: String(now),
  payload,
  signature,
  headers: { "webhook-id": id, "webhook-timestamp": String(now), "webhook-signature": signature },
  stale: { timestamp: String(staleTimestamp), signature: webhook.sign(id, new Date(staleTimestamp * 1000), payload) },
};
webhook.verify(payload, vector.headers); // the reference accepts its own vector
writeFileSync(out, JSON.stringify(vector, null, 2));
