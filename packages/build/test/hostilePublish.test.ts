// The output's surroundings may be hostile too: a half-removed image left under its content name
// by a killed clean-up, a symlink planted where the store of builds goes, files of the user's in
// that store. The build never trusts the first, never writes through the second and never
// removes the third.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lower } from "@ocistage/lower";
import type { Program } from "@ocistage/program";
import { decodeSpec } from "@ocistage/spec";
import { formatBuildError } from "../src/BuildError.ts";
import type { BuildResult } from "../src/buildImage.ts";
import { buildImage } from "../src/buildImage.ts";
import { formatLayoutIssue, verifyLayout } from "@ocistage/layout";
import { storeDirOf } from "../src/publishOutput.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";

let work = "";
beforeAll(async () => {
  work = await makeTempDir("publish");
});
afterAll(() => removeTempDir(work));

const programOf = (version: string): Program => {
  const decoded = decodeSpec({ name: "publish", layers: [{ name: "app", files: [{ content: version, destination: "/version" }] }] }, "image.json");
  if (E.isLeft(decoded)) throw new Error(JSON.stringify(decoded.left));
  const lowered = lower(decoded.right, { specFile: "image.json", specText: "", sourceDateEpoch: 0 });
  if (E.isLeft(lowered)) throw new Error(JSON.stringify(lowered.left));
  return lowered.right;
};

const build = async (out: string, version: string): Promise<BuildResult> => {
  const result = await buildImage(programOf(version), { sourceRoot: work, out })();
  if (E.isLeft(result)) throw new Error(formatBuildError(result.left).join("\n"));
  return result.right;
};

const issues = async (layout: string): Promise<readonly string[]> => {
  const verified = await verifyLayout(layout)();
  return E.isRight(verified) ? verified.right.map(formatLayoutIssue) : [JSON.stringify(verified.left)];
};

describe("publishing a build", () => {
  it("replaces a half-removed folder under the image's content name instead of pointing DIR at it", async () => {
    const out = path.join(work, "half");
    const a = await build(out, "A");
    const aFolder = a.layoutDir;
    // Keep a copy of A's folder, then build B: A's folder is removed.
    await fs.cp(aFolder, `${aFolder}.saved`, { recursive: true });
    await build(out, "B");
    expect(await fs.stat(aFolder).catch(() => undefined)).toBeUndefined();
    // What a build killed while removing A's folder would leave: part of it, under its name.
    await fs.rename(`${aFolder}.saved`, aFolder);
    const layer = a.descriptors.find((d) => d.role === "layer app");
    await fs.rm(path.join(aFolder, "blobs", "sha256", (layer?.digest ?? "").replace("sha256:", "")));
    await fs.rm(path.join(aFolder, "image.oci.tar"));

    const again = await build(out, "A");
    expect(again.layoutDir).toBe(aFolder);
    expect(await fs.realpath(out)).toBe(aFolder);
    expect(await issues(out)).toEqual([]);
    expect((await fs.stat(path.join(out, "image.oci.tar"))).isFile()).toBe(true);
  });

  it("keeps the folder DIR already points at when the same image is built again", async () => {
    const out = path.join(work, "same");
    const first = await build(out, "A");
    const marker = path.join(first.layoutDir, "oci-layout");
    const before = (await fs.stat(marker)).ino;
    const second = await build(out, "A");
    expect(second.layoutDir).toBe(first.layoutDir);
    expect((await fs.stat(marker)).ino).toBe(before);
    expect(await issues(out)).toEqual([]);
  });

  it("refuses a store path that is a symlink, and removes nothing through it", async () => {
    const out = path.join(work, "planted");
    const elsewhere = path.join(work, "precious");
    await fs.mkdir(elsewhere);
    await fs.writeFile(path.join(elsewhere, "sha256-".padEnd(71, "0")), "not an image");
    await fs.writeFile(path.join(elsewhere, "tmp-1-x"), "not a build");
    await fs.symlink(elsewhere, storeDirOf(out));

    const result = await buildImage(programOf("A"), { sourceRoot: work, out })();
    expect(E.isLeft(result) ? formatBuildError(result.left) : []).toEqual([`build: ${out}: ${storeDirOf(out)} exists and is not a folder; remove it`]);
    expect((await fs.readdir(elsewhere)).sort()).toEqual(["sha256-".padEnd(71, "0"), "tmp-1-x"]);
    expect(await fs.lstat(out).catch(() => undefined)).toBeUndefined();
  });

  it("leaves files in the store that are not builds alone", async () => {
    const out = path.join(work, "tenants");
    await build(out, "A");
    const store = storeDirOf(out);
    await fs.writeFile(path.join(store, "NOTES.txt"), "mine");
    await fs.mkdir(path.join(store, "sha256-not-a-digest"));
    await build(out, "B");
    await build(out, "C");
    const names = await fs.readdir(store);
    expect(names).toEqual(expect.arrayContaining(["NOTES.txt", "sha256-not-a-digest"]));
    expect(names.filter((n) => /^sha256-[0-9a-f]{64}$/.test(n))).toEqual([path.basename(await fs.realpath(out))]);
  });
});
