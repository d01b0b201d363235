// Issue 11 in the shell substrate: the emitted script keeps modes (setuid, setgid, sticky and
// restricted bits), keeps or sets owners and leaves out what `exclude` matches exactly as the
// build does, byte for byte, run by dash and by bash as root, and by an unprivileged user for a
// layer that needs no root; it stops, as the build does, at a whiteout name in a source.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBoth, buildWithOcistage, fileDigests, layoutDifferences, writeScript } from "./fixtures/shell/buildBoth.ts";
import { faithfulSpec, uniformSpec, writeFaithfulSources, writeFaithfulTree } from "./fixtures/shell/faithfulSpec.ts";
import { makeTempDir, programOfValue } from "./fixtures/shell/programs.ts";
import { requireTools } from "./fixtures/shell/requireTools.ts";
import { runProcess } from "./fixtures/shell/runProcess.ts";
import { layerListing } from "../../build/test/support/gnuTarListing.ts";

const isRoot = process.getuid?.() === 0;

describe.runIf(requireTools("dash", "bash", "setpriv", "busybox", "mknod"))("the emitted script for copies that keep modes and owners and exclude paths", () => {
  let work = "";
  let sources = "";
  beforeAll(async () => {
    work = await makeTempDir("shell-faithful");
    await fs.chmod(work, 0o755); // the unprivileged run below must read the script and the sources
    sources = path.join(work, "sources");
    await writeFaithfulSources(sources, isRoot);
  });
  afterAll(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  for (const shell of ["dash", "bash"])
    it.runIf(isRoot)(`run by ${shell} as root, writes the layout ocistage build writes, byte for byte`, async () => {
      const dir = path.join(work, shell);
      await fs.mkdir(dir);
      const both = await buildBoth(programOfValue(faithfulSpec(true), 1_700_000_000), sources, dir, shell);
      expect(layoutDifferences(both.built, both.scripted)).toEqual([]);
      expect([...both.scripted.keys()].filter((f) => f.startsWith("blobs/"))).toHaveLength(5);
      // What both wrote is what the spec asks for (so the comparison is not of two wrong layers).
      const mixed = await layerListing(path.join(dir, "scripted"), 1);
      expect(Object.fromEntries(["./suid", "./secret", "./sticky/", "./sgid-dir/", "./usr/bin/suid-copy", "./opt/normalised/private/", "./etc/app.conf", "./keep.log"].map((n) => [n, mixed.get(n)]))).toEqual({
        "./suid": "-rwsr-xr-x 0/0",
        "./secret": "-rw------- 0/0",
        "./sticky/": "drwxrwxrwt 0/0",
        "./sgid-dir/": "drwxrwsr-x 0/0",
        "./usr/bin/suid-copy": "-rwsr-xr-x 1000/1000",
        "./opt/normalised/private/": "drwxr-xr-x 5/6",
        "./etc/app.conf": "-rw-r--r-- 7/7",
        "./keep.log": "-rw-r--r-- 0/0",
      });
      const left = ["./.git/", "./drop.log", "./node_modules/", "./.wh.hidden", "./deep/z", "./deep/a/b/z", "./abx", "./bzx", "./*lit", "./-dash", "./sp ace/"];
      expect(left.filter((n) => mixed.has(n))).toEqual([]);
      expect(["./cax", "./*other", "./deep/y", "./deep/a/b/", "./sub/node_modules", "./name\\nwith newline"].filter((n) => !mixed.has(n))).toEqual([]);
      const rootfs = await layerListing(path.join(dir, "scripted"), 0);
      expect([rootfs.get("./etc/shadow"), rootfs.get("./var/mail/"), rootfs.get("./usr/bin/passwd")]).toEqual(["-rw-r----- 0/42", "drwxrwsr-x 0/8", "-rwsr-xr-x 0/0"]);
    }, 120_000);

  it("run by an unprivileged user, writes the same layout for a layer that needs no root", async () => {
    const program = programOfValue(uniformSpec());
    const dir = path.join(work, "unprivileged");
    await fs.mkdir(dir, { mode: 0o777 });
    await fs.chmod(dir, 0o777);
    // Sources the user owns: its 0600 files are readable to it, as they are to the build.
    const own = path.join(dir, "sources");
    await writeFaithfulTree(own);
    if (isRoot) await runProcess("chown", ["-R", "65534:65534", own]);
    await buildWithOcistage(program, own, path.join(dir, "built"));
    const script = await writeScript(program, path.join(dir, "uniform.sh"));
    const as = isRoot ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "dash"] : ["dash"];
    const [command = "dash", ...prefix] = as;
    const run = await runProcess(command, [...prefix, script, path.join(dir, "scripted"), own]);
    expect(run.code, run.stderr).toBe(0);
    expect(layoutDifferences(await fileDigests(path.join(dir, "built")), await fileDigests(path.join(dir, "scripted")))).toEqual([]);
  }, 120_000);

  it("stops at a whiteout name in a source that no pattern leaves out, naming it", async () => {
    const program = programOfValue({ name: "whiteout", layers: [{ name: "l", files: [{ source: "tree", destination: "/t" }] }] });
    const script = await writeScript(program, path.join(work, "whiteout.sh"));
    const run = await runProcess("dash", [script, path.join(work, "whiteout-out"), sources]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "\nbuild-image: layer l: a source holds a name starting with .wh., which runtimes read as a whiteout (rename it, or leave it out with an exclude pattern): ./t/.wh.hidden\n",
    );
  });
});
