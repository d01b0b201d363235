import * as t from "io-ts";

/**
 * A record whose keys must pass `key`: a key that fails is reported at its own path. (io-ts's
 * `t.record` with a refined key type drops such keys silently, so `env: {"A=B": "1"}` would
 * build an image without that variable.)
 */
export const strictRecord = <K extends t.Mixed, V extends t.Mixed>(
  key: K,
  value: V,
): t.Type<Readonly<Record<t.TypeOf<K>, t.TypeOf<V>>>, Readonly<Record<t.OutputOf<K>, t.OutputOf<V>>>, unknown> => {
  const inner = t.record(key, value);
  return new t.Type(
    inner.name,
    (u): u is Readonly<Record<t.TypeOf<K>, t.TypeOf<V>>> => inner.is(u) && Object.keys(u as object).every((k) => key.is(k)),
    (u, c) => {
      const decoded = inner.validate(u, c);
      if (typeof u !== "object" || u === null || Array.isArray(u)) return decoded;
      const badKeys: t.Errors = Object.keys(u)
        .filter((k) => !key.is(k))
        .map((k) => ({ value: k, context: [...c, { key: k, type: key, actual: k }] }));
      if (badKeys.length === 0) return decoded;
      return t.failures([...badKeys, ...(decoded._tag === "Left" ? decoded.left : [])]);
    },
    (a) => inner.encode(a),
  );
};
