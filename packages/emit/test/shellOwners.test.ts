import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emitShell } from "../src/index.ts";
import { buildBoth, layoutDifferences, writeScript } from "./fixtures/shell/buildBoth.ts";
import { ownersSpec, writeOwnersTree } from "./fixtures/shell/ownersSpec.ts";
import { makeTempDir, programOfValue } from "./fixtures/shell/programs.ts";
import { requireTools } from "./fixtures/shell/requireTools.ts";
import { runProcess } from "./fixtures/shell/runProcess.ts";

const isRoot = process.getuid?.() === 0;

describe.runIf(requireTools("dash", "setpriv"))("the emitted script for layers with owners of their own", () => {
  let work = "";
  beforeAll(async () => {
    work = await makeTempDir("shell-owners");
    await fs.chmod(work, 0o755); // the unprivileged run below must read the script
    await writeOwnersTree(path.join(work, "sources"));
  });
  afterAll(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  it("says in its header that it needs root, and for which layers", () => {
    expect(emitShell(programOfValue(ownersSpec()))).toContain("# Root: needed. Layers app, mixed, owned-root give entries owners of their own");
  });

  it.runIf(isRoot)("run as root, chowns the scratch tree and writes the layout ocistage build writes, byte for byte", async () => {
    const dir = path.join(work, "as-root");
    await fs.mkdir(dir);
    const both = await buildBoth(programOfValue(ownersSpec()), path.join(work, "sources"), dir, "dash");
    expect(layoutDifferences(both.built, both.scripted)).toEqual([]);
    expect([...both.scripted.keys()].filter((f) => f.startsWith("blobs/"))).toHaveLength(5);
  });

  it("run by anyone else, stops before writing anything and names the layers", async () => {
    const script = await writeScript(programOfValue(ownersSpec()), path.join(work, "owners.sh"));
    const out = path.join(work, "as-nobody");
    const unprivileged = isRoot ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "dash"] : ["dash"];
    const [command = "dash", ...prefix] = unprivileged;
    const run = await runProcess(command, [...prefix, script, out, path.join(work, "sources")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("layers app, mixed, owned-root give entries owners of their own, and only root can chown them");
    expect(run.stderr).toContain("run this script as root");
    await expect(fs.access(out)).rejects.toThrow();
  });
});
