// How a layer is stored: the spec's `compression` (a layer's own wins over its image's, default
// none), `build --compression` over both; a layer shared by images that would store it
// differently is an error naming both. The tar step carries the compression and its media type,
// the manifest the media type, and an uncompressed layer's steps say what they always said.
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import type { Compression, Program, StepOf } from "@ocistage/program";
import { decodeSpec, formatSpecIssue } from "@ocistage/spec";
import { lower } from "../src/index.ts";

const lowerSpec = (spec: unknown, compression?: Compression): E.Either<readonly string[], Program> => {
  const decoded = decodeSpec(spec, "image.json");
  if (E.isLeft(decoded)) throw new Error(JSON.stringify(decoded.left));
  return E.mapLeft((e: { issues: readonly Parameters<typeof formatSpecIssue>[0][] }) => e.issues.map(formatSpecIssue))(
    lower(decoded.right, { specFile: "image.json", specText: "{}", sourceDateEpoch: 0, ...(compression === undefined ? {} : { compression }) }),
  );
};
const program = (spec: unknown, compression?: Compression): Program => {
  const result = lowerSpec(spec, compression);
  if (E.isLeft(result)) throw new Error(result.left.join("\n"));
  return result.right;
};
const tarSteps = (p: Program): readonly StepOf<"TarLayer">[] => p.steps.filter((s): s is StepOf<"TarLayer"> => s._tag === "TarLayer");
const stored = (p: Program): Record<string, string> => Object.fromEntries(tarSteps(p).map((s) => [s.layer, `${s.compression} ${s.mediaType}`]));
const manifestTypes = (p: Program): readonly (readonly string[])[] =>
  p.steps.flatMap((s) => (s._tag === "WriteManifest" ? [s.layers.map((l) => `${l.layer} ${l.mediaType}`)] : []));

const TAR = "application/vnd.oci.image.layer.v1.tar";
const GZIP = `${TAR}+gzip`;
const ZSTD = `${TAR}+zstd`;
const layer = (name: string, extra: object = {}) => ({ name, files: [{ content: name, destination: `/${name}` }], ...extra });

describe("the compression of each layer", () => {
  it("is none by default: the media type, tools and description an uncompressed layer always had", () => {
    const p = program({ name: "demo", layers: [layer("base")] });
    const [tar] = tarSteps(p);
    expect(stored(p)).toEqual({ base: `none ${TAR}` });
    expect(tar?.tools).toEqual(["sh", "tar", "coreutils"]);
    expect(tar?.description).toBe("Tar layer base deterministically (sorted names, mtime 0, numeric owners) into a blob named by its sha256.");
    expect(p.tools.map((t) => t.name)).toEqual(["sh", "tar", "coreutils"]);
  });

  it("follows the image's setting, unless the layer has its own", () => {
    const p = program({ name: "demo", compression: "gzip", layers: [layer("base"), layer("app", { compression: "zstd" }), layer("raw", { compression: "none" })] });
    expect(stored(p)).toEqual({ base: `gzip ${GZIP}`, app: `zstd ${ZSTD}`, raw: `none ${TAR}` });
    expect(manifestTypes(p)).toEqual([[`base ${GZIP}`, `app ${ZSTD}`, `raw ${TAR}`]]);
    expect(tarSteps(p)[0]?.tools).toEqual(["sh", "tar", "coreutils", "gzip"]);
    expect(tarSteps(p)[0]?.description).toContain("its sha256 the diff_id, and compress it (gzip level 6, in independent 1 MiB blocks)");
    expect(p.tools.map((t) => t.name)).toEqual(["sh", "tar", "coreutils", "gzip", "zstd"]);
  });

  it("is what build --compression says, whatever the spec says", () => {
    const p = program({ name: "demo", compression: "gzip", layers: [layer("base"), layer("app", { compression: "none" })] }, "zstd");
    expect(stored(p)).toEqual({ base: `zstd ${ZSTD}`, app: `zstd ${ZSTD}` });
  });

  it("rejects anything but none, gzip and zstd, naming the field", () => {
    const decoded = decodeSpec({ name: "demo", layers: [layer("base", { compression: "xz" })] }, "image.json");
    expect(E.isLeft(decoded) && JSON.stringify(decoded.left)).toContain("layers[0].compression");
  });
});

describe("a layer shared by the images of a layout", () => {
  const layout = (web: object, api: object, base: object = {}) => ({
    images: [
      { name: "web", layers: ["base", layer("site")], ...web },
      { name: "api", layers: ["base", layer("app")], ...api },
    ],
    layers: { base: { files: [{ content: "base", destination: "/base" }], ...base } },
  });

  it("is one blob: images that would store it differently are an error naming both", () => {
    const result = lowerSpec(layout({ compression: "gzip" }, {}));
    expect(E.isLeft(result) && result.left).toEqual([
      'layers.base: layer "base" would be stored gzip by images[0] (web) and none by images[1] (api), but a layer is one blob: set layers.base.compression, or give each image a layer of its own',
    ]);
  });

  it("is stored as its own setting says, whatever the images say", () => {
    const p = program(layout({ compression: "gzip" }, { compression: "zstd" }, { compression: "zstd" }));
    expect(stored(p)).toEqual({ base: `zstd ${ZSTD}`, site: `gzip ${GZIP}`, app: `zstd ${ZSTD}` });
    expect(manifestTypes(p)).toEqual([
      [`base ${ZSTD}`, `site ${GZIP}`],
      [`base ${ZSTD}`, `app ${ZSTD}`],
    ]);
  });

  it("follows its images when they agree", () => {
    const p = program(layout({ compression: "gzip" }, { compression: "gzip" }));
    expect(stored(p)["base"]).toBe(`gzip ${GZIP}`);
  });
});
