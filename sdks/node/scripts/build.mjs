// npm run build: src/*.ts → dist/esm (ES modules) and dist/cjs (CommonJS), each with its .d.ts files and a
// package.json that tells Node which module system the folder holds.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
rmSync(join(root, "dist"), { recursive: true, force: true });
const run = (...args) => {
  try {
    execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.json"), ...args], { stdio: "inherit", cwd: root });
  } catch {
    process.exit(1); // tsc printed the errors
  }
};
run("--outDir", "dist/esm");
run("--outDir", "dist/cjs", "--module", "CommonJS", "--moduleResolution", "Node10");
for (const [folder, type] of [["esm", "module"], ["cjs", "commonjs"]]) {
  mkdirSync(join(root, "dist", folder), { recursive: true });
  writeFileSync(join(root, "dist", folder, "package.json"), JSON.stringify({ type }) + "\n");
}
