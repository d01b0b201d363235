import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBoth } from "./fixtures/shell/buildBoth.ts";
import { STATIC_SITE_EXAMPLE, makeTempDir, programOfFile } from "./fixtures/shell/programs.ts";
import { requireTools } from "./fixtures/shell/requireTools.ts";

// The second example: a YAML spec, two layers, a copied folder owned by uid 1000 below
// root-owned implied folders (so the script chowns, as root), an explicit 0640 file.
describe.runIf(requireTools("dash", "busybox"))("the emitted script for examples/static-site", () => {
  let work = "";
  beforeAll(async () => {
    work = await makeTempDir("shell-static-site");
  });
  afterAll(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  it.runIf(process.getuid?.() === 0)("run with dash as root, writes the blobs, index.json and image.oci.tar of ocistage build, byte for byte", async () => {
    const { program, sourceRoot } = await programOfFile(STATIC_SITE_EXAMPLE);
    const dir = path.join(work, "dash");
    await fs.mkdir(dir);
    const both = await buildBoth(program, sourceRoot, dir, "dash");
    expect([...both.scripted.keys()].filter((f) => f.startsWith("blobs/"))).toHaveLength(4);
    expect([...both.built.entries()]).toEqual([...both.scripted.entries()]);
  });
});
