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

const pathOf = (context: t.Context): string => {
  let path = "";
  context.forEach((entry, i) => {
    if (i === 0) return; // the root has key ""
    const parent = context[i - 1]?.type as { _tag?: string } | undefined;
    if (parent?._tag === "IntersectionType" || parent?._tag === "UnionType") return;
    path += /^[0-9]+$/.test(entry.key) ? `[${entry.key}]` : path === "" ? entry.key : `.${entry.key}`;
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
