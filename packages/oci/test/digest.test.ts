import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import {
  blobPath,
  digestAlgorithm,
  digestFromHex,
  digestHex,
  formatDigestError,
  isDigest,
  parseDigest,
} from "../src/digest.ts";
import type { Digest } from "../src/digest.ts";

const hex64 = "6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b";
const hex128 = "a".repeat(128);

const parsed = (s: string): Digest => {
  const r = parseDigest(s);
  if (E.isLeft(r)) throw new Error(formatDigestError(r.left));
  return r.right;
};

const failure = (s: string): string =>
  E.match(formatDigestError, (d: Digest) => `unexpectedly parsed ${d}`)(parseDigest(s));

describe("digest", () => {
  it("parses sha256 with 64 lowercase hex digits, and splits it", () => {
    const d = parsed(`sha256:${hex64}`);
    expect(d).toBe(`sha256:${hex64}`);
    expect(digestAlgorithm(d)).toBe("sha256");
    expect(digestHex(d)).toBe(hex64);
    expect(blobPath(d)).toBe(`blobs/sha256/${hex64}`);
  });

  it("parses sha512 too (read and verified, never written by the builder)", () => {
    const d = parsed(`sha512:${hex128}`);
    expect(digestAlgorithm(d)).toBe("sha512");
    expect(blobPath(d)).toBe(`blobs/sha512/${hex128}`);
  });

  it("builds a digest from a hash function's hex output", () => {
    expect(digestFromHex("sha256", hex64)).toEqual(E.right(`sha256:${hex64}`));
  });

  it.each([
    ["no algorithm", hex64, `expected a digest <algorithm>:<hex>, e.g. sha256:<64 lowercase hex digits>, found "${hex64}"`],
    ["an empty string", "", 'expected a digest <algorithm>:<hex>, e.g. sha256:<64 lowercase hex digits>, found ""'],
    ["upper-case algorithm", `SHA256:${hex64}`, `expected a digest <algorithm>:<hex>, e.g. sha256:<64 lowercase hex digits>, found "SHA256:${hex64}"`],
    ["a space", `sha256: ${hex64}`, `expected a digest <algorithm>:<hex>, e.g. sha256:<64 lowercase hex digits>, found "sha256: ${hex64}"`],
    ["upper-case hex", `sha256:${hex64.toUpperCase()}`, `expected a sha256 digest with 64 lowercase hex digits, found "sha256:${hex64.toUpperCase()}"`],
    ["too few digits", "sha256:abc", 'expected a sha256 digest with 64 lowercase hex digits, found "sha256:abc"'],
    ["a sha512 with 64 digits", `sha512:${hex64}`, `expected a sha512 digest with 128 lowercase hex digits, found "sha512:${hex64}"`],
    ["an unregistered algorithm", "md5:d41d8cd98f00b204e9800998ecf8427e", 'expected a sha256 or sha512 digest (algorithm md5 is not supported), found "md5:d41d8cd98f00b204e9800998ecf8427e"'],
    ["a grammatical extension", "multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8", 'expected a sha256 or sha512 digest (algorithm multihash+base58 is not supported), found "multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8"'],
  ])("rejects %s with a message saying what was expected", (_, input, message) => {
    expect(failure(input)).toBe(message);
  });

  it("tells the three kinds of failure apart as data", () => {
    expect(parseDigest("nope")).toEqual(E.left({ _tag: "NotADigest", input: "nope" }));
    expect(parseDigest("md5:00")).toEqual(E.left({ _tag: "UnsupportedAlgorithm", input: "md5:00", algorithm: "md5" }));
    expect(parseDigest("sha256:00")).toEqual(
      E.left({ _tag: "MalformedEncoded", input: "sha256:00", algorithm: "sha256" }),
    );
  });

  it("guards unknown values", () => {
    expect(isDigest(`sha256:${hex64}`)).toBe(true);
    expect(isDigest(42)).toBe(false);
    expect(isDigest("sha256:00")).toBe(false);
  });
});
