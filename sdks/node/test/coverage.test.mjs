// Every public operation of the served OpenAPI document (under /api/v1/) is in sdks/operations.json and has its
// method on the client (and its ...All variant when paged); and every listed operation is still in the document.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { Client } from "../dist/esm/index.js";
import { env } from "./env.mjs";

const { operations } = JSON.parse(readFileSync(new URL("../../operations.json", import.meta.url), "utf8"));
const METHODS = ["get", "post", "put", "patch", "delete"];

test("every public operation of the served OpenAPI document has an SDK method", async () => {
  const doc = await (await fetch(env.openApiUrl)).json();
  const served = Object.entries(doc.paths)
    .filter(([path]) => path.startsWith("/api/v1/"))
    .flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((m) => ({ path, method: m.toUpperCase(), id: item[m].operationId })));
  assert.ok(served.length >= 60, `the document lists ${served.length} operations`);

  const client = new Client("pm_test_coverage", { baseUrl: env.baseUrl });
  const problems = [];
  for (const op of served) {
    const listed = operations.find((o) => o.operation_id === op.id);
    if (!listed) {
      problems.push(`${op.id} (${op.method} ${op.path}) is not in sdks/operations.json`);
      continue;
    }
    if (listed.method !== op.method || listed.path !== op.path) problems.push(`${op.id}: operations.json says ${listed.method} ${listed.path}`);
    const resource = client[listed.resource];
    if (typeof resource?.[listed.name] !== "function") problems.push(`${op.id}: no client.${listed.resource}.${listed.name}()`);
    if (listed.paged && typeof resource?.[`${listed.name}All`] !== "function") problems.push(`${op.id}: no client.${listed.resource}.${listed.name}All()`);
  }
  for (const listed of operations) {
    if (!served.some((op) => op.id === listed.operation_id)) problems.push(`${listed.operation_id} is in operations.json but not served`);
  }
  assert.deepEqual(problems, []);
});

test("methods take the path parameters first, in path order", () => {
  const client = new Client("pm_test_coverage", { baseUrl: env.baseUrl });
  for (const o of operations) {
    const method = client[o.resource][o.name];
    // path params, then the body, then the query object (with a default), then the options (with a default)
    const positional = o.path_params.length + (o.body ? 1 : 0);
    assert.ok(method.length <= positional + 1 && method.length >= Math.min(positional, o.path_params.length), `${o.operation_id}: ${method.length} required arguments`);
  }
});
