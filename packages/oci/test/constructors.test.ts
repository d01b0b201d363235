import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../src/canonicalJson.ts";
import { decodeDescriptor, descriptor } from "../src/descriptor.ts";
import type { Digest } from "../src/digest.ts";
import { decodeImageConfig, imageConfig } from "../src/imageConfig.ts";
import { decodeImageIndex, imageIndex, indexEntry, refNameOf } from "../src/imageIndex.ts";
import { decodeImageManifest, imageManifest } from "../src/imageManifest.ts";
import { MediaType } from "../src/mediaTypes.ts";
import { decodeOciLayoutFile, layoutFile } from "../src/ociLayout.ts";
import { formatPlatform, platform } from "../src/platform.ts";

const digest = (c: string): Digest => `sha256:${c.repeat(64)}` as Digest;

const layer = descriptor({ mediaType: MediaType.layerTar, digest: digest("a"), size: 10240 });
const config = descriptor({ mediaType: MediaType.imageConfig, digest: digest("c"), size: 321 });

describe("constructors build the plain values the builder serialises", () => {
  it("layoutFile() is the oci-layout marker", () => {
    expect(canonicalJson(layoutFile())).toBe('{"imageLayoutVersion":"1.0.0"}');
    expect(decodeOciLayoutFile(layoutFile())).toEqual(E.right(layoutFile()));
  });

  it("descriptor() keeps only the fields given, and drops empty annotations and urls", () => {
    const d = descriptor({ ...layer, annotations: {}, urls: [], platform: undefined });
    expect(d).toEqual({ mediaType: MediaType.layerTar, digest: digest("a"), size: 10240 });
    expect(Object.keys(d)).toEqual(["mediaType", "digest", "size"]);
    expect(decodeDescriptor(d)).toEqual(E.right(d));
  });

  it("imageManifest() writes schemaVersion 2 and the manifest media type", () => {
    const m = imageManifest({ config, layers: [layer] });
    expect(canonicalJson(m)).toBe(
      `{"config":{"digest":"${digest("c")}","mediaType":"${MediaType.imageConfig}","size":321},` +
        `"layers":[{"digest":"${digest("a")}","mediaType":"${MediaType.layerTar}","size":10240}],` +
        `"mediaType":"${MediaType.imageManifest}","schemaVersion":2}`,
    );
    expect(decodeImageManifest(m)).toEqual(E.right(m));
  });

  it("indexEntry() carries the tag as org.opencontainers.image.ref.name, and the platform", () => {
    const target = descriptor({ mediaType: MediaType.imageManifest, digest: digest("d"), size: 500 });
    const entry = indexEntry({ target, tag: "v1.0", platform: platform({ os: "linux", architecture: "arm64", variant: "v8" }) });
    expect(entry).toEqual({
      ...target,
      annotations: { "org.opencontainers.image.ref.name": "v1.0" },
      platform: { os: "linux", architecture: "arm64", variant: "v8" },
    });
    expect(refNameOf(entry)).toBe("v1.0");
    expect(formatPlatform(entry.platform ?? { os: "?", architecture: "?" })).toBe("linux/arm64/v8");
  });

  it("imageIndex() wraps entries, and decodes back to itself", () => {
    const target = descriptor({ mediaType: MediaType.imageManifest, digest: digest("d"), size: 500 });
    const index = imageIndex({ manifests: [indexEntry({ target, tag: "latest" })] });
    expect(index).toEqual({
      schemaVersion: 2,
      mediaType: MediaType.imageIndex,
      manifests: [{ ...target, annotations: { "org.opencontainers.image.ref.name": "latest" } }],
    });
    expect(decodeImageIndex(index)).toEqual(E.right(index));
  });

  it("imageConfig() reads no clock: no created unless given", () => {
    const c = imageConfig({ architecture: "amd64", os: "linux", diffIds: [digest("a")], config: { Cmd: ["sh"] } });
    expect(c).toEqual({
      architecture: "amd64",
      os: "linux",
      config: { Cmd: ["sh"] },
      rootfs: { type: "layers", diff_ids: [digest("a")] },
    });
    expect(decodeImageConfig(c)).toEqual(E.right(c));
  });
});
