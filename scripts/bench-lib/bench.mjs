// scripts/bench: ocistage against GNU tar + sha256sum, umoci, buildah and openssl, on generated
// trees, as whole processes. Prints the tables and writes them to docs/performance.md.
// Options: --dir DIR (work folder, default $OCISTAGE_BENCH_DIR or /tmp/ocistage-bench),
// --quick (one run of each heavy case, to try the script), --no-write (print only),
// --compression-only (the compressed-layer cases of compression.mjs alone, printed).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, lstatSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { makeTrees } from "./makeTrees.mjs";
import { measure, once } from "./measure.mjs";
import { renderReport } from "./report.mjs";
import { benchPush, PUSH_TOOLS, renderPush } from "./pushBench.mjs";
import { compressionCases } from "./compression.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const valueOf = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const work = path.resolve(valueOf("--dir", process.env.OCISTAGE_BENCH_DIR ?? "/tmp/ocistage-bench"));
const quick = flag("--quick");
// Only the compressed-layer cases (compression.mjs), printed, docs/performance.md left alone.
const compressionOnly = flag("--compression-only");
const heavyRuns = quick ? 1 : 3;
const lightRuns = quick ? 3 : 10;
// --only build,ten,views,push: those sections alone (printed, never written to docs/performance.md).
const only = valueOf("--only", "").split(",").filter((x) => x !== "");
const want = (section) => only.length === 0 || only.includes(section);

const TOOLS = ["hyperfine", "/usr/bin/time", "tar", "sha256sum", "openssl", "umoci", "buildah", "node", "pigz", ...(want("push") ? PUSH_TOOLS : [])];
const missing = TOOLS.filter((t) => {
  try {
    execFileSync("bash", ["-c", `command -v ${t}`], { stdio: "ignore" });
    return false;
  } catch {
    return true;
  }
});
if (missing.length > 0) {
  process.stderr.write(`bench: missing tools: ${missing.join(", ")}; run scripts/setup (it installs scripts/system-tools.txt)\n`);
  process.exit(3);
}

const q = (s) => `'${String(s).replaceAll("'", "'\\''")}'`;
const cli = `node ${q(path.join(repo, "packages/cli/bin/ocistage.mjs"))}`;
const out = (name) => path.join(work, "out", name);
// The build cache of the bench's builds: its own, wiped with the output for a cold build (the
// CLI's default, the user's ~/.cache/ocistage, would serve a "cold" build from earlier runs).
const cacheHome = path.join(work, "cache");
process.env.XDG_CACHE_HOME = cacheHome;
const wipe = (dir) => `rm -rf ${q(dir)} ${q(cacheHome)}`;
const GNU_TAR = "tar --format=gnu -b1 --sort=name --numeric-owner --owner=0 --group=0 --mtime=@0 --mode=go=u,go-w";
// buildah with its own vfs store, so nothing outside the work folder is touched.
const buildah = (store) => `buildah --storage-driver vfs --root ${q(path.join(store, "root"))} --runroot ${q(path.join(store, "run"))}`;

const bytesUnder = (dir) => {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const s = lstatSync(p);
    total += s.isDirectory() ? bytesUnder(p) : s.isFile() ? s.size : 0;
  }
  return total;
};

const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");
const startedAt = new Date();
const loadBefore = loadAverage();

mkdirSync(path.join(work, "out"), { recursive: true });
const treeNames = compressionOnly ? ["many"] : [...new Set([...(want("build") ? ["small", "many", "big"] : []), ...(want("ten") || want("push") ? ["ten"] : []), ...(want("views") ? ["wide"] : []), ...(want("push") ? ["big"] : [])])];
const trees = makeTrees(path.join(work, "trees"), treeNames);
// The bundle is rebuilt by the first run after a source change: not by a measured one.
once("node", [path.join(repo, "packages/cli/bin/ocistage.mjs"), "--version"]);

// Checks, outside the timings, that a no-op rebuild reuses everything and that a one-file
// change rebuilds exactly its layer: the timings would mean nothing otherwise.
const buildJson = (spec, dir) => JSON.parse(once("bash", ["-c", `${cli} build ${q(spec)} --out ${q(dir)} --json`]));
const expectSources = (json, expected, what) => {
  const actual = Object.fromEntries(json.cache.layers.map((l) => [l.layer, l.source]));
  for (const [layer, source] of Object.entries(actual))
    if (source !== (expected[layer] ?? expected["*"])) throw new Error(`bench: ${what}: layer ${layer} was ${source}, expected ${expected[layer] ?? expected["*"]}`);
  return actual;
};

const results = [];
const breakdowns = {};
const run = (c) => {
  const r = measure(c, work);
  results.push({ ...r, tree: c.tree, tool: c.tool, kind: c.kind });
  return r;
};

if (compressionOnly) {
  const { renderCompressionOnly } = await import("./compressionOnly.mjs");
  const tree = trees.many;
  compressionCases({ run, tree, bytes: bytesUnder(path.join(tree.dir, "root")), cli, q, out, wipe, gnuTar: GNU_TAR, runs: heavyRuns, withUmoci: true });
  process.stdout.write(`\n${renderCompressionOnly(results, loadBefore, loadAverage())}\n`);
  writeFileSync(path.join(work, "results-compression.json"), JSON.stringify(results, null, 2));
  rmSync(path.join(work, "out"), { recursive: true, force: true });
  process.exit(0);
}

// The trees with image data: each gets the same treatment from every tool.
for (const name of want("build") ? ["small", "many", "big"] : []) {
  const { dir, spec } = trees[name];
  const root = path.join(dir, "root");
  const bytes = bytesUnder(root);
  const o = out(name);
  const heavy = name !== "small";
  const runs = heavy ? heavyRuns : lightRuns;
  const common = { tree: name, bytes };
  run({ ...common, id: `${name}-gnutar`, tool: "GNU tar | sha256sum", kind: "baseline", label: `${name}: GNU tar --sort=name | sha256sum`, command: `${GNU_TAR} -C ${q(root)} -cf - . | sha256sum >/dev/null`, runs, warmup: 1 });
  run({ ...common, id: `${name}-cold`, tool: "ocistage build", kind: "cold", label: `${name}: ocistage build (cold)`, prepare: `${wipe(o)}; sync`, command: `${cli} build ${q(spec)} --out ${q(o)} >/dev/null`, runs, warmup: 0 });
  // One more cold build, with --json, for where its time goes (not timed by hyperfine).
  once("bash", ["-c", `${wipe(o)}; sync`]);
  breakdowns[name] = buildJson(spec, o).timings;
  const noop = buildJson(spec, o);
  expectSources(noop, { "*": "reused" }, `${name}: the no-op rebuild`);
  if (noop.cache.archive !== "reused") throw new Error(`bench: ${name}: the no-op rebuild wrote image.oci.tar again`);
  run({ ...common, id: `${name}-noop`, tool: "ocistage build", kind: "noop", label: `${name}: ocistage build (no-op rebuild)`, setup: "sync", command: `${cli} build ${q(spec)} --out ${q(o)} >/dev/null`, runs: lightRuns, warmup: 1 });
  if (name === "many") {
    // The floor of a no-op rebuild: lstat every input (in C), and start node.
    run({ ...common, id: `${name}-find`, tool: "find (lstat only)", kind: "reference", label: `${name}: find -printf of size, mtime, ctime, inode (every lstat, in C)`, command: `find ${q(root)} -printf '%s %T@ %C@ %i\\n' >/dev/null`, runs: lightRuns, warmup: 1 });
    run({ ...common, bytes: 0, id: "node-start", tool: "node -e 0", kind: "reference", label: `${name}: node -e 0 (starting node, nothing else)`, command: "node -e 0", runs: lightRuns, warmup: 1 });
  }
  if (name === "many") compressionCases({ run, tree: trees.many, bytes, cli, q, out, wipe, gnuTar: GNU_TAR, runs, withUmoci: false });
  if (name === "many")
    run({ ...common, id: `${name}-verify`, tool: "ocistage build --verify-inputs", kind: "verify", label: `${name}: ocistage build --verify-inputs (no-op)`, setup: "sync", command: `${cli} build ${q(spec)} --out ${q(o)} --verify-inputs >/dev/null`, runs, warmup: 0 });
  rmSync(o, { recursive: true, force: true });
  rmSync(cacheHome, { recursive: true, force: true });
  const layout = out(`${name}-umoci`);
  run({ ...common, id: `${name}-umoci`, tool: "umoci", kind: "baseline", label: `${name}: umoci init + new + insert`, prepare: `rm -rf ${q(layout)}; sync`, command: `umoci init --layout ${q(layout)} && umoci new --image ${q(layout)}:bench && umoci insert --image ${q(layout)}:bench ${q(root)} / >/dev/null`, cleanup: `rm -rf ${q(layout)}`, runs, warmup: 0 });
  const store = out(`${name}-buildah`);
  run({
    ...common,
    id: `${name}-buildah`,
    tool: "buildah",
    kind: "baseline",
    label: `${name}: buildah from scratch + copy + commit (vfs)`,
    prepare: `rm -rf ${q(store)}; mkdir -p ${q(store)}; sync`,
    command: `export BUILDAH_ISOLATION=chroot; c=$(${buildah(store)} from scratch); ${buildah(store)} copy "$c" ${q(root)} / >/dev/null; ${buildah(store)} commit -q "$c" oci:${q(path.join(store, "layout"))}:bench >/dev/null; ${buildah(store)} rm "$c" >/dev/null`,
    cleanup: `rm -rf ${q(store)}`,
    runs,
    warmup: 0,
  });
  if (name === "big") {
    const file = path.join(root, "big.bin");
    run({ ...common, id: "big-openssl", tool: "openssl sha256", kind: "baseline", label: "big: openssl sha256 of the file", command: `openssl sha256 ${q(file)} >/dev/null`, runs: lightRuns, warmup: 1 });
    const copy = out("big-copy.bin");
    run({ ...common, id: "big-cp", tool: "cp (disk floor)", kind: "reference", label: "big: cp of the file (what one write of 1 GiB costs)", prepare: `rm -f ${q(copy)}; sync`, command: `cp ${q(file)} ${q(copy)}`, cleanup: `rm -f ${q(copy)}`, runs, warmup: 0 });
  }
}

// Ten layers: cold, no-op, and one file of one layer changed before each run.
if (want("ten")) {
  const { dir, spec } = trees.ten;
  const o = out("ten");
  const bytes = bytesUnder(dir);
  const changed = path.join(dir, "layer5", readdirSync(path.join(dir, "layer5"))[0]);
  const file = (() => {
    const sub = path.join(changed, readdirSync(changed)[0]);
    return path.join(sub, readdirSync(sub).sort()[7]);
  })();
  const change = `head -c 32 /dev/urandom | dd of=${q(file)} bs=32 count=1 conv=notrunc status=none`;
  run({ tree: "ten", bytes, id: "ten-cold", tool: "ocistage build", kind: "cold", label: "ten: ocistage build (cold, 10 layers)", prepare: `${wipe(o)}; sync`, command: `${cli} build ${q(spec)} --out ${q(o)} >/dev/null`, runs: heavyRuns, warmup: 0 });
  buildJson(spec, o);
  once("bash", ["-c", change]);
  const sources = expectSources(buildJson(spec, o), { layer5: "built", "*": "reused" }, "ten: one file changed");
  process.stderr.write(`bench: one file changed in layer5: ${JSON.stringify(sources)}\n`);
  run({ tree: "ten", bytes, id: "ten-noop", tool: "ocistage build", kind: "noop", label: "ten: ocistage build (no-op rebuild)", setup: `${cli} build ${q(spec)} --out ${q(o)} >/dev/null; sync`, command: `${cli} build ${q(spec)} --out ${q(o)} >/dev/null`, runs: lightRuns, warmup: 1 });
  run({ tree: "ten", bytes, id: "ten-onefile", tool: "ocistage build", kind: "onefile", label: "ten: ocistage build (one file of layer5 changed)", prepare: change, command: `${cli} build ${q(spec)} --out ${q(o)} >/dev/null`, runs: lightRuns, warmup: 1 });
  rmSync(o, { recursive: true, force: true });
  rmSync(cacheHome, { recursive: true, force: true });
}

// 200 layers: the views, which never touch the file system beyond the spec.
for (const verb of want("views") ? ["plan", "graph", "docs"] : []) {
  const { spec } = trees.wide;
  run({ tree: "wide", bytes: 0, id: `wide-${verb}`, tool: `ocistage ${verb}`, kind: "view", label: `wide: ocistage ${verb} (200 layers)`, command: `${cli} ${verb} ${q(spec)} >/dev/null`, runs: lightRuns, warmup: 1 });
}

if (want("push")) await benchPush({ work, trees, cli, q, run, once, heavyRuns, lightRuns, out });

const machine = {
  date: startedAt.toISOString(),
  cpu: (readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/) ?? [])[1] ?? "unknown",
  cores: os.availableParallelism(),
  memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
  kernel: os.release(),
  fs: once("bash", ["-c", `df -T ${q(work)} | awk 'NR==2 {print $2}'`]).trim(),
  node: process.version,
  tools: {
    "GNU tar": once("tar", ["--version"]).split("\n")[0],
    sha256sum: once("sha256sum", ["--version"]).split("\n")[0],
    openssl: once("openssl", ["version"]).trim(),
    umoci: once("umoci", ["--version"]).trim(),
    buildah: once("buildah", ["--version"]).trim(),
    hyperfine: once("hyperfine", ["--version"]).trim(),
  },
  opensslSpeed: (() => {
    const lines = once("openssl", ["speed", "-evp", "sha256", "-seconds", "2", "-bytes", "16384"], { stdio: ["ignore", "pipe", "ignore"] }).trim().split("\n");
    return lines[lines.length - 1];
  })(),
  loadBefore,
  loadAfter: loadAverage(),
  quick,
};

const report = only.length === 0 ? `${renderReport(results, machine, breakdowns)}\n${renderPush(results)}\n` : `${renderPush(results)}\n`;
process.stdout.write(`\n${report}\n`);
writeFileSync(path.join(work, "results.json"), JSON.stringify({ machine, results, breakdowns }, null, 2));
if (!flag("--no-write") && only.length === 0) {
  writeFileSync(path.join(repo, "docs/performance.md"), report);
  process.stderr.write(`bench: wrote docs/performance.md (raw figures: ${path.join(work, "results.json")})\n`);
}
if (existsSync(path.join(work, "out"))) rmSync(path.join(work, "out"), { recursive: true, force: true });
