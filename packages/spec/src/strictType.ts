import * as t from "io-ts";
import { closestName } from "./closestName.ts";

// An object codec with required and optional keys that *reports* unknown keys
// (io-ts's `exact` strips them silently, which hides typos like `entrypiont`).
export const strictType = <R extends t.Props, O extends t.Props>(
  name: string,
  required: R,
  optional: O,
): t.Type<
  t.TypeOfProps<R> & t.TypeOfPartialProps<O>,
  t.OutputOfProps<R> & t.OutputOfPartialProps<O>,
  unknown
> => {
  const inner = t.intersection([t.type(required), t.partial(optional)]);
  const known = [...Object.keys(required), ...Object.keys(optional)];
  return new t.Type(
    name,
    (u): u is t.TypeOfProps<R> & t.TypeOfPartialProps<O> => inner.is(u),
    (u, c) => {
      if (typeof u !== "object" || u === null || Array.isArray(u)) return t.failure(u, c, `expected ${name} (an object)`);
      const unknownKeys = Object.keys(u).filter((k) => !known.includes(k));
      const decoded = inner.validate(u, c);
      const extra: t.Errors = unknownKeys.map((k) => {
        const hint = closestName(k, known);
        return {
          value: (u as Record<string, unknown>)[k],
          context: [...c, { key: k, type: t.never, actual: (u as Record<string, unknown>)[k] }],
          message: `unknown field${hint === undefined ? "" : ` (did you mean "${hint}"?)`}; known fields: ${known.join(", ")}`,
        };
      });
      if (extra.length === 0) return decoded;
      return t.failures(decoded._tag === "Left" ? [...decoded.left, ...extra] : extra);
    },
    (a) => inner.encode(a),
  );
};
