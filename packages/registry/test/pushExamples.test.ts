// Every example is pushed to a real registry (CNCF distribution on loopback), read back by skopeo
// and podman under the same manifest digests; a second push uploads nothing, and a push to a
// second repository mounts instead of uploading. Uploads are counted by a proxy in front of the
// registry (what the registry received), never from ocistage's own report.
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from "vitest";
import type { BuildJson } from "../../build/test/support/buildExample.ts";
import { buildSpec } from "../../build/test/support/buildExample.ts";
import { podmanEnv } from "../../build/test/support/podmanEnv.ts";
import { requireRoot, requireTools } from "../../build/test/support/requireTools.ts";
import { CLI_BIN, cliEnv, EXAMPLE_BUSYBOX, EXAMPLE_LAYOUT, REPO_ROOT } from "../../build/test/support/runCli.ts";
import { runOk } from "../../build/test/support/runProcess.ts";
import { makeTempDir, removeTempDir } from "../../build/test/support/tempDir.ts";
import type { RecordingProxy } from "./support/recordingProxy.ts";
import { blobUploads, mounts, startRecordingProxy } from "./support/recordingProxy.ts";
import type { PushJson } from "./support/registryCli.ts";
import { homeIn, registryCliOk } from "./support/registryCli.ts";
import type { RegistryServer } from "./support/registryServer.ts";
import { startRegistryServer } from "./support/registryServer.ts";

const hasTools = requireTools("docker-registry", "skopeo");

describe.runIf(hasTools)("pushing the examples to a loopback registry", () => {
  let work: string | undefined;
  let registry: RegistryServer | undefined;
  let proxy: RecordingProxy | undefined;
  const built: Record<string, BuildJson> = {};
  const layoutOf = (name: string): string => path.join(work ?? "", name);
  const home = (): string => homeIn(work ?? "");
  // Through the proxy, so every request is counted.
  const push = async (args: readonly string[]): Promise<PushJson> =>
    JSON.parse((await registryCliOk(home(), ["push", ...args, "--tls-verify=false", "--json"])).stdout) as PushJson;
  const rawManifest = async (ref: string): Promise<string> => (await runOk("skopeo", ["inspect", "--raw", "--tls-verify=false", `docker://${registry?.host}/${ref}`])).stdout;
  const sha256 = (text: string): string => `sha256:${createHash("sha256").update(text).digest("hex")}`;

  beforeAll(async () => {
    work = await makeTempDir("push-examples");
    built["busybox-shell"] = await buildSpec(EXAMPLE_BUSYBOX, layoutOf("busybox-shell"));
    built["static-site"] = await buildSpec(path.join(REPO_ROOT, "examples/static-site"), layoutOf("static-site"));
    built["layout"] = await buildSpec(EXAMPLE_LAYOUT, layoutOf("layout"));
    await fs.mkdir(path.join(work, "registry"));
    registry = await startRegistryServer(path.join(work, "registry"));
    proxy = await startRecordingProxy(registry.port);
  });
  afterAll(async () => {
    await proxy?.close();
    await registry?.stop();
    await removeTempDir(work);
  });

  const webDigest = (): string => built["layout"]?.references.find((r) => r.reference === "web:1.0")?.digest ?? "";
  const toolsRef = (): string => built["layout"]?.references.find((r) => r.reference.startsWith("tools:"))?.reference ?? "";

  test("every example is pushed, and skopeo reads each back under the digest the build printed", async () => {
    const host = proxy?.host ?? "";
    const first = await push([layoutOf("busybox-shell"), `docker://${host}/examples/busybox-shell:latest`]);
    await push([layoutOf("static-site"), `${host}/examples/static-site`]);
    const all = await push([layoutOf("layout"), "--all", `${host}/examples/layout`]);
    expect(first.summary).toMatchObject({ uploaded: 2, exists: 0, mounted: 0 });
    expect(first.images[0]?.blobs.every((b) => b.bytesSent === b.size)).toBe(true);
    expect(all.images.map((i) => i.reference)).toEqual([`${host}/examples/layout/web:1.0`, `${host}/examples/layout/${toolsRef()}`]);
    const expected: Record<string, string> = {
      "examples/busybox-shell:latest": built["busybox-shell"]?.manifest.digest ?? "",
      "examples/static-site:1.0": built["static-site"]?.manifest.digest ?? "",
      "examples/layout/web:1.0": webDigest(),
      [`examples/layout/${toolsRef()}`]: built["layout"]?.references.find((r) => r.reference.startsWith("tools:"))?.digest ?? "",
    };
    for (const [ref, digest] of Object.entries(expected)) {
      expect(digest).toMatch(/^sha256:/);
      expect(sha256(await rawManifest(ref)), ref).toBe(digest);
      const info = JSON.parse((await runOk("skopeo", ["inspect", "--tls-verify=false", `docker://${registry?.host}/${ref}`])).stdout) as { Digest: string };
      expect(info.Digest, ref).toBe(digest);
    }
  });

  test("the multi-platform web:1.0 is pushed as an image index of its two platforms", async () => {
    const index = JSON.parse(await rawManifest("examples/layout/web:1.0")) as { mediaType: string; manifests: { platform: { architecture: string } }[] };
    expect(index.mediaType).toBe("application/vnd.oci.image.index.v1+json");
    expect(index.manifests.map((m) => m.platform.architecture)).toEqual(["amd64", "arm64"]);
  });

  test("a second push of every example uploads no blob and no manifest: the registry only answers HEADs", async () => {
    proxy?.reset();
    const host = proxy?.host ?? "";
    const again = [
      await push([layoutOf("busybox-shell"), `${host}/examples/busybox-shell:latest`]),
      await push([layoutOf("static-site"), `${host}/examples/static-site:1.0`]),
      await push([layoutOf("layout"), "--all", `${host}/examples/layout`]),
    ];
    const requests = proxy?.requests() ?? [];
    expect(blobUploads(requests)).toEqual([]);
    expect(mounts(requests)).toEqual([]);
    expect(requests.filter((r) => r.method !== "HEAD" && r.method !== "GET")).toEqual([]);
    expect(again.flatMap((p) => p.images.flatMap((i) => i.blobs.map((b) => b.result)))).toEqual(expect.arrayContaining(["exists"]));
    expect(again.map((p) => p.summary.uploaded + p.summary.mounted)).toEqual([0, 0, 0]);
    const text = await registryCliOk(home(), ["push", layoutOf("busybox-shell"), `${host}/examples/busybox-shell:latest`, "--tls-verify=false"]);
    expect(text.stdout).toContain("0 blobs uploaded, 2 already there (0 bytes sent)");
  });

  test("the same image pushed to a second repository is mounted from the first (POST mount=, 201), not uploaded", async () => {
    proxy?.reset();
    const host = proxy?.host ?? "";
    const copy = await push([layoutOf("busybox-shell"), `${host}/copies/busybox-shell:latest`]);
    const requests = proxy?.requests() ?? [];
    expect(mounts(requests).map((r) => ({ from: new URL(r.url, "http://x").searchParams.get("from"), status: r.status }))).toEqual([
      { from: "examples/busybox-shell", status: 201 },
      { from: "examples/busybox-shell", status: 201 },
    ]);
    expect(blobUploads(requests)).toEqual([]);
    expect(copy.images[0]?.blobs.map((b) => [b.result, b.mountedFrom])).toEqual([
      ["mounted", "examples/busybox-shell"],
      ["mounted", "examples/busybox-shell"],
    ]);
    expect(sha256(await rawManifest("copies/busybox-shell:latest"))).toBe(built["busybox-shell"]?.manifest.digest);
  });

  test("build --push builds and pushes in one command; a layout of several images goes as with push --all", async () => {
    const out = layoutOf("layout-built-and-pushed");
    const result = await registryCliOk(home(), ["build", EXAMPLE_LAYOUT, "--out", out, "--push", `${registry?.host}/built`, "--tls-verify=false", "--json"]);
    const json = JSON.parse(result.stdout) as { references: { reference: string; digest: string }[]; push: PushJson };
    expect(json.push.images.map((i) => [i.reference, i.digest])).toEqual(json.references.map((r) => [`${registry?.host}/built/${r.reference}`, r.digest]));
    expect(sha256(await rawManifest("built/web:1.0"))).toBe(webDigest());
  });

  describe.runIf(hasTools && requireTools("script"))("progress", () => {
    // `script` gives the CLI a terminal; everything it draws comes back in script's output.
    const onTerminal = async (extra: readonly string[]): Promise<string> => {
      const quote = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;
      const command = [process.execPath, CLI_BIN, "push", layoutOf("busybox-shell"), `${registry?.host}/progress/busybox-shell:latest`, "--tls-verify=false", ...extra].map(quote).join(" ");
      return (await runOk("script", ["-qec", command, "/dev/null"], { env: cliEnv({ HOME: home() }) })).stdout;
    };

    test("on a terminal a push draws a progress bar of blobs and bytes; --quiet draws none, nor does a pipe", async () => {
      expect(await onTerminal([])).toMatch(/push \[.*\] \d+% \| \d+\/2 blobs \| [\d.]+\/[\d.]+ MiB \| [\d.]+ MiB\/s/);
      const quiet = await onTerminal(["--quiet"]);
      expect(quiet).not.toContain("blobs |");
      expect(quiet).toContain("0 blobs uploaded, 2 already there");
      const piped = await registryCliOk(home(), ["push", layoutOf("busybox-shell"), `${registry?.host}/progress/busybox-shell:latest`, "--tls-verify=false"]);
      expect(piped.stderr).toBe("");
    });
  });

  describe.runIf(hasTools && requireTools("podman", "runc") && requireRoot("podman with its own --root"))("podman", () => {
    test("podman pull reads every pushed image back under the same digest", async () => {
      // podman wants its runroot path under 50 characters: a short folder of its own.
      const podmanDir = await makeTempDir("pd");
      onTestFinished(() => removeTempDir(podmanDir));
      const podman = await podmanEnv(podmanDir);
      const cases: [string, string][] = [
        ["examples/busybox-shell:latest", built["busybox-shell"]?.manifest.digest ?? ""],
        ["examples/static-site:1.0", built["static-site"]?.manifest.digest ?? ""],
        ["examples/layout/web:1.0", webDigest()],
      ];
      for (const [ref, digest] of cases) {
        const name = `${registry?.host}/${ref}`;
        await runOk("podman", [...podman.args, "pull", "-q", "--tls-verify=false", name], { env: podman.env, timeoutMs: 120_000 });
        const inspected = await runOk("podman", [...podman.args, "image", "inspect", "--format", "{{.Digest}}", name], { env: podman.env });
        expect(inspected.stdout.trim(), ref).toBe(digest);
      }
    });
  });
});
