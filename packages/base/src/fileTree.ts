import type { BaseFile } from "@ocistage/program";
import { OPAQUE_WHITEOUT, WHITEOUT_PREFIX } from "@ocistage/program";

/** One entry of a layer tar, as the tree needs it. */
export interface LayerEntry {
  readonly path: string; // normalised: no "./" or "/" at either end; "" is the root
  readonly kind: BaseFile["kind"];
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly target?: string;
}

/** A tar member name → the normalised path ("./usr/bin/" → "usr/bin"). */
export const normaliseMember = (name: string): string =>
  name
    .split("/")
    .filter((p) => p !== "" && p !== ".")
    .join("/");

const parentOf = (p: string): string => (p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "");

const removeBelow = (files: Map<string, BaseFile>, folder: string, andItself: boolean): void => {
  if (andItself) files.delete(folder);
  const prefix = folder === "" ? "" : `${folder}/`;
  for (const key of [...files.keys()]) if (key.startsWith(prefix) && key !== folder) files.delete(key);
};

/**
 * Applies one layer's entries to the files the layers below left (image-spec layer.md, "Applying
 * Changesets"): its whiteouts first (`.wh.NAME` removes NAME and what is below it, `.wh..wh..opq`
 * empties its folder of what the lower layers had), then its own entries, so a layer may both
 * hide a folder's old contents and fill it. Folders a path implies appear as root's 0755.
 */
export const applyLayer = (files: Map<string, BaseFile>, entries: readonly LayerEntry[]): void => {
  const own: LayerEntry[] = [];
  for (const entry of entries) {
    const name = entry.path.slice(entry.path.lastIndexOf("/") + 1);
    const folder = parentOf(entry.path);
    if (name === OPAQUE_WHITEOUT) removeBelow(files, folder, false);
    else if (name.startsWith(WHITEOUT_PREFIX)) removeBelow(files, folder === "" ? name.slice(WHITEOUT_PREFIX.length) : `${folder}/${name.slice(WHITEOUT_PREFIX.length)}`, true);
    else own.push(entry);
  }
  for (const entry of own) {
    if (entry.path === "") continue;
    for (let p = parentOf(entry.path); p !== ""; p = parentOf(p))
      if (!files.has(p)) files.set(p, { path: p, kind: "folder", mode: 0o755, uid: 0, gid: 0 });
    const earlier = files.get(entry.path);
    // A folder over a folder keeps what is below it; anything else replaces the path and its insides.
    if (earlier !== undefined && !(earlier.kind === "folder" && entry.kind === "folder")) removeBelow(files, entry.path, true);
    files.set(entry.path, { path: entry.path, kind: entry.kind, mode: entry.mode, uid: entry.uid, gid: entry.gid, ...(entry.target === undefined ? {} : { target: entry.target }) });
  }
};

/** The files in path order, for the program (stable, whatever order the tars had). */
export const sortedFiles = (files: ReadonlyMap<string, BaseFile>): readonly BaseFile[] =>
  [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
