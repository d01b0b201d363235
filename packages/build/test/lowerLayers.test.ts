// Issue 11, case 4: a layer lands on the layers below it as Docker's COPY does. Layer 1 makes
// /data -> /real, a merged-/usr /lib -> usr/lib and a private /srv (0700, 5:6); layer 2 writes
// /data/file, /lib/x/libfoo.so and /srv/app/conf. Unpacked by umoci, the links are still links,
// the files are at the links' targets and /srv keeps its mode and owner; the emitted shell
// script builds the same bytes.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { BuildJson } from "./support/buildExample.ts";
import { buildSpec } from "./support/buildExample.ts";
import { readTreeFiles } from "./support/layoutFiles.ts";
import { requireRoot, requireTools } from "./support/requireTools.ts";
import { runCli } from "./support/runCli.ts";
import { runOk, runProcess } from "./support/runProcess.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";

const SPEC = {
  name: "through-links",
  layers: [
    {
      name: "base",
      files: [
        { directory: "/real" },
        { symlink: "/real", destination: "/data" },
        { directory: "/usr/lib" },
        { symlink: "usr/lib", destination: "/lib" },
        { directory: "/srv", mode: "0700", uid: 5, gid: 6 },
      ],
    },
    { name: "top", files: [{ content: "x\n", destination: "/data/file" }, { content: "lib\n", destination: "/lib/x/libfoo.so" }, { content: "y\n", destination: "/srv/app/conf" }] },
  ],
};

let work = "";
let out = "";
let built: BuildJson;
beforeAll(async () => {
  work = await makeTempDir("through-links");
  await fs.writeFile(path.join(work, "image.json"), JSON.stringify(SPEC));
  out = path.join(work, "out");
  built = await buildSpec(work, out);
});
afterAll(() => removeTempDir(work));

describe.runIf(requireTools("umoci", "tar", "dash") && requireRoot("umoci unpack keeps owners only as root"))("a layer on a lower layer's symlinks and folders", () => {
  test("unpacked by umoci: the links stay links, the files are at their targets, /srv keeps 0700 5:6", async () => {
    const bundle = path.join(work, "bundle");
    await runOk("umoci", ["unpack", "--image", `${out}:latest`, bundle]);
    const root = path.join(bundle, "rootfs");
    expect(await fs.readlink(path.join(root, "data"))).toBe("/real");
    expect(await fs.readlink(path.join(root, "lib"))).toBe("usr/lib");
    expect(await fs.readFile(path.join(root, "real", "file"), "utf8")).toBe("x\n");
    expect(await fs.readFile(path.join(root, "usr", "lib", "x", "libfoo.so"), "utf8")).toBe("lib\n");
    const srv = await fs.stat(path.join(root, "srv"));
    expect([(srv.mode & 0o7777).toString(8), srv.uid, srv.gid]).toEqual(["700", 5, 6]);
  });

  test("GNU tar lists the top layer with srv/ as 0700 5/6 and no data/ or lib/ folder", async () => {
    const top = built.descriptors.find((d) => d.role === "layer top")?.digest.replace("sha256:", "") ?? "";
    const listing = (await runOk("tar", ["--numeric-owner", "-tvf", path.join(out, "blobs", "sha256", top)])).stdout.split("\n");
    expect(listing.find((l) => / \.\/srv\/$/.test(l))).toMatch(/^drwx------ 5\/6 /);
    expect(listing.filter((l) => / \.\/(data|lib)\/$/.test(l))).toEqual([]);
    expect(listing.some((l) => / \.\/usr\/lib\/x\/libfoo\.so$/.test(l))).toBe(true);
  });

  test("the emitted shell script writes the same layout, byte for byte", async () => {
    const script = path.join(work, "build.sh");
    expect((await runCli(["emit", "shell", work, "-o", script])).code).toBe(0);
    const target = path.join(work, "by-script");
    const ran = await runProcess("dash", [script, target]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(await readTreeFiles(target)).toEqual(await readTreeFiles(out));
  });
});
