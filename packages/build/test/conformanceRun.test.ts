// The built example runs: unpacked by umoci and started by runc, run by podman, and pushed to a
// registry by skopeo without changing its manifest digest.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { BuildJson } from "./support/buildExample.ts";
import { buildExample } from "./support/buildExample.ts";
import { blobPath } from "./support/layoutFiles.ts";
import { podmanEnv } from "./support/podmanEnv.ts";
import { requireRoot, requireTools } from "./support/requireTools.ts";
import { runOk, runProcess } from "./support/runProcess.ts";
import type { Registry } from "./support/startRegistry.ts";
import { startRegistry } from "./support/startRegistry.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";

let work: string | undefined;
let out = "";
let built: BuildJson;

beforeAll(async () => {
  work = await makeTempDir("run");
  out = path.join(work, "busybox-shell");
  built = await buildExample(out);
});
afterAll(() => removeTempDir(work));

const scratch = (name: string): string => path.join(work ?? "", name);

describe.runIf(requireTools("umoci", "runc") && requireRoot("umoci unpack and runc run"))("umoci unpack, then runc run", () => {
  let bundle = "";
  beforeAll(async () => {
    bundle = scratch("bundle");
    await runOk("umoci", ["unpack", "--image", `${out}:latest`, bundle]);
  });

  test("the unpacked rootfs has the spec's files, modes and links", async () => {
    const rootfs = path.join(bundle, "rootfs");
    expect(await fs.readlink(path.join(rootfs, "bin/sh"))).toBe("busybox");
    expect((await fs.stat(path.join(rootfs, "bin/busybox"))).mode & 0o7777).toBe(0o755);
    expect((await fs.stat(path.join(rootfs, "tmp"))).mode & 0o7777).toBe(0o1777);
    expect(await fs.readFile(path.join(rootfs, "etc/passwd"), "utf8")).toBe("root:x:0:0:root:/root:/bin/sh\n");
  });

  test("the bundle's config carries the image's entrypoint and env", async () => {
    const config = JSON.parse(await fs.readFile(path.join(bundle, "config.json"), "utf8")) as { process: { args: string[]; env: string[] } };
    expect(config.process.args).toEqual(["/bin/sh"]);
    expect(config.process.env).toContain("PATH=/bin");
  });

  test("runc runs a command in it", async () => {
    const configFile = path.join(bundle, "config.json");
    const config = JSON.parse(await fs.readFile(configFile, "utf8")) as { process: Record<string, unknown> };
    await fs.writeFile(configFile, JSON.stringify({ ...config, process: { ...config.process, terminal: false, args: ["/bin/sh", "-c", "echo hi from runc"] } }));
    const id = `ocistage-test-${process.pid}-${Date.now()}`;
    const result = await runProcess("runc", ["run", "--bundle", bundle, id]);
    expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 0, stdout: "hi from runc\n" });
  });
});

describe.runIf(requireTools("podman", "runc") && requireRoot("podman with its own --root"))("podman", () => {
  test("podman --runtime runc run --rm oci:DIR:latest -c 'echo hi' prints hi", async () => {
    const podman = await podmanEnv(scratch("podman"));
    const result = await runProcess("podman", [...podman.args, "run", "--rm", "--network", "none", `oci:${out}:latest`, "-c", "echo hi"], { env: podman.env });
    expect({ code: result.code, stdout: result.stdout }, result.stderr).toEqual({ code: 0, stdout: "hi\n" });
  });
});

describe.runIf(requireTools("skopeo", "docker-registry"))("a registry on 127.0.0.1", () => {
  let registry: Registry | undefined;
  let ref = "";
  let pushedDigest = "";
  // Without --preserve-digests skopeo gzips uncompressed layers on the way to a registry,
  // which makes a new manifest; with it, the registry holds our bytes.
  beforeAll(async () => {
    const dir = scratch("registry");
    await fs.mkdir(dir);
    registry = await startRegistry(dir);
    ref = `docker://${registry.host}/busybox-shell:latest`;
    const digestFile = scratch("pushed-digest");
    await runOk("skopeo", ["copy", "--preserve-digests", "--dest-tls-verify=false", "--digestfile", digestFile, `oci:${out}:latest`, ref]);
    pushedDigest = await fs.readFile(digestFile, "utf8");
  });
  afterAll(() => registry?.stop());

  test("skopeo copy --preserve-digests pushes it under the same manifest digest", async () => {
    expect(pushedDigest).toBe(built.manifest.digest);
    const info = JSON.parse((await runOk("skopeo", ["inspect", "--tls-verify=false", ref])).stdout) as Record<string, unknown>;
    expect(info).toMatchObject({ Digest: built.manifest.digest, Architecture: "amd64", Os: "linux", Env: ["PATH=/bin"] });
  });

  test("the registry serves the manifest's exact bytes", async () => {
    const raw = (await runOk("skopeo", ["inspect", "--raw", "--tls-verify=false", ref])).stdout;
    expect(raw).toBe(await fs.readFile(blobPath(out, built.manifest.digest), "utf8"));
  });
});
