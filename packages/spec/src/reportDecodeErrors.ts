import type * as t from "io-ts";
import type { SpecIssue } from "./SpecError.ts";

// io-ts keeps a tree of decode errors; this flattens it into one `path: expected …, found …`
// issue per leaf, in document order, without the internal indexes of intersections.
export const reportDecodeErrors = (errors: t.Errors): readonly SpecIssue[] => {
  const seen = new Set<string>();
  const issues: SpecIssue[] = [];
  for (const error of errors) {
    const issue = toIssue(error);
    const key = `${issue.at}\u0000${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
};

const toIssue = (error: t.ValidationError): SpecIssue => {
  const at = pathOf(error.context);
  if (error.message !== undefined) {
    return { at, message: error.message.startsWith("expected") || error.message.startsWith("unknown") ? withFound(error.message, error.value) : error.message };
  }
  const expected = error.context[error.context.length - 1]?.type.name ?? "a value";
  return { at, message: withFound(`expected ${expected}`, error.value) };
};

const withFound = (message: string, value: unknown): string =>
  message.startsWith("unknown") || message.includes(", found ") ? message : `${message}, found ${describe(value)}`;

// A key that is not a plain name is quoted (`labels["org.example.a"]`, `env["A\nB"]`), so a path
// stays one line and cannot be mistaken for another: a dot, a bracket or a newline in a key would
// otherwise read as structure. `[0]` is an array index, `["0"]` an object key.
const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

const pathOf = (context: t.Context): string => {
  let path = "";
  context.forEach((entry, i) => {
    if (i === 0) return; // the root has key ""
    const parent = context[i - 1];
    const parentTag = (parent?.type as { _tag?: string } | undefined)?._tag;
    if (parentTag === "IntersectionType" || parentTag === "UnionType") return;
    if (Array.isArray(parent?.actual) && /^[0-9]+$/.test(entry.key)) path += `[${entry.key}]`;
    else if (PLAIN_KEY.test(entry.key)) path += path === "" ? entry.key : `.${entry.key}`;
    else path += `[${JSON.stringify(entry.key)}]`;
  });
  return path;
};

export const describe = (value: unknown): string => {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "object" && value !== null) return "an object";
  return String(value);
};
