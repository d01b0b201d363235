#!/usr/bin/env node
// Launcher: runs the CLI bundled into dist/ by esbuild, re-bundling first when any package's
// source is newer than the bundle. One bundled file starts in a fraction of what on-the-fly
// TypeScript would take, and nobody has to remember a build step.
import { existsSync, readdirSync, renameSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const cliDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const packagesDir = join(cliDir, "..");
const bundle = join(cliDir, "dist", "ocistage.mjs");
// The compression pool's worker thread loads a file of its own, beside the bundle (compressionPool.ts).
const worker = join(cliDir, "dist", "compressWorker.mjs");
const workerSource = join(packagesDir, "build", "src", "compress", "compressWorker.mjs");

const newestSource = (dir) => {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts") || entry.name.endsWith(".mjs")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
};

const stale = () => {
  if (!existsSync(bundle) || !existsSync(worker)) return true;
  const built = statSync(bundle).mtimeMs;
  for (const pkg of readdirSync(packagesDir)) {
    const src = join(packagesDir, pkg, "src");
    if (existsSync(src) && newestSource(src) > built) return true;
  }
  return false;
};

if (stale()) {
  const { buildSync } = await import("esbuild");
  const common = {
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // fs-xattr loads its native addon from beside its own index.js, tinypool its worker entry and
    // @bokuweb/zstd-wasm its zstd.wasm: they stay packages. undici and cli-progress (1.3 MB, only
    // push and pull load them) stay packages too, so no other command parses them at start-up.
    external: ["esbuild", "fs-xattr", "tinypool", "@bokuweb/zstd-wasm", "undici", "cli-progress"],
    banner: { js: "import { createRequire as __ocistageRequire } from 'node:module'; const require = __ocistageRequire(import.meta.url);" },
    logLevel: "error",
  };
  const temporary = `${bundle}.${process.pid}.tmp`;
  const temporaryWorker = `${worker}.${process.pid}.tmp`;
  buildSync({ ...common, entryPoints: [workerSource], outfile: temporaryWorker });
  buildSync({ ...common, entryPoints: [join(cliDir, "src", "main.ts")], outfile: temporary });
  // Atomic: a concurrent run sees the old files or the new ones (the worker first, which the old bundle can use too).
  renameSync(temporaryWorker, worker);
  renameSync(temporary, bundle);
}
await import(pathToFileURL(bundle).href);
