import type { TarEntry } from "./TarEntry.ts";

// The order GNU tar `--sort=name` writes a tree in: depth first, a directory before its
// contents, each directory's children sorted with strcmp (gnulib savedir), i.e. by unsigned
// bytes and independent of the locale.
//
// Over whole paths that is plain byte order once "/" sorts below every other byte: comparing
// component by component, a name that is a prefix of a sibling's ("a" vs "a-b") comes first, and
// so does everything below it ("a/x" before "a-b", although "/" is 0x2f and "-" is 0x2d).
// Paths are in TarEntry form (no "./", no trailing "/", "" for the root), so the root comes
// first.
const SLASH = 0x2f;

const rank = (byte: number): number => (byte === SLASH ? -1 : byte);

export const compareTarPaths = (a: Uint8Array, b: Uint8Array): number => {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
};

export const compareTarEntries = (a: TarEntry, b: TarEntry): number => compareTarPaths(a.path, b.path);

// A sorted copy: entries of a virtual tree (made from many sources) in the order GNU tar would
// write the same tree from disk.
export const sortTarEntries = <A extends { readonly path: Uint8Array }>(entries: readonly A[]): readonly A[] =>
  [...entries].sort((a, b) => compareTarPaths(a.path, b.path));

export const sortTarItems = <A extends { readonly entry: { readonly path: Uint8Array } }>(items: readonly A[]): readonly A[] =>
  [...items].sort((a, b) => compareTarPaths(a.entry.path, b.entry.path));
