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
  const requiredCodec = t.type(required);
  const optionalCodec = t.partial(optional);
  const inner = t.intersection([requiredCodec, optionalCodec]);
  const known = [...Object.keys(required), ...Object.keys(optional)];
  return new t.Type(
    name,
    (u): u is t.TypeOfProps<R> & t.TypeOfPartialProps<O> => inner.is(u),
    (u, c) => {
      if (typeof u !== "object" || u === null || Array.isArray(u)) return t.failure(u, c, `expected ${name} (an object)`);
      const unknownKeys = Object.keys(u).filter((k) => !known.includes(k));
      // Both halves see this object's own context, so paths carry no intersection indexes.
      const halves = [requiredCodec.validate(u, c), optionalCodec.validate(u, c)];
      const errors = halves.flatMap((h) => (h._tag === "Left" ? h.left : []));
      const extra: t.Errors = unknownKeys.map((k) => {
        const hint = closestName(k, known);
        return {
          value: (u as Record<string, unknown>)[k],
          context: [...c, { key: k, type: t.never, actual: (u as Record<string, unknown>)[k] }],
          message: `unknown field${hint === undefined ? "" : ` (did you mean "${hint}"?)`}; known fields: ${known.join(", ")}`,
        };
      });
      if (errors.length === 0 && extra.length === 0) {
        // Each half returns the whole input object; take from each only the keys it decoded.
        const [req, opt] = halves.map((h) => (h._tag === "Right" ? (h.right as Record<string, unknown>) : {}));
        const picked: Record<string, unknown> = {};
        for (const k of Object.keys(required)) picked[k] = req?.[k];
        for (const k of Object.keys(optional)) if (opt !== undefined && k in opt && opt[k] !== undefined) picked[k] = opt[k];
        return t.success(picked as t.TypeOfProps<R> & t.TypeOfPartialProps<O>);
      }
      return t.failures([...errors, ...extra]);
    },
    (a) => inner.encode(a),
  );
};
