import type * as t from "io-ts";

/**
 * One decoding failure, located by a data path such as `manifests[0].platform.os`
 * (empty for the document itself) and phrased as what was expected and what was found.
 */
export interface DecodeProblem {
  readonly path: string;
  readonly expected: string;
  readonly found: string;
}

/** Renders `path.to.field: expected X, found Y`; the document itself is `(root)`. */
export const formatDecodeProblem = (p: DecodeProblem): string =>
  `${p.path === "" ? "(root)" : p.path}: expected ${p.expected}, found ${p.found}`;

/**
 * Turns io-ts errors into one line per problem, for any codec.
 *
 * Why the rules below: io-ts records *how* it decoded (intersection members, union alternatives by
 * index) next to *where* in the data it was, and a reader only wants the latter. So intersection
 * member indexes are dropped, and a failed union is reported once at the union, by its name, rather
 * than once per alternative. A codec that fails with a `message` states its own expectation.
 */
export const formatDecodeErrors = (errors: t.Errors): readonly string[] =>
  decodeProblems(errors).map(formatDecodeProblem);

export const decodeProblems = (errors: t.Errors): readonly DecodeProblem[] => {
  const seen = new Set<string>();
  const problems: DecodeProblem[] = [];
  for (const error of errors) {
    const p = problemOf(error);
    const key = formatDecodeProblem(p);
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(p);
    }
  }
  return problems;
};

// io-ts combinators expose their kind as `_tag` (a hand-written `new t.Type` has none). Wrappers that
// add no context entry of their own (readonly, exact, refinement) are seen through to what they wrap.
const wrappers: ReadonlySet<string> = new Set(["ReadonlyType", "ExactType", "StrictType", "RefinementType"]);

const tagOf = (decoder: t.Decoder<unknown, unknown> | undefined): string | undefined => {
  const d = decoder as { readonly _tag?: unknown; readonly type?: t.Decoder<unknown, unknown> } | undefined;
  const tag = d?._tag;
  if (typeof tag !== "string") return undefined;
  return wrappers.has(tag) ? tagOf(d?.type) : tag;
};

const problemOf = (error: t.ValidationError): DecodeProblem => {
  // Report a failed union as a whole: its alternatives' errors say nothing more useful.
  const unionAt = error.context.findIndex((e) => tagOf(e.type) === "UnionType");
  const entries = unionAt === -1 ? error.context : error.context.slice(0, unionAt + 1);
  let path = "";
  for (let i = 1; i < entries.length; i++) {
    const parent = entries[i - 1];
    const entry = entries[i];
    if (parent === undefined || entry === undefined || tagOf(parent.type) === "IntersectionType") continue;
    path += Array.isArray(parent.actual) ? `[${entry.key}]` : keySegment(entry.key);
  }
  // Name what failed; an intersection member is named by its intersection.
  let j = entries.length - 1;
  while (j > 0 && tagOf(entries[j - 1]?.type) === "IntersectionType") j--;
  const named = entries[j]?.type.name ?? "a value";
  const last = entries[entries.length - 1];
  return unionAt === -1
    ? { path: path.replace(/^\./, ""), expected: error.message ?? named, found: describeValue(error.value) }
    : { path: path.replace(/^\./, ""), expected: named, found: describeValue(last?.actual) };
};

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const keySegment = (key: string): string => (identifier.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);

const maxShown = 80;

/** A short rendering of a found value: scalars verbatim, containers by kind. */
export const describeValue = (u: unknown): string => {
  if (u === undefined) return "nothing";
  if (u === null || typeof u === "number" || typeof u === "boolean") return String(u);
  if (typeof u === "string") {
    return JSON.stringify(u.length > maxShown ? `${u.slice(0, maxShown)}…` : u);
  }
  if (Array.isArray(u)) return u.length === 0 ? "an empty array" : `an array of ${u.length}`;
  if (typeof u === "object") return "an object";
  return `a ${typeof u}`;
};
