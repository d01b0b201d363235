import fc from "fast-check";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import type { SpecError, SpecIssue } from "../src/index.ts";
import { decodeSpec, formatSpecError, formatSpecIssue } from "../src/index.ts";
import { arbitraryMutatedSpec, arbitraryValidSpecInput, expectIssueAt, levenshtein } from "./fixtures/fuzz/specArbitraries.ts";

// Hostile input for the decoder: whatever JSON (or JavaScript value) arrives, decodeSpec returns
// a value, never throws and never hangs, and each rejection is one line per issue at a path that
// exists in the input (or at the root).

const NUM_RUNS = 400;
// A hang detector, not a speed goal: a case takes well under a millisecond.
const CASE_LIMIT_MS = 1000;

const decodeTimed = (value: unknown): E.Either<SpecError, unknown> => {
  const started = performance.now();
  const result = decodeSpec(value, "image.json");
  expect(performance.now() - started).toBeLessThan(CASE_LIMIT_MS);
  return result;
};

const expectStructured = (value: unknown, error: SpecError): readonly SpecIssue[] => {
  expect(error._tag).toBe("SpecInvalid");
  if (error._tag !== "SpecInvalid") return [];
  expect(error.issues.length).toBeGreaterThan(0);
  for (const issue of error.issues) {
    expect(issue.message.length).toBeGreaterThan(0);
    // One line per issue, whatever the keys and values hold.
    expect(formatSpecIssue(issue)).not.toMatch(/[\r\n]/);
    expectIssueAt(value, issue.at);
  }
  expect(formatSpecError(error)).toHaveLength(error.issues.length);
  return error.issues;
};

const knownFields = (value: unknown): readonly string[] => {
  const result = decodeSpec(value, "image.json");
  if (E.isRight(result) || result.left._tag !== "SpecInvalid") throw new Error("expected an unknown field to be reported");
  const listed = /known fields: (.*)$/.exec(result.left.issues[0]?.message ?? "")?.[1];
  if (listed === undefined) throw new Error(`no "known fields" in ${JSON.stringify(result.left.issues)}`);
  return listed.split(", ");
};

describe("decoding hostile spec values", () => {
  it("never throws on arbitrary JSON values, and every rejection is structured with real paths", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const result = decodeTimed(value);
        if (E.isLeft(result)) expectStructured(value, result.left);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("never throws on arbitrary JavaScript values (a .ts spec can export anything)", () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 4, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }), (value) => {
        const result = decodeTimed(value);
        if (E.isLeft(result)) expectStructured(value, result.left);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("accepts every spec the valid-spec generator makes (so the mutations below start from valid specs)", () => {
    fc.assert(
      fc.property(arbitraryValidSpecInput, (value) => {
        const result = decodeTimed(value);
        expect(E.isRight(result) ? [] : formatSpecError(result.left)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("never throws on mutated valid specs, and reports each mutation at a path that exists", () => {
    fc.assert(
      fc.property(arbitraryMutatedSpec, (value) => {
        const result = decodeTimed(value);
        if (E.isLeft(result)) expectStructured(value, result.left);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("keeps one issue on one line and unambiguous when keys hold newlines, dots, brackets or digits", () => {
    const value = { name: "demo", layers: [], labels: { "a\nb": 1, "org.example.x": 2, "0": 3, '"]': 4 } };
    const result = decodeSpec(value, "image.json");
    expect(E.isLeft(result) ? formatSpecError(result.left) : []).toEqual([
      'labels["0"]: expected string, found 3',
      'labels["a\\nb"]: expected string, found 1',
      'labels["org.example.x"]: expected string, found 2',
      'labels["\\"]"]: expected string, found 4',
    ]);
  });
});

describe("unknown fields", () => {
  const minimal = { name: "demo", layers: [{ name: "app", files: [{ content: "x", destination: "/x" }] }] };

  // A typo one edit away from a field name (or a case change) is reported at that field, with a
  // hint naming a known field nearest to it, and the very field it came from when that one is
  // the only nearest.
  const typoOf = (word: string): fc.Arbitrary<string> =>
    fc
      .tuple(fc.constantFrom("drop", "double", "swap", "replace", "upper"), fc.nat(), fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz"))
      .map(([edit, n, letter]) => {
        const i = n % word.length;
        switch (edit) {
          case "drop":
            return word.slice(0, i) + word.slice(i + 1);
          case "double":
            return word.slice(0, i) + (word[i] ?? "") + word.slice(i);
          case "swap":
            return i + 1 < word.length ? word.slice(0, i) + (word[i + 1] ?? "") + (word[i] ?? "") + word.slice(i + 2) : word.slice(0, i) + letter;
          case "replace":
            return word.slice(0, i) + letter + word.slice(i + 1);
          default:
            return word.toUpperCase();
        }
      });

  const checkHint = (known: readonly string[], typo: string, message: string, original: string): void => {
    const hint = /did you mean "([^"]+)"\?/.exec(message)?.[1];
    const distance = (k: string): number => (k.toLowerCase() === typo.toLowerCase() ? 0 : levenshtein(typo, k));
    const nearest = Math.min(...known.map(distance));
    expect(hint, `${typo} (from ${original}): ${message}`).toBeDefined();
    expect(known).toContain(hint);
    expect(distance(hint ?? "")).toBe(nearest);
    if (known.filter((k) => distance(k) === nearest).length === 1) expect(hint).toBe(original);
  };

  it("are reported at the top level with a hint for the field a typo meant", () => {
    const known = knownFields({ ...minimal, zzzzzzzz: 1 });
    expect(known).toEqual(expect.arrayContaining(["name", "layers", "entrypoint", "workingDir", "exposedPorts"]));
    fc.assert(
      fc.property(
        fc.constantFrom(...known).chain((field) => typoOf(field).map((typo) => ({ field, typo }))),
        ({ field, typo }) => {
          fc.pre(!known.includes(typo) && typo.length > 0);
          const result = decodeSpec({ ...minimal, [typo]: [] }, "image.json");
          const issue = E.isLeft(result) && result.left._tag === "SpecInvalid" ? result.left.issues.find((i) => i.message.startsWith("unknown field")) : undefined;
          expect(issue?.at).toBe(typo);
          checkHint(known, typo, issue?.message ?? "", field);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("are reported inside file entries with a hint, at the entry's own path", () => {
    const known = knownFields({ name: "demo", layers: [{ name: "app", files: [{ content: "x", destination: "/x", zzzzzzzz: 1 }] }] });
    expect(known).toEqual(["content", "destination", "mode", "uid", "gid"]);
    fc.assert(
      fc.property(
        fc.constantFrom("destination", "mode").chain((field) => typoOf(field).map((typo) => ({ field, typo }))),
        ({ field, typo }) => {
          fc.pre(!known.includes(typo) && typo.length > 0);
          const result = decodeSpec({ name: "demo", layers: [{ name: "app", files: [{ content: "x", destination: "/x", [typo]: "0644" }] }] }, "image.json");
          const issue = E.isLeft(result) && result.left._tag === "SpecInvalid" ? result.left.issues.find((i) => i.message.startsWith("unknown field")) : undefined;
          expect(issue?.at).toBe(`layers[0].files[0].${typo}`);
          checkHint(known, typo, issue?.message ?? "", field);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("get no hint when nothing known is near", () => {
    const result = decodeSpec({ ...minimal, qqqqqqqqqqqq: 1 }, "image.json");
    expect(E.isLeft(result) ? formatSpecError(result.left) : []).toEqual([expect.stringMatching(/^qqqqqqqqqqqq: unknown field; known fields: name, layers, /)]);
  });
});
