// `ocistage convert docker-archive:FILE --out DIR` reads the archives other tools write (plain
// or gzip-compressed layer members, a gzip-compressed archive, Docker 25's blobs/sha256 names)
// into an OCI layout that keeps every layer byte for byte; a wrong archive exits 1 naming the
// file and the member or field, and nothing is written.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../../build/test/support/runCli.ts";
import { makeTempDir, removeTempDir } from "../../build/test/support/tempDir.ts";
import type { ArchiveParts } from "./support/handArchive.ts";
import { dockerArchive, dockerConfig, gzip, layerTar, sha256 } from "./support/handArchive.ts";

let work = "";
let n = 0;
beforeAll(async () => {
  work = await makeTempDir("docker-archive-convert");
});
afterAll(() => removeTempDir(work));

const exists = (file: string): Promise<boolean> => fs.lstat(file).then(() => true, () => false);

// Writes the archive and converts it with the CLI (--json).
const convert = async (archive: Buffer) => {
  const file = path.join(work, `archive-${++n}.tar`);
  const out = path.join(work, `layout-${n}`);
  await fs.writeFile(file, archive);
  const result = await runCli(["convert", `docker-archive:${file}`, "--out", out, "--json"]);
  return { file, out, result };
};

const blobOf = (out: string, digest: string): Promise<Buffer> => fs.readFile(path.join(out, "blobs", "sha256", digest.replace("sha256:", "")));
const json = async (out: string, digest: string): Promise<Record<string, unknown>> => JSON.parse((await blobOf(out, digest)).toString("utf8")) as Record<string, unknown>;

interface Printed {
  readonly images: readonly { readonly references: readonly string[]; readonly manifest: { readonly digest: string }; readonly config: { readonly digest: string }; readonly layers: readonly { readonly digest: string; readonly diffId: string; readonly mediaType: string }[] }[];
}

const twoLayers = async (): Promise<ArchiveParts> => {
  const [a, b] = await Promise.all([layerTar("a", "first\n"), layerTar("b", "second\n")]);
  return { layers: [{ name: "a/layer.tar", bytes: a.tar }, { name: "b/layer.tar", bytes: b.tar }], config: { name: "cfg.json", bytes: dockerConfig([a.diffId, b.diffId]) } };
};

describe("archives that convert", () => {
  test("plain layer members become blobs byte for byte; the config keeps its OCI fields only", async () => {
    const parts = await twoLayers();
    const { out, result } = await convert(await dockerArchive(parts));
    expect(result.stderr).toBe("");
    const printed = JSON.parse(result.stdout) as Printed;
    const [image] = printed.images;
    expect(image?.references).toEqual(["1.0"]);
    expect(image?.layers.map((l) => l.digest)).toEqual(parts.layers.map((l) => sha256(l.bytes)));
    for (const layer of parts.layers) expect((await blobOf(out, sha256(layer.bytes))).equals(layer.bytes)).toBe(true);
    const config = await json(out, image?.config.digest ?? "");
    expect(config).toEqual({
      architecture: "amd64",
      os: "linux",
      created: "2024-05-06T07:08:09.123456789Z",
      config: { Env: ["PATH=/bin"], Cmd: ["/bin/sh"], Labels: { a: "b" } },
      rootfs: { type: "layers", diff_ids: parts.layers.map((l) => sha256(l.bytes)) },
      history: [{ created: "2024-05-06T07:08:09Z", created_by: "ADD file" }],
    });
    const index = JSON.parse(await fs.readFile(path.join(out, "index.json"), "utf8")) as { manifests: { annotations: Record<string, string> }[] };
    expect(index.manifests[0]?.annotations).toEqual({ "org.opencontainers.image.ref.name": "1.0" });
    expect((await runCli(["verify", out])).stdout).toBe("ok\n");
  });

  test("a gzip-compressed layer member stays compressed, and its tar is checked against the diff_id", async () => {
    const a = await layerTar("a", "zipped\n");
    const zipped = gzip(a.tar);
    const { out, result } = await convert(await dockerArchive({ layers: [{ name: "a.tar.gz", bytes: zipped }], config: { name: "cfg.json", bytes: dockerConfig([a.diffId]) } }));
    expect(result.stderr).toBe("");
    const layer = (JSON.parse(result.stdout) as Printed).images[0]?.layers[0];
    expect(layer).toEqual({ member: "a.tar.gz", mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: sha256(zipped), size: zipped.length, diffId: a.diffId });
    expect((await blobOf(out, sha256(zipped))).equals(zipped)).toBe(true);
  });

  test("a gzip-compressed archive (docker save | gzip) is read the same", async () => {
    const parts = await twoLayers();
    const { result } = await convert(gzip(await dockerArchive(parts)));
    expect(result.stderr).toBe("");
    expect((JSON.parse(result.stdout) as Printed).images[0]?.layers.map((l) => l.digest)).toEqual(parts.layers.map((l) => sha256(l.bytes)));
  });

  test("Docker 25's archive (an OCI layout with a manifest.json naming blobs/sha256/…) is read through its manifest.json", async () => {
    const a = await layerTar("a", "new docker\n");
    const config = dockerConfig([a.diffId]);
    const blob = (bytes: Buffer): string => `blobs/sha256/${sha256(bytes).slice(7)}`;
    const { result } = await convert(
      await dockerArchive({
        layers: [{ name: blob(a.tar), bytes: a.tar }],
        config: { name: blob(config), bytes: config },
        extra: [{ name: "oci-layout", content: '{"imageLayoutVersion":"1.0.0"}' }, { name: "index.json", content: '{"schemaVersion":2,"manifests":[]}' }],
      }),
    );
    expect(result.stderr).toBe("");
    expect((JSON.parse(result.stdout) as Printed).images[0]?.layers[0]?.digest).toBe(a.diffId);
  });
});

describe("wrong archives exit 1 naming the file, and write nothing", () => {
  const refused = async (archive: Buffer, message: (file: string) => string | RegExp): Promise<void> => {
    const { file, out, result } = await convert(archive);
    expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 1, stdout: "" });
    const expected = message(file);
    if (typeof expected === "string") expect(result.stderr).toBe(`${expected}\n`);
    else expect(result.stderr).toMatch(expected);
    expect(await exists(out)).toBe(false);
  };

  test("no manifest.json", async () => {
    await refused(await dockerArchive({ ...(await twoLayers()), manifest: null }), (file) => `${file}: has no manifest.json, so it is not a docker-archive (the docker save format)`);
  });

  test("an OCI layout archive without manifest.json is told apart", async () => {
    const archive = await dockerArchive({ ...(await twoLayers()), manifest: null, extra: [{ name: "oci-layout", content: "{}" }, { name: "index.json", content: "{}" }] });
    await refused(archive, (file) => `${file}: has no manifest.json: it is an OCI image layout archive (oci-layout, index.json), not a docker-archive; read it as oci-archive:`);
  });

  test("a layer whose tar is not the config's diff_id", async () => {
    const parts = await twoLayers();
    const other = await layerTar("a", "tampered\n");
    const tampered = { ...parts, layers: [{ name: "a/layer.tar", bytes: other.tar }, ...parts.layers.slice(1)] };
    const declared = (JSON.parse(parts.config.bytes.toString("utf8")) as { rootfs: { diff_ids: string[] } }).rootfs.diff_ids[0];
    await refused(await dockerArchive(tampered), (file) => `${file}: manifest.json[0].Layers[0] (a/layer.tar): its tar hashes to ${other.diffId}, but cfg.json's rootfs.diff_ids[0] is ${declared}`);
  });

  test("a manifest.json path leaving the archive with ..", async () => {
    const parts = await twoLayers();
    const manifest = [{ Config: "cfg.json", RepoTags: ["hand:1.0"], Layers: ["a/layer.tar", "../../etc/passwd"] }];
    await refused(await dockerArchive({ ...parts, manifest }), (file) => `${file}: manifest.json[0].Layers[1]: "../../etc/passwd" is a path leaving the archive`);
  });

  test("a layer member that starts as gzip but is not a gzip stream", async () => {
    const a = await layerTar("a", "x\n");
    const broken = Buffer.concat([gzip(a.tar).subarray(0, 20), Buffer.alloc(4096, 7)]);
    await refused(await dockerArchive({ layers: [{ name: "a.tar.gz", bytes: broken }], config: { name: "cfg.json", bytes: dockerConfig([a.diffId]) } }), (file) => new RegExp(`^${file}: a.tar.gz: is not a readable gzip stream \\(.+\\)\n$`));
  });

  test("a member whose name leaves the archive", async () => {
    const parts = await twoLayers();
    await refused(await dockerArchive({ ...parts, extra: [{ name: "../evil", content: "x" }] }), (file) => `${file}: member "../evil" is a path leaving the archive`);
  });

  test("into a layout converted before, a wrong archive leaves that layout as it was", async () => {
    const { out } = await convert(await dockerArchive(await twoLayers()));
    const before = [await fs.readFile(path.join(out, "index.json"), "utf8"), (await fs.readdir(path.join(out, "blobs/sha256"))).sort()];
    const file = path.join(work, "wrong-over-good.tar");
    const parts = await twoLayers();
    await fs.writeFile(file, await dockerArchive({ ...parts, layers: [parts.layers[0] ?? { name: "", bytes: Buffer.alloc(0) }, { name: "b/layer.tar", bytes: (await layerTar("b", "not it\n")).tar }] }));
    const result = await runCli(["convert", `docker-archive:${file}`, "--out", out]);
    expect(result.code).toBe(1);
    expect([await fs.readFile(path.join(out, "index.json"), "utf8"), (await fs.readdir(path.join(out, "blobs/sha256"))).sort()]).toEqual(before);
    expect((await fs.readdir(out)).sort()).toEqual(["blobs", "index.json", "oci-layout"]);
  });

  test("a file that is not a tar", async () => {
    await refused(Buffer.from("this is not a tar archive at all, just some text that is long enough to fill a header block.".repeat(8)), (file) => new RegExp(`^${file}: is not a readable tar archive: Invalid tar header`));
  });
});
