import * as t from "io-ts";
import { closestName } from "./closestName.ts";

// A union whose member is chosen by which key an object carries (`source`, `symlink`, ...),
// so a mistake inside one member is reported against that member alone, not against all of them.
export const keyedUnion = <M extends Record<string, t.Mixed>>(
  name: string,
  members: M,
): t.Type<t.TypeOf<M[keyof M]>, t.OutputOf<M[keyof M]>, unknown> => {
  const keys = Object.keys(members);
  return new t.Type(
    name,
    (u): u is t.TypeOf<M[keyof M]> => keys.some((k) => members[k]?.is(u) === true),
    (u, c) => {
      if (typeof u !== "object" || u === null || Array.isArray(u)) return t.failure(u, c, `expected ${name} (an object)`);
      const present = keys.filter((k) => k in u);
      const only = present.length === 1 ? present[0] : undefined;
      const member = only === undefined ? undefined : members[only];
      if (member === undefined) {
        const found = present.length === 0 ? "none of them" : present.join(" and ");
        // A near miss (`sorce`) says which key it likely meant.
        const guess = present.length === 0 ? Object.keys(u).flatMap((k) => { const near = closestName(k, keys); return near === undefined ? [] : [`${k}: did you mean "${near}"?`]; })[0] : undefined;
        return t.failure(u, c, `expected ${name} with exactly one of ${keys.join(", ")}, found ${found}${guess === undefined ? "" : ` (${guess})`}`);
      }
      return member.validate(u, c);
    },
    (a) => {
      const member = keys.map((k) => members[k]).find((m) => m?.is(a) === true);
      return member === undefined ? a : member.encode(a);
    },
  );
};
