// The package as users load it: require() as the spec writes it, import (named and default), type definitions.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";
import penguinmails, { Client, PenguinMailsError, ValidationError } from "@penguinmails/sdk";

const require = createRequire(import.meta.url);

test("require('@penguinmails/sdk') then new penguinmails.Client('pm_live_...') works as the spec writes it", () => {
  const cjs = require("@penguinmails/sdk");
  const client = new cjs.Client("pm_live_example", { baseUrl: "http://127.0.0.1:1" });
  assert.equal(typeof client.emails.send, "function");
  assert.equal(typeof client.contacts.bulkImport, "function");
  assert.equal(typeof client.contacts.listAll, "function");
  assert.equal(client.baseUrl, "http://127.0.0.1:1");
  assert.ok(new cjs.ValidationError("x") instanceof cjs.PenguinMailsError);
  assert.equal(new cjs.Client("pm_live_example").baseUrl, "http://localhost:5080", "the default base URL");
});

test("import { Client } and the default export", () => {
  assert.equal(typeof Client, "function");
  assert.equal(penguinmails.Client, Client);
  assert.ok(new ValidationError("x") instanceof PenguinMailsError);
  assert.ok(new penguinmails.Client("pm_live_example").emails);
});

test("a CommonJS program and an ES module program both run", () => {
  const cjs = execFileSync(process.execPath, ["-e", "const p = require('@penguinmails/sdk'); console.log(typeof new p.Client('pm_live_x').emails.send)"], { cwd: new URL("..", import.meta.url) });
  assert.equal(cjs.toString().trim(), "function");
  const esm = execFileSync(process.execPath, ["--input-type=module", "-e", "import { Client } from '@penguinmails/sdk'; console.log(typeof new Client('pm_live_x').emails.send)"], { cwd: new URL("..", import.meta.url) });
  assert.equal(esm.toString().trim(), "function");
});

test("the package declares ESM, CommonJS and types, version 1.0.0, and ships its type definitions", () => {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  assert.equal(pkg.name, "@penguinmails/sdk");
  assert.equal(pkg.version, "1.0.0");
  assert.deepEqual(pkg.dependencies ?? {}, {}, "no runtime dependency");
  for (const file of [pkg.exports["."].import.types, pkg.exports["."].require.types, pkg.types, pkg.main, pkg.module]) {
    assert.ok(existsSync(new URL(`../${file}`, import.meta.url)), file);
  }
  const dts = readFileSync(new URL("../dist/esm/resources.d.ts", import.meta.url), "utf8");
  assert.match(dts, /send\(body: SendEmailRequest, options\?: RequestOptions\): Promise<SendEmailResponse>/);
  assert.match(dts, /listAll\(query\?: ListContactsQuery, options\?: RequestOptions\): AsyncGenerator<ContactResponse/);
});
