// Pulling from a real registry into an OCI layout: the manifest digest that was pushed comes
// back, `ocistage verify` accepts the layout, and bytes that do not match their digest (a proxy
// flips one) are refused, naming the digest, with nothing half-written.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { BuildJson } from "../../build/test/support/buildExample.ts";
import { buildSpec } from "../../build/test/support/buildExample.ts";
import { requireTools } from "../../build/test/support/requireTools.ts";
import { EXAMPLE_BUSYBOX, EXAMPLE_LAYOUT } from "../../build/test/support/runCli.ts";
import { makeTempDir, removeTempDir } from "../../build/test/support/tempDir.ts";
import type { RecordingProxy } from "./support/recordingProxy.ts";
import { startRecordingProxy } from "./support/recordingProxy.ts";
import { homeIn, registryCli, registryCliOk } from "./support/registryCli.ts";
import type { RegistryServer } from "./support/registryServer.ts";
import { startRegistryServer } from "./support/registryServer.ts";

interface IndexJson {
  readonly manifests: readonly { readonly digest: string; readonly mediaType: string; readonly annotations?: Record<string, string>; readonly platform?: { architecture: string } }[];
}

describe.runIf(requireTools("docker-registry"))("pull", () => {
  let work: string | undefined;
  let registry: RegistryServer | undefined;
  let tamperer: RecordingProxy | undefined;
  let busybox: BuildJson;
  let layout: BuildJson;
  const dir = (name: string): string => path.join(work ?? "", name);
  const home = (): string => homeIn(work ?? "");
  const pull = (args: readonly string[]) => registryCli(home(), ["pull", ...args, "--tls-verify=false"]);
  const indexOf = async (layoutDir: string): Promise<IndexJson> => JSON.parse(await fs.readFile(path.join(layoutDir, "index.json"), "utf8")) as IndexJson;
  const layerOf = (): string => busybox.descriptors.find((d) => d.role.startsWith("layer"))?.digest ?? "";

  beforeAll(async () => {
    work = await makeTempDir("pull");
    busybox = await buildSpec(EXAMPLE_BUSYBOX, dir("busybox-built"));
    layout = await buildSpec(EXAMPLE_LAYOUT, dir("layout-built"));
    await fs.mkdir(dir("registry"));
    registry = await startRegistryServer(dir("registry"));
    await registryCliOk(home(), ["push", dir("busybox-built"), `${registry.host}/pulled/busybox:latest`, "--tls-verify=false"]);
    await registryCliOk(home(), ["push", dir("layout-built"), "--all", `${registry.host}/pulled`, "--tls-verify=false"]);
    // A middlebox that corrupts the busybox layer's bytes on the way out of the registry.
    tamperer = await startRecordingProxy(registry.port, { tamper: (method, url) => method === "GET" && url.endsWith(`/blobs/${layerOf()}`) });
  });
  afterAll(async () => {
    await tamperer?.close();
    await registry?.stop();
    await removeTempDir(work);
  });

  test("a pushed image comes back as a layout with the same manifest digest, named by its tag, that ocistage verify accepts", async () => {
    const result = await pull([`${registry?.host}/pulled/busybox:latest`, "--out", dir("busybox-pulled")]);
    expect(result.code, result.stderr).toBe(0);
    const index = await indexOf(dir("busybox-pulled"));
    expect(index.manifests.map((m) => [m.digest, m.annotations?.["org.opencontainers.image.ref.name"]])).toEqual([[busybox.manifest.digest, "latest"]]);
    // The entry names the platform the image's config says, as the built layout's entry does.
    const built = await indexOf(dir("busybox-built"));
    expect(index.manifests[0]?.platform).toEqual({ architecture: "amd64", os: "linux" });
    expect(index.manifests[0]?.platform).toEqual(built.manifests[0]?.platform);
    const verified = await registryCli(home(), ["verify", dir("busybox-pulled")]);
    expect({ code: verified.code, stdout: verified.stdout.trim() }, verified.stderr).toEqual({ code: 0, stdout: "ok" });
    expect(await fs.readdir(dir("busybox-pulled"))).toEqual(["blobs", "index.json", "oci-layout"]);
  });

  test("a multi-platform image comes back whole without --platform, as its index", async () => {
    const web = layout.references.find((r) => r.reference === "web:1.0");
    const result = await pull([`${registry?.host}/pulled/web:1.0`, "--out", dir("web-pulled")]);
    expect(result.code, result.stderr).toBe(0);
    const index = await indexOf(dir("web-pulled"));
    expect(index.manifests.map((m) => [m.digest, m.mediaType])).toEqual([[web?.digest, "application/vnd.oci.image.index.v1+json"]]);
    expect((await registryCli(home(), ["verify", dir("web-pulled")])).code).toBe(0);
  });

  test("--platform linux/arm64/v8 pulls that image alone, its entry carrying the platform", async () => {
    const result = await pull([`${registry?.host}/pulled/web:1.0`, "--out", dir("arm-pulled"), "--platform", "linux/arm64/v8"]);
    expect(result.code, result.stderr).toBe(0);
    const index = await indexOf(dir("arm-pulled"));
    expect(index.manifests.map((m) => m.platform?.architecture)).toEqual(["arm64"]);
    expect((await registryCli(home(), ["verify", dir("arm-pulled")])).code).toBe(0);
    const missing = await pull([`${registry?.host}/pulled/web:1.0`, "--out", dir("s390x-pulled"), "--platform", "linux/s390x"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no image for linux/s390x; the index has linux/amd64, linux/arm64/v8");
  });

  test("a pull into a layout keeps its other images", async () => {
    await fs.cp(dir("busybox-pulled"), dir("both"), { recursive: true });
    const result = await pull([`${registry?.host}/pulled/web:1.0`, "--out", dir("both")]);
    expect(result.code, result.stderr).toBe(0);
    const refs = (await indexOf(dir("both"))).manifests.map((m) => m.annotations?.["org.opencontainers.image.ref.name"]);
    expect(refs).toEqual(["latest", "1.0"]);
    expect((await registryCli(home(), ["verify", dir("both")])).code).toBe(0);
  });

  test("a blob whose bytes do not match its digest is refused, naming the digest; nothing is left behind", async () => {
    const fresh = await pull([`${tamperer?.host}/pulled/busybox:latest`, "--out", dir("tampered"), "--retries", "0"]);
    expect(fresh.code).toBe(1);
    expect(fresh.stderr).toContain(`blob ${layerOf()} does not match its digest: expected ${layerOf()}`);
    await expect(fs.stat(dir("tampered"))).rejects.toThrow(/ENOENT/);

    // Into an existing layout: its index.json and files are as they were.
    await fs.cp(dir("web-pulled"), dir("kept"), { recursive: true });
    const before = await fs.readFile(path.join(dir("kept"), "index.json"));
    const into = await pull([`${tamperer?.host}/pulled/busybox:latest`, "--out", dir("kept"), "--retries", "0"]);
    expect(into.code).toBe(1);
    expect(await fs.readFile(path.join(dir("kept"), "index.json"))).toEqual(before);
    expect((await fs.readdir(dir("kept"))).sort()).toEqual(["blobs", "index.json", "oci-layout"]);
    expect((await registryCli(home(), ["verify", dir("kept")])).code).toBe(0);
  });
});
