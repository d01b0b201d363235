import * as E from "fp-ts/lib/Either.js";
import { isUtf8 } from "node:buffer";
import { closeSync, constants, openSync } from "node:fs";
import { getAttributeSync, listAttributesSync } from "fs-xattr";
import type { TarXattr } from "./TarEntry.ts";
import type { TarError } from "./TarError.ts";
import { reasonOf } from "./TarError.ts";

// The one extended attribute a layer keeps: a file's capabilities (`setcap cap_net_raw+ep`),
// which the kernel reads from it at exec. Others (user.*, security.selinux, ACLs, trusted.*)
// are dropped, as GNU tar drops them with --xattrs-include=security.capability.
export const CAPABILITY_XATTR = "security.capability";

// O_PATH (Linux; not in fs.constants): a descriptor that names an inode, a symlink included with
// O_NOFOLLOW, without opening it for reading.
const O_PATH = 0o10000000;

const codeOf = (e: unknown): string | undefined => (e instanceof Error ? (e as NodeJS.ErrnoException).code : undefined);

// listxattr first: a file without the attribute (nearly all of them) then costs no thrown error,
// which getxattr's ENODATA would be (~10 µs each, more than the lstat that found the file).
const readAt = (path: string): readonly TarXattr[] => {
  if (!listAttributesSync(path).includes(CAPABILITY_XATTR)) return [];
  try {
    return [{ name: CAPABILITY_XATTR, value: new Uint8Array(getAttributeSync(path, CAPABILITY_XATTR)) }];
  } catch (e) {
    if (codeOf(e) === "ENODATA") return []; // removed between the two calls
    throw e;
  }
};

// What GNU tar (`--xattrs --xattrs-include=security.capability`, which uses llistxattr and
// lgetxattr) records of the file at `path`: its security.capability, or nothing. A symlink's own
// attribute is read, never its target's. `path` is raw bytes (names need not be UTF-8).
//
// fs-xattr takes paths as strings and follows symlinks, so a symlink, or a name that is not
// UTF-8, is read through /proc/self/fd/N of an O_PATH|O_NOFOLLOW descriptor: the kernel resolves
// that to the very inode, whatever its name. A file system without extended attributes has
// none to give; any other failure is an error naming the file.
export const readCapability = (path: Uint8Array | string, isSymlink: boolean): E.Either<TarError, readonly TarXattr[]> => {
  const bytes = typeof path === "string" ? Buffer.from(path) : Buffer.from(path.buffer, path.byteOffset, path.byteLength);
  const failed = (operation: string, e: unknown): E.Either<TarError, readonly TarXattr[]> =>
    codeOf(e) === "ENOTSUP" ? E.right([]) : E.left({ _tag: "Unreadable", path: bytes, operation, reason: reasonOf(e) });
  if (!isSymlink && isUtf8(bytes)) {
    try {
      return E.right(readAt(typeof path === "string" ? path : bytes.toString("utf8")));
    } catch (e) {
      return failed(`read ${CAPABILITY_XATTR}`, e);
    }
  }
  let fd: number;
  try {
    fd = openSync(bytes, O_PATH | constants.O_NOFOLLOW);
  } catch (e) {
    return failed("open", e);
  }
  try {
    return E.right(readAt(`/proc/self/fd/${fd}`));
  } catch (e) {
    return failed(`read ${CAPABILITY_XATTR}`, e);
  } finally {
    closeSync(fd);
  }
};
