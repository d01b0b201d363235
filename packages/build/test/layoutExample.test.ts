// examples/layout, seed 000's shape: a layout of several images whose layers are defined once.
// web:1.0 is one image for amd64 and arm64 (an image index under one reference), tools an image
// whose tag is derived from its digest; the site layer is one blob named by three manifests.
// Read back by the reference tools, run by podman, copied, rebuilt, and built again by the
// emitted shell script, byte for byte.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { formatLayoutIssue, verifyLayout } from "@ocistage/layout";
import * as E from "fp-ts/lib/Either.js";
import type { BuildJson } from "./support/buildExample.ts";
import { buildSpec } from "./support/buildExample.ts";
import { readTreeFiles } from "./support/layoutFiles.ts";
import { podmanEnv } from "./support/podmanEnv.ts";
import { requireTools } from "./support/requireTools.ts";
import { EXAMPLE_LAYOUT, cliEnv, runCli } from "./support/runCli.ts";
import { runOk, runProcess } from "./support/runProcess.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";

const haveTools = requireTools("skopeo", "oci-image-tool", "podman", "runc", "dash");

let work = "";
let out = "";
let built: BuildJson;
let podmanDir: string | undefined;

interface Json {
  readonly [key: string]: unknown;
}
const readJson = async (file: string): Promise<Json> => JSON.parse(await fs.readFile(file, "utf8")) as Json;
const blob = (digest: string): string => path.join(out, "blobs", "sha256", digest.replace("sha256:", ""));
const referenceNamed = (prefix: string): string => built.references.find((r) => r.reference.startsWith(prefix))?.reference ?? "";

beforeAll(async () => {
  work = await makeTempDir("layout-example");
  out = path.join(work, "layout");
  built = await buildSpec(EXAMPLE_LAYOUT, out);
});
afterAll(async () => {
  await removeTempDir(podmanDir);
  await removeTempDir(work);
});

describe("the layout's index.json", () => {
  test("names web:1.0 (an image index of two platforms) and tools:<32 hex of its manifest digest>", () => {
    expect(built.references.map((r) => [r.reference, r.mediaType, r.images])).toEqual([
      ["web:1.0", "application/vnd.oci.image.index.v1+json", ["web-amd64", "web-arm64-v8"]],
      [`tools:${(built.references[1]?.digest ?? "").slice(7, 39)}`, "application/vnd.oci.image.manifest.v1+json", ["tools"]],
    ]);
  });

  test("DIR is a plain folder that `ocistage verify` accepts", async () => {
    expect((await fs.lstat(out)).isDirectory()).toBe(true);
    expect((await fs.readdir(out)).sort()).toEqual(["blobs", "image.oci.tar", "index.json", "oci-layout"]);
    const verified = await verifyLayout(out)();
    expect(E.isRight(verified) ? verified.right.map(formatLayoutIssue) : verified.left).toEqual([]);
  });

  test("the shared layers are one blob each, named in the manifests that use them", async () => {
    const site = built.descriptors.find((d) => d.role === "layer site")?.digest ?? "";
    const manifests = built.descriptors.filter((d) => d.role.startsWith("manifest"));
    expect(manifests).toHaveLength(3);
    const layersOf = await Promise.all(manifests.map(async (m) => ((await readJson(blob(m.digest)))["layers"] as readonly { readonly digest: string }[]).map((l) => l.digest)));
    expect(layersOf.filter((layers) => layers.includes(site))).toHaveLength(2); // web amd64, web arm64
    const busybox = built.descriptors.find((d) => d.role === "layer busybox")?.digest ?? "";
    expect(layersOf.filter((layers) => layers.includes(busybox))).toHaveLength(2); // web amd64, tools
    expect(built.descriptors.filter((d) => d.role.startsWith("layer "))).toHaveLength(4);
  });
});

describe.runIf(haveTools)("read by the reference tools", () => {
  test("oci-image-tool validates every reference in index.json", async () => {
    for (const r of built.references) {
      const result = await runProcess("oci-image-tool", ["validate", "--type", "image", "--ref", `name=${r.reference}`, out]);
      expect(result.code, result.stderr + result.stdout).toBe(0);
    }
  });

  test("skopeo inspects each, and --override-arch arm64 picks the arm64 manifest of web:1.0", async () => {
    for (const r of built.references) {
      const inspected = JSON.parse((await runOk("skopeo", ["inspect", `oci:${out}:${r.reference}`])).stdout) as Json;
      expect([inspected["Digest"], inspected["Architecture"]]).toEqual([r.digest, "amd64"]);
    }
    const arm = JSON.parse((await runOk("skopeo", ["inspect", "--override-arch", "arm64", "--override-variant", "v8", "--raw", `oci:${out}:web:1.0`])).stdout) as Json;
    expect(arm["mediaType"]).toBe("application/vnd.oci.image.index.v1+json");
    const config = JSON.parse((await runOk("skopeo", ["inspect", "--override-arch", "arm64", "--override-variant", "v8", "--config", `oci:${out}:web:1.0`])).stdout) as Json;
    expect([config["architecture"], config["variant"]]).toEqual(["arm64", "v8"]);
  });

  test("podman runs the amd64 images, with extraConfig's Env and the inline script", async () => {
    podmanDir = await makeTempDir("pm"); // short: podman refuses a runroot path over 50 characters
    const podman = await podmanEnv(podmanDir);
    const run = async (reference: string, ...args: readonly string[]): Promise<string> => {
      const result = await runProcess("podman", [...podman.args, "run", "--rm", "--quiet", `oci:${out}:${reference}`, ...args], { env: podman.env });
      expect(result.code, result.stderr).toBe(0);
      return result.stdout;
    };
    expect(await run("web:1.0")).toBe("<!doctype html>\n<title>web</title>\n<p>One layer, two platforms, one blob.</p>\n");
    expect(await run(referenceNamed("tools:"))).toBe("tools image\n");
    const env = await runProcess("podman", [...podman.args, "run", "--rm", "--quiet", "--entrypoint", "/bin/cat", `oci:${out}:web:1.0`, "/etc/web.json"], { env: podman.env });
    expect(env.stdout).toBe('{"port":8080,"served":["index.html"],"title":"web"}');
  });

  test("a copy made with cp -r is the same layout", async () => {
    const copy = path.join(work, "copy");
    await runOk("cp", ["-r", out, copy]);
    const inspected = JSON.parse((await runOk("skopeo", ["inspect", `oci:${copy}:web:1.0`])).stdout) as Json;
    expect(inspected["Digest"]).toBe(built.references[0]?.digest);
  });
});

describe.runIf(haveTools)("the emitted shell script", () => {
  test("writes the byte-identical layout, and prints what the build prints", async () => {
    const script = path.join(work, "build.sh");
    const emitted = await runCli(["emit", "shell", EXAMPLE_LAYOUT, "-o", script]);
    expect(emitted.code, emitted.stderr).toBe(0);
    const target = path.join(work, "by-script");
    const ran = await runProcess("dash", [script, target, EXAMPLE_LAYOUT], { env: cliEnv() });
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toBe(built.references.map((r) => `${r.digest} ${r.reference}\n`).join(""));
    expect(await readTreeFiles(target)).toEqual(await readTreeFiles(out));
  });
});

describe("the views", () => {
  test("plan, graph and docs show every image, and the shared layer once", async () => {
    for (const args of [["plan"], ["graph", "--format", "dot"], ["docs"]]) {
      const result = await runCli([...args, EXAMPLE_LAYOUT]);
      expect(result.code, result.stderr).toBe(0);
      for (const step of ["write-config-web-amd64", "write-config-web-arm64-v8", "write-config-tools", "write-image-index-web"]) expect(result.stdout).toContain(step);
    }
    const plan = await runCli(["plan", EXAMPLE_LAYOUT, "--format", "json"]);
    const steps = (JSON.parse(plan.stdout) as { readonly steps: readonly { readonly name: string }[] }).steps.map((s) => s.name);
    expect(steps.filter((s) => s === "tar-layer-site")).toHaveLength(1);
    expect(steps.filter((s) => s.startsWith("tar-layer-"))).toEqual(["tar-layer-busybox", "tar-layer-site", "tar-layer-arm64-notes", "tar-layer-tools-scripts"]);
  });
});

describe("a rebuild", () => {
  test("after a change leaves no blob the new index does not reach", async () => {
    const copy = path.join(work, "changed-spec");
    await fs.cp(path.dirname(path.join(EXAMPLE_LAYOUT, "image.yaml")), copy, { recursive: true });
    const spec = path.join(copy, "image.yaml");
    await fs.writeFile(spec, (await fs.readFile(spec, "utf8")).replace("tools image\\n", "tools image, second edition\\n"));
    const target = path.join(work, "rebuilt");
    await fs.cp(out, target, { recursive: true });
    const again = await buildSpec(copy, target);
    const reachable = new Set(again.descriptors.map((d) => d.digest.replace("sha256:", "")));
    expect((await fs.readdir(path.join(target, "blobs", "sha256"))).sort()).toEqual([...reachable].sort());
    expect(again.references[0]?.digest).toBe(built.references[0]?.digest);
    expect(again.references[1]?.digest).not.toBe(built.references[1]?.digest);
  });
});

