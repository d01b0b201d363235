// `ocistage build` as a user meets it: every spec issue at once with its path, exit 1 and nothing
// written; a build that fails leaves the previous image exactly as it was; --json lists every
// descriptor the layout holds.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { BuildJson } from "../../build/test/support/buildExample.ts";
import { blobPath, readTreeFiles } from "../../build/test/support/layoutFiles.ts";
import { EXAMPLE_BUSYBOX, runCli } from "../../build/test/support/runCli.ts";
import { makeTempDir, removeTempDir } from "../../build/test/support/tempDir.ts";

let work: string | undefined;
const dir = (...parts: readonly string[]): string => path.join(work ?? "", ...parts);

beforeAll(async () => {
  work = await makeTempDir("cli-build");
});
afterAll(() => removeTempDir(work));

const writeSpec = async (folder: string, spec: unknown): Promise<void> => {
  await fs.mkdir(folder, { recursive: true });
  await fs.writeFile(path.join(folder, "image.json"), JSON.stringify(spec, null, 2));
};

describe("a spec with three wrong fields", () => {
  const spec = {
    name: "Bad Name",
    layers: [{ name: "files", files: [{ content: "hi\n", destination: "/hi.txt", mode: "999" }] }],
    entrypoint: "/bin/sh",
  };
  const expected = [/^name: .*"Bad Name"$/, /^layers\[0\]\.files\[0\]\.mode: .*"999"$/, /^entrypoint: .*"\/bin\/sh"$/];

  test("build reports all three, one line each, by path; exits 1 and writes nothing", async () => {
    const folder = dir("three-wrong");
    await writeSpec(folder, spec);
    const result = await runCli(["build", folder, "--out", dir("three-wrong-out")]);
    expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 1, stdout: "" });
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expected.forEach((pattern, i) => expect(lines[i]).toMatch(pattern));
    expect((await fs.readdir(work ?? "")).filter((name) => name.includes("three-wrong-out"))).toEqual([]);
  });

  test("validate reports the same three lines", async () => {
    const result = await runCli(["validate", dir("three-wrong")]);
    expect(result.code).toBe(1);
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expected.forEach((pattern, i) => expect(lines[i]).toMatch(pattern));
  });
});

describe("a spec whose source is missing", () => {
  const folder = (): string => dir("missing-source");
  const out = (): string => dir("missing-source-out");
  const goodSpec = { name: "cli-test", layers: [{ name: "files", files: [{ source: "data/hello.txt", destination: "/hello.txt" }] }] };
  const brokenSpec = { ...goodSpec, layers: [{ name: "files", files: [{ source: "data/missing.txt", destination: "/hello.txt" }] }] };

  test("exits 1 naming the layer's step and the missing file, and leaves the earlier --out untouched", async () => {
    await fs.mkdir(path.join(folder(), "data"), { recursive: true });
    await fs.writeFile(path.join(folder(), "data", "hello.txt"), "hello\n");
    await writeSpec(folder(), goodSpec);
    const first = await runCli(["build", folder(), "--out", out()]);
    expect(first.code, first.stderr).toBe(0);
    const before = {
      files: await readTreeFiles(out()),
      index: await fs.readFile(path.join(out(), "index.json")),
      beside: (await fs.readdir(work ?? "")).sort(),
    };

    await writeSpec(folder(), brokenSpec);
    const second = await runCli(["build", folder(), "--out", out()]);
    expect({ code: second.code, stdout: second.stdout }).toEqual({ code: 1, stdout: "" });
    const lines = second.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^assemble-rootfs-files .*data\/missing\.txt.*ENOENT/);

    expect({
      files: await readTreeFiles(out()),
      index: await fs.readFile(path.join(out(), "index.json")),
      beside: (await fs.readdir(work ?? "")).sort(),
    }).toEqual(before);
  });

  test("a rebuild that changes only the tag gives a layout naming the new tag", async () => {
    const retag = dir("retag");
    await fs.mkdir(path.join(retag, "data"), { recursive: true });
    await fs.writeFile(path.join(retag, "data", "hello.txt"), "hello\n");
    const tagOf = async (): Promise<unknown> =>
      JSON.parse(await fs.readFile(path.join(dir("retag-out"), "index.json"), "utf8")).manifests[0].annotations["org.opencontainers.image.ref.name"];
    await writeSpec(retag, { ...goodSpec, tag: "one" });
    expect((await runCli(["build", retag, "--out", dir("retag-out")])).code).toBe(0);
    expect(await tagOf()).toBe("one");
    await writeSpec(retag, { ...goodSpec, tag: "two" });
    expect((await runCli(["build", retag, "--out", dir("retag-out")])).code).toBe(0);
    expect(await tagOf()).toBe("two");
  });

  test("refuses an --out inside a copied source folder, which would copy earlier builds into the layer", async () => {
    const site = dir("out-inside");
    await fs.mkdir(path.join(site, "data"), { recursive: true });
    await fs.writeFile(path.join(site, "data", "hello.txt"), "hello\n");
    await writeSpec(site, { name: "inside", layers: [{ name: "all", source: "." }] });
    const result = await runCli(["build", site, "--out", path.join(site, "out", "inside")]);
    expect({ code: result.code, stderr: result.stderr }).toEqual({
      code: 1,
      stderr: `assemble-rootfs-all layers[0].source: /: the output ${path.join(site, "out", "inside")} lies inside the copied source .; choose an --out outside it\n`,
    });
    expect((await fs.readdir(site)).sort()).toEqual(["data", "image.json"]);
  });

  test("a first build that fails leaves nothing behind", async () => {
    const result = await runCli(["build", folder(), "--out", dir("never-built")]);
    expect(result.code).toBe(1);
    expect((await fs.readdir(work ?? "")).filter((name) => name.includes("never-built"))).toEqual([]);
  });
});

describe("build --json", () => {
  let printed: BuildJson;
  const out = (): string => dir("json-out");
  beforeAll(async () => {
    const result = await runCli(["build", EXAMPLE_BUSYBOX, "--out", out(), "--json"]);
    expect(result.code, result.stderr).toBe(0);
    printed = JSON.parse(result.stdout) as BuildJson;
  });

  test("prints the output folder, the reference index.json names and the manifest", () => {
    expect(printed.out).toBe(out());
    expect(printed.references).toEqual([{ reference: "latest", mediaType: printed.manifest.mediaType, digest: printed.manifest.digest, size: printed.manifest.size, images: ["busybox-shell"] }]);
    expect(printed.manifest).toEqual(printed.descriptors.at(-1));
  });

  test("prints one descriptor per blob: every layer, the config and the manifest", async () => {
    expect(printed.descriptors.map((d) => [d.role, d.mediaType])).toEqual([
      ["layer busybox", "application/vnd.oci.image.layer.v1.tar"],
      ["config", "application/vnd.oci.image.config.v1+json"],
      ["manifest", "application/vnd.oci.image.manifest.v1+json"],
    ]);
    const blobs = (await fs.readdir(path.join(out(), "blobs", "sha256"))).map((hex) => `sha256:${hex}`).sort();
    expect(printed.descriptors.map((d) => d.digest).sort()).toEqual(blobs);
    for (const d of printed.descriptors) expect((await fs.stat(blobPath(out(), d.digest))).size).toBe(d.size);
  });

  test("without --json, the first line is the manifest digest", async () => {
    const result = await runCli(["build", EXAMPLE_BUSYBOX, "--out", out()]);
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")[0]).toBe(printed.manifest.digest);
  });
});
