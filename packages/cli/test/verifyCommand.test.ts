// `ocistage verify LAYOUT` on a built example layout and on tampered copies of it: a clean layout
// prints ok and exits 0; each kind of tampering is reported on stderr, one line per issue led by
// the chain of descriptors that reaches the damaged blob, and exits 1.
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { BuildJson } from "../../build/test/support/buildExample.ts";
import { buildExample } from "../../build/test/support/buildExample.ts";
import { blobPath } from "../../build/test/support/layoutFiles.ts";
import { runCli } from "../../build/test/support/runCli.ts";
import { makeTempDir, removeTempDir } from "../../build/test/support/tempDir.ts";

let work = "";
let built: BuildJson | undefined;

beforeAll(async () => {
  work = await makeTempDir("cli-verify");
  built = await buildExample(path.join(work, "out"));
});
afterAll(() => removeTempDir(work));

const image = (): BuildJson => {
  if (built === undefined) throw new Error("the example did not build");
  return built;
};
const layer = (): BuildJson["descriptors"][number] => image().descriptors.find((d) => d.role.startsWith("layer ")) ?? image().manifest;
const config = (): BuildJson["descriptors"][number] => image().descriptors.find((d) => d.role === "config") ?? image().manifest;

// A private copy of the resolved layout (DIR is a symlink; the copy is real files) to tamper with.
let copies = 0;
const copyLayout = async (): Promise<string> => {
  const copy = path.join(work, `copy-${copies++}`);
  await fs.cp(await fs.realpath(path.join(work, "out")), copy, { recursive: true });
  return copy;
};

const sha256 = async (file: string): Promise<string> => `sha256:${createHash("sha256").update(await fs.readFile(file)).digest("hex")}`;

const verify = async (layout: string, ...flags: readonly string[]): Promise<{ readonly code: number | null; readonly stdout: string; readonly lines: readonly string[] }> => {
  const result = await runCli(["verify", layout, ...flags]);
  return { code: result.code, stdout: result.stdout, lines: result.stderr.split("\n").filter((l) => l !== "") };
};

const LAYER_AT = "index.json manifests[0] → manifest layers[0]";
const CONFIG_AT = "index.json manifests[0] → manifest config";

describe("ocistage verify on an untouched layout", () => {
  test("prints ok and exits 0, through DIR's symlink and on a copy", async () => {
    expect(await verify(path.join(work, "out"))).toEqual({ code: 0, stdout: "ok\n", lines: [] });
    expect(await verify(await copyLayout())).toEqual({ code: 0, stdout: "ok\n", lines: [] });
  });

  test("--json prints the report with no issues", async () => {
    const layout = await copyLayout();
    const result = await verify(layout, "--json");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ layout, result: "ok", issues: [] });
  });
});

describe("ocistage verify on a tampered layout", () => {
  test("a flipped byte in the layer: a digest mismatch at the layer's descriptor, exit 1", async () => {
    const layout = await copyLayout();
    const file = blobPath(layout, layer().digest);
    const bytes = await fs.readFile(file);
    bytes[4096] = (bytes[4096] ?? 0) ^ 0x01;
    await fs.writeFile(file, bytes);
    expect(await verify(layout)).toEqual({ code: 1, stdout: "", lines: [`${LAYER_AT}: digest mismatch: expected ${layer().digest}, blob hashes to ${await sha256(file)}`] });
  });

  test("a truncated layer: its size and its digest are both wrong", async () => {
    const layout = await copyLayout();
    const file = blobPath(layout, layer().digest);
    await fs.truncate(file, 1000);
    expect(await verify(layout)).toEqual({
      code: 1,
      stdout: "",
      lines: [`${LAYER_AT}: size 1000 but descriptor says ${layer().size}`, `${LAYER_AT}: digest mismatch: expected ${layer().digest}, blob hashes to ${await sha256(file)}`],
    });
  });

  test("a missing layer blob", async () => {
    const layout = await copyLayout();
    await fs.rm(blobPath(layout, layer().digest));
    expect(await verify(layout)).toEqual({ code: 1, stdout: "", lines: [`${LAYER_AT}: missing blob ${layer().digest}`] });
  });

  test("a changed byte in the config, still valid JSON: a digest mismatch at the config's descriptor", async () => {
    const layout = await copyLayout();
    const file = blobPath(layout, config().digest);
    const text = await fs.readFile(file, "utf8");
    expect(text).toContain('"amd64"');
    await fs.writeFile(file, text.replace('"amd64"', '"amd65"'));
    expect(await verify(layout)).toEqual({ code: 1, stdout: "", lines: [`${CONFIG_AT}: digest mismatch: expected ${config().digest}, blob hashes to ${await sha256(file)}`] });
  });

  test("a wrong size in index.json's descriptor of the manifest", async () => {
    const layout = await copyLayout();
    const indexFile = path.join(layout, "index.json");
    const index = JSON.parse(await fs.readFile(indexFile, "utf8")) as { manifests: { size: number }[] };
    const real = index.manifests[0]?.size ?? 0;
    (index.manifests[0] ?? { size: 0 }).size = real + 1;
    await fs.writeFile(indexFile, JSON.stringify(index));
    expect(await verify(layout)).toEqual({ code: 1, stdout: "", lines: [`index.json manifests[0]: size ${real} but descriptor says ${real + 1}`] });
  });

  test("a corrupt blob nothing refers to is reported under its own name", async () => {
    const layout = await copyLayout();
    const stray = path.join(layout, "blobs", "sha256", "0".repeat(64));
    await fs.writeFile(stray, "not the empty-zero blob");
    expect(await verify(layout)).toEqual({ code: 1, stdout: "", lines: [`blobs/sha256/${"0".repeat(64)}: digest mismatch: expected sha256:${"0".repeat(64)}, blob hashes to ${await sha256(stray)}`] });
  });

  test("a missing index.json, and a folder that is no layout at all", async () => {
    const layout = await copyLayout();
    await fs.rm(path.join(layout, "index.json"));
    expect(await verify(layout)).toEqual({ code: 1, stdout: "", lines: ["index.json: missing file"] });
    const empty = path.join(work, "empty");
    await fs.mkdir(empty);
    expect(await verify(empty)).toEqual({ code: 1, stdout: "", lines: ["oci-layout: missing file", "blobs: missing directory", "index.json: missing file"] });
  });

  test("--json reports every issue with its place and kind on stderr, exit 1", async () => {
    const layout = await copyLayout();
    await fs.rm(blobPath(layout, layer().digest));
    const result = await runCli(["verify", layout, "--json"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(JSON.parse(result.stderr)).toEqual({
      layout,
      result: "invalid",
      issues: [{ at: LAYER_AT, kind: "MissingBlob", message: `missing blob ${layer().digest}` }],
    });
  });

  test("a usage error (no LAYOUT) exits 2", async () => {
    const result = await runCli(["verify"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("ocistage verify: missing LAYOUT");
  });
});
