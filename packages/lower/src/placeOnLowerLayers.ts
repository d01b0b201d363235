import type { BaseFile, Owner, RootfsEntry } from "@ocistage/program";
import { DEFAULT_DIR_MODE } from "@ocistage/program";
import type { SpecIssue } from "@ocistage/spec";

// What the layers below hold at a path, as far as the program knows it: what their entries
// make, and the folders those imply (root's, 0755, as every substrate writes them). A copy's
// insides are not known here (they are read when the layer is built), so a path at or below a
// copy is "unknown", and nothing is decided through it.
type Known =
  | { readonly _tag: "Folder"; readonly mode: number; readonly owner: Owner }
  | { readonly _tag: "Link"; readonly target: string }
  | { readonly _tag: "File" }
  | { readonly _tag: "Unknown" };

const ROOT: Owner = { uid: 0, gid: 0 };
const MAX_HOPS = 40; // as Linux's path resolution (ELOOP)

const ancestorsOf = (path: string): readonly string[] => {
  const parts = path.split("/");
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join("/"));
};

// "a/b" + "../c" → "a/c"; an absolute target starts from the image root; ".." stops at the root.
const joinTarget = (linkPath: string, target: string): string => {
  const base = target.startsWith("/") ? [] : linkPath.split("/").slice(0, -1);
  const out = [...base];
  for (const part of target.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return out.join("/");
};

const knownAt = (known: ReadonlyMap<string, Known>, path: string): Known | undefined => {
  if (known.get("")?._tag === "Unknown") return { _tag: "Unknown" };
  const here = known.get(path);
  if (here !== undefined) return here;
  return ancestorsOf(path).some((a) => known.get(a)?._tag === "Unknown") ? { _tag: "Unknown" } : undefined;
};

/** Where a destination lands in the image: through every lower layer's symlink on its way (not its own last name). */
// `own`: the paths the layer's own entries name, which replace what the layers below have there.
const resolve = (known: ReadonlyMap<string, Known>, own: ReadonlySet<string>, destination: string): string | undefined => {
  // Below a copy of the whole root, what the layers below had may be gone: nothing is decided.
  if (known.get("")?._tag === "Unknown") return destination;
  let path = destination;
  for (let hops = 0; hops <= MAX_HOPS; hops++) {
    const parts = path.split("/");
    const linkAt = parts.slice(0, -1).findIndex((_, i) => {
      const prefix = parts.slice(0, i + 1).join("/");
      return known.get(prefix)?._tag === "Link" && !own.has(prefix);
    });
    if (linkAt === -1) return path;
    const link = parts.slice(0, linkAt + 1).join("/");
    const target = (known.get(link) as { readonly target: string }).target;
    path = [joinTarget(link, target), ...parts.slice(linkAt + 1)].filter((p) => p !== "").join("/");
  }
  return undefined;
};

const isBelowCopy = (entries: readonly RootfsEntry[], path: string): boolean =>
  entries.some((e) => e._tag === "Copy" && (e.destination === "" || path.startsWith(`${e.destination}/`)));

/**
 * One layer's entries as they land on the layers below (`known`), as Docker's COPY places files:
 * a destination below a lower layer's symlink lands at the link's target, and a folder the
 * entries imply keeps the mode and owner the image already has there (written as a Directory
 * entry, so every substrate writes it so). A layer replaces a lower link or changes a lower
 * folder only where an entry names that very path.
 */
export const placeLayer = (known: ReadonlyMap<string, Known>, entries: readonly RootfsEntry[]): { readonly entries: readonly RootfsEntry[]; readonly issues: readonly SpecIssue[] } => {
  const issues: SpecIssue[] = [];
  const own = new Set(entries.map((e) => e.destination));
  const placed = entries.map((entry): RootfsEntry => {
    const destination = resolve(known, own, entry.destination);
    if (destination === undefined) {
      issues.push({ at: entry.at, message: `"/${entry.destination}" goes through more than ${MAX_HOPS} symlinks of the layers below (a loop)` });
      return entry;
    }
    return destination === entry.destination ? entry : { ...entry, destination };
  });
  // A deletion or an opaque folder needs something below to act on; otherwise the spec is wrong
  // about the image it builds on (a typo, or a base that changed).
  for (const entry of placed) {
    if (entry._tag === "Whiteout" && knownAt(known, entry.destination) === undefined)
      issues.push({ at: entry.at, message: `nothing is at "/${entry.destination}" in the layers below, so there is nothing to delete` });
    if (entry._tag === "Directory" && entry.opaque === true) {
      const below = knownAt(known, entry.destination);
      if (below === undefined || !(below._tag === "Folder" || below._tag === "Unknown"))
        issues.push({ at: entry.at, message: `the layers below have no folder "/${entry.destination}" whose contents opaque could hide` });
    }
  }
  const given = new Map<string, string>();
  for (const entry of placed) {
    const earlier = given.get(entry.destination);
    if (earlier !== undefined) issues.push({ at: entry.at, message: `lands at "/${entry.destination}" through a symlink of the layers below, where ${earlier} puts something already` });
    else given.set(entry.destination, entry.at);
  }
  const implied: RootfsEntry[] = [];
  for (const entry of placed)
    for (const folder of ancestorsOf(entry.destination)) {
      if (given.has(folder) || isBelowCopy(placed, folder)) continue;
      const below = knownAt(known, folder);
      given.set(folder, entry.at);
      if (below?._tag === "Folder" && (below.mode !== DEFAULT_DIR_MODE || below.owner.uid !== ROOT.uid || below.owner.gid !== ROOT.gid))
        implied.push({ _tag: "Directory", at: entry.at, destination: folder, mode: below.mode, owner: below.owner });
    }
  return { entries: [...implied, ...placed], issues };
};

/** What the image holds once `entries` are laid on `known`. */
export const layOn = (known: ReadonlyMap<string, Known>, entries: readonly RootfsEntry[]): ReadonlyMap<string, Known> => {
  const next = new Map(known);
  for (const entry of entries) {
    for (const folder of ancestorsOf(entry.destination)) if (!next.has(folder)) next.set(folder, { _tag: "Folder", mode: DEFAULT_DIR_MODE, owner: ROOT });
    if (entry._tag === "Whiteout") {
      for (const path of [...next.keys()]) if (path === entry.destination || path.startsWith(`${entry.destination}/`)) next.delete(path);
      continue;
    }
    if (entry._tag === "Directory" && entry.opaque === true)
      for (const path of [...next.keys()]) if (entry.destination === "" ? path !== "" : path.startsWith(`${entry.destination}/`)) next.delete(path);
    const here: Known =
      entry._tag === "Directory" ? { _tag: "Folder", mode: entry.mode, owner: entry.owner } : entry._tag === "Symlink" ? { _tag: "Link", target: entry.target } : entry._tag === "Content" ? { _tag: "File" } : { _tag: "Unknown" };
    if (entry.destination === "") {
      // A copy into the root may put anything anywhere; a folder entry for "/" changes nothing below.
      if (entry._tag === "Copy") {
        next.clear();
        next.set("", { _tag: "Unknown" });
      }
      continue;
    }
    next.set(entry.destination, here);
    // A copy, file or link replaces whatever the layers below had under its path; a folder merges.
    if (entry._tag !== "Directory") for (const path of [...next.keys()]) if (path.startsWith(`${entry.destination}/`)) next.delete(path);
  }
  return next;
};

/** What a base image leaves (its file list, read once at the edge), as the layers below the first. */
export const knownFromBase = (files: readonly BaseFile[]): ReadonlyMap<string, Known> =>
  new Map(
    files.map((f): readonly [string, Known] => [
      f.path,
      f.kind === "folder" ? { _tag: "Folder", mode: f.mode, owner: { uid: f.uid, gid: f.gid } } : f.kind === "link" ? { _tag: "Link", target: f.target ?? "" } : { _tag: "File" },
    ]),
  );

export type { Known };
