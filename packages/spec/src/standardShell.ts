import type { FileEntry } from "./ImageSpec.ts";
import type { SpecIssue } from "./SpecError.ts";
import { BUSYBOX } from "./debugTools.ts";
import type { PlacedEntry } from "./standardEntries.ts";
import { destinationKey, destinationOf, fieldAt } from "./standardEntries.ts";

// The shell that runs a standard image's contracts (they are sh scripts), in this order:
// 1. `shell`, when the spec gives it: any program that runs a script given as its first argument
//    (its destination is the scripts' `#!` line);
// 2. else a runtime input at /bin/sh: the operable already brings a shell;
// 3. else Debian busybox-static's /bin/busybox copied to /bin/sh (statically linked, so it needs
//    no library; run as "sh", busybox is its shell).

/** The image's shell: its absolute path, and the entry to add for it (none when a runtime input is it). */
export interface ShellChoice {
  readonly path: string;
  readonly added?: PlacedEntry;
  readonly issues: readonly SpecIssue[];
}

const DEFAULT_SHELL: FileEntry = { source: BUSYBOX, destination: "/bin/sh", mode: 0o755 };

export const chooseShell = (shell: FileEntry | undefined, inputs: readonly PlacedEntry[], at: string): ShellChoice => {
  const origin = fieldAt(at, "shell");
  if (shell !== undefined) {
    const issues = "directory" in shell || "json" in shell ? [{ at: origin, message: "a shell is a program (a copy, symlink, script or content entry), not a folder or JSON" }] : [];
    return { path: `/${destinationKey(destinationOf(shell))}`, added: { entry: shell, origin }, issues };
  }
  if (inputs.some((p) => destinationKey(destinationOf(p.entry)) === "bin/sh")) return { path: "/bin/sh", issues: [] };
  return { path: "/bin/sh", added: { entry: DEFAULT_SHELL, origin, generated: true }, issues: [] };
};
