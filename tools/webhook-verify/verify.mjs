// Reads {"secret": "whsec_...", "deliveries": [{"id", "timestamp", "signature", "body"}]} on stdin and prints one line per
// delivery: "ok" when the Standard Webhooks reference library accepts it, otherwise "refused: <reason>".
import { Webhook } from "standardwebhooks";

let input = "";
for await (const chunk of process.stdin) {
  input += chunk;
}

const { secret, deliveries } = JSON.parse(input);
const webhook = new Webhook(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret);
for (const d of deliveries) {
  try {
    webhook.verify(d.body, { "webhook-id": d.id, "webhook-timestamp": d.timestamp, "webhook-signature": d.signature });
    console.log("ok");
  } catch (e) {
    console.log("refused: " + (e && e.message ? e.message : String(e)));
  }
}
