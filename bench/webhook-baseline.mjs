// The baseline of bench/webhooks.sh: a plain HTTP POST loop (Node's http with a keep-alive agent) posting the bodies
// and webhook headers the server delivered (one JSON line each, from webhook-receiver.py) to the same receiver,
// CONCURRENCY in flight. Prints "<requests> <requests per second>".
// Usage: node webhook-baseline.mjs RECEIVED.jsonl URL CONCURRENCY
import { readFileSync } from "node:fs";
import http from "node:http";

const [file, url, concurrency] = process.argv.slice(2);
const requests = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(concurrency) });
const target = new URL(url);

function post(r) {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(r.body);
    const req = http.request({
      host: target.hostname, port: target.port, path: target.pathname, method: "POST", agent,
      headers: {
        "content-type": "application/json", "content-length": body.length, "user-agent": "bench-baseline",
        "webhook-id": r.id, "webhook-timestamp": r.timestamp, "webhook-signature": r.signature,
      },
    }, (res) => {
      res.resume();
      res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on("error", reject);
    req.end(body);
  });
}

let next = 0;
async function worker() {
  while (next < requests.length) await post(requests[next++]);
}
const start = process.hrtime.bigint();
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(`${requests.length} ${(requests.length / seconds).toFixed(1)}`);
agent.destroy();
