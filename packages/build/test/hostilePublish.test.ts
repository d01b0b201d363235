// The output folder is a plain OCI layout updated in place: blobs added by rename, index.json
// replaced last, unreferenced blobs removed after. Its surroundings may be hostile: a file or a
// stranger's folder at --out, another build at work in it, leftovers of killed builds, a
// truncated blob left by hand, an output from the days DIR was a symlink.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Program } from "@ocistage/program";
import { formatLayoutIssue, verifyLayout } from "@ocistage/layout";
import { programOf } from "@ocistage/test-support";
import { formatBuildError, isEnvironmentError } from "../src/BuildError.ts";
import type { BuildResult } from "../src/buildImage.ts";
import { buildImage } from "../src/buildImage.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";

let work = "";
beforeAll(async () => {
  work = await makeTempDir("publish");
});
afterAll(() => removeTempDir(work));

const programOfVersion = (version: string): Program => programOf({ name: "publish", layers: [{ name: "app", files: [{ content: version, destination: "/version" }] }] });

const build = async (out: string, version: string): Promise<BuildResult> => {
  const result = await buildImage(programOfVersion(version), { sourceRoot: work, out, cacheDir: path.join(work, "cache") })();
  if (E.isLeft(result)) throw new Error(formatBuildError(result.left).join("\n"));
  return result.right;
};

const failure = async (out: string, version = "A"): Promise<readonly string[]> => {
  const result = await buildImage(programOfVersion(version), { sourceRoot: work, out, cacheDir: path.join(work, "cache") })();
  if (E.isRight(result)) throw new Error("the build was expected to fail");
  expect(isEnvironmentError(result.left)).toBe(false);
  return formatBuildError(result.left);
};

const issues = async (layout: string): Promise<readonly string[]> => {
  const verified = await verifyLayout(layout)();
  return E.isRight(verified) ? verified.right.map(formatLayoutIssue) : [JSON.stringify(verified.left)];
};

const blobs = async (out: string): Promise<readonly string[]> => (await fs.readdir(path.join(out, "blobs", "sha256"))).sort();
const hexes = (result: BuildResult): readonly string[] => result.descriptors.map((d) => d.digest.slice("sha256:".length)).sort();

describe("the output folder", () => {
  it("is a plain folder holding exactly the layout, with no unreferenced blob after a change", async () => {
    const out = path.join(work, "plain");
    const a = await build(out, "A");
    expect((await fs.lstat(out)).isDirectory()).toBe(true);
    expect((await fs.readdir(out)).sort()).toEqual(["blobs", "image.oci.tar", "index.json", "oci-layout"]);
    expect(await blobs(out)).toEqual(hexes(a));
    const b = await build(out, "B");
    expect(await blobs(out)).toEqual(hexes(b));
    expect(await issues(out)).toEqual([]);
    expect(await fs.readdir(path.dirname(out))).not.toContain(".plain.ocistage");
  });

  it("keeps a blob already there (same inode) and replaces a truncated one", async () => {
    const out = path.join(work, "same");
    const first = await build(out, "A");
    const layer = (first.descriptors.find((d) => d.role === "layer app")?.digest ?? "").slice("sha256:".length);
    const file = path.join(out, "blobs", "sha256", layer);
    const inode = (await fs.stat(file)).ino;
    await build(out, "A");
    expect((await fs.stat(file)).ino).toBe(inode);
    await fs.truncate(file, 10);
    await build(out, "A");
    expect(await issues(out)).toEqual([]);
  });

  it("refuses a file, or a folder that is not a layout, and leaves them as they were", async () => {
    const file = path.join(work, "a-file");
    await fs.writeFile(file, "mine");
    expect((await failure(file))[0]).toMatch(/^--out .*a-file: exists and is not a folder/);
    expect(await fs.readFile(file, "utf8")).toBe("mine");
    const folder = path.join(work, "a-folder");
    await fs.mkdir(folder);
    await fs.writeFile(path.join(folder, "notes.txt"), "mine");
    expect((await failure(folder))[0]).toMatch(/is not an OCI layout \(no oci-layout file\) nor an empty folder/);
    expect(await fs.readdir(folder)).toEqual(["notes.txt"]);
  });

  it("below a folder that takes no new entries (/proc) fails as an I/O error instead of retrying forever", async () => {
    const result = await buildImage(programOfVersion("A"), { sourceRoot: work, out: "/proc/ocistage-nope/out", cacheDir: path.join(work, "cache") })();
    expect(E.isLeft(result) && isEnvironmentError(result.left)).toBe(true);
    expect(E.isLeft(result) ? formatBuildError(result.left) : []).toEqual([expect.stringMatching(/^build: \/proc\/ocistage-nope\/out: ENOENT/)]);
  }, 20_000);

  it("refuses a folder another live build is writing, and takes over a dead build's lock", async () => {
    const out = path.join(work, "locked");
    await build(out, "A");
    await fs.writeFile(path.join(out, ".ocistage-lock"), `${process.ppid}\n`);
    expect(await failure(out, "B")).toEqual([`--out ${out}: another build (pid ${process.ppid}) is writing this folder`]);
    await fs.writeFile(path.join(out, ".ocistage-lock"), "2147483646\n");
    await build(out, "B");
    expect(await fs.readdir(out)).not.toContain(".ocistage-lock");
  });

  it("removes the temporaries of dead builds and leaves everything else of DIR's", async () => {
    const out = path.join(work, "leftovers");
    await build(out, "A");
    await fs.writeFile(path.join(out, ".ocistage-tmp-2147483646-blob-x"), "half a blob");
    await fs.writeFile(path.join(out, "README"), "the user's");
    await build(out, "B");
    expect((await fs.readdir(out)).sort()).toEqual(["README", "blobs", "image.oci.tar", "index.json", "oci-layout"]);
  });

  it("replaces an output of the older symlinked form by a plain folder", async () => {
    const out = path.join(work, "old-form");
    const store = path.join(work, ".old-form.ocistage");
    await fs.mkdir(path.join(store, "sha256-".padEnd(71, "0")), { recursive: true });
    await fs.symlink(path.join(".old-form.ocistage", "sha256-".padEnd(71, "0")), out);
    await build(out, "A");
    expect((await fs.lstat(out)).isDirectory()).toBe(true);
    expect(await fs.lstat(store).catch(() => undefined)).toBeUndefined();
    expect(await issues(out)).toEqual([]);
  });
});
