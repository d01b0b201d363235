import type { TarEntry } from "./TarEntry.ts";
import { xattrsOf } from "./TarEntry.ts";

// The two archive formats the writer speaks, each byte for byte what GNU tar 1.34 writes:
//
// - "gnu": `--format=gnu`, the default and every layer without extended attributes. Long names
//   go into ././@LongLink records, big numbers into base-256 fields; there is no PAX header.
// - "pax": `--format=posix --xattrs --xattrs-include=security.capability` with
//   `--pax-option=delete=atime,delete=ctime,exthdr.name=%d/PaxHeaders/%f` (GNU_TAR_PAX_ARGS).
//   GNU tar cannot record an extended attribute in any other format (`--xattrs` switches it
//   to posix for the whole archive), so a layer that keeps a file capability is written this
//   way from its first header to its last. Without atime/ctime (which would differ between any
//   two runs) and with a header name that holds no process id, the extended headers depend on
//   the entries alone (paxHeader.ts).
export type TarFormat = "gnu" | "pax";

// The flags that make GNU tar write the pax format above; they replace `--format=gnu`.
export const GNU_TAR_PAX_ARGS: readonly string[] = [
  "--format=posix",
  "--pax-option=delete=atime,delete=ctime,exthdr.name=%d/PaxHeaders/%f",
  "--xattrs",
  "--xattrs-include=security.capability",
];

// The format GNU tar would give these entries: pax as soon as one carries an extended
// attribute (a hard link never does), else gnu. Layers without any stay what they always were.
export const formatFor = (entries: Iterable<TarEntry>): TarFormat => {
  for (const entry of entries) if (xattrsOf(entry).length > 0) return "pax";
  return "gnu";
};
