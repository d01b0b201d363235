// Images built on another image (`from:`), as Docker's FROM: the base's layer blobs are reused
// byte for byte, its config inherited field by field, and new layers may delete what it holds
// (`{whiteout}`) or hide a folder's contents (`{directory, opaque: true}`). Read back by podman
// and umoci; built again by the emitted shell script, byte for byte.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { BuildJson } from "./support/buildExample.ts";
import { buildExample, buildSpec } from "./support/buildExample.ts";
import { readTreeFiles } from "./support/layoutFiles.ts";
import { podmanEnv } from "./support/podmanEnv.ts";
import { requireTools } from "./support/requireTools.ts";
import { EXAMPLE_BUSYBOX, cliEnv, runCli } from "./support/runCli.ts";
import { runOk, runProcess } from "./support/runProcess.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";

const haveTools = requireTools("podman", "runc", "umoci", "dash", "skopeo");

let work = "";
let podmanDir: string | undefined;
let base: BuildJson;
let built: BuildJson;

interface Json {
  readonly [key: string]: unknown;
}
const at = (...parts: string[]): string => path.join(work, ...parts);
const readJson = async (file: string): Promise<Json> => JSON.parse(await fs.readFile(file, "utf8")) as Json;
const blobOf = (layout: string, digest: string): string => path.join(layout, "blobs", "sha256", digest.replace("sha256:", ""));
const writeSpec = async (name: string, spec: unknown): Promise<string> => {
  const file = at(name);
  await fs.writeFile(file, JSON.stringify(spec, null, 2));
  return file;
};

// The image every test here builds on busybox-shell: a new file, /bin/wget deleted, a Cmd of its own.
const ON_BUSYBOX = {
  name: "on-busybox",
  from: "oci:busybox:latest",
  layers: [
    {
      name: "app",
      files: [
        { content: "hello from the new layer\n", destination: "/etc/app/greeting" },
        { whiteout: "/bin/wget" },
      ],
    },
  ],
  env: { GREETING: "hi", PATH: "/bin:/usr/bin" },
  cmd: ["-c", "cat /etc/app/greeting; ls /bin/sh; ls /bin/wget || echo wget gone; echo $GREETING"],
};

beforeAll(async () => {
  work = await makeTempDir("base-image");
  base = await buildExample(at("busybox"));
  built = await buildSpec(await writeSpec("on-busybox.json", ON_BUSYBOX), at("out"));
});
afterAll(async () => {
  await removeTempDir(podmanDir);
  await removeTempDir(work);
});

describe("an image from: oci:busybox-shell", () => {
  test("its manifest lists the base's layer first, the very blob, byte for byte", async () => {
    const baseManifest = await readJson(blobOf(at("busybox"), base.manifest.digest));
    const manifest = await readJson(blobOf(at("out"), built.manifest.digest));
    const baseLayers = baseManifest["layers"] as readonly Json[];
    const layers = manifest["layers"] as readonly Json[];
    expect(layers).toHaveLength(2);
    expect(layers[0]).toEqual(baseLayers[0]);
    const digest = String(baseLayers[0]?.["digest"]);
    expect(await fs.readFile(blobOf(at("out"), digest))).toEqual(await fs.readFile(blobOf(at("busybox"), digest)));
  });

  test("its config inherits the base's (Env merged by name, Entrypoint kept, Labels kept) and keeps the base's history first", async () => {
    const manifest = await readJson(blobOf(at("out"), built.manifest.digest));
    const config = await readJson(blobOf(at("out"), String((manifest["config"] as Json)["digest"])));
    const execution = config["config"] as Json;
    expect(execution["Env"]).toEqual(["PATH=/bin:/usr/bin", "GREETING=hi"]);
    expect(execution["Entrypoint"]).toEqual(["/bin/sh"]);
    expect(execution["Cmd"]).toEqual(ON_BUSYBOX.cmd);
    expect(execution["Labels"]).toEqual({ "org.opencontainers.image.title": "busybox-shell", "org.opencontainers.image.description": "A shell from one static busybox layer" });
    expect((config["history"] as readonly Json[]).map((h) => h["created_by"])).toEqual(["ocistage tar-layer-busybox", "ocistage tar-layer-app"]);
    const baseConfig = await readJson(blobOf(at("busybox"), String(((await readJson(blobOf(at("busybox"), base.manifest.digest)))["config"] as Json)["digest"])));
    const diffIds = (config["rootfs"] as Json)["diff_ids"] as readonly string[];
    expect(diffIds[0]).toBe(((baseConfig["rootfs"] as Json)["diff_ids"] as readonly string[])[0]);
  });

  test("the new layer writes the deletion as the image-spec says: an empty .wh.wget beside it", async () => {
    const listing = await runOk("tar", ["-tvf", blobOf(at("out"), built.descriptors.find((d) => d.role === "layer app")?.digest ?? "")]);
    expect(listing.stdout).toMatch(/-rw-r--r-- 0\/0 +0 1970-01-01 00:00 \.\/bin\/\.wh\.wget\n/);
  });

  test("plan shows the base by its manifest digest, without reading it again", async () => {
    const plan = await runCli(["plan", at("on-busybox.json")]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`reuse 1 layer blob of base oci:busybox:latest (${base.manifest.digest}) by digest`);
    const docs = await runCli(["docs", at("on-busybox.json")]);
    expect(docs.stdout).toContain(`from: \`oci:busybox:latest\` (manifest \`${base.manifest.digest}\`, 1 layer reused by digest)`);
  });

  test.runIf(haveTools)("podman runs it: the new file is there, sh is there, wget is gone", async () => {
    podmanDir = await makeTempDir("pm"); // short: podman refuses a runroot path over 50 characters
    const podman = await podmanEnv(podmanDir);
    const result = await runProcess("podman", [...podman.args, "run", "--rm", "--quiet", `oci:${at("out")}:latest`], { env: podman.env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("hello from the new layer\n/bin/sh\nwget gone\nhi\n");
  });

  test.runIf(haveTools)("the emitted shell script, run by dash, writes the byte-identical layout", async () => {
    const script = at("build.sh");
    const emitted = await runCli(["emit", "shell", at("on-busybox.json"), "-o", script]);
    expect(emitted.code, emitted.stderr).toBe(0);
    const ran = await runProcess("dash", [script, at("by-script"), work], { env: cliEnv() });
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toBe(`${built.manifest.digest}\n`);
    expect(await readTreeFiles(at("by-script"))).toEqual(await readTreeFiles(at("out")));
  });

  test("the Dockerfile emitter refuses a local base, naming from", async () => {
    const result = await runCli(["emit", "dockerfile", at("on-busybox.json"), "--context", at("ctx")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^from: oci:busybox:latest is a local image \(oci:\)/m);
  });

  test("an oci-archive: base (the base's image.oci.tar) gives the same image", async () => {
    const spec = await writeSpec("from-archive.json", { ...ON_BUSYBOX, from: "oci-archive:busybox/image.oci.tar:latest" });
    const again = await buildSpec(spec, at("from-archive"));
    expect(again.manifest.digest).toBe(built.manifest.digest);
  });
});

describe("a compressed base", () => {
  test("a zstd base's layer blob is reused as it is stored (tar+zstd), its diff_id kept", async () => {
    const zstd = await runCli(["build", EXAMPLE_BUSYBOX, "--out", at("busybox-zstd"), "--compression", "zstd", "--json"]);
    expect(zstd.code, zstd.stderr).toBe(0);
    const zstdBase = JSON.parse(zstd.stdout) as BuildJson;
    const spec = await writeSpec("from-zstd.json", { ...ON_BUSYBOX, from: "oci:busybox-zstd:latest" });
    const onZstd = await buildSpec(spec, at("from-zstd"));
    const manifest = await readJson(blobOf(at("from-zstd"), onZstd.manifest.digest));
    const baseManifest = await readJson(blobOf(at("busybox-zstd"), zstdBase.manifest.digest));
    const first = (manifest["layers"] as readonly Json[])[0];
    expect(first).toEqual((baseManifest["layers"] as readonly Json[])[0]);
    expect(first?.["mediaType"]).toBe("application/vnd.oci.image.layer.v1.tar+zstd");
    const config = await readJson(blobOf(at("from-zstd"), String((manifest["config"] as Json)["digest"])));
    const uncompressed = await readJson(blobOf(at("out"), String(((await readJson(blobOf(at("out"), built.manifest.digest)))["config"] as Json)["digest"])));
    expect((config["rootfs"] as Json)["diff_ids"]).toEqual((uncompressed["rootfs"] as Json)["diff_ids"]);
  });
});

describe.runIf(haveTools)("a docker-archive: base", () => {
  test("the base saved by build --docker-archive, and by skopeo copy … docker-archive:, gives the same image as the oci: base", async () => {
    const saved = await runCli(["build", EXAMPLE_BUSYBOX, "--out", at("busybox-again"), "--docker-archive", at("busybox.docker.tar")]);
    expect(saved.code, saved.stderr).toBe(0);
    await runOk("skopeo", ["copy", "--quiet", `oci:${at("busybox")}:latest`, `docker-archive:${at("busybox.skopeo.tar")}`]);
    for (const archive of ["busybox.docker.tar", "busybox.skopeo.tar"]) {
      const spec = await writeSpec(`from-${archive}.json`, { ...ON_BUSYBOX, from: `docker-archive:${archive}` });
      const again = await buildSpec(spec, at(`from-${archive}`));
      expect(again.manifest.digest, archive).toBe(built.manifest.digest);
    }
  });
});

describe("a base with merged /usr (/lib -> usr/lib)", () => {
  test.runIf(haveTools)("a layer writing /lib/x/libfoo.so lands at /usr/lib/x/libfoo.so, and /lib stays a link (umoci unpack)", async () => {
    const merged = await writeSpec("merged-usr.json", {
      name: "merged-usr",
      layers: [{ name: "usr", files: [{ directory: "/usr/lib", mode: "0755" }, { symlink: "usr/lib", destination: "/lib" }, { content: "old\n", destination: "/usr/lib/keep" }] }],
    });
    await buildSpec(merged, at("merged"));
    const onTop = await writeSpec("on-merged.json", {
      name: "on-merged",
      from: "oci:merged",
      layers: [{ name: "lib", files: [{ content: "ELF?\n", destination: "/lib/x/libfoo.so" }] }],
    });
    await buildSpec(onTop, at("on-merged"));
    const bundle = at("bundle");
    await runOk("umoci", ["unpack", "--image", `${at("on-merged")}:latest`, bundle]);
    const rootfs = path.join(bundle, "rootfs");
    expect((await fs.lstat(path.join(rootfs, "lib"))).isSymbolicLink()).toBe(true);
    expect(await fs.readlink(path.join(rootfs, "lib"))).toBe("usr/lib");
    expect(await fs.readFile(path.join(rootfs, "usr/lib/x/libfoo.so"), "utf8")).toBe("ELF?\n");
    expect(await fs.readFile(path.join(rootfs, "usr/lib/keep"), "utf8")).toBe("old\n");
  });

  test.runIf(haveTools)("a folder a new layer implies keeps the base's mode and owner", async () => {
    const owned = await writeSpec("owned.json", { name: "owned", layers: [{ name: "srv", files: [{ directory: "/srv/data", mode: "0750", uid: 1000, gid: 1000 }] }] });
    await buildSpec(owned, at("owned"));
    const onTop = await writeSpec("on-owned.json", { name: "on-owned", from: "oci:owned", layers: [{ name: "file", files: [{ content: "x\n", destination: "/srv/data/x" }] }] });
    await buildSpec(onTop, at("on-owned"));
    const bundle = at("owned-bundle");
    await runOk("umoci", ["unpack", "--image", `${at("on-owned")}:latest`, bundle]);
    const stat = await fs.stat(path.join(bundle, "rootfs", "srv", "data"));
    expect([(stat.mode & 0o7777).toString(8), stat.uid, stat.gid]).toEqual(["750", 1000, 1000]);
  });
});

describe("opaque folders", () => {
  test.runIf(haveTools)("{directory, opaque: true} hides what the layers below hold in it; new files there stay", async () => {
    const spec = await writeSpec("opaque.json", {
      name: "opaque",
      from: "oci:busybox:latest",
      layers: [{ name: "etc", files: [{ directory: "/etc", opaque: true }, { content: "new\n", destination: "/etc/only" }] }],
    });
    await buildSpec(spec, at("opaque"));
    const bundle = at("opaque-bundle");
    await runOk("umoci", ["unpack", "--image", `${at("opaque")}:latest`, bundle]);
    expect((await fs.readdir(path.join(bundle, "rootfs", "etc"))).sort()).toEqual(["only"]);
    expect((await fs.readdir(path.join(bundle, "rootfs", "bin"))).length).toBeGreaterThan(5);
  });
});

describe("bad bases and bad deletions are refused, naming the field, with nothing written", () => {
  const refused = async (name: string, spec: unknown, env?: NodeJS.ProcessEnv): Promise<{ readonly stderr: string }> => {
    const file = await writeSpec(`${name}.json`, spec);
    const result = await runCli(["build", file, "--out", at(`${name}-out`)], env === undefined ? {} : { env });
    expect(result.code).toBe(1);
    await expect(fs.access(at(`${name}-out`))).rejects.toThrow();
    return result;
  };

  test("a whiteout of a path the base does not have", async () => {
    const { stderr } = await refused("no-such-path", { ...ON_BUSYBOX, layers: [{ name: "app", files: [{ whiteout: "/bin/curl" }] }] });
    expect(stderr).toContain('layers[0].files[0].whiteout: nothing is at "/bin/curl" in the layers below, so there is nothing to delete');
  });

  test("a base pinned to another digest", async () => {
    const { stderr } = await refused("pinned", { ...ON_BUSYBOX, from: `oci:busybox:latest@sha256:${"0".repeat(64)}` });
    expect(stderr).toContain(`from: "oci:busybox:latest@sha256:${"0".repeat(64)}": is pinned to sha256:${"0".repeat(64)}, but its manifest is ${base.manifest.digest}`);
  });

  test("a base pinned to its own digest is accepted", async () => {
    const spec = await writeSpec("pinned-ok.json", { ...ON_BUSYBOX, from: `oci:busybox:latest@${base.manifest.digest}` });
    expect((await buildSpec(spec, at("pinned-ok"))).manifest.digest).not.toBe("");
  });

  test("a reference the base's index.json does not name", async () => {
    const { stderr } = await refused("no-ref", { ...ON_BUSYBOX, from: "oci:busybox:v9" });
    expect(stderr).toContain('from: "oci:busybox:v9": index.json names no image "v9" (it names: latest)');
  });

  test("a base for another platform", async () => {
    const { stderr } = await refused("arm", { ...ON_BUSYBOX, architecture: "arm64" });
    expect(stderr).toContain("is an image for linux/amd64, not linux/arm64");
  });

  test("a damaged base: a layer blob whose bytes changed", async () => {
    await fs.cp(at("busybox"), at("damaged"), { recursive: true });
    const layer = (await readJson(blobOf(at("damaged"), base.manifest.digest)))["layers"] as readonly Json[];
    const file = blobOf(at("damaged"), String(layer[0]?.["digest"]));
    const bytes = await fs.readFile(file);
    bytes[bytes.length - 2000] = (bytes[bytes.length - 2000] ?? 0) ^ 1;
    await fs.writeFile(file, bytes);
    // Read for the first time (a fresh cache): the read itself hashes every layer blob.
    const fresh = cliEnv({ XDG_CACHE_HOME: at("fresh-cache") });
    const first = await refused("damaged-use", { ...ON_BUSYBOX, from: "oci:damaged:latest" }, fresh);
    expect(first.stderr).toMatch(/from: "oci:damaged:latest": layer 0's blob sha256:[0-9a-f]{64} holds other bytes .*the base is damaged/);
    // Read before under the same manifest digest (the file list comes from the cache): import-base hashes it as it copies.
    const again = await refused("damaged-again", { ...ON_BUSYBOX, from: "oci:damaged:latest" });
    expect(again.stderr).toMatch(/import-base from: oci:damaged:latest blob sha256:[0-9a-f]{64} changed while it was being read \(holds other bytes/);
  });

  test("a transport it does not know", async () => {
    const file = await writeSpec("bad-transport.json", { ...ON_BUSYBOX, from: "busybox:latest" });
    const result = await runCli(["build", file, "--out", at("bad-transport-out")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("from: expected base image (oci:PATH[:REF]");
  });
});
