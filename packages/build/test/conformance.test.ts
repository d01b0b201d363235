// The built example, read by the reference tools and the OCI image-spec's own schemas: the layout
// ocistage writes is an OCI layout by everyone's reading, not only by ours.
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { formatLayoutIssue } from "@ocistage/layout";
import { verifyLayout } from "@ocistage/layout";
import type { BuildJson } from "./support/buildExample.ts";
import { buildExample } from "./support/buildExample.ts";
import { blobPath, readImageDocuments, readTreeFiles } from "./support/layoutFiles.ts";
import type { ImageDocuments } from "./support/layoutFiles.ts";
import { OCI_SCHEMA_DIR, OCI_SCHEMA_PACKAGE, loadOciSchemas, schemaErrors } from "./support/ociSchemas.ts";
import { requireFile, requireTools } from "./support/requireTools.ts";
import { runOk } from "./support/runProcess.ts";
import { listTar } from "./support/tarListing.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";

const haveTools = requireTools("skopeo", "oci-image-tool", "tar");
const haveSchemas = requireFile(path.join(OCI_SCHEMA_DIR, "image-manifest-schema.json"), OCI_SCHEMA_PACKAGE);

let work: string | undefined;
let out = ""; // the --out folder
let built: BuildJson;
let docs: ImageDocuments;

beforeAll(async () => {
  work = await makeTempDir("conformance");
  out = path.join(work, "busybox-shell");
  built = await buildExample(out);
  docs = await readImageDocuments(out);
});
afterAll(() => removeTempDir(work));

const sha256 = (bytes: Buffer): string => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

describe("the layout's files", () => {
  test("--out is a plain folder holding exactly the layout and its archive", async () => {
    expect((await fs.lstat(out)).isDirectory()).toBe(true);
    expect((await fs.readdir(out)).sort()).toEqual(["blobs", "image.oci.tar", "index.json", "oci-layout"]);
    expect(await fs.readdir(path.join(out, "blobs"))).toEqual(["sha256"]);
    expect(await fs.readFile(path.join(out, "oci-layout"), "utf8")).toBe('{"imageLayoutVersion":"1.0.0"}');
  });

  test("every blob is named by its sha256, and the blobs are exactly the manifest, its config and its layers", async () => {
    const names = (await fs.readdir(path.join(out, "blobs", "sha256"))).sort();
    for (const name of names) expect(sha256(await fs.readFile(path.join(out, "blobs", "sha256", name)))).toBe(`sha256:${name}`);
    const referenced = [docs.index.manifests[0]?.digest, docs.manifest.config.digest, ...docs.manifest.layers.map((l) => l.digest)];
    expect(names.map((n) => `sha256:${n}`)).toEqual([...new Set(referenced)].map(String).sort());
  });

  test("every descriptor's size is its blob's length, and the config's diff_ids are the (uncompressed) layers' digests", async () => {
    const descriptors = [docs.index.manifests[0], docs.manifest.config, ...docs.manifest.layers];
    for (const d of descriptors) {
      if (d === undefined) throw new Error("index.json lists no manifest");
      expect({ digest: d.digest, size: (await fs.stat(blobPath(out, d.digest))).size }).toEqual({ digest: d.digest, size: d.size });
    }
    expect(docs.config.rootfs.diff_ids).toEqual(docs.manifest.layers.map((l) => l.digest));
  });

  test("the CLI's --json descriptors are the layout's", () => {
    expect(built.manifest.digest).toBe(docs.index.manifests[0]?.digest);
    expect(built.descriptors.map((d) => [d.role, d.digest, d.size])).toEqual([
      ...docs.manifest.layers.map((l) => ["layer busybox", l.digest, l.size]),
      ["config", docs.manifest.config.digest, docs.manifest.config.size],
      ["manifest", built.manifest.digest, docs.manifestBytes.length],
    ]);
  });

  test("our own verifier finds no issue", async () => {
    const result = await verifyLayout(out)();
    if (result._tag === "Left") throw new Error(`verifyLayout failed: ${JSON.stringify(result.left)}`);
    expect(result.right.map(formatLayoutIssue)).toEqual([]);
  });

  test("the layer holds the spec's files: folders first, byte order, root-owned, mtime 0, modes as the spec says", async () => {
    const layer = docs.manifest.layers[0];
    if (layer === undefined) throw new Error("the manifest has no layer");
    const entries = await listTar(blobPath(out, layer.digest));
    const busyboxSize = (await fs.stat("/bin/busybox")).size;
    const applets = ["cat", "echo", "env", "id", "ls", "mkdir", "pwd", "rm", "sh", "uname", "wget"];
    expect(entries.map((e) => [e.name, e.type, e.mode, e.linkname ?? e.size])).toEqual([
      ["./", "directory", "0755", 0],
      ["./bin/", "directory", "0755", 0],
      ["./bin/busybox", "file", "0755", busyboxSize],
      ...applets.map((a) => [`./bin/${a}`, "symlink", "0777", "busybox"]),
      ["./etc/", "directory", "0755", 0],
      ["./etc/group", "file", "0644", "root:x:0:\n".length],
      ["./etc/passwd", "file", "0644", "root:x:0:0:root:/root:/bin/sh\n".length],
      ["./tmp/", "directory", "1777", 0],
    ]);
    expect(new Set(entries.map((e) => `${e.uid}:${e.gid} ${e.mtime}`))).toEqual(new Set(["0:0 0"]));
  });
});

describe.runIf(haveSchemas)("the OCI image-spec JSON schemas", () => {
  const schemas = haveSchemas ? loadOciSchemas() : undefined;
  const validators = (): NonNullable<typeof schemas> => {
    if (schemas === undefined) throw new Error("bug: schemas not loaded");
    return schemas;
  };

  test("accept index.json, the manifest, the config and oci-layout", async () => {
    const v = validators();
    expect(schemaErrors(v.index, docs.index)).toEqual([]);
    expect(schemaErrors(v.manifest, docs.manifest)).toEqual([]);
    expect(schemaErrors(v.config, docs.config)).toEqual([]);
    expect(schemaErrors(v.layout, JSON.parse(await fs.readFile(path.join(out, "oci-layout"), "utf8")))).toEqual([]);
  });

  test("reject broken documents (so the acceptance above means something)", () => {
    const v = validators();
    expect(schemaErrors(v.manifest, { ...docs.manifest, config: { ...docs.manifest.config, size: "468" } })).not.toEqual([]);
    expect(schemaErrors(v.index, { ...docs.index, manifests: [{ digest: "sha256:x" }] })).not.toEqual([]);
    expect(schemaErrors(v.config, { ...docs.config, created: "yesterday" })).not.toEqual([]);
  });
});

describe.runIf(haveTools)("skopeo and oci-image-tool", () => {
  test("skopeo inspect oci:DIR:latest reports the manifest digest, platform, env, labels and layers", async () => {
    const info = JSON.parse((await runOk("skopeo", ["inspect", `oci:${out}:latest`])).stdout) as Record<string, unknown>;
    expect(info).toMatchObject({
      Digest: built.manifest.digest,
      Architecture: "amd64",
      Os: "linux",
      Created: "1970-01-01T00:00:00Z",
      Env: ["PATH=/bin"],
      Labels: { "org.opencontainers.image.title": "busybox-shell", "org.opencontainers.image.description": "A shell from one static busybox layer" },
      Layers: docs.manifest.layers.map((l) => l.digest),
    });
  });

  test("skopeo inspect --config shows the entrypoint", async () => {
    const config = JSON.parse((await runOk("skopeo", ["inspect", "--config", `oci:${out}:latest`])).stdout) as { config: Record<string, unknown> };
    expect(config.config).toMatchObject({ Entrypoint: ["/bin/sh"], Env: ["PATH=/bin"] });
  });

  test("oci-image-tool validates the layout (given with a trailing slash too)", async () => {
    const result = await runOk("oci-image-tool", ["validate", "--type", "image", "--ref", "name=latest", `${out}/`]);
    expect(result.stdout + result.stderr).toContain("Validation succeeded");
  });

  describe("image.oci.tar", () => {
    let extracted: string | undefined;
    beforeAll(async () => {
      extracted = await makeTempDir("conformance-archive");
      await runOk("tar", ["-xf", path.join(out, "image.oci.tar"), "-C", extracted]);
    });
    afterAll(() => removeTempDir(extracted));

    test("skopeo reads it as oci-archive:…:latest, with the same manifest digest", async () => {
      const info = JSON.parse((await runOk("skopeo", ["inspect", `oci-archive:${path.join(out, "image.oci.tar")}:latest`])).stdout) as Record<string, unknown>;
      expect(info["Digest"]).toBe(built.manifest.digest);
    });

    test("holds the layout's files byte for byte, root-owned folders 0755 and files 0644 at mtime 0", async () => {
      const inLayout = await readTreeFiles(out);
      expect(await readTreeFiles(extracted ?? "")).toEqual(new Map([...inLayout].filter(([name]) => name !== "image.oci.tar")));
      const entries = await listTar(path.join(out, "image.oci.tar"));
      expect(new Set(entries.map((e) => `${e.type === "directory" ? "d" : "f"} ${e.mode} ${e.uid}:${e.gid} ${e.mtime}`))).toEqual(new Set(["d 0755 0:0 0", "f 0644 0:0 0"]));
    });

    test("extracted, oci-image-tool validates it", async () => {
      const result = await runOk("oci-image-tool", ["validate", "--type", "image", "--ref", "name=latest", `${extracted ?? ""}/`]);
      expect(result.stdout + result.stderr).toContain("Validation succeeded");
    });
  });
});
