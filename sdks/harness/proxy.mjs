// The SDK suites' chaos proxy: forwards every request to the server and, on demand, loses an answer or refuses a
// request, so each SDK can show how it retries. Plain Node, no dependencies.
//
//   node proxy.mjs --target http://127.0.0.1:5080 --ready-file /tmp/x.json
//
// Listens on two free loopback ports and writes {"proxy_url", "control_url"} to --ready-file once both listen.
// Control API (JSON):
//   POST /drop-next  {"method"?, "path"}      the next matching request is forwarded, the server's whole answer
//                                             read, then the client's socket destroyed without an answer
//   POST /fail-next  {"method"?, "path", "status", "headers"?, "body"?}
//                                             the next matching request is answered with this status and never
//                                             forwarded (e.g. 503 with Retry-After, or 502)
//   GET  /requests                            every request the proxy saw, oldest first:
//                                             {method, path, query, headers, action, status}; headers with
//                                             lower-case names, Authorization redacted
//   POST /reset                               forget the requests and every pending rule
// Rules match on the method (any when absent) and the path without its query string; each acts once, in order.
import http from "node:http";
import { writeFileSync } from "node:fs";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
if (!args.target) {
  console.error("usage: node proxy.mjs --target <server url> [--ready-file <path>]");
  process.exit(2);
}
const target = new URL(args.target);

let seen = [];
let rules = [];

function takeRule(method, path) {
  const i = rules.findIndex((r) => (!r.method || r.method.toUpperCase() === method) && r.path === path);
  return i < 0 ? null : rules.splice(i, 1)[0];
}

function readBody(stream) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    stream.on("data", (c) => chunks.push(c));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}

function recordedHeaders(headers) {
  const copy = { ...headers };
  if (copy.authorization) {
    copy.authorization = copy.authorization.replace(/^(\S+\s+\S{0,12}).*$/, "$1…(redacted)");
  }
  return copy;
}

function forward(req, body) {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: target.host };
    delete headers.connection;
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent: false },
      async (res) => {
        try {
          resolve({ status: res.statusCode, headers: res.headers, body: await readBody(res) });
        } catch (e) {
          reject(e);
        }
      },
    );
    upstream.on("error", reject);
    upstream.end(body);
  });
}

const proxy = http.createServer(async (req, res) => {
  const url = new URL(req.url, "http://proxy");
  const entry = {
    method: req.method,
    path: url.pathname,
    query: url.search,
    headers: recordedHeaders(req.headers),
    action: "forwarded",
    status: null,
  };
  seen.push(entry);
  const rule = takeRule(req.method, url.pathname);
  try {
    const body = await readBody(req);
    if (rule?.kind === "fail") {
      entry.action = "failed";
      entry.status = rule.status;
      const text = rule.body ?? JSON.stringify({
        success: false,
        error: { code: "PROXY_FAILURE", message: `The chaos proxy answered ${rule.status}.`, details: [], request_id: "req_proxy", documentation_url: "/docs/errors" },
        timestamp: new Date().toISOString(),
      });
      res.writeHead(rule.status, { "content-type": "application/json", ...(rule.headers ?? {}) });
      res.end(text);
      return;
    }
    const answer = await forward(req, body);
    entry.status = answer.status;
    if (rule?.kind === "drop") {
      entry.action = "dropped";
      req.socket.destroy();
      return;
    }
    const headers = { ...answer.headers };
    delete headers["transfer-encoding"];
    delete headers.connection;
    headers["content-length"] = String(answer.body.length);
    res.writeHead(answer.status, headers);
    res.end(answer.body);
  } catch (e) {
    entry.action = "upstream-error";
    res.writeHead(502, { "content-type": "text/plain" });
    res.end(`chaos proxy: the server did not answer (${e.code ?? e.message})`);
  }
});

function json(res, status, value) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
}

const control = http.createServer(async (req, res) => {
  const path = new URL(req.url, "http://control").pathname;
  let input = {};
  try {
    const text = (await readBody(req)).toString("utf8");
    input = text ? JSON.parse(text) : {};
  } catch {
    return json(res, 400, { error: "the body is not JSON" });
  }
  if (req.method === "GET" && path === "/requests") return json(res, 200, seen);
  if (req.method === "POST" && path === "/reset") {
    seen = [];
    rules = [];
    return json(res, 200, { ok: true });
  }
  if (req.method === "POST" && (path === "/drop-next" || path === "/fail-next")) {
    if (typeof input.path !== "string" || !input.path.startsWith("/")) return json(res, 400, { error: "path is required, e.g. /api/v1/emails/send" });
    if (path === "/fail-next" && !(Number.isInteger(input.status) && input.status >= 400 && input.status <= 599)) {
      return json(res, 400, { error: "status is required: 400 to 599" });
    }
    rules.push({ kind: path === "/drop-next" ? "drop" : "fail", method: input.method, path: input.path, status: input.status, headers: input.headers, body: input.body });
    return json(res, 200, { ok: true, pending: rules.length });
  }
  return json(res, 404, { error: "GET /requests, POST /drop-next, POST /fail-next, POST /reset" });
});

const listen = (server) => new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server.address().port)));
const [proxyPort, controlPort] = await Promise.all([listen(proxy), listen(control)]);
const ready = { proxy_url: `http://127.0.0.1:${proxyPort}`, control_url: `http://127.0.0.1:${controlPort}` };
if (args["ready-file"]) writeFileSync(args["ready-file"], JSON.stringify(ready));
console.log(JSON.stringify(ready));
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => process.exit(0));
