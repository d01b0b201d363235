import * as E from "fp-ts/lib/Either.js";
import type { Owner, RootfsEntry } from "@ocistage/program";
import { DEFAULT_DIR_MODE, DEFAULT_FILE_MODE } from "@ocistage/program";
import type { FileEntry, LayerSpec, SpecIssue } from "@ocistage/spec";
import { copyRules, ownersConflict } from "./copyRules.ts";
import type { CopyRules } from "./copyRules.ts";
import { nameProblem, normaliseDestination } from "./normaliseDestination.ts";
import { isJson } from "@ocistage/oci";
import type { Json } from "@ocistage/oci";
import { whiteoutProblem } from "./whiteoutName.ts";

const entryDestination = (entry: FileEntry): string => ("directory" in entry ? entry.directory : "whiteout" in entry ? entry.whiteout : entry.destination);
const destinationKey = (entry: FileEntry): string => ("directory" in entry ? "directory" : "whiteout" in entry ? "whiteout" : "destination");

// writers.writeJSON's bytes: compact, object keys sorted, numbers as ECMAScript prints them (one
// spelling for every finite double, on every machine), so fractions are allowed here.
const sortedJson = (value: Json): string => {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const record = value as Readonly<Record<string, Json>>;
    return `{${Object.keys(record).sort().map((k) => `${JSON.stringify(k)}:${sortedJson(record[k] as Json)}`).join(",")}}`;
  }
  return JSON.stringify(value);
};

// writeShellScript's shape: the interpreter line, then the text as given.
const SCRIPT_MODE = 0o755;
const scriptText = (interpreter: string | undefined, text: string): string => `#!${interpreter ?? "/bin/sh"}\n${text}`;

const entryOwner = (entry: FileEntry, layerOwner: Owner): Owner =>
  "whiteout" in entry ? layerOwner : { uid: entry.uid ?? layerOwner.uid, gid: entry.gid ?? layerOwner.gid };

const toRootfsEntry = (entry: FileEntry, at: string, destination: string, owner: Owner, rules: CopyRules | undefined): RootfsEntry => {
  if ("source" in entry && rules !== undefined)
    return { _tag: "Copy", at: `${at}.source`, source: entry.source, destination, ...(entry.mode === undefined ? {} : { mode: entry.mode }), ...rules };
  if ("symlink" in entry) return { _tag: "Symlink", at: `${at}.symlink`, target: entry.symlink, destination, owner };
  if ("content" in entry) return { _tag: "Content", at: `${at}.content`, content: entry.content, destination, mode: entry.mode ?? DEFAULT_FILE_MODE, owner };
  if ("json" in entry) return { _tag: "Content", at: `${at}.json`, content: sortedJson(entry.json as Json), destination, mode: entry.mode ?? DEFAULT_FILE_MODE, owner };
  if ("script" in entry) return { _tag: "Content", at: `${at}.script`, content: scriptText(entry.interpreter, entry.script), destination, mode: entry.mode ?? SCRIPT_MODE, owner };
  if ("whiteout" in entry) return { _tag: "Whiteout", at: `${at}.whiteout`, destination };
  return { _tag: "Directory", at: `${at}.directory`, destination, mode: entry.mode ?? DEFAULT_DIR_MODE, owner, ...("opaque" in entry && entry.opaque === true ? { opaque: true as const } : {}) };
};

// A layer's entries with destinations normalised and checked against each other:
// no two entries at one place, nothing below a symlink this layer makes, nothing but a
// directory at the root, no whiteout names (whiteoutName.ts). Copies get their rules from the
// entry and the layer (copyRules.ts). Every issue is reported, each at its own path.
export const lowerLayerEntries = (
  layer: LayerSpec,
  at: string,
  owner: Owner,
): E.Either<readonly SpecIssue[], readonly RootfsEntry[]> => {
  const issues: SpecIssue[] = [];
  if (layer.source !== undefined && layer.files !== undefined)
    issues.push({ at, message: "expected exactly one of source or files, found both" });
  if (layer.source === undefined && layer.files === undefined)
    issues.push({ at, message: "expected exactly one of source or files, found neither" });
  const sourceName = layer.source === undefined ? undefined : nameProblem(layer.source, "a path");
  if (sourceName !== undefined) issues.push({ at: `${at}.source`, message: sourceName });
  issues.push(...ownersConflict(layer, at));
  if (layer.exclude !== undefined && layer.source === undefined)
    issues.push({ at: `${at}.exclude`, message: "exclude applies to a layer's source; in files, give it on the copy entry whose folder it filters" });
  if (layer.source !== undefined) {
    const rules = copyRules(layer, layer, owner, at);
    if (E.isLeft(rules)) issues.push(...rules.left);
    if (issues.length > 0 || E.isLeft(rules)) return E.left(issues);
    return E.right([{ _tag: "Copy", at: `${at}.source`, source: layer.source, destination: "", ...rules.right }]);
  }

  const entries: RootfsEntry[] = [];
  const firstAt = new Map<string, string>();
  const symlinks = new Map<string, string>();
  (layer.files ?? []).forEach((entry, i) => {
    const entryAt = `${at}.files[${i}]`;
    const field = destinationKey(entry);
    const normalised = normaliseDestination(entryDestination(entry));
    if (E.isLeft(normalised)) {
      issues.push({ at: `${entryAt}.${field}`, message: normalised.left });
      return;
    }
    const destination = normalised.right;
    if ("json" in entry && !isJson(entry.json)) {
      issues.push({ at: `${entryAt}.json`, message: "must be plain JSON data (objects, arrays, strings, finite numbers, booleans, null)" });
      return;
    }
    const whiteout = whiteoutProblem(destination);
    if (whiteout !== undefined) {
      issues.push({ at: `${entryAt}.${field}`, message: whiteout });
      return;
    }
    const otherName = "symlink" in entry ? nameProblem(entry.symlink, "a symlink target") : "source" in entry ? nameProblem(entry.source, "a path") : undefined;
    if (otherName !== undefined) {
      issues.push({ at: `${entryAt}.${"symlink" in entry ? "symlink" : "source"}`, message: otherName });
      return;
    }
    if (destination === "" && "whiteout" in entry) {
      issues.push({ at: `${entryAt}.whiteout`, message: "the image root \"/\" cannot be deleted; an opaque directory \"/\" hides what the layers below hold" });
      return;
    }
    if (destination === "" && !("directory" in entry) && !("source" in entry)) {
      issues.push({ at: `${entryAt}.${field}`, message: "only a directory or a copied folder can be the image root \"/\"" });
      return;
    }
    const earlier = firstAt.get(destination);
    if (earlier !== undefined) {
      issues.push({ at: `${entryAt}.${field}`, message: `${JSON.stringify(`/${destination}`)} is already given by ${earlier}; each destination appears once in a layer` });
      return;
    }
    const rules = "source" in entry ? copyRules(entry, layer, owner, entryAt) : undefined;
    if (rules !== undefined && E.isLeft(rules)) {
      issues.push(...rules.left);
      return;
    }
    firstAt.set(destination, entryAt);
    if ("symlink" in entry) symlinks.set(destination, entryAt);
    entries.push(toRootfsEntry(entry, entryAt, destination, entryOwner(entry, owner), rules?.right));
  });

  // An entry below a symlink of the same layer would be written through the link on extraction.
  for (const entry of entries) {
    const parts = entry.destination.split("/");
    for (let n = 1; n < parts.length; n++) {
      const parent = parts.slice(0, n).join("/");
      const link = symlinks.get(parent);
      if (link !== undefined) {
        issues.push({ at: `${firstAt.get(entry.destination) ?? at}.${entry._tag === "Whiteout" ? "whiteout" : entry._tag === "Directory" ? "directory" : "destination"}`, message: `${JSON.stringify(`/${entry.destination}`)} lies below ${JSON.stringify(`/${parent}`)}, a symlink made by ${link}` });
        break;
      }
    }
  }
  return issues.length > 0 ? E.left(issues) : E.right(entries);
};
