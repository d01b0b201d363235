import * as E from "fp-ts/lib/Either.js";
import type { ClosureObject } from "@ocistage/elf";
import type { ClosureReport, RootfsEntry } from "@ocistage/program";
import type { HostClosures, LayerSpec, SpecIssue } from "@ocistage/spec";
import { closureKey } from "@ocistage/spec";
import { normaliseDestination } from "./normaliseDestination.ts";

const ROOT = { uid: 0, gid: 0 } as const;

const normalised = (p: string): string => {
  const n = normaliseDestination(p);
  return E.isRight(n) ? n.right : p.replace(/^\/+/, "");
};

// The entries one closure object brings: each link on the way, then the file (copied as on disk,
// owned by root, whatever the program's own entry says: a library is shared by programs).
const objectEntries = (object: ClosureObject, at: string, program: string): readonly RootfsEntry[] => [
  ...object.links.map((link): RootfsEntry => ({ _tag: "Symlink", at, target: link.target, destination: normalised(link.path), owner: ROOT, closureOf: [program] })),
  { _tag: "Copy", at, source: object.source, destination: normalised(object.file), modes: "keep", owner: ROOT, exclude: [], closureOf: [program] },
];

// Two entries that write the same thing (a library two closures share) are one entry.
const sameWrite = (a: RootfsEntry, b: RootfsEntry): boolean => {
  const { at: _a, closureOf: _ca, ...restA } = a as RootfsEntry & { readonly closureOf?: readonly string[] };
  const { at: _b, closureOf: _cb, ...restB } = b as RootfsEntry & { readonly closureOf?: readonly string[] };
  return JSON.stringify(restA) === JSON.stringify(restB);
};

const withProgram = (entry: RootfsEntry, program: string): RootfsEntry => {
  if (entry._tag !== "Copy" && entry._tag !== "Symlink") return entry;
  const programs = entry.closureOf ?? [];
  return programs.includes(program) ? entry : { ...entry, closureOf: [...programs, program] };
};

/**
 * A layer's entries with the closures of its `closure: true` entries added (resolved at the edge,
 * in `closures`): for each file the loader maps, its symlinks and the file, at the paths the
 * loader opens. A file two closures share is written once (its `closureOf` names both); a closure
 * file at a destination another entry of the layer gives differently, or below a symlink of the
 * layer, is an issue at the entry's `closure` field. Also the report of each closure, for the docs.
 */
export const closureEntries = (
  layer: LayerSpec,
  at: string,
  entries: readonly RootfsEntry[],
  closures: HostClosures,
): E.Either<readonly SpecIssue[], { readonly entries: readonly RootfsEntry[]; readonly reports: readonly ClosureReport[] }> => {
  const issues: SpecIssue[] = [];
  const result = [...entries];
  const index = new Map(result.map((e, i) => [e.destination, i] as const));
  const reports: ClosureReport[] = [];
  (layer.files ?? []).forEach((entry, i) => {
    if (!("source" in entry) || entry.closure !== true) return;
    const entryAt = `${at}.files[${i}]`;
    const closure = closures.get(closureKey(entry.source, entry.destination, entry.dlopen));
    if (closure === undefined) {
      issues.push({ at: `${entryAt}.closure`, message: "was not resolved: closures are read from the host when the spec is loaded (loadSpec), and this lowering was given none" });
      return;
    }
    for (const object of closure.objects)
      for (const added of objectEntries(object, `${entryAt}.closure`, entry.source)) {
        const earlier = index.get(added.destination);
        const existing = earlier === undefined ? undefined : result[earlier];
        if (earlier === undefined || existing === undefined) {
          index.set(added.destination, result.length);
          result.push(added);
        } else if (sameWrite(existing, added)) result[earlier] = withProgram(existing, entry.source);
        else issues.push({ at: `${entryAt}.closure`, message: `${JSON.stringify(`/${added.destination}`)} (closure of ${entry.source}) is already given differently by ${existing.at}` });
      }
    reports.push({
      program: entry.source,
      destination: normalised(entry.destination),
      at: entryAt,
      layer: layer.name,
      dlopen: entry.dlopen ?? [],
      members: closure.objects.map((o) => ({
        name: o.requests[0]?.name ?? o.file,
        path: normalised(o.requests[0]?.path ?? o.file),
        file: normalised(o.file),
        links: o.links.map((l) => normalised(l.path)),
        foundBy: o.requests[0]?.foundBy ?? "path",
        size: o.size,
        layer: layer.name,
      })),
    });
  });
  // As lowerLayerEntries checks the spec's own entries: nothing may lie below a symlink of the layer.
  const links = new Map(result.flatMap((e) => (e._tag === "Symlink" ? [[e.destination, e.at] as const] : [])));
  for (const added of result.slice(entries.length)) {
    const parts = added.destination.split("/");
    for (let n = 1; n < parts.length; n++) {
      const link = links.get(parts.slice(0, n).join("/"));
      if (link === undefined) continue;
      issues.push({ at: added.at, message: `${JSON.stringify(`/${added.destination}`)} lies below ${JSON.stringify(`/${parts.slice(0, n).join("/")}`)}, a symlink made by ${link}` });
      break;
    }
  }
  return issues.length > 0 ? E.left(issues) : E.right({ entries: result, reports });
};
