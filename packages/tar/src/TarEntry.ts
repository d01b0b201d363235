import * as E from "fp-ts/lib/Either.js";
import { absurd } from "fp-ts/lib/function.js";
import type { TarError } from "./TarError.ts";

// One entry of a layer tar: exactly what goes into its header, nothing about where a file's
// bytes come from (see TarItem.ts).
//
// `path` is relative to the layer root: raw bytes (names need not be UTF-8), components joined
// by "/", no leading "./" or "/", no trailing "/". The root directory is the empty path. The
// archive name GNU tar writes (`./`, `./bin/`, `./bin/sh`) is derived by the header encoder, so
// every producer of entries agrees on it.
//
// `mode` holds the permission bits (setuid/setgid/sticky included, file type excluded) as the
// header records them, i.e. after GNU tar's `--mode` normalisation (see tarMode.ts).
// `mtime` is whole seconds since the epoch and may be negative.
interface EntryCommon {
  readonly path: Uint8Array;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly mtime: number;
}

// An extended attribute as GNU tar records it (a PAX `SCHILY.xattr.NAME=VALUE` record): the name
// in the form listxattr(2) gives it ("security.capability"), the value as raw bytes. Only the
// pax format carries them (TarFormat.ts); hard links never do, as GNU tar writes them.
export interface TarXattr {
  readonly name: string;
  readonly value: Uint8Array;
}

// Present only when non-empty, so an entry without any is the same value it always was.
interface WithXattrs {
  readonly xattrs?: readonly TarXattr[];
}

export interface FileEntry extends EntryCommon, WithXattrs {
  readonly _tag: "File";
  // bigint because layers hold files over 8 GiB (and 2^53 bytes).
  readonly size: bigint;
}

export interface DirectoryEntry extends EntryCommon, WithXattrs {
  readonly _tag: "Directory";
}

export interface SymlinkEntry extends EntryCommon, WithXattrs {
  readonly _tag: "Symlink";
  // Stored verbatim: relative or absolute, it is never resolved.
  readonly linkTarget: Uint8Array;
}

export interface HardLinkEntry extends EntryCommon {
  readonly _tag: "HardLink";
  // The path of an earlier entry of the same archive, in the same form as `path`.
  readonly linkTarget: Uint8Array;
}

export type TarEntry = FileEntry | DirectoryEntry | SymlinkEntry | HardLinkEntry;

export type EntryMetadata = Pick<EntryCommon, "mode" | "uid" | "gid" | "mtime">;

export const fileEntry = (path: Uint8Array, metadata: EntryMetadata, size: bigint | number, xattrs: readonly TarXattr[] = []): FileEntry => ({
  _tag: "File",
  path,
  ...pickMetadata(metadata),
  size: BigInt(size),
  ...xattrsField(xattrs),
});

export const directoryEntry = (path: Uint8Array, metadata: EntryMetadata, xattrs: readonly TarXattr[] = []): DirectoryEntry => ({
  _tag: "Directory",
  path,
  ...pickMetadata(metadata),
  ...xattrsField(xattrs),
});

export const symlinkEntry = (path: Uint8Array, metadata: EntryMetadata, linkTarget: Uint8Array, xattrs: readonly TarXattr[] = []): SymlinkEntry => ({
  _tag: "Symlink",
  path,
  ...pickMetadata(metadata),
  linkTarget,
  ...xattrsField(xattrs),
});

export const hardLinkEntry = (path: Uint8Array, metadata: EntryMetadata, linkTarget: Uint8Array): HardLinkEntry => ({
  _tag: "HardLink",
  path,
  ...pickMetadata(metadata),
  linkTarget,
});

const pickMetadata = (m: EntryMetadata): EntryMetadata => ({ mode: m.mode, uid: m.uid, gid: m.gid, mtime: m.mtime });
const xattrsField = (xattrs: readonly TarXattr[]): WithXattrs => (xattrs.length === 0 ? {} : { xattrs });

// The extended attributes an entry carries ([] for a hard link, which never carries any).
export const xattrsOf = (entry: TarEntry): readonly TarXattr[] => (entry._tag === "HardLink" ? [] : (entry.xattrs ?? []));

export const matchTarEntry =
  <R>(handlers: { readonly [K in TarEntry["_tag"]]: (entry: Extract<TarEntry, { _tag: K }>) => R }) =>
  (entry: TarEntry): R => {
    switch (entry._tag) {
      case "File":
        return handlers.File(entry);
      case "Directory":
        return handlers.Directory(entry);
      case "Symlink":
        return handlers.Symlink(entry);
      case "HardLink":
        return handlers.HardLink(entry);
      default:
        return absurd(entry);
    }
  };

// GNU tar takes --owner/--group up to uid_t's maximum minus one: (uid_t)-1 = 4294967295 means
// "not given" and silently keeps the file's own owner.
export const MAX_TAR_ID = 4_294_967_294;
// off_t: GNU tar cannot archive a larger file.
export const MAX_TAR_FILE_SIZE = 2n ** 63n - 1n;

const SLASH = 0x2f;
const DOT = 0x2e;

const isDotComponent = (c: Uint8Array): boolean => (c.length === 1 && c[0] === DOT) || (c.length === 2 && c[0] === DOT && c[1] === DOT);

// Why a path cannot name an entry, or undefined when it can. The root (empty path) is valid only
// where `allowRoot` says so.
export const pathProblem = (path: Uint8Array, allowRoot: boolean): string | undefined => {
  if (path.length === 0) return allowRoot ? undefined : "the empty path (the root) can only be a directory";
  if (path.includes(0)) return "a path cannot contain a NUL byte";
  let start = 0;
  for (let i = 0; i <= path.length; i++) {
    if (i === path.length || path[i] === SLASH) {
      const component = path.subarray(start, i);
      if (component.length === 0) return 'a path cannot start or end with "/" or contain "//"';
      if (isDotComponent(component)) return 'a path cannot contain "." or ".." components';
      start = i + 1;
    }
  }
  return undefined;
};

const metadataProblem = (entry: TarEntry): string | undefined => {
  if (!Number.isInteger(entry.mode) || entry.mode < 0 || entry.mode > 0o7777) return `mode ${entry.mode} is not within 0..07777`;
  if (!Number.isInteger(entry.uid) || entry.uid < 0 || entry.uid > MAX_TAR_ID) return `uid ${entry.uid} is not within 0..${MAX_TAR_ID}`;
  if (!Number.isInteger(entry.gid) || entry.gid < 0 || entry.gid > MAX_TAR_ID) return `gid ${entry.gid} is not within 0..${MAX_TAR_ID}`;
  if (!Number.isSafeInteger(entry.mtime)) return `mtime ${entry.mtime} is not a whole number of seconds`;
  return undefined;
};

// GNU tar percent-encodes "=" and "%" in a record's keyword and this writer does not, so such
// names (which no file system in use gives) are refused rather than written differently.
const xattrProblem = (entry: TarEntry): string | undefined => {
  const names = new Set<string>();
  for (const { name } of xattrsOf(entry)) {
    if (!/^[\x21-\x7e]+$/.test(name) || name.includes("=") || name.includes("%"))
      return `extended attribute name ${JSON.stringify(name)} is not printable ASCII without "=" and "%"`;
    if (names.has(name)) return `extended attribute ${name} is given twice`;
    names.add(name);
  }
  return undefined;
};

const kindProblem = (entry: TarEntry): string | undefined =>
  matchTarEntry<string | undefined>({
    File: (e) => pathProblem(e.path, false) ?? (e.size < 0n || e.size > MAX_TAR_FILE_SIZE ? `size ${e.size} is not within 0..2^63-1` : undefined),
    Directory: (e) => pathProblem(e.path, true),
    Symlink: (e) =>
      pathProblem(e.path, false) ??
      (e.linkTarget.length === 0 ? "a symlink target cannot be empty" : e.linkTarget.includes(0) ? "a symlink target cannot contain a NUL byte" : undefined),
    HardLink: (e) => {
      const own = pathProblem(e.path, false);
      const target = pathProblem(e.linkTarget, false);
      return own ?? (target === undefined ? undefined : `hard link target: ${target}`);
    },
  })(entry);

// Whether GNU tar could have written this entry: the header encoder assumes it.
export const validateTarEntry = (entry: TarEntry): E.Either<TarError, TarEntry> => {
  const reason = kindProblem(entry) ?? metadataProblem(entry) ?? xattrProblem(entry);
  return reason === undefined ? E.right(entry) : E.left({ _tag: "InvalidEntry", path: entry.path, reason });
};
