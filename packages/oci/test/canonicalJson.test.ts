import { describe, expect, it } from "vitest";
import { CanonicalJsonBug, canonicalJson, canonicalJsonBytes } from "../src/canonicalJson.ts";
import type { Json } from "../src/json.ts";
import { manifestExample } from "./fixtures/specExamples.ts";

const utf8 = (s: string): number[] => [...new TextEncoder().encode(s)];

describe("canonical JSON", () => {
  it("sorts object keys and leaves out every insignificant space", () => {
    expect(canonicalJson({ size: 2, mediaType: "a/b", digest: "sha256:x" })).toBe(
      '{"digest":"sha256:x","mediaType":"a/b","size":2}',
    );
  });

  it("sorts keys at every depth, and never reorders arrays", () => {
    expect(canonicalJson({ b: [{ z: 1, a: 2 }, 3, 1], a: { y: null, x: true } })).toBe(
      '{"a":{"x":true,"y":null},"b":[{"a":2,"z":1},3,1]}',
    );
  });

  it("orders keys by UTF-16 code units: upper case before lower case, byte-wise for ASCII", () => {
    expect(canonicalJson({ b: 1, B: 2, a: 3, "": 4, "1": 5, _: 6 })).toBe('{"":4,"1":5,"B":2,"_":6,"a":3,"b":1}');
  });

  it("orders an astral key before U+FFFD, as UTF-16 does (code point order would not)", () => {
    // U+1F600 is the surrogate pair D83D DE00, which sorts before U+FFFD in UTF-16.
    expect(canonicalJson({ "\uFFFD": 1, "\u{1F600}": 2 })).toBe('{"\u{1F600}":2,"\uFFFD":1}');
  });

  it("escapes strings exactly as JSON.stringify does", () => {
    const s = 'quote " backslash \\ newline \n tab \t nul \u0000 unit-separator \u001f del \u007f';
    expect(canonicalJson(s)).toBe(JSON.stringify(s));
    expect(canonicalJson(s)).toBe(
      '"quote \\" backslash \\\\ newline \\n tab \\t nul \\u0000 unit-separator \\u001f del \u007f"',
    );
  });

  it("keeps non-ASCII literally and encodes the output as UTF-8", () => {
    expect(canonicalJson({ "é": "ü€" })).toBe('{"é":"ü€"}');
    expect([...canonicalJsonBytes({ "é": "€" })]).toEqual(utf8('{"é":"€"}'));
    expect([...canonicalJsonBytes("€")]).toEqual([0x22, 0xe2, 0x82, 0xac, 0x22]);
  });

  it("escapes a lone surrogate, so the UTF-8 output is always well formed", () => {
    expect(canonicalJson("\uD800")).toBe('"\\ud800"');
  });

  it("gives the same bytes for the same value, whatever order it was built in", () => {
    const a = { schemaVersion: 2, layers: [], config: { size: 1, digest: "d", mediaType: "m" } };
    const b = { config: { mediaType: "m", digest: "d", size: 1 }, layers: [], schemaVersion: 2 };
    expect(canonicalJsonBytes(a)).toEqual(canonicalJsonBytes(b));
  });

  it("is a fixed point: parsing canonical JSON and writing it again gives the same text", () => {
    const once = canonicalJson(manifestExample);
    expect(canonicalJson(JSON.parse(once) as Json)).toBe(once);
    expect(JSON.parse(once)).toEqual(manifestExample);
  });

  it("writes integers plainly, and -0 as 0", () => {
    expect(canonicalJson([0, -0, 7, -3, 9007199254740991])).toBe("[0,0,7,-3,9007199254740991]");
  });

  it.each([
    ["a fraction", { size: 1.5 }, "canonical JSON at $.size: 1.5 is not a safe integer"],
    ["NaN", [1, Number.NaN], "canonical JSON at $[1]: NaN is not a safe integer"],
    ["Infinity", { a: { b: Infinity } }, "canonical JSON at $.a.b: Infinity is not a safe integer"],
    ["an unsafe integer", { "os.version": 2 ** 60 }, 'canonical JSON at $["os.version"]: 1152921504606847000 is not a safe integer'],
  ])("rejects %s as a bug, naming where it is", (_, value, message) => {
    expect(() => canonicalJson(value as Json)).toThrow(CanonicalJsonBug);
    expect(() => canonicalJson(value as Json)).toThrow(message);
  });

  it("rejects values JSON cannot represent that slipped past the type", () => {
    expect(() => canonicalJson({ a: undefined } as unknown as Json)).toThrow(
      "canonical JSON at $.a: undefined is not a JSON value",
    );
    expect(() => canonicalJson({ when: new Date(0) } as unknown as Json)).toThrow(
      "canonical JSON at $.when: [object Date] is not a plain object",
    );
  });
});
