import type { Owner } from "@ocistage/program";

// The flags every GNU tar call of the script passes, as data. They must equal the build's
// GNU_TAR_FIXED_ARGS (packages/tar/src/TarOptions.ts; a test in this package holds them
// equal): emit may not import the build, and a drift would break byte identity.
export const GNU_TAR_FIXED_ARGS: readonly string[] = ["--format=gnu", "-b1", "--sort=name", "--numeric-owner"];

// The flags that replace --format=gnu for a layer that keeps file capabilities: the tar
// package's GNU_TAR_PAX_ARGS (TarFormat.ts), held equal by the same test.
export const GNU_TAR_PAX_ARGS: readonly string[] = [
  "--format=posix",
  "--pax-option=delete=atime,delete=ctime,exthdr.name=%d/PaxHeaders/%f",
  "--xattrs",
  "--xattrs-include=security.capability",
];

const fixedArgs = (format: "gnu" | "pax"): readonly string[] =>
  format === "pax" ? [...GNU_TAR_PAX_ARGS, ...GNU_TAR_FIXED_ARGS.filter((a) => a !== "--format=gnu")] : GNU_TAR_FIXED_ARGS;

// The build's gnuTarCreateArgs with `modes: "keep"` (the script's chmod did that work):
// owners forced with --owner/--group when `owner` is given, else the numeric owners on disk;
// `format` as the build's layerTarFormat chose it (the script decides at run time).
export const gnuTarCreateWords = (owner: Owner | "keep", mtime: number, directoryWord: string, archiveWord: string, format: "gnu" | "pax" = "gnu"): readonly string[] => [
  ...fixedArgs(format),
  ...(owner === "keep" ? [] : [`--owner=${owner.uid}`, `--group=${owner.gid}`]),
  `--mtime=@${mtime}`,
  "-C",
  directoryWord,
  "-cf",
  archiveWord,
  ".",
];
