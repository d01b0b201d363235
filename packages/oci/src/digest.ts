import * as E from "fp-ts/lib/Either.js";
import { absurd } from "fp-ts/lib/function.js";

/**
 * A content digest `<algorithm>:<lowercase hex>` whose algorithm we can verify.
 *
 * The descriptor grammar allows any `algorithm:encoded`, and the spec says unknown algorithms SHOULD
 * pass validation; we deliberately do not, because a digest we cannot recompute is a digest we cannot
 * vouch for. `sha256` is what the builder writes; `sha512` (the other registered algorithm) is
 * accepted so layouts from other tools can be read and verified.
 */
declare const DigestBrand: unique symbol;
export type Digest = string & { readonly [DigestBrand]: true };

export type DigestAlgorithm = "sha256" | "sha512";

/** Hex digits per registered algorithm; the spec forbids upper case `[A-F]`. */
export const digestHexLength: { readonly [A in DigestAlgorithm]: number } = { sha256: 64, sha512: 128 };

/** The input does not have the `algorithm:encoded` shape of the descriptor grammar at all. */
export interface NotADigest {
  readonly _tag: "NotADigest";
  readonly input: string;
}

/** Grammatical, but an algorithm we cannot verify (for example `md5:…` or `multihash+base58:…`). */
export interface UnsupportedAlgorithm {
  readonly _tag: "UnsupportedAlgorithm";
  readonly input: string;
  readonly algorithm: string;
}

/** A registered algorithm whose encoded part is not the right number of lowercase hex digits. */
export interface MalformedEncoded {
  readonly _tag: "MalformedEncoded";
  readonly input: string;
  readonly algorithm: DigestAlgorithm;
}

export type DigestError = NotADigest | UnsupportedAlgorithm | MalformedEncoded;

// From descriptor.md: algorithm ::= [a-z0-9]+ ([+._-] [a-z0-9]+)*, encoded ::= [a-zA-Z0-9=_-]+
const grammar = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/;
const lowerHex = /^[0-9a-f]+$/;

const isAlgorithm = (s: string): s is DigestAlgorithm => s === "sha256" || s === "sha512";

export const parseDigest = (input: string): E.Either<DigestError, Digest> => {
  const m = grammar.exec(input);
  const algorithm = m?.[1];
  const encoded = m?.[2];
  if (algorithm === undefined || encoded === undefined) return E.left({ _tag: "NotADigest", input });
  if (!isAlgorithm(algorithm)) return E.left({ _tag: "UnsupportedAlgorithm", input, algorithm });
  if (encoded.length !== digestHexLength[algorithm] || !lowerHex.test(encoded)) {
    return E.left({ _tag: "MalformedEncoded", input, algorithm });
  }
  return E.right(input as Digest);
};

export const isDigest = (u: unknown): u is Digest => typeof u === "string" && E.isRight(parseDigest(u));

/** Builds a digest from a hash function's hex output, e.g. `createHash("sha256").digest("hex")`. */
export const digestFromHex = (algorithm: DigestAlgorithm, hex: string): E.Either<DigestError, Digest> =>
  parseDigest(`${algorithm}:${hex}`);

// A Digest was validated on the way in, so the separator is always there.
const split = (d: Digest): readonly [DigestAlgorithm, string] => {
  const i = d.indexOf(":");
  return [d.slice(0, i) as DigestAlgorithm, d.slice(i + 1)];
};

export const digestAlgorithm = (d: Digest): DigestAlgorithm => split(d)[0];

export const digestHex = (d: Digest): string => split(d)[1];

/** Where a blob lives inside an image layout, relative to its root: `blobs/sha256/<hex>`. */
export const blobPath = (d: Digest): string => {
  const [algorithm, hex] = split(d);
  return `blobs/${algorithm}/${hex}`;
};

/** What a digest string should have looked like; reused by the io-ts codec as its expectation. */
export const digestExpectation = (e: DigestError): string => {
  switch (e._tag) {
    case "NotADigest":
      return "a digest <algorithm>:<hex>, e.g. sha256:<64 lowercase hex digits>";
    case "UnsupportedAlgorithm":
      return `a sha256 or sha512 digest (algorithm ${e.algorithm} is not supported)`;
    case "MalformedEncoded":
      return `a ${e.algorithm} digest with ${digestHexLength[e.algorithm]} lowercase hex digits`;
    default:
      return absurd(e);
  }
};

export const formatDigestError = (e: DigestError): string =>
  `expected ${digestExpectation(e)}, found ${JSON.stringify(e.input)}`;
