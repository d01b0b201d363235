// An image deeper than its runtime stacks is refused before anything is built: 127 layers by
// default (see src/layerBudget.ts for where the number comes from), or the spec's maxLayers.
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import type { ImageSpec } from "@ocistage/spec";
import { formatSpecIssue } from "@ocistage/spec";
import { DEFAULT_MAX_LAYERS, layerBudget, lower } from "../src/index.ts";

const context = { specFile: "image.json", specText: "{}", sourceDateEpoch: 0 };
const layers = (n: number): ImageSpec["layers"] => Array.from({ length: n }, (_, i) => ({ name: `l${i}`, files: [{ content: `${i}\n`, destination: `/f/${i}` }] }));
const issues = (spec: ImageSpec): readonly string[] => {
  const result = lower({ _tag: "Image", image: spec }, context);
  return E.isLeft(result) ? result.left.issues.map(formatSpecIssue) : [];
};

const DEFAULT_MESSAGE = (n: number): string =>
  `layers: expected at most 127 layers, found ${n}: a runtime stacks one overlay directory per layer and podman's storage stops at 128 ("max depth exceeded"); merge layers, or set maxLayers for a runtime known to allow more`;

describe("layerBudget", () => {
  it("is 127 by default", () => {
    expect(DEFAULT_MAX_LAYERS).toBe(127);
    expect(layerBudget(127, "layers")).toBeUndefined();
    expect(layerBudget(128, "layers")).toEqual({ at: "layers", message: DEFAULT_MESSAGE(128).slice("layers: ".length) });
  });

  it("takes the budget it is given, and names it as the spec's", () => {
    expect(layerBudget(200, "layers", 200)).toBeUndefined();
    expect(layerBudget(3, "base.layers", 2)).toEqual({ at: "base.layers", message: "expected at most 2 layers (the spec's maxLayers), found 3" });
  });
});

describe("lowering counts the image's layers", () => {
  it("accepts 127 and refuses 128 and 131, naming the count", () => {
    expect(issues({ name: "deep", layers: layers(127) })).toEqual([]);
    expect(issues({ name: "deep", layers: layers(128) })).toEqual([DEFAULT_MESSAGE(128)]);
    expect(issues({ name: "deep", layers: layers(131) })).toEqual([DEFAULT_MESSAGE(131)]);
  });

  it("lets maxLayers raise the budget, or lower it", () => {
    expect(issues({ name: "deep", layers: layers(130), maxLayers: 130 })).toEqual([]);
    expect(issues({ name: "deep", layers: layers(131), maxLayers: 130 })).toEqual(["layers: expected at most 130 layers (the spec's maxLayers), found 131"]);
    expect(issues({ name: "deep", layers: layers(126), maxLayers: 125 })).toEqual(["layers: expected at most 125 layers (the spec's maxLayers), found 126"]);
  });

  it("reports the budget with the other issues, not instead of them", () => {
    const spec: ImageSpec = { name: "deep", layers: [...layers(128), { name: "l0", files: [] }] };
    expect(issues(spec)).toEqual(['layers[0].name: layer name "l0" is used more than once', DEFAULT_MESSAGE(129)]);
  });
});
