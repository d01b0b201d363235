import type { Owner, RootfsEntry, StepOf } from "@ocistage/program";
import { WHITEOUT_MODE, matchRootfsEntry, opaquePath, whiteoutPath } from "@ocistage/program";
import { excludeFunction } from "./excludeCommands.ts";
import { ownerWord, uniformOwner } from "./layerOwners.ts";
import { pathWord, shellQuote } from "./shellQuote.ts";
import { sourceWord } from "./sourcePath.ts";
import { writeContentCommands } from "./writeContent.ts";

type Assemble = StepOf<"AssembleRootfs">;
type Copy = Extract<RootfsEntry, { _tag: "Copy" }>;

const at = (destination: string): string => pathWord("root", destination);
const ROOT: Owner = { uid: 0, gid: 0 };

// chmod's numeric form with a leading zero: GNU chmod keeps a folder's setuid/setgid bits
// for `0755` but sets exactly what it is told for `00755`.
export const modeWord = (mode: number): string => `0${mode.toString(8).padStart(4, "0")}`;

// "a/b/c" → ["a", "a/b"]: the folders a destination implies.
const ancestorsOf = (destination: string): readonly string[] => {
  const parts = destination.split("/");
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join("/"));
};

// copy_in's OWNER word: "-" when tar gives the whole layer one owner (the scratch tree's owners
// do not matter), else the copy's owner or "keep".
const copyOwnerWord = (copy: Copy, owned: boolean): string => (!owned ? "-" : copy.owner === "keep" ? "keep" : ownerWord(copy.owner));

const copyCommands = (copy: Copy, owned: boolean): readonly string[] => {
  const call = `copy_in ${sourceWord(copy.source)} ${at(copy.destination)} ${copyOwnerWord(copy, owned)} ${copy.modes}`;
  return copy.exclude.length === 0 ? [call] : [excludeFunction(copy.exclude, copy.at), `${call} copy_excluded`];
};

// Placing the entries in spec order: implied parents first (each once), then the entry. In a
// layer that mixes owners (`owned`), each node gets its owner as it is made: a folder a
// destination implies the layer's (only if nothing made it before), an entry its own, a copy
// the copy's (copy_in); nothing is chown'ed after a copy, which would clear setuid bits.
const placeCommands = (step: Assemble, owned: boolean): readonly string[] => {
  const ensured = new Set<string>([""]);
  const ownedBy = (owner: Owner, destination: string): readonly string[] => (owned ? [`set_owner ${ownerWord(owner)} ${at(destination)}`] : []);
  let closure = "";
  return step.entries.flatMap((entry) => {
    // Files a closure brought are plain copies and links; a comment says whose (names JSON-quoted: one line).
    const programs = (entry._tag === "Copy" || entry._tag === "Symlink" ? (entry.closureOf ?? []) : []).map((p) => JSON.stringify(p)).join(", ");
    const note = programs !== "" && programs !== closure ? [`# closure of ${programs}`] : [];
    closure = programs;
    const parents = ancestorsOf(entry.destination).filter((p) => !ensured.has(p));
    for (const p of parents) ensured.add(p);
    // A folder the spec names is made a real folder by make_dir. A copy's destination is not
    // marked: what it copied may be a symlink, and implied_dir must refuse to write through one.
    if (entry._tag === "Directory") ensured.add(entry.destination);
    const place = matchRootfsEntry<readonly string[]>({
      Copy: (e) => copyCommands(e, owned),
      Symlink: (e) => [`make_link ${shellQuote(e.target)} ${at(e.destination)}`, ...ownedBy(e.owner, e.destination)],
      Content: (e) => [writeContentCommands(e.destination, e.content), ...ownedBy(e.owner, e.destination)],
      Directory: (e) => [
        ...(e.destination === "" ? [] : [`make_dir ${at(e.destination)}`]),
        ...ownedBy(e.owner, e.destination),
        ...(e.opaque === true ? [writeContentCommands(opaquePath(e.destination), ""), ...ownedBy(ROOT, opaquePath(e.destination))] : []),
      ],
      // image-spec layer.md, "Whiteouts": an empty file .wh.NAME beside what it deletes.
      Whiteout: (e) => [writeContentCommands(whiteoutPath(e.destination), ""), ...ownedBy(ROOT, whiteoutPath(e.destination))],
    })(entry);
    const impliedOwner = owned ? ` ${ownerWord(step.owner)}` : "";
    return [...note, ...parents.map((p) => `implied_dir ${at(p)}${impliedOwner}`), ...place];
  });
};

// Modes: every mode the spec gives, then the root's default (copies set theirs as they copy).
const modeCommands = (step: Assemble): readonly string[] => {
  const explicit = step.entries.flatMap((e): readonly string[] =>
    matchRootfsEntry<readonly string[]>({
      Copy: (c) => (c.mode === undefined ? [] : [`set_mode ${modeWord(c.mode)} ${at(c.destination)}`]),
      Symlink: () => [],
      Content: (c) => [`set_mode ${modeWord(c.mode)} ${at(c.destination)}`],
      Directory: (d) => [`set_mode ${modeWord(d.mode)} ${at(d.destination)}`, ...(d.opaque === true ? [`set_mode ${modeWord(WHITEOUT_MODE)} ${at(opaquePath(d.destination))}`] : [])],
      Whiteout: (w) => [`set_mode ${modeWord(WHITEOUT_MODE)} ${at(whiteoutPath(w.destination))}`],
    })(e),
  );
  const rootGiven = step.entries.some((e) => e.destination === "" && (e._tag === "Directory" || (e._tag === "Copy" && e.mode !== undefined)));
  return [...explicit, ...(rootGiven ? [] : [`set_mode ${modeWord(0o755)} "$root"`])];
};

export const scratchRootWord = (layer: string): string => pathWord("scratch", `rootfs-${layer}`);

export const assembleRootfsCommands = (step: Assemble): string => {
  const owned = uniformOwner(step) === undefined;
  return [
    `root=${scratchRootWord(step.layer)}`,
    `mkdir -- "$root"`,
    ...(owned ? ["# owners: this layer mixes them, so each node gets its own as it is made", `set_owner ${ownerWord(step.owner)} "$root"`] : []),
    ...placeCommands(step, owned),
    "# modes: copies set theirs (kept or normalised, as each says); then the spec's",
    ...modeCommands(step),
  ].join("\n");
};
