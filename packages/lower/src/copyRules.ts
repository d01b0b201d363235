import * as E from "fp-ts/lib/Either.js";
import type { CopyModes, CopyOwner, ExcludeRule, Owner } from "@ocistage/program";
import type { SpecIssue } from "@ocistage/spec";
import { parseExcludePattern } from "./excludePattern.ts";

// The fields a layer or a copy entry may give about copying (README, "Copied files").
export interface CopyFields {
  readonly modes?: CopyModes;
  readonly owners?: "set" | "keep";
  readonly exclude?: readonly string[];
  readonly uid?: number;
  readonly gid?: number;
}

export interface CopyRules {
  readonly modes: CopyModes;
  readonly owner: CopyOwner;
  readonly exclude: readonly ExcludeRule[];
}

// `owners: "keep"` takes every owner from disk, so a uid or gid beside it could only be ignored.
export const ownersConflict = (fields: CopyFields, at: string): readonly SpecIssue[] =>
  fields.owners === "keep" && (fields.uid !== undefined || fields.gid !== undefined)
    ? [{ at: `${at}.owners`, message: `expected "owners": "keep" (numeric owners from disk) or a uid/gid, found both; the uid/gid would be ignored` }]
    : [];

export const lowerExclude = (patterns: readonly string[], at: string): E.Either<readonly SpecIssue[], readonly ExcludeRule[]> => {
  const issues: SpecIssue[] = [];
  const rules: ExcludeRule[] = [];
  patterns.forEach((pattern, i) => {
    const rule = parseExcludePattern(pattern);
    if (E.isLeft(rule)) issues.push({ at: `${at}.exclude[${i}]`, message: rule.left });
    else rules.push(rule.right);
  });
  return issues.length > 0 ? E.left(issues) : E.right(rules);
};

// A copy's rules: its own fields first, then the layer's (`modes`, `owners`; an entry's uid or
// gid means owners "set"), then the defaults: modes "keep", owners "set" to `layerOwner`.
// `at` is the entry (or, for a layer `source`, the layer); `exclude` is the copy's own.
export const copyRules = (entry: CopyFields, layer: CopyFields, layerOwner: Owner, at: string): E.Either<readonly SpecIssue[], CopyRules> => {
  const conflict = entry === layer ? [] : ownersConflict(entry, at);
  const exclude = lowerExclude(entry.exclude ?? [], at);
  const issues = [...conflict, ...(E.isLeft(exclude) ? exclude.left : [])];
  if (issues.length > 0 || E.isLeft(exclude)) return E.left(issues);
  const ownEntryOwner = entry !== layer && (entry.uid !== undefined || entry.gid !== undefined);
  const owners = entry.owners ?? (ownEntryOwner ? "set" : (layer.owners ?? "set"));
  const owner: CopyOwner = owners === "keep" ? "keep" : { uid: entry.uid ?? layerOwner.uid, gid: entry.gid ?? layerOwner.gid };
  return E.right({ modes: entry.modes ?? layer.modes ?? "keep", owner, exclude: exclude.right });
};
