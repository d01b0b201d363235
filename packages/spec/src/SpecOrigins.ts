// Where the fields of a desugared spec came from. A standard image (StandardImage.ts) is
// rewritten into an ordinary layout before lowering; every path the lowering and the build
// report (`layers.web-runtime.files[2].source`) is mapped back through these pairs to the field
// the user wrote (`operable.runtimeInputs[1].source`), so a message never names a field that
// exists only in the rewritten spec.

/** Pairs of [path in the desugared spec, path in the spec as written] ("" is the spec's root). */
export type SpecOrigins = readonly (readonly [string, string])[];

// `from` names `at` itself or one of its fields or items.
const covers = (from: string, at: string): boolean =>
  at === from || (at.startsWith(from) && (at[from.length] === "." || at[from.length] === "["));

/**
 * `at` with its longest prefix that `origins` maps replaced by where that prefix came from
 * (`layers.web-setup.files[0].mode` → `setup[0].mode`); a path no pair covers is returned as it is.
 */
export const relocate = (at: string, origins: SpecOrigins | undefined): string => {
  if (origins === undefined) return at;
  let best: readonly [string, string] | undefined;
  for (const pair of origins) if (covers(pair[0], at) && (best === undefined || pair[0].length > best[0].length)) best = pair;
  if (best === undefined) return at;
  const rest = at.slice(best[0].length);
  if (best[1] === "") return rest.startsWith(".") ? rest.slice(1) : rest;
  return best[1] + rest;
};
