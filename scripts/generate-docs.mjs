#!/usr/bin/env node
// Regenerate docs/examples/<name>.md for every folder in examples/, with `ocistage docs`.
// SOURCE_DATE_EPOCH is pinned to 0, as the test that checks the pages renders them, so a
// page only changes when its spec, its evidence.json or the views change.
// Usage: node scripts/generate-docs.mjs
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "packages", "cli", "bin", "ocistage.mjs");
const examples = readdirSync(join(root, "examples"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

mkdirSync(join(root, "docs", "examples"), { recursive: true });
let failed = 0;
for (const name of examples) {
  const page = join("docs", "examples", `${name}.md`);
  const result = spawnSync(process.execPath, [cli, "docs", join("examples", name), "-o", page], {
    cwd: root,
    env: { ...process.env, SOURCE_DATE_EPOCH: "0" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (result.status !== 0) {
    failed++;
    process.stderr.write(`generate-docs: ${name} failed (exit ${result.status ?? result.signal})\n`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
