import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { describe, expect, it } from "vitest";
import { describeValue, formatDecodeErrors } from "../src/formatDecodeErrors.ts";

// The reporter is general: these codecs are ad hoc, not OCI ones.
const report = <A>(codec: t.Decoder<unknown, A>, u: unknown): readonly string[] =>
  E.match(formatDecodeErrors, () => [])(codec.decode(u));

describe("formatDecodeErrors", () => {
  const Step = t.intersection([t.type({ name: t.string }), t.partial({ needs: t.array(t.string) })], "Step");
  const Spec = t.type({ steps: t.array(Step), env: t.record(t.string, t.string) }, "Spec");

  it("writes one `path: expected X, found Y` line per problem, in document order", () => {
    expect(report(Spec, { steps: [{ name: "a" }, { name: 1, needs: ["a", 2] }], env: { "HOME": 3 } })).toEqual([
      "steps[1].name: expected string, found 1",
      "steps[1].needs[1]: expected string, found 2",
      "env.HOME: expected string, found 3",
    ]);
  });

  it("says `found nothing` for a missing field, and names intersections by their own name", () => {
    expect(report(Spec, { steps: [null] })).toEqual([
      "steps[0]: expected Step, found null",
      "env: expected { [K in string]: string }, found nothing",
    ]);
  });

  it("reports a union once, at the union", () => {
    const Tagged = t.type({ when: t.union([t.literal("always"), t.number], "\"always\" | number") });
    expect(report(Tagged, { when: "sometimes" })).toEqual(['when: expected "always" | number, found "sometimes"']);
  });

  it("prefers a codec's own message to its name", () => {
    const Even = new t.Type<number>(
      "Even",
      (u): u is number => typeof u === "number" && u % 2 === 0,
      (u, c) => (typeof u === "number" && u % 2 === 0 ? t.success(u) : t.failure(u, c, "an even number")),
      t.identity,
    );
    expect(report(t.type({ n: Even }), { n: 3 })).toEqual(["n: expected an even number, found 3"]);
  });

  it("calls the whole document (root), and brackets keys that are not identifiers", () => {
    expect(report(t.string, 1)).toEqual(["(root): expected string, found 1"]);
    expect(report(t.type({ "a.b": t.string, "c d": t.string }), { "a.b": 1, "c d": 2 })).toEqual([
      '["a.b"]: expected string, found 1',
      '["c d"]: expected string, found 2',
    ]);
  });

  it("describes found values briefly", () => {
    expect(describeValue(undefined)).toBe("nothing");
    expect(describeValue("x".repeat(100))).toBe(JSON.stringify(`${"x".repeat(80)}…`));
    expect(describeValue([1, 2])).toBe("an array of 2");
    expect(describeValue({})).toBe("an object");
    expect(describeValue(false)).toBe("false");
  });
});
