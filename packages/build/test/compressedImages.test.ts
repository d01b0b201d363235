// examples/busybox-shell built with `--compression gzip` and `zstd`: the layer is stored
// compressed (…tar+gzip / …tar+zstd), its diff_id is the digest of the tar the uncompressed
// build stores, so the config is the same blob; skopeo copies the layouts, umoci unpacks them to
// the uncompressed image's tree, and podman runs them.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { podmanEnv } from "./support/podmanEnv.ts";
import { blobPath, readImageDocuments } from "./support/layoutFiles.ts";
import type { ImageDocuments } from "./support/layoutFiles.ts";
import { requireRoot, requireTools } from "./support/requireTools.ts";
import { EXAMPLE_BUSYBOX, runCli } from "./support/runCli.ts";
import { runOk, runProcess } from "./support/runProcess.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";

const CODECS = ["gzip", "zstd"] as const;
type Codec = (typeof CODECS)[number];
const MEDIA_TYPE: Record<Codec, string> = { gzip: "application/vnd.oci.image.layer.v1.tar+gzip", zstd: "application/vnd.oci.image.layer.v1.tar+zstd" };

let work: string | undefined;
const layouts: Record<"none" | Codec, string> = { none: "", gzip: "", zstd: "" };
const documents = new Map<string, ImageDocuments>();

const build = async (compression: "none" | Codec): Promise<void> => {
  const out = path.join(work ?? "", `busybox-${compression}`);
  const result = await runCli(["build", EXAMPLE_BUSYBOX, "--out", out, "--compression", compression, "--json"]);
  if (result.code !== 0) throw new Error(`ocistage build --compression ${compression} exited ${result.code}:\n${result.stderr}`);
  layouts[compression] = out;
  documents.set(compression, await readImageDocuments(out));
};
const docs = (compression: string): ImageDocuments => {
  const found = documents.get(compression);
  if (found === undefined) throw new Error(`no ${compression} build`);
  return found;
};

const haveTools = requireTools("busybox", "gzip", "zstd");

beforeAll(async () => {
  work = await makeTempDir("compressed");
  if (haveTools) await Promise.all((["none", ...CODECS] as const).map(build));
});
const podmanDirs: string[] = [];
afterAll(async () => {
  await removeTempDir(work);
  // podman's storage may still be settling just after a run: a few tries.
  for (const dir of podmanDirs) await fs.rm(dir, { recursive: true, force: true, maxRetries: 5 });
});

describe.runIf(haveTools)("a compressed layer", () => {
  for (const codec of CODECS)
    test(`${codec}: the manifest names the compressed blob, the config the uncompressed tar's digest`, async () => {
      const plain = docs("none");
      const packed = docs(codec);
      const [tar] = plain.manifest.layers;
      const [blob] = packed.manifest.layers;
      expect(blob?.mediaType).toBe(MEDIA_TYPE[codec]);
      expect(blob?.digest).not.toBe(tar?.digest);
      expect(blob?.size).toBeLessThan(tar?.size ?? 0);
      expect(packed.config.rootfs.diff_ids).toEqual([tar?.digest]);
      expect(packed.manifest.config).toEqual(plain.manifest.config); // the same config blob
      // The stored bytes decompress, with the real tool, to the tar the uncompressed build stores.
      const back = await runOk("sh", ["-c", `${codec} -dc < "$1" | sha256sum`, "sh", blobPath(layouts[codec], blob?.digest ?? "")]);
      expect(`sha256:${back.stdout.split(" ")[0]}`).toBe(tar?.digest);
      // And ocistage's own reader accepts the layout.
      expect((await runCli(["verify", layouts[codec]])).code).toBe(0);
    });
});

describe.runIf(haveTools && requireTools("skopeo"))("skopeo", () => {
  for (const codec of CODECS)
    test(`${codec}: copies oci:… to oci:… and inspects the copy with the same manifest digest`, async () => {
      const copy = path.join(work ?? "", `copy-${codec}`);
      await runOk("skopeo", ["copy", "--quiet", `oci:${layouts[codec]}:latest`, `oci:${copy}:latest`]);
      const info = JSON.parse((await runOk("skopeo", ["inspect", `oci:${copy}:latest`])).stdout) as { Digest: string; Layers: string[] };
      expect(info.Digest).toBe(docs(codec).index.manifests[0]?.digest);
      expect(info.Layers).toEqual([docs(codec).manifest.layers[0]?.digest]);
    });
});

// umoci reads zstd layers from 0.5.0 on; Debian 12's 0.4.7 refuses their media type, so there the
// zstd image is first given to skopeo, which decompresses it to copy it as gzip.
const umociReadsZstd = async (): Promise<boolean> => {
  const version = /version ([0-9]+)\.([0-9]+)/.exec((await runOk("umoci", ["--version"])).stdout);
  return Number(version?.[1]) > 0 || Number(version?.[2]) >= 5;
};

describe.runIf(haveTools && requireTools("umoci", "skopeo") && requireRoot("umoci unpack"))("umoci unpack", () => {
  const unpack = async (layout: string, name: string): Promise<string> => {
    const bundle = path.join(work ?? "", `bundle-${name}`);
    await runOk("umoci", ["unpack", "--image", `${layout}:latest`, bundle]);
    return path.join(bundle, "rootfs");
  };
  let plain = "";
  beforeAll(async () => {
    plain = await unpack(layouts.none, "none");
  });

  for (const codec of CODECS)
    test(`${codec}: unpacks to the uncompressed image's tree`, async () => {
      let layout = layouts[codec];
      if (codec === "zstd" && !(await umociReadsZstd())) {
        layout = path.join(work ?? "", "zstd-as-gzip");
        await runOk("skopeo", ["copy", "--quiet", "--dest-compress-format", "gzip", `oci:${layouts.zstd}:latest`, `oci:${layout}:latest`]);
      }
      const rootfs = await unpack(layout, codec);
      expect(await fs.readlink(path.join(rootfs, "bin/sh"))).toBe("busybox");
      const diff = await runProcess("diff", ["-r", "--no-dereference", plain, rootfs]);
      expect({ code: diff.code, out: diff.stdout }).toEqual({ code: 0, out: "" });
    });
});

describe.runIf(haveTools && requireTools("podman", "runc") && requireRoot("podman with its own --root"))("podman", () => {
  for (const codec of CODECS)
    test(`runs the ${codec} image: podman --runtime runc run --rm oci:DIR:latest -c 'echo hi'`, async () => {
      // podman wants a runroot of at most 50 characters: a short folder of its own.
      const dir = await makeTempDir("p");
      const podman = await podmanEnv(path.join(dir, codec[0] ?? "p"));
      const result = await runProcess("podman", [...podman.args, "run", "--rm", "--network", "none", `oci:${layouts[codec]}:latest`, "-c", "echo hi"], { env: podman.env, timeoutMs: 90_000 });
      podmanDirs.push(dir);
      expect({ code: result.code, stdout: result.stdout, stderr: result.code === 0 ? "" : result.stderr }).toEqual({ code: 0, stdout: "hi\n", stderr: "" });
    });
});
