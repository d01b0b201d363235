import picomatch from "picomatch";
import type { FileEntry } from "./ImageSpec.ts";
import type { SpecIssue } from "./SpecError.ts";
import type { Perm } from "./StandardImage.ts";
import type { PlacedEntry } from "./standardEntries.ts";
import { destinationKey, destinationOf, fieldAt } from "./standardEntries.ts";

// A standard image's `perms` (seed 001): glob patterns over image paths (picomatch's syntax:
// `*` and `?` within a name, `**` across names, dot files included), each giving a mode and/or an
// owner to every entry whose destination it matches. They apply to the paths the runtime inputs
// and setup tasks name (a copied folder's own mode and the owner of all it copies), not to paths
// inside a copied folder, which are known only when the build reads it. Later rules win.

const withPerm = (entry: FileEntry, perm: Perm): FileEntry => ({
  ...entry,
  ...(perm.mode === undefined || "symlink" in entry ? {} : { mode: perm.mode }), // a symlink has no mode of its own
  ...(perm.uid === undefined ? {} : { uid: perm.uid }),
  ...(perm.gid === undefined ? {} : { gid: perm.gid }),
});

/**
 * `entries` with every rule of `perms` applied in order. A rule that is not absolute, gives
 * neither mode nor owner, or matches no entry is an error at `perms[i]` (a pattern that matches
 * nothing is most often a typo); so is an owner for a copy that keeps the owners on disk.
 */
export const applyPerms = (entries: readonly PlacedEntry[], perms: readonly Perm[], at: string): { readonly entries: readonly PlacedEntry[]; readonly issues: readonly SpecIssue[] } => {
  const issues: SpecIssue[] = [];
  let current = entries;
  perms.forEach((perm, i) => {
    const permAt = `${fieldAt(at, "perms")}[${i}]`;
    if (!perm.path.startsWith("/")) return void issues.push({ at: `${permAt}.path`, message: `expected an absolute path pattern (starting with /), found ${JSON.stringify(perm.path)}` });
    if (perm.mode === undefined && perm.uid === undefined && perm.gid === undefined) return void issues.push({ at: permAt, message: "expected at least one of mode, uid, gid" });
    const matches = picomatch(perm.path, { dot: true });
    const hit = (p: PlacedEntry): boolean => matches(`/${destinationKey(destinationOf(p.entry))}`);
    if (!current.some(hit)) {
      const named = current.map((p) => `/${destinationKey(destinationOf(p.entry))}`).join(", ");
      return void issues.push({ at: `${permAt}.path`, message: `${JSON.stringify(perm.path)} matches none of the paths the runtime inputs and setup name (${named})` });
    }
    for (const p of current.filter(hit))
      if ("source" in p.entry && p.entry.owners === "keep" && (perm.uid !== undefined || perm.gid !== undefined))
        issues.push({ at: permAt, message: `gives an owner to ${p.origin}, a copy that keeps the owners on disk (owners: "keep")` });
    current = current.map((p) => (hit(p) ? { ...p, entry: withPerm(p.entry, perm) } : p));
  });
  return { entries: current, issues };
};
