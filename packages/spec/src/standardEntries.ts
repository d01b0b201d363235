import type { FileEntry } from "./ImageSpec.ts";

// The file entries a standard image is made of, each with the field of the spec it came from, so
// the checks of the desugaring and the lowering's own (through SpecOrigins) name what the user wrote.

/** A file entry of the desugared image and the spec path it came from (`setup[2]`, `operable.runtimeInputs[0]`). */
export interface PlacedEntry {
  readonly entry: FileEntry;
  readonly origin: string;
  // Made by the desugaring (a contract, the default shell, passwd): its fields are none the user
  // wrote, so every path inside it names `origin` itself.
  readonly generated?: true;
}

/** `field` of the object at `base` ("" is the spec's root). */
export const fieldAt = (base: string, field: string): string => (base === "" ? field : `${base}.${field}`);

/** The image path an entry writes, as the spec gives it. */
export const destinationOf = (entry: FileEntry): string => ("directory" in entry ? entry.directory : "whiteout" in entry ? entry.whiteout : entry.destination);

/** The name of the field that holds an entry's image path. */
export const destinationField = (entry: FileEntry): "directory" | "whiteout" | "destination" => ("directory" in entry ? "directory" : "whiteout" in entry ? "whiteout" : "destination");

/** An image path compared as the lowering compares it: no empty or "." segments, no leading "/" ("" is the root). */
export const destinationKey = (raw: string): string =>
  raw
    .split("/")
    .filter((s) => s !== "" && s !== ".")
    .join("/");

/** The folder holding a destination key, as an absolute path ("bin/sh" → "/bin", "sh" → "/"). */
export const folderOf = (key: string): string => (key.includes("/") ? `/${key.slice(0, key.lastIndexOf("/"))}` : "/");

/** The distinct folders holding the entries' destinations, in order of first appearance, joined for PATH. */
export const pathOf = (entries: readonly PlacedEntry[]): string =>
  [...new Set(entries.map((p) => folderOf(destinationKey(destinationOf(p.entry)))))].join(":");
