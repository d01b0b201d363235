import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import type { DecodeFailure } from "../src/decode.ts";
import { decodeDescriptor } from "../src/descriptor.ts";
import { formatDecodeProblem } from "../src/formatDecodeErrors.ts";
import { decodeImageConfig } from "../src/imageConfig.ts";
import { decodeImageIndex } from "../src/imageIndex.ts";
import { decodeImageManifest } from "../src/imageManifest.ts";
import { decodeOciLayoutFile } from "../src/ociLayout.ts";
import {
  configExample,
  descriptorExample,
  descriptorWithUrlsExample,
  indexExample,
  layoutIndexExample,
  manifestExample,
  ociLayoutExample,
} from "./fixtures/specExamples.ts";

const lines = <A>(r: E.Either<DecodeFailure, A>): readonly string[] =>
  E.isLeft(r) ? r.left.problems.map(formatDecodeProblem) : [];

const hex = "5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270";

describe("the codecs accept the image-spec's own examples", () => {
  it.each([
    ["descriptor.md", decodeDescriptor, descriptorExample],
    ["descriptor.md (urls)", decodeDescriptor, descriptorWithUrlsExample],
    ["manifest.md", decodeImageManifest, manifestExample],
    ["image-index.md", decodeImageIndex, indexExample],
    ["image-layout.md index.json", decodeImageIndex, layoutIndexExample],
    ["image-layout.md oci-layout", decodeOciLayoutFile, ociLayoutExample],
    ["config.md", decodeImageConfig, configExample],
  ] as const)("%s", (_, decode: (u: unknown) => E.Either<DecodeFailure, unknown>, example) => {
    expect(decode(example)).toEqual(E.right(example));
  });

  it("keeps fields it does not model, so re-serialising loses nothing", () => {
    const withData = { ...descriptorExample, data: "e30=" };
    expect(decodeDescriptor(withData)).toEqual(E.right(withData));
  });

  it("accepts a manifest without the optional mediaType (the spec only says SHOULD)", () => {
    const { mediaType: _, ...bare } = manifestExample;
    expect(E.isRight(decodeImageManifest(bare))).toBe(true);
  });

  it("accepts null Entrypoint, Cmd, Volumes and Labels, as the config schema does", () => {
    const config = { ...configExample, config: { Entrypoint: null, Cmd: null, Volumes: null, Labels: null } };
    expect(E.isRight(decodeImageConfig(config))).toBe(true);
  });
});

describe("the codecs reject wrong documents with one located line per problem", () => {
  it("names every missing or mistyped descriptor field", () => {
    expect(lines(decodeDescriptor({ mediaType: "not a media type", size: -1 }))).toEqual([
      'mediaType: expected a media type such as application/vnd.oci.image.manifest.v1+json, found "not a media type"',
      "digest: expected a digest <algorithm>:<hex>, e.g. sha256:<64 lowercase hex digits>, found nothing",
      "size: expected a non-negative integer, found -1",
    ]);
  });

  it("says which digest rule was broken", () => {
    expect(lines(decodeDescriptor({ ...descriptorExample, digest: `sha256:${hex.toUpperCase()}` }))).toEqual([
      `digest: expected a sha256 digest with 64 lowercase hex digits, found "sha256:${hex.toUpperCase()}"`,
    ]);
    expect(lines(decodeDescriptor({ ...descriptorExample, digest: "md5:d41d8cd98f00b204e9800998ecf8427e" }))).toEqual([
      'digest: expected a sha256 or sha512 digest (algorithm md5 is not supported), found "md5:d41d8cd98f00b204e9800998ecf8427e"',
    ]);
  });

  it("locates problems inside arrays and nested descriptors", () => {
    const bad = {
      ...manifestExample,
      schemaVersion: 1,
      layers: [manifestExample.layers[0], { ...manifestExample.layers[1], size: "16724" }],
      subject: { ...manifestExample.subject, digest: "sha256:abc" },
    };
    expect(lines(decodeImageManifest(bad))).toEqual([
      "schemaVersion: expected 2, found 1",
      'layers[1].size: expected a non-negative integer, found "16724"',
      'subject.digest: expected a sha256 digest with 64 lowercase hex digits, found "sha256:abc"',
    ]);
  });

  it("rejects a manifest whose mediaType is another document's", () => {
    expect(lines(decodeImageManifest({ ...manifestExample, mediaType: "application/vnd.oci.image.index.v1+json" }))).toEqual([
      'mediaType: expected "application/vnd.oci.image.manifest.v1+json", found "application/vnd.oci.image.index.v1+json"',
    ]);
  });

  it("quotes map keys that are not identifiers", () => {
    const bad = {
      ...indexExample,
      manifests: [{ ...indexExample.manifests[0], platform: { os: "linux", "os.version": 10 } }],
      annotations: { "com.example.key1": 1 },
    };
    expect(lines(decodeImageIndex(bad))).toEqual([
      "manifests[0].platform.architecture: expected string, found nothing",
      'manifests[0].platform["os.version"]: expected string, found 10',
      'annotations["com.example.key1"]: expected string, found 1',
    ]);
  });

  it("reports a nullable field once, by the union's name", () => {
    const bad = { ...configExample, config: { Cmd: "sh -c true", Labels: ["a"] } };
    expect(lines(decodeImageConfig(bad))).toEqual([
      'config.Cmd: expected Array<string> | null, found "sh -c true"',
      "config.Labels: expected Annotations | null, found an array of 1",
    ]);
  });

  it("checks rootfs and timestamps", () => {
    const bad = {
      ...configExample,
      created: "yesterday",
      rootfs: { type: "layer", diff_ids: ["sha256:c6f9"] },
    };
    expect(lines(decodeImageConfig(bad))).toEqual([
      'rootfs.type: expected "layers", found "layer"',
      'rootfs.diff_ids[0]: expected a sha256 digest with 64 lowercase hex digits, found "sha256:c6f9"',
      'created: expected an RFC 3339 date-time such as 2015-10-31T22:22:56.015925234Z, found "yesterday"',
    ]);
  });

  it("names the document itself as (root) when it is not an object at all", () => {
    expect(lines(decodeImageIndex([]))).toEqual(["(root): expected ImageIndex, found an empty array"]);
    expect(lines(decodeOciLayoutFile("1.0.0"))).toEqual(['(root): expected OciLayoutFile, found "1.0.0"']);
  });

  it("pins the layout version", () => {
    expect(lines(decodeOciLayoutFile({ imageLayoutVersion: "2.0.0" }))).toEqual([
      'imageLayoutVersion: expected "1.0.0", found "2.0.0"',
    ]);
  });
});
