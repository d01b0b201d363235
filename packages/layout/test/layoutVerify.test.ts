import * as E from "fp-ts/lib/Either.js";
import { chmod, mkdir, mkdtemp, readFile, rename, rm, symlink, truncate, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MediaType } from "@ocistage/oci";
import type { Digest, Json } from "@ocistage/oci";
import { formatLayoutIssue } from "../src/formatLayoutIssue.ts";
import type { LayoutIssue } from "../src/LayoutIssue.ts";
import { verifyLayout } from "../src/verifyLayout.ts";
import { putJson, sha256, sha256File, writeLayout } from "./fixtures/layout/writeLayout.ts";
import type { LayoutTweaks, WrittenLayout } from "./fixtures/layout/writeLayout.ts";

let dir = "";
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ocistage-verify-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const verify = async (layout: string): Promise<readonly LayoutIssue[]> => {
  const result = await verifyLayout(layout)();
  if (E.isLeft(result)) throw new Error(`unexpected I/O error: ${JSON.stringify(result.left)}`);
  return result.right;
};

const lines = async (layout: string): Promise<readonly string[]> => (await verify(layout)).map(formatLayoutIssue);

const flipByte = async (file: string, at: number): Promise<void> => {
  const bytes = await readFile(file);
  bytes[at] = (bytes[at] ?? 0) ^ 0xff;
  await writeFile(file, bytes);
};

const jsonParseError = (text: string): string => {
  try {
    JSON.parse(text);
    return "parsed";
  } catch (e) {
    return (e as Error).message;
  }
};

const zeros = `sha256:${"0".repeat(64)}` as Digest;

// Where things are, as the verifier names them.
const entry = "index.json manifests[0]";
const manifest = `${entry} → manifest`;
const layer0 = `${manifest} layers[0]`;
const configDoc = `${manifest} config → config`;

describe("verifyLayout on a valid layout", () => {
  it("reports nothing", async () => {
    await writeLayout(dir);
    expect(await lines(dir)).toEqual([]);
  });

  it("re-hashes a layer larger than its read buffer", async () => {
    const big = new Uint8Array(3 * 1024 * 1024 + 7).map((_, i) => (i * 31) % 251);
    const w = await writeLayout(dir, { layerBytes: big });
    expect(await lines(dir)).toEqual([]);
    await flipByte(w.blobFile(w.layer.digest), big.length - 1);
    expect(await lines(dir)).toEqual([`${layer0}: digest mismatch: expected ${w.layer.digest}, blob hashes to ${sha256File(w.blobFile(w.layer.digest))}`]);
  });

  it("accepts a blob stored as a symlink to a regular file", async () => {
    const w = await writeLayout(dir);
    const file = w.blobFile(w.layer.digest);
    await rename(file, path.join(dir, "layer.tar"));
    await symlink(path.join(dir, "layer.tar"), file);
    expect(await lines(dir)).toEqual([]);
  });

  it("accepts content other tools add: extra files at the root, sha512 blobs nothing refers to", async () => {
    await writeLayout(dir);
    await writeFile(path.join(dir, "image.oci.tar"), "not looked at");
    await mkdir(path.join(dir, "blobs", "sha512"));
    const { createHash } = await import("node:crypto");
    await writeFile(path.join(dir, "blobs", "sha512", createHash("sha512").update("x").digest("hex")), "x");
    expect(await lines(dir)).toEqual([]);
  });
});

interface Row {
  readonly name: string;
  /** Made wrong while writing; everything else stays consistent. */
  readonly tweaks?: LayoutTweaks;
  /** Made wrong after writing, on disk. */
  readonly tamper?: (w: WrittenLayout) => Promise<void>;
  readonly expected: (w: WrittenLayout) => readonly string[];
}

const withLayer = (m: { readonly layers: readonly Json[] }, change: (layer: Json) => Json): readonly Json[] =>
  m.layers.map((l, i) => (i === 0 ? change(l) : l));

const table: readonly Row[] = [
  {
    name: "a flipped byte in the layer",
    tamper: (w) => flipByte(w.blobFile(w.layer.digest), 600),
    expected: (w) => [`${layer0}: digest mismatch: expected ${w.layer.digest}, blob hashes to ${sha256File(w.blobFile(w.layer.digest))}`],
  },
  {
    name: "a truncated layer",
    tamper: (w) => truncate(w.blobFile(w.layer.digest), 1024),
    expected: (w) => [
      `${layer0}: size 1024 but descriptor says ${w.layer.size}`,
      `${layer0}: digest mismatch: expected ${w.layer.digest}, blob hashes to ${sha256File(w.blobFile(w.layer.digest))}`,
    ],
  },
  {
    name: "a missing layer blob",
    tamper: (w) => unlink(w.blobFile(w.layer.digest)),
    expected: (w) => [`${layer0}: missing blob ${w.layer.digest}`],
  },
  {
    name: "a wrong size in the manifest's layer descriptor",
    tweaks: { manifest: (m) => ({ ...m, layers: m.layers.map((l) => ({ ...l, size: l.size + 1 })) }) },
    expected: (w) => [`${layer0}: size ${w.layer.size} but descriptor says ${w.layer.size + 1}`],
  },
  {
    name: "a wrong digest in index.json",
    tweaks: { indexEntry: (d) => ({ ...d, digest: zeros }) },
    expected: () => [`${entry}: missing blob ${zeros}`],
  },
  {
    name: "a wrong size for the manifest in index.json",
    tweaks: { indexEntry: (d) => ({ ...d, size: d.size - 1 }) },
    expected: (w) => [`${entry}: size ${w.manifest.size} but descriptor says ${w.manifest.size - 1}`],
  },
  {
    name: "a wrong media type in index.json (the manifest says what it is)",
    tweaks: { indexEntry: (d) => ({ ...d, mediaType: MediaType.imageIndex }) },
    expected: () => [`${entry}: media type ${MediaType.imageIndex} but the document says ${MediaType.imageManifest}`],
  },
  {
    name: "an unknown layer media type",
    tweaks: {
      manifest: (m) => ({ ...m, layers: withLayer(m, (l) => ({ ...(l as object), mediaType: "application/x-tar" })) }),
    },
    expected: () => [`${layer0}: unknown media type application/x-tar for a layer`],
  },
  {
    name: "a missing manifest",
    tamper: (w) => unlink(w.blobFile(w.manifest.digest)),
    expected: (w) => [`${entry}: missing blob ${w.manifest.digest}`],
  },
  {
    name: "a manifest that is not a valid manifest",
    tweaks: {
      manifest: (m) => ({ ...m, schemaVersion: 1, layers: withLayer(m, (l) => ({ ...(l as object), digest: "sha256:abc" })) }),
    },
    expected: () => [
      `${manifest} schemaVersion: expected 2, found 1`,
      `${manifest} layers[0].digest: expected a sha256 digest with 64 lowercase hex digits, found "sha256:abc"`,
    ],
  },
  {
    name: "a config with more diff_ids than the manifest has layers",
    tweaks: { config: (c) => ({ ...c, rootfs: { ...c.rootfs, diff_ids: [...c.rootfs.diff_ids, zeros] } }) },
    expected: () => [`${configDoc} rootfs.diff_ids: 2 entries but the manifest has 1 layer`],
  },
  {
    name: "a diff_id that is not the uncompressed layer's digest",
    tweaks: { config: (c) => ({ ...c, rootfs: { ...c.rootfs, diff_ids: [zeros] } }) },
    expected: (w) => [`${configDoc} rootfs.diff_ids[0]: ${zeros} but layers[0] is an uncompressed tar with digest ${w.layer.digest}`],
  },
  {
    name: "a config blob edited in place",
    tamper: async (w) => {
      const file = w.blobFile(w.config.digest);
      await writeFile(file, (await readFile(file, "utf8")).replace("amd64", "arm64"));
    },
    expected: (w) => [`${manifest} config: digest mismatch: expected ${w.config.digest}, blob hashes to ${sha256File(w.blobFile(w.config.digest))}`],
  },
  {
    name: "an extra non-digest file in blobs/sha256",
    tamper: (w) => writeFile(path.join(w.dir, "blobs", "sha256", "README.txt"), "hello"),
    expected: () => ["blobs/sha256/README.txt: stray file in blobs/sha256 whose name is not a digest"],
  },
  {
    name: "an upper-case blob file name",
    tamper: (w) => writeFile(path.join(w.dir, "blobs", "sha256", "AB".repeat(32)), "x"),
    expected: () => [`blobs/sha256/${"AB".repeat(32)}: stray file in blobs/sha256 whose name is not a digest`],
  },
  {
    name: "a directory in blobs/sha256",
    tamper: (w) => mkdir(path.join(w.dir, "blobs", "sha256", "cache")),
    expected: () => ["blobs/sha256/cache: stray entry in blobs/sha256 that is not a regular file"],
  },
  {
    name: "a blob directory for an algorithm we cannot verify",
    tamper: (w) => mkdir(path.join(w.dir, "blobs", "md5")),
    expected: () => ["blobs/md5: blob directory for a digest algorithm ocistage cannot verify (only sha256 and sha512)"],
  },
  {
    name: "a corrupt blob nothing refers to",
    tamper: (w) => writeFile(path.join(w.dir, "blobs", "sha256", "1".repeat(64)), "not what the name says"),
    expected: () => [`blobs/sha256/${"1".repeat(64)}: digest mismatch: expected sha256:${"1".repeat(64)}, blob hashes to ${sha256(new TextEncoder().encode("not what the name says"))}`],
  },
  {
    name: "invalid JSON in index.json",
    tamper: (w) => writeFile(path.join(w.dir, "index.json"), '{"schemaVersion": 2,'),
    expected: () => [`index.json: invalid JSON: ${jsonParseError('{"schemaVersion": 2,')}`],
  },
  {
    name: "an index.json that is not an index",
    tamper: (w) => writeFile(path.join(w.dir, "index.json"), '{"schemaVersion": 2, "manifests": {}}'),
    expected: () => ["index.json manifests: expected Array<Descriptor>, found an object"],
  },
  {
    name: "an index.json of 17 MiB (never read whole)",
    tamper: (w) => writeFile(path.join(w.dir, "index.json"), Buffer.alloc(17 * 1024 * 1024, 0x20)),
    expected: () => [`index.json: blob of ${17 * 1024 * 1024} bytes is too large for a JSON document (limit ${16 * 1024 * 1024}); not read`],
  },
  {
    name: "a missing index.json",
    tamper: (w) => unlink(path.join(w.dir, "index.json")),
    expected: () => ["index.json: missing file"],
  },
  {
    name: "a missing oci-layout",
    tamper: (w) => unlink(path.join(w.dir, "oci-layout")),
    expected: () => ["oci-layout: missing file"],
  },
  {
    name: "a wrong imageLayoutVersion",
    tamper: (w) => writeFile(path.join(w.dir, "oci-layout"), '{"imageLayoutVersion":"2.0.0"}'),
    expected: () => ['oci-layout imageLayoutVersion: expected "1.0.0", found "2.0.0"'],
  },
  {
    name: "a missing blobs directory",
    tamper: (w) => rm(path.join(w.dir, "blobs"), { recursive: true }),
    expected: (w) => ["blobs: missing directory", `${entry}: missing blob ${w.manifest.digest}`],
  },
];

describe("verifyLayout reports each kind of tampering, exactly", () => {
  it.each(table)("$name", async (row) => {
    const w = await writeLayout(dir, row.tweaks);
    await row.tamper?.(w);
    expect(await lines(dir)).toEqual(row.expected(w));
  });
});

describe("verifyLayout reports every issue, not the first", () => {
  it("lists faults in several places at once, walk order first, then the blobs directory", async () => {
    const w = await writeLayout(dir, {
      config: (c) => ({ ...c, rootfs: { ...c.rootfs, diff_ids: [...c.rootfs.diff_ids, zeros] } }),
    });
    await writeFile(path.join(dir, "oci-layout"), '{"imageLayoutVersion":"2.0.0"}');
    await flipByte(w.blobFile(w.layer.digest), 600);
    await writeFile(path.join(dir, "blobs", "sha256", "notes"), "");
    expect(await lines(dir)).toEqual([
      'oci-layout imageLayoutVersion: expected "1.0.0", found "2.0.0"',
      `${configDoc} rootfs.diff_ids: 2 entries but the manifest has 1 layer`,
      `${layer0}: digest mismatch: expected ${w.layer.digest}, blob hashes to ${sha256File(w.blobFile(w.layer.digest))}`,
      "blobs/sha256/notes: stray file in blobs/sha256 whose name is not a digest",
    ]);
  });

  it("checks every entry of index.json and every image in a nested index", async () => {
    const w = await writeLayout(dir);
    const nested = await putJson(
      dir,
      { schemaVersion: 2, mediaType: MediaType.imageIndex, manifests: [w.manifest, { ...w.manifest, digest: zeros }] },
      MediaType.imageIndex,
    );
    await writeFile(
      path.join(dir, "index.json"),
      JSON.stringify({ schemaVersion: 2, manifests: [w.manifest, nested, { ...w.manifest, size: 1 }] }),
    );
    expect(await lines(dir)).toEqual([
      `index.json manifests[1] → index manifests[1]: missing blob ${zeros}`,
      `index.json manifests[2]: size ${w.manifest.size} but descriptor says 1`,
    ]);
  });

  it("returns the issues as data, for callers that do more than print them", async () => {
    const w = await writeLayout(dir);
    await unlink(w.blobFile(w.layer.digest));
    expect(await verify(dir)).toEqual([
      {
        _tag: "MissingBlob",
        at: { via: [{ document: "index.json", field: "manifests[0]" }], document: "manifest", field: "layers[0]" },
        digest: w.layer.digest,
      },
    ]);
  });
});

describe("verifyLayout and the file system", () => {
  it("treats a layout directory that does not exist as a layout with everything missing", async () => {
    expect(await lines(path.join(dir, "nope"))).toEqual([
      "oci-layout: missing file",
      "blobs: missing directory",
      "index.json: missing file",
    ]);
  });

  it.skipIf(process.getuid?.() === 0)("fails with an I/O error when it cannot read a blob", async () => {
    const w = await writeLayout(dir);
    await chmod(w.blobFile(w.layer.digest), 0o000);
    const result = await verifyLayout(dir)();
    expect(E.isLeft(result) && result.left._tag).toBe("LayoutIOError");
  });
});
