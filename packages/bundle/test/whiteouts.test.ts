// Unpacking applies layers the way image-spec layer.md says and umoci does: `.wh.NAME` deletes
// NAME of the layers below, `.wh..wh..opq` hides everything the layers below put in its folder,
// and neither touches what the same layer adds, whatever the entry order.
import * as E from "fp-ts/lib/Either.js";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readLayout, manifestsOf } from "@ocistage/layout";
import { writeBundle } from "../src/index.ts";
import { requireRoot, requireTools } from "../../build/test/support/requireTools.ts";
import { runOk } from "../../build/test/support/runProcess.ts";
import { makeTempDir, removeTempDir } from "../../build/test/support/tempDir.ts";
import type { HandEntry } from "./support/handLayout.ts";
import { GZIP, ZSTD, treeListing, writeHandLayout } from "./support/handLayout.ts";

const lower: readonly HandEntry[] = [
  { name: "bin/", type: "directory" },
  { name: "bin/tool", content: "lower tool\n", mode: 0o755 },
  { name: "etc/", type: "directory" },
  { name: "etc/keep", content: "kept\n" },
  { name: "etc/gone", content: "whited out\n" },
  { name: "etc/gone-dir/", type: "directory" },
  { name: "etc/gone-dir/inner", content: "whited out with its folder\n" },
  { name: "opt/", type: "directory" },
  { name: "opt/old", content: "hidden by the opaque folder\n" },
  { name: "opt/sub/", type: "directory" },
  { name: "opt/sub/deep", content: "hidden too\n" },
  { name: "top", content: "whited out at the root\n" },
];

// The upper layer adds opt/new before the opaque marker and opt/later after it: both stay.
const upper: readonly HandEntry[] = [
  { name: "etc/", type: "directory" },
  { name: "etc/.wh.gone" },
  { name: "etc/.wh.gone-dir" },
  { name: "opt/", type: "directory", mode: 0o750 },
  { name: "opt/new", content: "same layer, before the marker\n" },
  { name: "opt/.wh..wh..opq" },
  { name: "opt/later", content: "same layer, after the marker\n" },
  { name: ".wh.top" },
  { name: "added", content: "new\n" },
];

const EXPECTED = ["f added", "d bin", "f bin/tool", "d etc", "f etc/keep", "d opt", "f opt/later", "f opt/new"];

let work = "";
beforeAll(async () => {
  work = await makeTempDir("bundle-whiteouts");
  await writeHandLayout(path.join(work, "layout"), [lower, upper]);
});
afterAll(() => removeTempDir(work));

const ourBundle = async (name: string, layoutDir = path.join(work, "layout")): Promise<string> => {
  const layout = await readLayout(layoutDir)();
  if (E.isLeft(layout)) throw new Error(JSON.stringify(layout.left));
  const [manifest] = manifestsOf(layout.right);
  if (manifest === undefined) throw new Error("no manifest");
  const written = await writeBundle({ name: "hand", manifest }, path.join(work, name), { readonly: false })();
  if (E.isLeft(written)) throw new Error(JSON.stringify(written.left));
  return path.join(work, name, "rootfs");
};

describe("whiteouts", () => {
  test("the rootfs holds exactly the lower files not whited out, and the upper layer's", async () => {
    const rootfs = await ourBundle("ours");
    expect(await treeListing(rootfs)).toEqual(EXPECTED);
    expect(await fs.readFile(path.join(rootfs, "opt/new"), "utf8")).toBe("same layer, before the marker\n");
    expect((await fs.stat(path.join(rootfs, "opt"))).mode & 0o7777).toBe(0o750);
  });

  test.each([
    ["tar+gzip", GZIP, true],
    ["tar+zstd", ZSTD, requireTools("zstd")],
  ] as const)("layers stored as %s unpack the same", async (name, encoding, available) => {
    if (!available) return;
    const layout = path.join(work, `layout-${encoding.mediaType.slice(-4)}`);
    await writeHandLayout(layout, [lower, upper], undefined, "latest", encoding);
    expect(await treeListing(await ourBundle(`ours-${name}`, layout))).toEqual(EXPECTED);
  });

  describe.runIf(requireTools("umoci") && requireRoot("umoci unpack"))("against umoci", () => {
    test("umoci unpack of the same layout gives the same file list", async () => {
      const rootfs = await ourBundle("ours-again");
      await runOk("umoci", ["unpack", "--image", `${path.join(work, "layout")}:latest`, path.join(work, "umoci")]);
      expect(await treeListing(rootfs)).toEqual(await treeListing(path.join(work, "umoci", "rootfs")));
    });
  });
});
