#!/usr/bin/env node
// Launcher: runs the CLI bundled into dist/ by esbuild, re-bundling first when any package's
// source is newer than the bundle. One bundled file starts in a fraction of what on-the-fly
// TypeScript would take, and nobody has to remember a build step.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const cliDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const packagesDir = join(cliDir, "..");
const distDir = join(cliDir, "dist");
const bundle = join(distDir, "ocistage.mjs");
const verbsDir = join(distDir, "verbs");

// The compression pool's worker thread loads a file of its own, beside the verbs' bundles (compressionPool.ts).
const worker = join(verbsDir, "compressWorker.mjs");
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
  if (!existsSync(bundle) || !existsSync(worker) || !existsSync(verbsDir)) return true;
  const built = statSync(bundle).mtimeMs;
  for (const pkg of readdirSync(packagesDir)) {
    const src = join(packagesDir, pkg, "src");
    if (existsSync(src) && newestSource(src) > built) return true;
  }
  return false;
};

// fp-ts and io-ts ship ES modules beside their CommonJS: bundling those lets esbuild drop what
// no command uses and spares the start-up the CommonJS-to-ESM copying (~0.05 s).
const esModules = {
  name: "es-modules",
  setup(build) {
    build.onResolve({ filter: /^fp-ts\/lib\// }, (args) => build.resolve(args.path.replace("fp-ts/lib/", "fp-ts/es6/"), { kind: args.kind, resolveDir: args.resolveDir }));
    build.onResolve({ filter: /^io-ts$/ }, (args) => build.resolve("io-ts/es6/index.js", { kind: args.kind, resolveDir: args.resolveDir }));
  },
};

const rebuild = async () => {
  const { build } = await import("esbuild");
  const common = {
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // fs-xattr loads its native addon from beside its own index.js, tinypool its worker entry and
    // @bokuweb/zstd-wasm its zstd.wasm: they stay packages. undici and cli-progress (1.3 MB, only
    // push and pull load them) stay packages too, so no other command parses them at start-up.
    external: ["esbuild", "fs-xattr", "tinypool", "@bokuweb/zstd-wasm", "cli-progress"],
    banner: { js: "import { createRequire as __ocistageRequire } from 'node:module'; const require = __ocistageRequire(import.meta.url);" },
    plugins: [esModules],
    logLevel: "silent", // a failure is reported below, once
  };
  // One bundle per verb (runCommand.ts imports a verb's module when that verb runs), each
  // tree-shaken on its own: `push` parses ~0.15 MB, not the spec reader, builders and emitters.
  // esbuild's code splitting would share chunks instead, but it loads every chunk a package's
  // index touches, so a verb importing one function from @ocistage/build paid for all of it.
  // The verbs are the modules runCommand.ts imports dynamically: found while the entry is bundled.
  const verbs = new Set();
  const verbsSeparately = {
    name: "verbs-separately",
    setup(build) {
      build.onResolve({ filter: /^\.\/commands\/[^/]+\.ts$/ }, (args) => {
        if (args.kind !== "dynamic-import") return undefined;
        const verb = args.path.slice("./commands/".length, -".ts".length);
        verbs.add(verb);
        return { path: `./verbs/${verb}.mjs`, external: true };
      });
    },
  };
  const temporary = join(distDir, `.build.${process.pid}`);
  const outputs = { outdir: temporary, outExtension: { ".js": ".mjs" } };
  await build({ ...common, ...outputs, entryPoints: { ocistage: join(cliDir, "src", "main.ts") }, plugins: [...common.plugins, verbsSeparately] });
  await build({
    ...common,
    ...outputs,
    entryPoints: {
      "verbs/compressWorker": workerSource,
      ...Object.fromEntries([...verbs].map((verb) => [`verbs/${verb}`, join(cliDir, "src", "commands", `${verb}.ts`)])),
    },
  });
  // Renamed one by one, the verbs (and the worker) first and the entry last: a concurrent run
  // starts from the old entry or the new one (an old entry may load a new verb: the verbs'
  // exports and the CliError values they return change rarely, and a rebuild is a developer's).
  mkdirSync(verbsDir, { recursive: true });
  for (const file of readdirSync(join(temporary, "verbs"))) renameSync(join(temporary, "verbs", file), join(verbsDir, file));
  renameSync(join(temporary, "ocistage.mjs"), bundle);
  rmSync(temporary, { recursive: true, force: true });
};

if (stale()) {
  try {
    await rebuild();
  } catch (error) {
    // Not the CLI's own failure: say what is wrong with the installation and how to mend it,
    // with the environment's exit code (3), not a stack trace.
    try {
      rmSync(join(distDir, `.build.${process.pid}`), { recursive: true, force: true });
    } catch {
      // nothing was made there
    }
    const first = error?.errors?.[0];
    process.stderr.write(
      first?.location
        ? `ocistage: the CLI could not be bundled from its sources: ${first.location.file}:${first.location.line}:${first.location.column}: ${first.text}\n`
        : `ocistage: the CLI's bundle in ${distDir} is older than its sources and could not be rebuilt: ${first?.text ?? String(error?.message ?? error).split("\n")[0]}\n` +
            `Run any ocistage command once as a user who may write there (e.g. \`node ${fileURLToPath(import.meta.url)} --version\`), or run scripts/setup again.\n`,
    );
    process.exit(3);
  }
}
await import(pathToFileURL(bundle).href);
