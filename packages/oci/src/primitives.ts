import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import type { Annotations } from "./annotations.ts";
import { isRfc3339DateTime } from "./dateTime.ts";
import { digestExpectation, parseDigest } from "./digest.ts";
import type { Digest } from "./digest.ts";
import { isJsonObject } from "./json.ts";
import type { JsonObject } from "./json.ts";
import { isMediaTypeSyntax } from "./mediaTypes.ts";

/**
 * The small codecs the OCI documents are built from. Each fails with a message saying what it
 * expected in words, which `formatDecodeErrors` prints as `expected <message>`.
 */
const refinement = <A>(name: string, expectation: string, is: (u: unknown) => u is A): t.Type<A, A, unknown> =>
  new t.Type<A, A, unknown>(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c, expectation)), t.identity);

export const DigestCodec: t.Type<Digest, Digest, unknown> = new t.Type<Digest, Digest, unknown>(
  "Digest",
  (u): u is Digest => typeof u === "string" && E.isRight(parseDigest(u)),
  (u, c) => {
    if (typeof u !== "string") return t.failure(u, c, digestExpectation({ _tag: "NotADigest", input: "" }));
    const parsed = parseDigest(u);
    return E.isRight(parsed) ? t.success(parsed.right) : t.failure(u, c, digestExpectation(parsed.left));
  },
  (d) => d,
);

/** Byte counts: the schema says int64, we say safe integer, as JSON numbers are doubles. */
export const SizeCodec: t.Type<number, number, unknown> = refinement(
  "Size",
  "a non-negative integer",
  (u): u is number => typeof u === "number" && Number.isSafeInteger(u) && u >= 0,
);

export const MediaTypeCodec: t.Type<string, string, unknown> = refinement(
  "MediaType",
  "a media type such as application/vnd.oci.image.manifest.v1+json",
  (u): u is string => typeof u === "string" && isMediaTypeSyntax(u),
);

export const AnnotationsCodec: t.Type<Annotations, Annotations, unknown> = t.readonly(
  t.record(t.string, t.string, "Annotations"),
  "Annotations",
);

export const StringsCodec: t.Type<readonly string[], readonly string[], unknown> = t.readonlyArray(
  t.string,
  "Array<string>",
);

/** A JSON object whose content we carry but do not interpret (e.g. `ExposedPorts` values, `{}`). */
export const JsonObjectCodec: t.Type<JsonObject, JsonObject, unknown> = refinement(
  "JsonObject",
  "a JSON object",
  isJsonObject,
);

export const DateTimeCodec: t.Type<string, string, unknown> = refinement(
  "DateTime",
  "an RFC 3339 date-time such as 2015-10-31T22:22:56.015925234Z",
  (u): u is string => typeof u === "string" && isRfc3339DateTime(u),
);
