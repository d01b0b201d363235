import fc from "fast-check";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import type { Program, RootfsEntry } from "@ocistage/program";
import { checkProgram, formatProgramIssue } from "@ocistage/program";
import type { ImageSpec, Spec } from "@ocistage/spec";
import { decodeSpec, formatSpecError, formatSpecIssue } from "@ocistage/spec";
import { lower, normaliseDestination } from "../src/index.ts";
import { arbitraryHostilePathSpec, arbitraryMutatedSpec, arbitraryValidSpecInput, expectIssueAt } from "../../spec/test/fixtures/fuzz/specArbitraries.ts";

// Hostile specs for the lowering: whatever decodes, lower returns a program or every issue, never
// throws and never hangs; a program it returns keeps every destination inside the image root, each
// once per layer, nothing below a symlink, and passes the program's structural checks.

const context = { specFile: "image.json", specText: "{}", sourceDateEpoch: 0 };
const CASE_LIMIT_MS = 1000; // a hang detector, not a speed goal

const decoded = (value: unknown): ImageSpec => {
  const result = decodeSpec(value, "image.json");
  if (E.isLeft(result)) throw new Error(`the generator made a spec the decoder refuses: ${formatSpecError(result.left).join("; ")}`);
  if (result.right._tag !== "Image") throw new Error("the generator made a layout spec");
  return result.right.image;
};

// Both spec forms lower; these properties are about the single-image form's entries.
const lowerSpec = (spec: ImageSpec | Spec, ctx: typeof context = context): ReturnType<typeof lower> => lower("_tag" in spec ? spec : { _tag: "Image", image: spec }, ctx);

const lowerTimed = (spec: ImageSpec | Spec): ReturnType<typeof lower> => {
  const started = performance.now();
  const result = lowerSpec(spec);
  expect(performance.now() - started).toBeLessThan(CASE_LIMIT_MS);
  return result;
};

const LONE_SURROGATE = /\p{Cs}/u;

const expectInsideRoot = (destination: string): void => {
  if (destination === "") return;
  for (const segment of destination.split("/")) {
    expect(segment).not.toBe("");
    expect(segment).not.toBe(".");
    expect(segment).not.toBe("..");
    expect(segment).not.toContain("\u0000");
    expect(segment).not.toMatch(LONE_SURROGATE);
    expect(Buffer.byteLength(segment)).toBeLessThanOrEqual(255);
  }
};

const layersOf = (program: Program): readonly (readonly RootfsEntry[])[] => program.steps.flatMap((s) => (s._tag === "AssembleRootfs" ? [s.entries] : []));

const expectSoundProgram = (program: Program): void => {
  expect(checkProgram(program).map(formatProgramIssue)).toEqual([]);
  expect(JSON.parse(JSON.stringify(program))).toEqual(program);
  for (const entries of layersOf(program)) {
    const destinations = entries.map((e) => e.destination);
    expect(new Set(destinations).size).toBe(destinations.length);
    const symlinks = entries.filter((e) => e._tag === "Symlink").map((e) => e.destination);
    for (const entry of entries) {
      expectInsideRoot(entry.destination);
      if (entry.destination === "") expect(["Copy", "Directory"]).toContain(entry._tag);
      for (const link of symlinks) expect(entry.destination.startsWith(`${link}/`), `${entry.destination} lies below the symlink ${link}`).toBe(false);
      if (entry._tag === "Symlink") expect(entry.target).not.toMatch(/\u0000|\p{Cs}/u);
      if (entry._tag === "Copy") expect(entry.source).not.toContain("\u0000");
    }
  }
};

// The fields of the input's file entries, with where they are.
const fileFields = (spec: ImageSpec): readonly { readonly at: string; readonly layer: number; readonly raw: string; readonly entry: Record<string, unknown> }[] =>
  spec.layers.flatMap((layer, i) =>
    (layer.files ?? []).map((entry, j) => {
      const field = "directory" in entry ? "directory" : "whiteout" in entry ? "whiteout" : "destination";
      return { at: `layers[${i}].files[${j}].${field}`, layer: i, raw: "directory" in entry ? entry.directory : "whiteout" in entry ? entry.whiteout : entry.destination, entry: entry as Record<string, unknown> };
    }),
  );

describe("lowering hostile specs", () => {
  it("never throws on destinations with .., ., //, NUL, lone surrogates and 256-byte names; what it accepts stays inside the root", () => {
    fc.assert(
      fc.property(arbitraryHostilePathSpec, (value) => {
        const spec = decoded(value);
        const result = lowerTimed(spec);
        if (E.isRight(result)) {
          expectSoundProgram(result.right);
          return;
        }
        for (const issue of result.left.issues) {
          expect(formatSpecIssue(issue)).not.toMatch(/[\r\n]/);
          expectIssueAt(value, issue.at);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("names every destination with a .. segment, at its own field", () => {
    fc.assert(
      fc.property(arbitraryHostilePathSpec, (value) => {
        const spec = decoded(value);
        const result = lowerSpec(spec, context);
        const climbing = fileFields(spec).filter((f) => f.raw.split("/").includes("..") && !f.raw.includes("\u0000"));
        const issues = E.isLeft(result) ? result.left.issues : [];
        for (const f of climbing)
          expect(issues).toContainEqual({ at: f.at, message: `${JSON.stringify(f.raw)} has a ".." segment; destinations must stay inside the image root` });
        if (climbing.length > 0) expect(E.isLeft(result)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("names both entries when two destinations of one layer are the same place", () => {
    fc.assert(
      fc.property(arbitraryValidSpecInput, (value) => {
        const spec = decoded(value);
        const result = lowerSpec(spec, context);
        const issues = E.isLeft(result) ? result.left.issues : [];
        const first = new Map<string, string>();
        for (const f of fileFields(spec)) {
          const normalised = normaliseDestination(f.raw);
          if (E.isLeft(normalised)) continue;
          const place = `${f.layer}:${normalised.right}`;
          const earlier = first.get(place);
          if (earlier === undefined) first.set(place, f.at.replace(/\.(destination|directory)$/, ""));
          else expect(issues).toContainEqual({ at: f.at, message: `"/${normalised.right}" is already given by ${earlier}; each destination appears once in a layer` });
        }
      }),
      { numRuns: 300 },
    );
  });

  it("refuses NUL bytes and lone surrogates in destinations, symlink targets and sources, naming the field", () => {
    const result = lowerSpec(
      decoded({
        name: "demo",
        layers: [
          {
            name: "app",
            files: [
              { content: "x", destination: "/a\u0000b" },
              { content: "x", destination: "/\ud800" },
              { symlink: "a\u0000b", destination: "/l1" },
              { symlink: "\udc00", destination: "/l2" },
              { source: "a\u0000b", destination: "/s" },
            ],
          },
          { name: "tree", source: "\udfff" },
        ],
      }),
      context,
    );
    expect(E.isLeft(result) ? result.left.issues.map(formatSpecIssue) : []).toEqual([
      "layers[0].files[0].destination: a path cannot contain a NUL byte",
      'layers[0].files[1].destination: "/\\ud800" is not valid Unicode (it has a lone surrogate); names must be UTF-8',
      "layers[0].files[2].symlink: a symlink target cannot contain a NUL byte",
      'layers[0].files[3].symlink: "\\udc00" is not valid Unicode (it has a lone surrogate); names must be UTF-8',
      "layers[0].files[4].source: a path cannot contain a NUL byte",
      'layers[1].source: "\\udfff" is not valid Unicode (it has a lone surrogate); names must be UTF-8',
    ]);
  });

  it("never throws on mutated valid specs that still decode, and lowers them deterministically", () => {
    fc.assert(
      fc.property(arbitraryMutatedSpec, (value) => {
        const result = decodeSpec(value, "image.json");
        if (E.isLeft(result)) return;
        const once = lowerTimed(result.right);
        expect(lowerSpec(result.right, context)).toEqual(once);
        if (E.isRight(once)) expectSoundProgram(once.right);
        else for (const issue of once.left.issues) expectIssueAt(value, issue.at);
      }),
      { numRuns: 400 },
    );
  });
});
