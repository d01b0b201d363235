// A build killed with SIGKILL at any moment leaves DIR a valid layout: after each of 50 kills
// spread over a build's whole run, DIR's index.json is a complete image's (the old one, or the new
// one when the kill came after the switch), verifyLayout finds nothing wrong, image.oci.tar is
// whole (one of the two images' archives: it is replaced by rename just before index.json), and
// every file in blobs/sha256 is named by its digest. A final build then succeeds and leaves no
// temporary, no lock and no blob its index does not reach.
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, promises as fs } from "node:fs";
import * as path from "node:path";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatLayoutIssue, verifyLayout } from "@ocistage/layout";
import { CLI_BIN, REPO_ROOT, cliEnv, runCli } from "./support/runCli.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";

const KILLS = 50;

let work = "";
beforeAll(async () => {
  work = await makeTempDir("sigkill");
  // A stale bundle would be rebuilt by the first child, which may be killed while writing it.
  expect((await runCli(["--version"])).code).toBe(0);
});
afterAll(() => removeTempDir(work));

const sha256File = (file: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(file, { highWaterMark: 1 << 20 })
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });

interface Image {
  readonly index: string;
  readonly archive: string; // sha256 of image.oci.tar
}

const imageAt = async (out: string): Promise<Image> => ({
  index: await fs.readFile(path.join(out, "index.json"), "utf8"),
  archive: await sha256File(path.join(out, "image.oci.tar")),
});

const spawnBuild = (spec: string, out: string): ChildProcess =>
  spawn(process.execPath, [CLI_BIN, "build", spec, "--out", out], { cwd: REPO_ROOT, env: cliEnv(), stdio: "ignore" });

const exited = (child: ChildProcess): Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once("exit", (code, signal) => resolve({ code, signal }));
  });

// Every file in DIR's blobs/sha256, the ones index.json does not reach included (a killed
// build's new blobs, or old ones not yet removed): each is named by its sha256.
const misnamedBlobs = async (out: string): Promise<readonly string[]> => {
  const wrong: string[] = [];
  const blobs = path.join(out, "blobs", "sha256");
  for (const name of await fs.readdir(blobs)) {
    const file = path.join(blobs, name);
    if (!(await fs.lstat(file)).isFile() || (await sha256File(file)) !== name) wrong.push(name);
  }
  return wrong;
};

describe("a build killed with SIGKILL", () => {
  it(`leaves DIR whole at each of ${KILLS} moments of a build, and a later build leaves nothing behind`, async () => {
    const src = path.join(work, "src");
    await fs.mkdir(path.join(src, "rootfs"), { recursive: true });
    // Incompressible data, so every phase (tar, re-hash, archive) takes its time.
    await fs.writeFile(path.join(src, "rootfs", "data.bin"), randomBytes(48 * 1024 * 1024));
    const specOf = async (version: string): Promise<string> => {
      const file = path.join(src, `image-${version}.json`);
      const spec = { name: "sigkill", layers: [{ name: "data", files: [{ source: "rootfs/data.bin", destination: "/data.bin" }, { content: version, destination: "/version" }] }] };
      await fs.writeFile(file, JSON.stringify(spec));
      return file;
    };
    const specs = { A: await specOf("A"), B: await specOf("B") };
    const out = path.join(work, "out");

    // Both images once, timed; DIR ends at A.
    const started = performance.now();
    expect((await runCli(["build", specs.B, "--out", out])).code).toBe(0);
    const duration = performance.now() - started;
    const images = { B: await imageAt(out), A: { index: "", archive: "" } };
    expect((await runCli(["build", specs.A, "--out", out])).code).toBe(0);
    images.A = await imageAt(out);
    expect(images.A.index).not.toBe(images.B.index);

    let current: "A" | "B" = "A";
    const outcomes = { killed: 0, finished: 0, switched: 0 };
    // Builds the other image than DIR's (so every build has all of its work to do), kills it after
    // `delay` ms, and checks what DIR resolves to.
    const killAfter = async (delay: number): Promise<void> => {
      const next = current === "A" ? "B" : "A";
      const child = spawnBuild(specs[next], out);
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.kill("SIGKILL");
      const end = await exited(child);
      if (end.signal === "SIGKILL") outcomes.killed++;
      else outcomes.finished++;

      const now = await imageAt(out);
      const which = now.index === images.A.index ? "A" : now.index === images.B.index ? "B" : "neither";
      expect(which, `after a kill at ${delay.toFixed(0)} ms DIR is neither image`).not.toBe("neither");
      if (which === "neither") return;
      expect([images.A.archive, images.B.archive], `image.oci.tar after a kill at ${delay.toFixed(0)} ms is neither image's`).toContain(now.archive);
      const verified = await verifyLayout(out)();
      expect(E.isRight(verified) ? verified.right.map(formatLayoutIssue) : [`verify failed: ${JSON.stringify(verified.left)}`]).toEqual([]);
      expect(await misnamedBlobs(out)).toEqual([]);
      if (which !== current) outcomes.switched++;
      current = which;
    };
    for (let i = 0; i < KILLS; i++) await killAfter((duration * 1.1 * i) / KILLS);
    // On a loaded machine builds take longer than the one timed: go on past the end until a kill
    // comes after the switch, so the last moments of a build (publishing, cleaning up) are covered.
    for (let extra = 1; extra <= 10 && outcomes.switched === 0; extra++) await killAfter(duration * (1.1 + 0.3 * extra));
    // The kills really were spread over the build: most landed mid-build, a few after the switch.
    expect(outcomes.killed).toBeGreaterThan(KILLS / 2);
    expect(outcomes.switched).toBeGreaterThan(0);

    // A normal build after all that: it succeeds, and no leftover of the killed builds remains.
    const final = current === "A" ? "B" : "A";
    const result = await runCli(["build", specs[final], "--out", out]);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
    expect(await imageAt(out)).toEqual(images[final]);
    expect((await fs.readdir(out)).sort()).toEqual(["blobs", "image.oci.tar", "index.json", "oci-layout"]);
    expect((await fs.readdir(work)).sort()).toEqual(["out", "src"]);
    const verified = await verifyLayout(out)();
    expect(E.isRight(verified) && verified.right.length === 0).toBe(true);
    // One layer, its config and its manifest: the killed builds' blobs are gone.
    expect(await fs.readdir(path.join(out, "blobs", "sha256"))).toHaveLength(3);
    console.log(`sigkill: a build takes ${duration.toFixed(0)} ms; ${outcomes.killed} killed mid-build, ${outcomes.finished} finished first, DIR switched ${outcomes.switched} times`);
  }, 300_000); // a hang detector: on a loaded machine 60 builds take minutes
});
