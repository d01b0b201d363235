// A registry killed (SIGKILL) in the middle of a push, then started again on the same storage
// and port: pushing again completes, and at no moment of either push does the tag name a
// manifest whose blobs the registry lacks (a poller resolves the tag and HEADs every blob of
// what it names, all along).
import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { BuildJson } from "../../build/test/support/buildExample.ts";
import { requireTools } from "../../build/test/support/requireTools.ts";
import { CLI_BIN, cliEnv } from "../../build/test/support/runCli.ts";
import { makeTempDir, removeTempDir } from "../../build/test/support/tempDir.ts";
import { buildBigImage } from "./support/bigImage.ts";
import type { RecordingProxy } from "./support/recordingProxy.ts";
import { startRecordingProxy } from "./support/recordingProxy.ts";
import { homeIn, registryCli } from "./support/registryCli.ts";
import type { RegistryServer } from "./support/registryServer.ts";
import { startRegistryServer } from "./support/registryServer.ts";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Observation {
  readonly digest: string;
  readonly missing: readonly string[];
}

// Resolves the tag straight at the registry and HEADs every blob of what it names (an index's
// children too), until stopped. Registry down or tag absent: nothing to observe.
const pollTag = (host: string, repository: string, tag: string): { readonly stop: () => Promise<readonly Observation[]> } => {
  const seen: Observation[] = [];
  let running = true;
  let rounds = 0;
  const accept = "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json";
  const blobsOf = async (reference: string): Promise<readonly string[]> => {
    const res = await fetch(`http://${host}/v2/${repository}/manifests/${reference}`, { headers: { accept } });
    if (res.status !== 200) return [];
    const doc = (await res.json()) as { config?: { digest: string }; layers?: { digest: string }[]; manifests?: { digest: string }[] };
    const own = [...(doc.config === undefined ? [] : [doc.config.digest]), ...(doc.layers ?? []).map((l) => l.digest)];
    const children = await Promise.all((doc.manifests ?? []).map((m) => blobsOf(m.digest)));
    return [...own, ...children.flat()];
  };
  const loop = (async () => {
    while (running) {
      try {
        const head = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, { method: "HEAD", headers: { accept } });
        if (head.status === 200) {
          const digest = head.headers.get("docker-content-digest") ?? "";
          const blobs = await blobsOf(digest);
          const missing: string[] = [];
          for (const blob of blobs) if ((await fetch(`http://${host}/v2/${repository}/blobs/${blob}`, { method: "HEAD" })).status !== 200) missing.push(blob);
          seen.push({ digest, missing });
        }
      } catch {
        // the registry is down: nothing to see
      }
      rounds += 1;
      await sleep(100);
    }
  })();
  return {
    // After one more whole round, so what the registry holds at the end is seen too.
    stop: async () => {
      const until = rounds + 2;
      while (rounds < until) await sleep(20);
      running = false;
      await loop;
      return seen;
    },
  };
};

describe.runIf(requireTools("docker-registry"))("a registry killed in the middle of a push", () => {
  let work: string | undefined;
  let registry: RegistryServer | undefined;
  let proxy: RecordingProxy | undefined;
  let built: BuildJson;
  let layout = "";

  beforeAll(async () => {
    work = await makeTempDir("kill");
    layout = path.join(work, "big-layout");
    built = await buildBigImage(path.join(work, "big-spec"), 12, layout);
    await fs.mkdir(path.join(work, "registry"));
    registry = await startRegistryServer(path.join(work, "registry"));
    // About 3 MiB/s: the 12 MiB layer takes ~4 s, time to kill the registry half way.
    proxy = await startRecordingProxy(registry.port, { throttleBytesPerSecond: 3 * 1024 * 1024 });
  });
  afterAll(async () => {
    await proxy?.close();
    await registry?.stop();
    await removeTempDir(work);
  });

  test("the interrupted push exits 1 without tagging; after a restart the push completes; the tag never names missing blobs", async () => {
    const host = proxy?.host ?? "";
    const ref = `${host}/big/data:1`;
    const poller = pollTag(registry?.host ?? "", "big/data", "1");
    const env = cliEnv({ HOME: homeIn(work ?? "") });
    const first = spawn(process.execPath, [CLI_BIN, "push", layout, ref, "--tls-verify=false", "--chunk-size", "1MiB", "--retries", "1"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    first.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    const exited = new Promise<number | null>((resolve) => first.on("close", (code) => resolve(code)));
    // Kill once a few chunks of the layer went in (bounded: 60 s).
    for (let i = 0; i < 600 && (proxy?.requests().filter((r) => r.method === "PATCH" && r.status === 202).length ?? 0) < 3; i++) await sleep(100);
    expect(proxy?.requests().filter((r) => r.method === "PATCH" && r.status === 202).length).toBeGreaterThanOrEqual(3);
    await registry?.kill();
    const code = await exited;
    expect(code, stderr).toBe(1);
    expect(stderr).toContain(`${host}/big/data: gave up on`);

    await registry?.restart();
    const tagAfterKill = await fetch(`http://${registry?.host}/v2/big/data/manifests/1`, { method: "HEAD" });
    expect(tagAfterKill.status).toBe(404);
    const second = await registryCli(homeIn(work ?? ""), ["push", layout, ref, "--tls-verify=false", "--chunk-size", "1MiB", "--json"]);
    expect(second.code, second.stderr).toBe(0);
    const seen = await poller.stop();

    expect(seen.length).toBeGreaterThan(0); // the tag was seen once the second push finished
    expect(seen.filter((o) => o.missing.length > 0)).toEqual([]);
    expect(new Set(seen.map((o) => o.digest))).toEqual(new Set([built.manifest.digest]));
  });
});
