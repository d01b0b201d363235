import * as E from "fp-ts/lib/Either.js";
import type { Owner, Program, RootfsEntry, SourceFile, Step } from "@ocistage/program";
import { TOOLS } from "@ocistage/program";
import type { ImageSpec, SpecIssue } from "@ocistage/spec";
import { imageConfig, portKey } from "./imageConfig.ts";
import type { LowerError } from "./LowerError.ts";
import { layerBudget } from "./layerBudget.ts";
import { lowerLayerEntries } from "./lowerLayerEntries.ts";
import { layerSteps, tailSteps, writeLayoutStep } from "./steps.ts";

export interface LowerContext {
  readonly specFile: string; // how docs name the spec file (relative, never machine-specific)
  readonly specText: string;
  readonly sourceDateEpoch: number;
}

const ROOT_OWNER: Owner = { uid: 0, gid: 0 };

const duplicates = (names: readonly string[]): readonly string[] => names.filter((n, i) => names.indexOf(n) !== i);

const specIssues = (spec: ImageSpec): SpecIssue[] => {
  const issues: SpecIssue[] = [];
  for (const name of new Set(duplicates(spec.layers.map((l) => l.name))))
    issues.push({ at: `layers[${spec.layers.findIndex((l) => l.name === name)}].name`, message: `layer name "${name}" is used more than once` });
  if (spec.layers.length === 0) issues.push({ at: "layers", message: "expected at least one layer, found none" });
  issues.push(...[layerBudget(spec.layers.length, "layers", spec.maxLayers)].filter((issue) => issue !== undefined));
  for (const name of new Set(duplicates((spec.tests ?? []).map((t) => t.name))))
    issues.push({ at: "tests", message: `smoke test name "${name}" is used more than once` });
  for (const port of new Set(duplicates((spec.exposedPorts ?? []).map(portKey))))
    issues.push({ at: "exposedPorts", message: `port ${port} is listed more than once` });
  return issues;
};

// ImageSpec → Program, pure: no file system, no clock (the epoch is given), no environment.
export const lower = (spec: ImageSpec, context: LowerContext): E.Either<LowerError, Program> => {
  const issues = specIssues(spec);
  const layers: { readonly name: string; readonly owner: Owner; readonly entries: readonly RootfsEntry[] }[] = [];
  spec.layers.forEach((layer, i) => {
    const owner: Owner = { uid: layer.uid ?? 0, gid: layer.gid ?? 0 };
    const entries = lowerLayerEntries(layer, `layers[${i}]`, owner);
    if (E.isLeft(entries)) issues.push(...entries.left);
    // The layer's owner is its entries' default; the root and the folders destinations imply stay
    // root's, or extracting the layer would hand "/" (or "/srv") to that user.
    else layers.push({ name: layer.name, owner: ROOT_OWNER, entries: entries.right });
  });
  if (issues.length > 0) return E.left({ _tag: "LowerInvalid", issues });

  const epoch = context.sourceDateEpoch;
  const tag = spec.tag ?? "latest";
  const platform = { architecture: spec.architecture ?? "amd64", os: spec.os ?? "linux", ...(spec.variant === undefined ? {} : { variant: spec.variant }) };
  const steps: Step[] = [
    writeLayoutStep(),
    ...layers.flatMap((l) => layerSteps(l.name, l.owner, l.entries, epoch)),
    ...tailSteps({
      layers: layers.map((l) => l.name),
      config: imageConfig(spec, epoch),
      annotations: spec.annotations ?? {},
      tag,
      platform,
    }),
  ];
  const inputs = [...new Set(layers.flatMap((l) => l.entries.flatMap((e) => (e._tag === "Copy" ? [e.source] : []))))];
  const sources: SourceFile[] = [
    { path: context.specFile, role: "spec", text: context.specText },
    ...inputs.map((path): SourceFile => ({ path, role: "layer input" })),
  ];
  return E.right({
    programVersion: 1,
    image: { name: spec.name, tag, platform, ...(spec.description === undefined ? {} : { description: spec.description }) },
    sourceDateEpoch: epoch,
    tools: [TOOLS.sh, TOOLS.tar, TOOLS.coreutils],
    steps,
    outputs: [
      { name: "oci-layout", path: "oci-layout", kind: "json" },
      { name: "index", path: "index.json", kind: "json" },
      { name: "blobs", path: "blobs", kind: "tree" },
      { name: "oci-archive", path: "image.oci.tar", kind: "tar" },
    ],
    descriptors: [
      {
        name: `${spec.name}-oci-image`,
        kind: "oci-image",
        payload: {
          kind: "oci-image",
          architecture: platform.architecture,
          os: platform.os,
          entrypoint: spec.entrypoint ?? [],
          exposedPorts: (spec.exposedPorts ?? []).map(portKey),
          labels: spec.labels ?? {},
        },
      },
    ],
    evidence: (spec.tests ?? []).map((t) => ({
      name: t.name,
      ...(t.entrypoint === undefined ? {} : { entrypoint: t.entrypoint }),
      command: t.command,
      expectExitCode: t.expectExitCode ?? 0,
      ...(t.expectOutput === undefined ? {} : { expectOutput: t.expectOutput }),
    })),
    sources,
  });
};
