// scripts/bench, the registry part: `ocistage push` of the 1 GiB image to a CNCF distribution
// registry on loopback against `skopeo copy oci:… docker://…` of the same layout, and a no-op
// re-push of the 10-layer image (target: under 0.5 s), as whole processes.
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

export const PUSH_TOOLS = ["docker-registry", "skopeo"];

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const listening = (port) =>
  new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1", () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });

// The registry with its storage in `dir`, logging errors only (its log is not what is measured).
const startRegistry = async (dir) => {
  const port = await freePort();
  const config = path.join(dir, "registry.yml");
  writeFileSync(config, ["version: 0.1", "log:", "  level: error", "  accesslog:", "    disabled: true", "storage:", "  filesystem:", `    rootdirectory: ${path.join(dir, "data")}`, "http:", `  addr: 127.0.0.1:${port}`, ""].join("\n"));
  const child = spawn("docker-registry", ["serve", config], { stdio: "ignore" });
  for (let i = 0; i < 200 && !(await listening(port)); i++) await new Promise((r) => setTimeout(r, 50));
  return { host: `127.0.0.1:${port}`, storage: path.join(dir, "data"), stop: () => child.kill("SIGTERM") };
};

/** Runs the push cases; `ctx` is bench.mjs's: work folder, trees, CLI command, quoting, run/once, run counts. */
export const benchPush = async ({ work, trees, cli, q, run, once, heavyRuns, lightRuns, out }) => {
  const dir = path.join(work, "registry");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const registry = await startRegistry(dir);
  // The record of pushed blobs lives here: wiped with the registry's storage, or the next
  // "cold" push would mount from the previous run's repository instead of uploading.
  const cache = path.join(work, "push-cache");
  const wipe = `rm -rf ${q(path.join(registry.storage, "docker"))} ${q(cache)}`;
  const push = (layout, ref, extra = "") => `${cli} push ${q(layout)} ${q(ref)} --tls-verify=false --quiet --cache-dir ${q(cache)} ${extra} >/dev/null`;
  const skopeo = (layout, ref) => `skopeo copy -q --preserve-digests --dest-tls-verify=false oci:${q(layout)}:bench docker://${ref}`;
  try {
    const big = out("big-push");
    once("bash", ["-c", `${cli} build ${q(trees.big.spec)} --out ${q(big)} >/dev/null`]);
    const bigRef = `${registry.host}/bench/big:bench`;
    const bytes = 1024 ** 3;
    run({ tree: "push", bytes, id: "push-big", tool: "ocistage push", kind: "push", label: "push: ocistage push of the 1 GiB image (64 MiB PATCH chunks, the default)", prepare: `${wipe}; sync`, command: push(big, bigRef), runs: heavyRuns, warmup: 0 });
    run({ tree: "push", bytes, id: "push-big-put", tool: "ocistage push", kind: "push", label: "push: ocistage push of the 1 GiB image, one PUT per blob (--chunk-size 2GiB)", prepare: `${wipe}; sync`, command: push(big, bigRef, "--chunk-size 2GiB"), runs: heavyRuns, warmup: 0 });
    run({ tree: "push", bytes, id: "push-big-skopeo", tool: "skopeo copy", kind: "baseline", label: "push: skopeo copy --preserve-digests oci:… docker://… of the same layout", prepare: `${wipe}; sync`, command: skopeo(big, bigRef), runs: heavyRuns, warmup: 0 });

    const ten = out("ten-push");
    once("bash", ["-c", `${cli} build ${q(trees.ten.spec)} --out ${q(ten)} >/dev/null`]);
    const tenRef = `${registry.host}/bench/ten:bench`;
    once("bash", ["-c", push(ten, tenRef)]);
    // Outside the timings: a no-op push uploads nothing, or the figure would mean nothing.
    const again = JSON.parse(once("bash", ["-c", `${cli} push ${q(ten)} ${q(tenRef)} --tls-verify=false --json --cache-dir ${q(cache)}`]));
    if (again.summary.uploaded !== 0 || again.summary.exists !== 11) throw new Error(`bench: the no-op push did not find every blob there: ${JSON.stringify(again.summary)}`);
    run({ tree: "push", bytes: 0, id: "push-ten-noop", tool: "ocistage push", kind: "noop", label: "push: ocistage push, no-op (10 layers already there)", command: push(ten, tenRef), runs: lightRuns, warmup: 1 });
    run({ tree: "push", bytes: 0, id: "push-cli-start", tool: "ocistage --version", kind: "reference", label: "push: ocistage --version (starting the CLI, under every push)", command: `${cli} --version >/dev/null`, runs: lightRuns, warmup: 1 });
    run({ tree: "push", bytes: 0, id: "push-ten-noop-skopeo", tool: "skopeo copy", kind: "baseline", label: "push: skopeo copy, no-op (10 layers already there)", command: skopeo(ten, tenRef), runs: lightRuns, warmup: 1 });
  } finally {
    registry.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};

const s = (x) => (Number.isFinite(x) ? (x < 0.1 ? x.toFixed(3) : x < 10 ? x.toFixed(2) : x.toFixed(1)) : "–");
const find = (results, id) => results.find((r) => r.id === id);

/** The push section of the report: figures, and the two goals as ratios. */
export const renderPush = (results) => {
  const rows = results.filter((r) => r.tree === "push");
  if (rows.length === 0) return "";
  const ours = find(results, "push-big");
  const put = find(results, "push-big-put");
  const skopeo = find(results, "push-big-skopeo");
  const noop = find(results, "push-ten-noop");
  const noopSkopeo = find(results, "push-ten-noop-skopeo");
  const start = find(results, "push-cli-start");
  const ratio = (a, b) => (a && b ? b.median / a.median : NaN);
  const mbps = (r) => (r && r.bytes > 0 ? (r.bytes / 1e6 / r.median).toFixed(0) : "–");
  return [
    "## Push to a registry",
    "",
    "A CNCF distribution registry (Debian's docker-registry) on 127.0.0.1, plain HTTP, filesystem storage in the work",
    "folder, emptied before each cold push (and the record of pushed blobs with it, so nothing is mounted).",
    "",
    "| goal | target | measured |",
    "|---|---|---|",
    `| push of the 1 GiB image vs skopeo copy of the same layout | as fast | ${ratio(ours, skopeo).toFixed(2)}× skopeo's speed with 64 MiB chunks (${s(ours?.median)} s vs ${s(skopeo?.median)} s); ${ratio(put, skopeo).toFixed(2)}× with one PUT (${s(put?.median)} s) |`,
    `| no-op re-push of the 10-layer image | < 0.5 s | ${s(noop?.median)} s (${noop && noop.median < 0.5 ? "met" : "**missed**"}), of which ${s(start?.median)} s is starting the CLI (\`ocistage --version\`); skopeo's no-op copy ${s(noopSkopeo?.median)} s, ${ratio(noop, noopSkopeo).toFixed(2)}× ours |`,
    "",
    "| command | runs | median s | min–max s | MB/s | CPU user+sys s | peak MiB |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...rows.map((r) => `| ${r.label.replace(/^push: /, "")} | ${r.runs} | ${s(r.median)} | ${s(r.min)}–${s(r.max)} | ${mbps(r)} | ${s(r.user + r.system)} | ${Number.isFinite(r.peakMiB) ? r.peakMiB.toFixed(0) : "–"} |`),
    "",
    "CPU and memory are the client's alone (the registry is another process, not measured). The",
    "registry spends about 0.1 s on each PATCH beyond its bytes, which is why chunks are 64 MiB.",
  ].join("\n");
};
