import * as E from "fp-ts/lib/Either.js";
import type { ExcludeRule } from "@ocistage/program";
import { ANY_NAMES } from "@ocistage/program";

// A spec `exclude` pattern (gitignore's syntax, for paths inside a copied folder) → the rule the
// interpreters match (ExcludeRule.ts), or why it is refused. The pattern is read as UTF-8 bytes,
// as git reads a .gitignore and as an `LC_ALL=C` shell compares names. Refused, with the reason:
// what git reads differently from a JSON string (a leading `#` is a comment, trailing spaces are
// dropped), what no name can match (`/` or a NUL inside a name, `.`/`..`, an empty name), and
// what the shell script cannot say exactly (a backslash in a name, `[[:alpha:]]` classes,
// reversed or unclear ranges). Each segment comes out as a canonical POSIX glob (see
// ExcludeRule.ts), so a `case` pattern and the build's regular expression read it alike.
// Why not the `ignore` or picomatch packages: the shell script must decide exactly as the build
// does, so both read one parsed form, which those libraries do not expose (they compile straight
// to a JS RegExp, with their own reading of sets and escapes). The semantics are held to git's
// by a test that asks `git check-ignore` (packages/build/test/excludeGit.test.ts).

type Item = { readonly _tag: "Char"; readonly c: string } | { readonly _tag: "Range"; readonly from: string; readonly to: string };

// A `[` … `]` set, with `i` just after the `[`; returns the canonical glob and the index after `]`.
const readSet = (b: string, start: number): E.Either<string, { readonly glob: string; readonly next: number }> => {
  let i = start;
  const negated = b[i] === "!" || b[i] === "^";
  if (negated) i++;
  const items: Item[] = [];
  let first = true;
  for (;;) {
    if (i >= b.length) return E.left("has a \"[\" with no \"]\" to close it (write \\[ for a literal [)");
    let c = b[i] as string;
    if (c === "]" && !first) break;
    first = false;
    if (c === "[" && (b[i + 1] === ":" || b[i + 1] === "." || b[i + 1] === "=")) return E.left(`uses ${JSON.stringify(b.slice(i, i + 2))} in a set: character classes are not supported; list the characters or a range such as a-z`);
    if (c === "\\") {
      i++;
      if (i >= b.length) return E.left("ends in a backslash");
      c = b[i] as string;
    }
    if (c === "/") return E.left("has a \"/\" inside a [...] set, which no name can hold");
    if (c === "\\") return E.left("has a backslash inside a [...] set: names with a backslash cannot be matched");
    if (b[i + 1] === "-" && i + 2 < b.length && b[i + 2] !== "]") {
      let to = b[i + 2] as string;
      let after = i + 3;
      if (to === "\\") {
        to = b[i + 3] ?? "";
        after = i + 4;
      }
      if ("]-!^[\\/".includes(c) || "]-!^[\\/".includes(to) || to === "") return E.left(`has the range ${JSON.stringify(`${c}-${to}`)}: a range's ends must be plain characters`);
      if (to < c) return E.left(`has the range ${JSON.stringify(`${c}-${to}`)}, whose end comes before its start`);
      items.push({ _tag: "Range", from: c, to });
      i = after;
      continue;
    }
    items.push({ _tag: "Char", c });
    i++;
  }
  const next = i + 1;
  const single = items.length === 1 && items[0]?._tag === "Char" ? items[0].c : undefined;
  if (!negated && single !== undefined) return E.right({ glob: literal(single), next });
  // Canonical order: "]" first (where it is literal), "[" and "!"/"^" inside, "-" last.
  const text = (item: Item): string => (item._tag === "Char" ? item.c : `${item.from}-${item.to}`);
  const rank = (item: Item): number => (item._tag === "Char" ? ({ "]": 0, "!": 2, "^": 2, "[": 3, "-": 4 } as Record<string, number>)[item.c] ?? 1 : 1);
  const sorted = [...items].sort((x, y) => rank(x) - rank(y));
  const head = sorted[0];
  if (!negated && head !== undefined && head._tag === "Char" && (head.c === "!" || head.c === "^"))
    return E.left(`has a set of only ${JSON.stringify(items.map(text).join(""))}, which a shell would read as "none of"; add a character or write the names apart`);
  return E.right({ glob: `[${negated ? "!" : ""}${sorted.map(text).join("")}]`, next });
};

// A literal character in canonical form: wildcards are written as one-character sets.
const literal = (c: string): string => (c === "*" || c === "?" || c === "[" ? `[${c}]` : c);

// One name's glob (between slashes) → canonical; runs of `*` are one `*`.
const readSegment = (b: string): E.Either<string, string> => {
  let out = "";
  for (let i = 0; i < b.length; ) {
    const c = b[i] as string;
    if (c === "\\") {
      const next = b[i + 1];
      if (next === undefined) return E.left("ends in a backslash");
      if (next === "\\") return E.left("has \"\\\\\": names with a backslash cannot be matched");
      out += literal(next);
      i += 2;
    } else if (c === "[") {
      const set = readSet(b, i + 1);
      if (E.isLeft(set)) return set;
      out += set.right.glob;
      i = set.right.next;
    } else if (c === "*") {
      if (!out.endsWith("*") || out.endsWith("[*]")) out += "*";
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return E.right(out);
};

// Splits at the slashes that are not inside a [...] set or escaped.
const splitNames = (b: string): readonly string[] => {
  const parts: string[] = [];
  let current = "";
  let inSet = false;
  let setStart = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i] as string;
    if (c === "\\" && i + 1 < b.length) {
      current += c + b[i + 1];
      i++;
      continue;
    }
    if (inSet) {
      const atStart = i === setStart || (i === setStart + 1 && (b[setStart] === "!" || b[setStart] === "^"));
      if (c === "]" && !atStart) inSet = false;
    } else if (c === "[") {
      inSet = true;
      setStart = i + 1;
    } else if (c === "/") {
      parts.push(current);
      current = "";
      continue;
    }
    current += c;
  }
  parts.push(current);
  return parts;
};

export const parseExcludePattern = (pattern: string): E.Either<string, ExcludeRule> => {
  const quoted = JSON.stringify(pattern);
  const fail = (why: string): E.Either<string, ExcludeRule> => E.left(`${quoted} ${why}`);
  if (pattern.includes("\u0000")) return fail("has a NUL byte");
  if (/\p{Cs}/u.test(pattern)) return fail("is not valid Unicode (it has a lone surrogate)");
  if (pattern.startsWith("#")) return fail("starts with \"#\", which gitignore reads as a comment; write \\# for a name that starts with #");
  if (/(^|[^\\])(\\\\)* $/.test(pattern)) return fail("ends in a space, which gitignore drops; write \"\\ \" for a name that ends in a space");
  const negated = pattern.startsWith("!");
  const body = Buffer.from(negated ? pattern.slice(1) : pattern, "utf8").toString("latin1");
  let names = splitNames(body);
  const leadingSlash = names.length > 1 && names[0] === "";
  if (leadingSlash) names = names.slice(1);
  const folderOnly = names.length > 1 && names[names.length - 1] === "";
  if (folderOnly) names = names.slice(0, -1);
  if (names.length === 1 && names[0] === "") return fail("names no path");
  if (names.some((n) => n === "")) return fail("has an empty name (two slashes in a row)");
  if (names.some((n) => n === "." || n === "..")) return fail("has a \".\" or \"..\" name; patterns are paths inside the copied folder, written without them");
  const segments: string[] = [];
  for (const name of names) {
    if (name === ANY_NAMES) {
      if (segments[segments.length - 1] !== ANY_NAMES) segments.push(ANY_NAMES);
      continue;
    }
    const glob = readSegment(name);
    if (E.isLeft(glob)) return fail(glob.left);
    segments.push(glob.right);
  }
  // No slash but a trailing one: the name may be at any depth (gitignore).
  const anchored = leadingSlash || names.length > 1;
  if (!anchored && segments[0] !== ANY_NAMES) segments.unshift(ANY_NAMES);
  const back = (s: string): string => Buffer.from(s, "latin1").toString("utf8");
  return E.right({ pattern, negated, folderOnly, segments: segments.map(back) });
};
