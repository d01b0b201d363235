// The docker-archive `build --docker-archive` writes is one the real tools read: podman loads
// and runs it, skopeo copies it with the same layer digests `ocistage convert` finds, and the
// archive skopeo writes of a built layout converts back to the very same layers, config and
// manifest. The archive is the same bytes whatever the time zone and umask.
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from "vitest";
import type { BuildJson } from "../../build/test/support/buildExample.ts";
import { podmanEnv } from "../../build/test/support/podmanEnv.ts";
import { requireRoot, requireTools } from "../../build/test/support/requireTools.ts";
import { EXAMPLE_BUSYBOX, EXAMPLE_LAYOUT, cliEnv, runCli } from "../../build/test/support/runCli.ts";
import { runOk } from "../../build/test/support/runProcess.ts";
import { makeTempDir, removeTempDir } from "../../build/test/support/tempDir.ts";

let work = "";
let built: BuildJson & { readonly dockerArchive: string };
const archive = (): string => built.dockerArchive;

const layerDigests = (json: BuildJson): readonly string[] => json.descriptors.filter((d) => d.role.startsWith("layer ")).map((d) => d.digest);

interface Converted {
  readonly images: readonly { readonly references: readonly string[]; readonly manifest: { readonly digest: string }; readonly config: { readonly digest: string }; readonly layers: readonly { readonly digest: string; readonly diffId: string }[] }[];
}

const convert = async (file: string, out: string): Promise<Converted> => {
  const result = await runCli(["convert", `docker-archive:${file}`, "--out", out, "--json"]);
  if (result.code !== 0) throw new Error(`ocistage convert exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as Converted;
};

// The manifest and config skopeo wrote into an oci: layout, by its index.json.
const skopeoImage = async (layout: string): Promise<{ readonly layers: readonly string[]; readonly diffIds: readonly string[] }> => {
  const blob = async (digest: string): Promise<Record<string, unknown>> => JSON.parse(await fs.readFile(path.join(layout, "blobs/sha256", digest.slice(7)), "utf8")) as Record<string, unknown>;
  const index = JSON.parse(await fs.readFile(path.join(layout, "index.json"), "utf8")) as { manifests: { digest: string }[] };
  const manifest = (await blob(index.manifests[0]?.digest ?? "")) as { config: { digest: string }; layers: { digest: string }[] };
  const config = (await blob(manifest.config.digest)) as { rootfs: { diff_ids: string[] } };
  return { layers: manifest.layers.map((l) => l.digest), diffIds: config.rootfs.diff_ids };
};

const sha256File = async (file: string): Promise<string> => createHash("sha256").update(await fs.readFile(file)).digest("hex");

beforeAll(async () => {
  work = await makeTempDir("docker-archive-tools");
  const result = await runCli(["build", EXAMPLE_BUSYBOX, "--out", path.join(work, "oci"), "--docker-archive", path.join(work, "busybox.tar"), "--json"]);
  if (result.code !== 0) throw new Error(result.stderr);
  built = JSON.parse(result.stdout) as typeof built;
});
afterAll(() => removeTempDir(work));

describe("the archive's bytes", () => {
  test("are the same in another time zone, with another umask, in another folder", async () => {
    const again = path.join(work, "again.tar");
    const result = await runCli(["build", EXAMPLE_BUSYBOX, "--out", path.join(work, "oci-again"), "--docker-archive", again], { env: cliEnv({ TZ: "Pacific/Kiritimati", LC_ALL: "C" }), umask: "077" });
    expect(result.stderr).toBe("");
    expect(await sha256File(again)).toBe(await sha256File(archive()));
  });

  test("ocistage convert gives back the built layers, config and manifest", async () => {
    const converted = await convert(archive(), path.join(work, "converted"));
    expect(converted.images[0]?.layers.map((l) => l.digest)).toEqual(layerDigests(built));
    expect(converted.images[0]?.manifest.digest).toBe(built.manifest.digest);
  });
});

describe.runIf(requireTools("podman", "skopeo") && requireRoot("rootful podman"))("with podman and skopeo", () => {
  test("podman load -i loads it and podman run runs it", async () => {
    // podman refuses a runroot path over 50 characters: a short folder of its own.
    const store = await makeTempDir("pm");
    onTestFinished(() => removeTempDir(store));
    const podman = await podmanEnv(store);
    const loaded = await runOk("podman", [...podman.args, "load", "-i", archive()], { env: podman.env, timeoutMs: 120_000 });
    expect(loaded.stdout).toMatch(/Loaded image: \S*busybox-shell:latest/);
    const run = await runOk("podman", [...podman.args, "run", "--rm", "busybox-shell:latest", "-c", "echo hi; ls /bin/sh"], { env: podman.env, timeoutMs: 120_000 });
    expect(run.stdout).toBe("hi\n/bin/sh\n");
  });

  test("skopeo copy docker-archive: → oci: finds the layer digests ocistage convert finds", async () => {
    const preserved = path.join(work, "skopeo-preserved");
    await runOk("skopeo", ["copy", "--preserve-digests", `docker-archive:${archive()}`, `oci:${preserved}:latest`]);
    const converted = await convert(archive(), path.join(work, "converted-again"));
    const ours = converted.images[0]?.layers.map((l) => l.digest);
    expect((await skopeoImage(preserved)).layers).toEqual(ours);
    // Without --preserve-digests skopeo compresses the layers: their diff_ids are still ours.
    const compressed = path.join(work, "skopeo-oci");
    await runOk("skopeo", ["copy", `docker-archive:${archive()}`, `oci:${compressed}:latest`]);
    expect((await skopeoImage(compressed)).diffIds).toEqual(converted.images[0]?.layers.map((l) => l.diffId));
  });

  test("an archive skopeo writes of the built layout converts back to the original layers", async () => {
    const skopeoArchive = path.join(work, "from-skopeo.tar");
    await runOk("skopeo", ["copy", `oci:${path.join(work, "oci")}:latest`, `docker-archive:${skopeoArchive}:busybox-shell:latest`]);
    const converted = await convert(skopeoArchive, path.join(work, "from-skopeo"));
    expect(converted.images[0]?.layers.map((l) => l.digest)).toEqual(layerDigests(built));
    expect(converted.images[0]?.references).toEqual(["latest"]);
    expect(converted.images[0]?.config.digest).toBe(built.descriptors.find((d) => d.role === "config")?.digest);
  });
});

describe("a layout of several images", () => {
  test("every image goes in; a multi-platform tag names its first platform, --image picks one", async () => {
    const all = path.join(work, "layout.tar");
    const result = await runCli(["build", EXAMPLE_LAYOUT, "--out", path.join(work, "layout"), "--docker-archive", all]);
    expect(result.stderr).toBe("");
    const manifest = async (file: string): Promise<readonly { readonly RepoTags: readonly string[] }[]> => {
      const listing = await runOk("tar", ["-xOf", file, "./manifest.json"]);
      return JSON.parse(listing.stdout) as { RepoTags: string[] }[];
    };
    expect((await manifest(all)).map((m) => m.RepoTags)).toEqual([["web:1.0"], [], [expect.stringMatching(/^tools:[0-9a-f]{32}$/)]]);
    const one = path.join(work, "tools.tar");
    expect((await runCli(["build", EXAMPLE_LAYOUT, "--out", path.join(work, "layout"), "--docker-archive", one, "--image", "tools"])).code).toBe(0);
    expect((await manifest(one)).length).toBe(1);
    const wrong = await runCli(["build", EXAMPLE_LAYOUT, "--out", path.join(work, "layout"), "--docker-archive", path.join(work, "none.tar"), "--image", "nope"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^--image nope: no such image; the images are web-amd64, web-arm64-v8, tools\n$/);
  });
});
