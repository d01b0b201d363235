import * as E from "fp-ts/lib/Either.js";
import { MAX_TAR_ID } from "./TarEntry.ts";
import type { TarError } from "./TarError.ts";
import type { TarFormat } from "./TarFormat.ts";
import { GNU_TAR_PAX_ARGS } from "./TarFormat.ts";
import { GNU_TAR_MODE_CHANGE } from "./tarMode.ts";

// The knobs of a layer tar, shared by the tree walker (which applies them to what lstat says)
// and by the GNU tar command line (which makes GNU tar apply them), so the two cannot drift.
export interface TarOptions {
  // Every entry's mtime, whole seconds since the epoch (--mtime=@N).
  readonly mtime: number;
  // Every entry's owner (--owner=N --group=M), or the numeric owners the files have on disk.
  readonly owner: TarOwner | "keep";
  // `normalise`: --mode='go=u,go-w' (see tarMode.ts); `keep`: the permission bits on disk.
  readonly modes: "normalise" | "keep";
  // "gnu" when absent. "pax" also records each entry's security.capability (TarFormat.ts).
  readonly format?: TarFormat;
}

export interface TarOwner {
  readonly uid: number;
  readonly gid: number;
}

// The canonical layer tar: root-owned, modes normalised, one fixed mtime.
export const canonicalTarOptions = (mtime: number, owner: TarOwner = { uid: 0, gid: 0 }): TarOptions => ({ mtime, owner, modes: "normalise" });

const idProblem = (what: string, id: number): string | undefined =>
  Number.isInteger(id) && id >= 0 && id <= MAX_TAR_ID
    ? undefined
    : `${what} ${id} is not within 0..${MAX_TAR_ID} (GNU tar reads ${MAX_TAR_ID + 1} as "not given" and rejects larger values)`;

export const validateTarOptions = (options: TarOptions): E.Either<TarError, TarOptions> => {
  const reason = !Number.isSafeInteger(options.mtime)
    ? `mtime ${options.mtime} is not a whole number of seconds`
    : options.owner === "keep"
      ? undefined
      : (idProblem("uid", options.owner.uid) ?? idProblem("gid", options.owner.gid));
  return reason === undefined ? E.right(options) : E.left({ _tag: "InvalidOptions", reason });
};

// Flags that never vary:
// --format=gnu    ././@LongLink records for long names, base-256 for big numbers, no PAX headers
//                 (which would carry atime/ctime and break reproducibility)
// -b1             512-byte records: the archive ends right after its two zero blocks, with no
//                 padding to the default 10 KiB record (GNU tar then
//                 writes 512 bytes per write(2): ~3.5 s per GiB more than -b20)
// --sort=name     children in strcmp order, whatever readdir returns
// --numeric-owner empty uname/gname, so the build host's /etc/passwd does not leak in
export const GNU_TAR_FIXED_ARGS: readonly string[] = ["--format=gnu", "-b1", "--sort=name", "--numeric-owner"];

// The argv (without the program name) that makes GNU tar 1.34 write exactly the bytes of
// writeTar(walkTree(directory, options)). `archive` "-" is stdout. Owners are passed as bare
// decimal numbers: GNU tar looks up anything else (even "+1000") as a user name and silently
// keeps the file's owner when there is no such user. Callers quote for their shell.
export const gnuTarCreateArgs = (options: TarOptions, directory: string, archive = "-"): readonly string[] =>
  argsWith(`@${options.mtime}`, options, directory, archive);

// GNU_TAR_FIXED_ARGS, with the pax format's flags in place of --format=gnu when asked for.
const fixedArgs = (format: TarFormat | undefined): readonly string[] =>
  format === "pax" ? [...GNU_TAR_PAX_ARGS, ...GNU_TAR_FIXED_ARGS.filter((a) => a !== "--format=gnu")] : GNU_TAR_FIXED_ARGS;

const argsWith = (mtime: string, options: Omit<TarOptions, "mtime">, directory: string, archive: string): readonly string[] => [
  ...fixedArgs(options.format),
  ...(options.owner === "keep" ? [] : [`--owner=${options.owner.uid}`, `--group=${options.owner.gid}`]),
  `--mtime=${mtime}`,
  ...(options.modes === "normalise" ? [`--mode=${GNU_TAR_MODE_CHANGE}`] : []),
  "-C",
  directory,
  "-cf",
  archive,
  ".",
];

// The canonical invocation with shell-style placeholders, for documentation and the shell
// emitter: tar --format=gnu -b1 --sort=name --numeric-owner --owner=0 --group=0
//   --mtime=@$EPOCH --mode=go=u,go-w -C $ROOT -cf - .
export const GNU_TAR_CANONICAL_ARGS: readonly string[] = argsWith("@$EPOCH", { owner: { uid: 0, gid: 0 }, modes: "normalise" }, "$ROOT", "-");

// The version every rule here was checked against.
export const GNU_TAR_VERSION = "1.34";
