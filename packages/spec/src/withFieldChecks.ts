import * as t from "io-ts";

/** One problem with one top-level field, found by looking at several fields together. */
export interface FieldProblem {
  readonly key: string;
  readonly value: unknown;
  readonly message: string;
}

/**
 * An object codec plus checks that look at several of its fields at once. The checks read the
 * raw object, so their problems are reported together with every per-field error (one run of
 * `validate` lists everything); each problem is placed at its own field's path.
 */
export const withFieldChecks = <A, O>(
  codec: t.Type<A, O, unknown>,
  check: (object: Readonly<Record<string, unknown>>) => readonly FieldProblem[],
): t.Type<A, O, unknown> =>
  new t.Type<A, O, unknown>(
    codec.name,
    (u): u is A => codec.is(u) && check(u as Record<string, unknown>).length === 0,
    (u, c) => {
      const decoded = codec.validate(u, c);
      if (typeof u !== "object" || u === null || Array.isArray(u)) return decoded;
      const problems: t.Errors = check(u as Record<string, unknown>).map((p) => ({
        value: p.value,
        context: [...c, { key: p.key, type: t.unknown, actual: p.value }],
        message: p.message,
      }));
      if (problems.length === 0) return decoded;
      return t.failures([...(decoded._tag === "Left" ? decoded.left : []), ...problems]);
    },
    (a) => codec.encode(a),
  );
