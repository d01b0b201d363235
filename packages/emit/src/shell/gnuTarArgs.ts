import type { Owner } from "@ocistage/program";

// The flags every GNU tar call of the script passes, as data. They must equal the build's
// GNU_TAR_FIXED_ARGS (packages/build/src/tar/TarOptions.ts; a test in this package holds them
// equal): emit may not import the build, and a drift would break byte identity.
export const GNU_TAR_FIXED_ARGS: readonly string[] = ["--format=gnu", "-b1", "--sort=name", "--numeric-owner"];

// The build's gnuTarCreateArgs with `modes: "keep"` (the script's chmod did that work):
// owners forced with --owner/--group when `owner` is given, else the numeric owners on disk.
export const gnuTarCreateWords = (owner: Owner | "keep", mtime: number, directoryWord: string, archiveWord: string): readonly string[] => [
  ...GNU_TAR_FIXED_ARGS,
  ...(owner === "keep" ? [] : [`--owner=${owner.uid}`, `--group=${owner.gid}`]),
  `--mtime=@${mtime}`,
  "-C",
  directoryWord,
  "-cf",
  archiveWord,
  ".",
];
