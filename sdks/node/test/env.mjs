// The harness's environment (sdks/harness/README.md) and small helpers shared by the tests.
import { randomUUID } from "node:crypto";
import { Client } from "../dist/esm/index.js";

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with sdks/run-tests.sh node (see sdks/harness/README.md)`);
  return value;
}

export const env = {
  get baseUrl() { return required("PENGUINMAILS_BASE_URL"); },
  get apiKey() { return required("PENGUINMAILS_API_KEY"); },
  get limitedApiKey() { return required("PENGUINMAILS_LIMITED_API_KEY"); },
  get sender() { return required("PENGUINMAILS_SENDER"); },
  get openApiUrl() { return required("PENGUINMAILS_OPENAPI_URL"); },
  get proxyUrl() { return required("PENGUINMAILS_PROXY_URL"); },
  get harnessUrl() { return required("PENGUINMAILS_HARNESS_URL"); },
  get webhookVector() { return required("PENGUINMAILS_WEBHOOK_VECTOR"); },
};

/** A client on the server, direct. */
export const direct = (options = {}) => new Client(env.apiKey, { baseUrl: env.baseUrl, ...options });

/** A client through the chaos proxy, with short retry delays. */
export const proxied = (options = {}) =>
  new Client(env.apiKey, { baseUrl: env.proxyUrl, initialRetryDelayMs: 50, maxRetryDelayMs: 2000, ...options });

export const unique = (prefix) => `${prefix}-${randomUUID().slice(0, 12)}`;
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function control(method, path, body) {
  const res = await fetch(env.harnessUrl + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`harness ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** The chaos proxy's control API. */
export const proxy = {
  reset: () => control("POST", "/reset", {}),
  dropNext: (method, path) => control("POST", "/drop-next", { method, path }),
  failNext: (method, path, status, headers) => control("POST", "/fail-next", { method, path, status, headers }),
  requests: async (method, path) =>
    (await control("GET", "/requests")).filter((r) => (!method || r.method === method) && (!path || r.path === path)),
};
