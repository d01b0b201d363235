import * as E from "fp-ts/lib/Either.js";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MediaType, blobPath, canonicalJsonBytes, descriptor, refNameOf } from "@ocistage/oci";
import type { Digest } from "@ocistage/oci";
import { formatLayoutIssue } from "../src/formatLayoutIssue.ts";
import type { Layout, LayoutNode } from "../src/Layout.ts";
import { manifestsOf } from "../src/Layout.ts";
import { formatLayoutError } from "../src/LayoutError.ts";
import type { LayoutError } from "../src/LayoutError.ts";
import type { LayoutIssue } from "../src/LayoutIssue.ts";
import { formatLocation } from "../src/LayoutLocation.ts";
import { readLayout } from "../src/readLayout.ts";
import { verifyLayout } from "../src/verifyLayout.ts";
import { putBlob, putJson, sha256, writeLayout } from "./fixtures/layout/writeLayout.ts";

let dir = "";
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ocistage-read-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const read = async (layout: string): Promise<Layout> => {
  const result = await readLayout(layout)();
  if (E.isLeft(result)) throw new Error(formatLayoutError(result.left).join("\n"));
  return result.right;
};

const readError = async (layout: string): Promise<LayoutError> => {
  const result = await readLayout(layout)();
  if (E.isRight(result)) throw new Error("expected the read to fail");
  return result.left;
};

const verifyLines = async (layout: string): Promise<readonly string[]> =>
  E.match(
    (e) => [`I/O error ${JSON.stringify(e)}`],
    (issues: readonly LayoutIssue[]) => issues.map(formatLayoutIssue),
  )(await verifyLayout(layout)());

const only = <A>(as: readonly A[]): A => {
  expect(as).toHaveLength(1);
  return as[0] as A;
};

const asManifest = (node: LayoutNode | undefined) => {
  if (node?._tag !== "ManifestNode") throw new Error(`expected a manifest, got ${node?._tag}`);
  return node;
};

describe("readLayout", () => {
  it("decodes oci-layout and index.json and follows the entry to its manifest, config and layer", async () => {
    const w = await writeLayout(dir);
    const layout = await read(dir);
    expect(layout.dir).toBe(dir);
    expect(layout.ociLayout).toEqual({ imageLayoutVersion: "1.0.0" });
    const entry = only(layout.index.manifests);
    expect(refNameOf(entry)).toBe("latest");
    expect(entry.platform).toEqual({ os: "linux", architecture: "amd64" });

    const image = asManifest(only(layout.manifests));
    expect(image.descriptor).toEqual(entry);
    expect(formatLocation(image.at)).toBe("index.json manifests[0]");
    expect(image.manifest.config).toEqual(w.config);
    expect(image.config._tag === "ImageConfigNode" && image.config.config.config?.Cmd).toEqual(["/bin/cat", "/hello.txt"]);

    const layer = only(image.layers);
    expect(layer.descriptor).toEqual(w.layer);
    expect(formatLocation(layer.at)).toBe("index.json manifests[0] → manifest layers[0]");
    expect(layer.path).toBe(path.join(dir, blobPath(w.layer.digest)));
    expect(existsSync(layer.path)).toBe(true);
  });

  it("follows nested indexes; manifestsOf lists every image depth first", async () => {
    const w = await writeLayout(dir);
    const arm = await putJson(
      dir,
      { schemaVersion: 2, mediaType: MediaType.imageManifest, config: w.config, layers: [w.layer], annotations: { arch: "arm64" } },
      MediaType.imageManifest,
    );
    const nested = await putJson(
      dir,
      { schemaVersion: 2, mediaType: MediaType.imageIndex, manifests: [w.manifest, arm] },
      MediaType.imageIndex,
    );
    await writeFile(path.join(dir, "index.json"), JSON.stringify({ schemaVersion: 2, manifests: [nested, w.manifest] }));
    const layout = await read(dir);
    expect(layout.manifests.map((n) => n._tag)).toEqual(["IndexNode", "ManifestNode"]);
    expect(manifestsOf(layout).map((m) => formatLocation(m.at))).toEqual([
      "index.json manifests[0] → index manifests[0]",
      "index.json manifests[0] → index manifests[1]",
      "index.json manifests[1]",
    ]);
    expect(await verifyLines(dir)).toEqual([]);
  });

  it("trusts layer contents (it stats, verifyLayout hashes): a same-size corruption reads fine", async () => {
    const w = await writeLayout(dir);
    const file = path.join(dir, blobPath(w.layer.digest));
    const bytes = await readFile(file);
    bytes[600] = 0x58;
    await writeFile(file, bytes);
    expect(asManifest((await read(dir)).manifests[0]).layers).toHaveLength(1);
  });

  it("fails with every issue it found, as data and as lines", async () => {
    const w = await writeLayout(dir);
    await truncate(path.join(dir, blobPath(w.layer.digest)), 10);
    await writeFile(path.join(dir, "oci-layout"), "{}");
    const error = await readError(dir);
    expect(error._tag).toBe("InvalidLayout");
    expect(formatLayoutError(error)).toEqual([
      'oci-layout imageLayoutVersion: expected "1.0.0", found nothing',
      `index.json manifests[0] → manifest layers[0]: size 10 but descriptor says ${w.layer.size}`,
    ]);
  });

  it("keeps content of unknown media types as opaque blobs instead of failing (the spec says ignore it)", async () => {
    const w = await writeLayout(dir);
    const xml = await putBlob(dir, new TextEncoder().encode("<component/>"), "application/xml");
    await writeFile(path.join(dir, "index.json"), JSON.stringify({ schemaVersion: 2, manifests: [w.manifest, xml] }));
    const layout = await read(dir);
    expect(layout.manifests.map((n) => n._tag)).toEqual(["ManifestNode", "BlobNode"]);
    // The verifier, which vouches for the whole layout, still says it could not check it.
    expect(await verifyLines(dir)).toEqual(["index.json manifests[1]: unknown media type application/xml for an index entry"]);
  });

  it("reads an artifact whose config is the empty JSON blob", async () => {
    const empty = await putBlob(dir, new TextEncoder().encode("{}"), MediaType.emptyJson);
    const sbom = await putBlob(dir, new TextEncoder().encode('{"spdxVersion":"SPDX-2.3"}'), MediaType.emptyJson);
    const artifact = await putJson(
      dir,
      { schemaVersion: 2, mediaType: MediaType.imageManifest, artifactType: "application/spdx+json", config: empty, layers: [sbom] },
      MediaType.imageManifest,
    );
    await writeFile(path.join(dir, "index.json"), JSON.stringify({ schemaVersion: 2, manifests: [artifact] }));
    await writeFile(path.join(dir, "oci-layout"), '{"imageLayoutVersion":"1.0.0"}');
    const image = asManifest(only((await read(dir)).manifests));
    expect(image.config._tag).toBe("BlobNode");
    expect(await verifyLines(dir)).toEqual([]);
  });

  it("reports a descriptor cycle instead of following it forever", async () => {
    await writeLayout(dir);
    // An index stored under a name that is not its hash, listing that very name: only tampering does this.
    const name = `sha256:${"2".repeat(64)}` as Digest;
    const bytes = canonicalJsonBytes({
      schemaVersion: 2,
      manifests: [{ mediaType: MediaType.imageIndex, digest: name, size: 0 }],
    });
    await writeFile(path.join(dir, blobPath(name)), bytes);
    const d = descriptor({ mediaType: MediaType.imageIndex, digest: name, size: bytes.length });
    await writeFile(path.join(dir, "index.json"), JSON.stringify({ schemaVersion: 2, manifests: [d] }));
    const lines = formatLayoutError(await readError(dir));
    expect(lines).toEqual([
      `index.json manifests[0]: digest mismatch: expected ${name}, blob hashes to ${sha256(bytes)}`,
      `index.json manifests[0] → index manifests[0]: descriptor cycle: ${name} is already being followed`,
    ]);
  });

  it("refuses to load a huge blob that a descriptor calls a manifest", async () => {
    await writeLayout(dir);
    const huge = await putBlob(dir, new Uint8Array(16 * 1024 * 1024 + 1), MediaType.imageManifest);
    await writeFile(path.join(dir, "index.json"), JSON.stringify({ schemaVersion: 2, manifests: [huge] }));
    expect(formatLayoutError(await readError(dir))).toEqual([
      `index.json manifests[0]: blob of ${huge.size} bytes is too large for a JSON document (limit 16777216); not read`,
    ]);
  });
});
