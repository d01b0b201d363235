import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import type * as t from "io-ts";
import { decodeProblems } from "./formatDecodeErrors.ts";
import type { DecodeProblem } from "./formatDecodeErrors.ts";

/** A document did not have the shape its codec describes; every problem is kept, not just the first. */
export interface DecodeFailure {
  readonly _tag: "DecodeFailure";
  readonly problems: readonly DecodeProblem[];
}

/**
 * Decodes with a codec and turns io-ts's error tree into located problems at once, so callers in
 * other packages never need io-ts themselves.
 */
export const decodeWith =
  <A>(codec: t.Decoder<unknown, A>) =>
  (u: unknown): E.Either<DecodeFailure, A> =>
    pipe(
      codec.decode(u),
      E.mapLeft((errors): DecodeFailure => ({ _tag: "DecodeFailure", problems: decodeProblems(errors) })),
    );
