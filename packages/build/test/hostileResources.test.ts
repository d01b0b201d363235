// A layer of 100,000 files is built in bounded memory: the build's peak resident set size, as
// /usr/bin/time -v measures the CLI process, stays far below what holding every file (or every
// file's data) at once would cost. The figure is printed for the record.
import { accessSync, constants, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GNU_TAR } from "../../tar/test/fixtures/tar/harness.ts";
import { requireFile } from "./support/requireTools.ts";
import { CLI_BIN, REPO_ROOT, cliEnv, runCli } from "./support/runCli.ts";
import { runProcess } from "./support/runProcess.ts";
import { removeTempDir } from "./support/tempDir.ts";

const TIME = "/usr/bin/time";
const hasTime = requireFile(TIME, "time");

const FOLDERS = 100;
const FILES_PER_FOLDER = 1000;
const PEAK_RSS_LIMIT_MB = 400;

// Making and removing 100,000 files on this machine's disk takes half a minute of metadata I/O;
// in memory (tmpfs) it takes a few seconds, and the build's memory does not depend on where the
// files are.
const scratchRoot = (): string => {
  try {
    accessSync("/dev/shm", constants.W_OK);
    return "/dev/shm";
  } catch {
    return os.tmpdir();
  }
};

let work = "";
beforeAll(async () => {
  work = mkdtempSync(path.join(scratchRoot(), "ocistage-resources-"));
  expect((await runCli(["--version"])).code).toBe(0);
});
afterAll(() => removeTempDir(work));

describe.runIf(hasTime)("a layer of 100,000 tiny files", () => {
  it(`is built with a peak RSS under ${PEAK_RSS_LIMIT_MB} MB`, async () => {
    const src = path.join(work, "src");
    for (let d = 0; d < FOLDERS; d++) {
      const folder = path.join(src, "rootfs", `d${d}`);
      mkdirSync(folder, { recursive: true });
      for (let f = 0; f < FILES_PER_FOLDER; f++) writeFileSync(path.join(folder, `f${f}`), `${d}/${f}\n`);
    }
    await fs.writeFile(path.join(src, "image.json"), JSON.stringify({ name: "many", layers: [{ name: "many", source: "rootfs" }] }));
    const out = path.join(work, "out");

    const started = performance.now();
    const result = await runProcess(TIME, ["-v", process.execPath, CLI_BIN, "build", path.join(src, "image.json"), "--out", out, "--json"], { cwd: REPO_ROOT, env: cliEnv(), timeoutMs: 120_000 });
    const seconds = (performance.now() - started) / 1000;
    expect(result.code, result.stderr).toBe(0);
    const peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1]);
    const peakMb = peakKb / 1024;
    console.log(`100,000-file layer: built in ${seconds.toFixed(1)} s, peak RSS ${peakMb.toFixed(0)} MB`);
    expect(peakKb).toBeGreaterThan(0);
    expect(peakMb).toBeLessThan(PEAK_RSS_LIMIT_MB);

    // The layer holds every file: the root, 100 folders and 100,000 files.
    const built = JSON.parse(result.stdout.slice(0, result.stdout.lastIndexOf("}") + 1)) as { readonly descriptors: readonly { readonly role: string; readonly digest: string }[] };
    const layer = built.descriptors.find((d) => d.role === "layer many");
    const listing = spawnSync(GNU_TAR, ["-tf", path.join(out, "blobs", "sha256", (layer?.digest ?? "").replace("sha256:", ""))], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    expect(listing.status).toBe(0);
    const names = listing.stdout.split("\n").filter((l) => l !== "");
    expect(names.length).toBe(1 + FOLDERS + FOLDERS * FILES_PER_FOLDER);
    expect(names.slice(0, 3)).toEqual(["./", "./d0/", "./d0/f0"]);
  }, 120_000);
});
