// Compressed images are reproducible: the same spec gives the same compressed bytes under any time
// zone, umask, locale and working folder (separate CLI processes, no cache), and the golden
// digests below hold them for this ocistage version on any machine (inline files only, so nothing
// of the machine gets in). The emitted shell script, run by dash, compresses with the host's
// gzip and zstd: other blob bytes, but the build's diff_ids and config, and a valid image.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readImageDocuments } from "./support/layoutFiles.ts";
import { requireRoot, requireTools } from "./support/requireTools.ts";
import type { CliRun } from "./support/runCli.ts";
import { EXAMPLE_BUSYBOX, cliEnv, runCli } from "./support/runCli.ts";
import { runOk, runProcess } from "./support/runProcess.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";

let work = "";
beforeAll(async () => {
  work = await makeTempDir("zrepro");
});
afterAll(() => removeTempDir(work));

const build = async (spec: string, out: string, extra: readonly string[], options: CliRun = {}): Promise<string> => {
  const result = await runCli(["build", spec, "--out", out, "--no-cache", ...extra], options);
  if (result.code !== 0) throw new Error(`ocistage build exited ${result.code}:\n${result.stderr}`);
  return result.stdout.split("\n")[0] ?? "";
};

// 1.5 MiB of text in one layer (two blocks), a small layer of its own compression, and the image's.
const GOLDEN_SPEC = {
  name: "compressed-golden",
  tag: "1",
  compression: "gzip",
  layers: [
    { name: "text", files: [{ content: Array.from({ length: 40_000 }, (_, i) => `${i}: ${"abcdefghij".repeat(1 + (i % 5))}\n`).join(""), destination: "/srv/text.txt" }] },
    { name: "etc", compression: "zstd", files: [{ content: "hello\n", destination: "/etc/motd" }, { directory: "/tmp", mode: "1777" }] },
  ],
};

// Manifest digests of GOLDEN_SPEC as written, and with --compression zstd / none: they move only
// when the pinned compressor (pako, @bokuweb/zstd-wasm), its settings or the framing do.
const GOLDEN = {
  spec: "sha256:2fd7dd1e1c2fe9fbb86aba008db72aeeb36be97d0a84ac9550494fcae3c58c18",
  zstd: "sha256:bd69dfa0534c3ae06ace8354cd411ac677f4f3f84c43494cda7b1421f2863150",
  none: "sha256:43c136a324ec880cb05f525af86f5676e6aa931d0bb6868f3a0fd64a63750dd4",
};

describe("golden digests of a compressed image of inline files", () => {
  test("as the spec says (gzip, one layer zstd), with --compression zstd, and uncompressed", async () => {
    const spec = path.join(work, "golden.json");
    await fs.writeFile(spec, JSON.stringify(GOLDEN_SPEC));
    const digests = {
      spec: await build(spec, path.join(work, "golden-spec"), []),
      zstd: await build(spec, path.join(work, "golden-zstd"), ["--compression", "zstd"]),
      none: await build(spec, path.join(work, "golden-none"), ["--compression", "none"]),
    };
    expect(digests).toEqual(GOLDEN);
    const { manifest } = await readImageDocuments(path.join(work, "golden-spec"));
    expect(manifest.layers.map((l) => l.mediaType)).toEqual(["application/vnd.oci.image.layer.v1.tar+gzip", "application/vnd.oci.image.layer.v1.tar+zstd"]);
  });
});

describe.runIf(requireTools("busybox"))("examples/busybox-shell, compressed, in two different environments", () => {
  for (const codec of ["gzip", "zstd"] as const)
    test(`${codec}: the same manifest digest under other TZ, umask, locale and working folder`, async () => {
      const elsewhere = path.join(work, `cwd-${codec}`);
      await fs.mkdir(elsewhere);
      const [a, b] = await Promise.all([
        build(EXAMPLE_BUSYBOX, path.join(work, `${codec}-a`), ["--compression", codec], { env: cliEnv({ TZ: "UTC", LC_ALL: "C", LANG: "C" }), umask: "022" }),
        build(EXAMPLE_BUSYBOX, path.join(work, `${codec}-b`), ["--compression", codec], { cwd: elsewhere, env: cliEnv({ TZ: "Pacific/Auckland", LC_ALL: "sv_SE.UTF-8", LANG: "sv_SE.UTF-8" }), umask: "077" }),
      ]);
      expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(b).toBe(a);
    });
});

describe.runIf(requireTools("busybox", "dash", "shellcheck", "gzip", "zstd", "skopeo"))("the emitted shell script of a compressed image", () => {
  for (const codec of ["gzip", "zstd"] as const)
    test(`${codec}: passes shellcheck, and under dash gives the build's diff_ids and config and an image skopeo reads`, async () => {
      const script = path.join(work, `build-${codec}.sh`);
      const emitted = await runCli(["emit", "shell", EXAMPLE_BUSYBOX, "--compression", codec, "-o", script]);
      expect(emitted.code).toBe(0);
      expect((await runProcess("shellcheck", ["-s", "sh", script])).stdout).toBe("");
      const byScript = path.join(work, `script-${codec}`);
      await runOk("dash", [script, byScript]);
      const byBuild = path.join(work, `built-${codec}`);
      await build(EXAMPLE_BUSYBOX, byBuild, ["--compression", codec]);
      const [s, b] = await Promise.all([readImageDocuments(byScript), readImageDocuments(byBuild)]);
      expect(s.config.rootfs.diff_ids).toEqual(b.config.rootfs.diff_ids);
      expect(s.manifest.config).toEqual(b.manifest.config);
      expect(s.manifest.layers.map((l) => l.mediaType)).toEqual(b.manifest.layers.map((l) => l.mediaType));
      const info = JSON.parse((await runOk("skopeo", ["inspect", `oci:${byScript}:latest`])).stdout) as { Layers: string[] };
      expect(info.Layers).toEqual(s.manifest.layers.map((l) => l.digest));
    });

  test.runIf(requireTools("umoci") && requireRoot("umoci unpack"))("gzip: umoci unpacks the script's image", async () => {
    const bundle = path.join(work, "script-bundle");
    await runOk("umoci", ["unpack", "--image", `${path.join(work, "script-gzip")}:latest`, bundle]);
    expect(await fs.readlink(path.join(bundle, "rootfs/bin/sh"))).toBe("busybox");
  });
});
