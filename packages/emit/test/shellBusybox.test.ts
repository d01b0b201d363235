import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBoth, buildWithOcistage, fileDigests, layoutDifferences, writeScript } from "./fixtures/shell/buildBoth.ts";
import { BUSYBOX_EXAMPLE, makeTempDir, programOfFile } from "./fixtures/shell/programs.ts";
import { requireTools } from "./fixtures/shell/requireTools.ts";
import { runProcess } from "./fixtures/shell/runProcess.ts";

const isRoot = process.getuid?.() === 0;

describe.runIf(requireTools("dash", "bash", "busybox"))("the emitted script for examples/busybox-shell", () => {
  let work = "";
  beforeAll(async () => {
    work = await makeTempDir("shell-busybox");
  });
  afterAll(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  for (const shell of ["dash", "bash"]) {
    it(`run with ${shell}, writes the blobs, index.json and image.oci.tar of ocistage build, byte for byte`, async () => {
      const { program, sourceRoot } = await programOfFile(BUSYBOX_EXAMPLE);
      const dir = path.join(work, shell);
      await fs.mkdir(dir);
      const both = await buildBoth(program, sourceRoot, dir, shell);
      expect(layoutDifferences(both.built, both.scripted)).toEqual([]);
      expect([...both.scripted.keys()].filter((f) => f.startsWith("blobs/"))).toHaveLength(3);
      expect([...both.scripted.keys()].filter((f) => !f.startsWith("blobs/"))).toEqual(["image.oci.tar", "index.json", "oci-layout"]);
      expect(both.run.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    });
  }

  // Every entry is root's, so tar records the owner (--owner=0 --group=0) and nobody needs root.
  it.runIf(isRoot && requireTools("setpriv"))("run by an unprivileged user, writes the same layout", async () => {
    const { program, sourceRoot } = await programOfFile(BUSYBOX_EXAMPLE);
    const dir = path.join(work, "unprivileged");
    await fs.mkdir(dir);
    await fs.chmod(work, 0o755);
    await fs.chmod(dir, 0o777);
    await buildWithOcistage(program, sourceRoot, path.join(dir, "built"));
    const script = await writeScript(program, path.join(dir, "build-image.sh"));
    const run = await runProcess("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "dash", script, path.join(dir, "scripted")]);
    expect(run.stderr).not.toContain("build-image:");
    expect(run.code).toBe(0);
    expect(layoutDifferences(await fileDigests(path.join(dir, "built")), await fileDigests(path.join(dir, "scripted")))).toEqual([]);
  });
});
