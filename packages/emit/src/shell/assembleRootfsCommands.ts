import type { RootfsEntry, StepOf } from "@ocistage/program";
import { matchRootfsEntry } from "@ocistage/program";
import { ownerWord, uniformOwner } from "./layerOwners.ts";
import { pathWord, shellQuote } from "./shellQuote.ts";
import { sourceChildWord, sourceWord } from "./sourcePath.ts";
import { writeContentCommands } from "./writeContent.ts";
import { refuseCapabilitiesCommand } from "./capabilityCommands.ts";

type Assemble = StepOf<"AssembleRootfs">;
type Copy = Extract<RootfsEntry, { _tag: "Copy" }>;

const at = (destination: string): string => pathWord("root", destination);

// chmod's numeric form with a leading zero: GNU chmod keeps a folder's setuid/setgid bits
// for `0755` but sets exactly what it is told for `00755`.
export const modeWord = (mode: number): string => `0${mode.toString(8).padStart(4, "0")}`;

// "a/b/c" → ["a", "a/b"]: the folders a destination implies.
const ancestorsOf = (destination: string): readonly string[] => {
  const parts = destination.split("/");
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join("/"));
};

const isBelow = (path: string, folder: string): boolean => folder === "" ? path !== "" : path.startsWith(`${folder}/`);
const depth = (path: string): number => (path === "" ? 0 : path.split("/").length);

// Placing the entries in spec order: implied parents first (each once), then the entry.
const placeCommands = (step: Assemble): readonly string[] => {
  const ensured = new Set<string>([""]);
  return step.entries.flatMap((entry) => {
    const parents = ancestorsOf(entry.destination).filter((p) => !ensured.has(p));
    for (const p of parents) ensured.add(p);
    // A folder the spec names is made a real folder by make_dir. A copy's destination is not
    // marked: what it copied may be a symlink, and implied_dir must refuse to write through one.
    if (entry._tag === "Directory") ensured.add(entry.destination);
    const place = matchRootfsEntry<string | undefined>({
      Copy: (e) => `copy_in ${sourceWord(e.source)} ${at(e.destination)}`,
      Symlink: (e) => `make_link ${shellQuote(e.target)} ${at(e.destination)}`,
      Content: (e) => writeContentCommands(e.destination, e.content),
      Directory: (e) => (e.destination === "" ? undefined : `make_dir ${at(e.destination)}`),
    })(entry);
    return [...parents.map((p) => `implied_dir ${at(p)}`), ...(place === undefined ? [] : [place])];
  });
};

// Owners, for a layer whose entries differ: the layer's owner everywhere, copied trees (shallow
// before deep), then every other entry; folders implied below a copied folder go back to the
// layer's owner unless one of the copies supplied them.
const ownerCommands = (step: Assemble): readonly string[] => {
  const copies = step.entries.filter((e): e is Copy => e._tag === "Copy");
  const named = new Set(step.entries.map((e) => e.destination));
  const implied = [...new Set(step.entries.flatMap((e) => ancestorsOf(e.destination)))].filter((p) => !named.has(p));
  const sameAsLayer = (e: RootfsEntry): boolean => e.owner.uid === step.owner.uid && e.owner.gid === step.owner.gid;
  const belowCopy = (path: string): readonly Copy[] => copies.filter((c) => isBelow(path, c.destination));
  return [
    `set_owner_tree ${ownerWord(step.owner)} "$root"`,
    ...[...copies].sort((a, b) => depth(a.destination) - depth(b.destination)).map((c) => `set_owner_tree ${ownerWord(c.owner)} ${at(c.destination)}`),
    ...step.entries
      .filter((e) => e._tag !== "Copy" && (!sameAsLayer(e) || belowCopy(e.destination).length > 0))
      .map((e) => `set_owner ${ownerWord(e.owner)} ${at(e.destination)}`),
    ...implied.flatMap((p) => {
      const covering = belowCopy(p);
      if (covering.length === 0) return [];
      const supplied = covering.map((c) => `! is_dir ${sourceChildWord(c.source, c.destination === "" ? p : p.slice(c.destination.length + 1))}`);
      return [`if ${supplied.join(" && ")}; then set_owner ${ownerWord(step.owner)} ${at(p)}; fi`];
    }),
  ];
};

// Modes: copied trees normalised, then every mode the spec gives, then the root's default.
const modeCommands = (step: Assemble): readonly string[] => {
  const explicit = step.entries.flatMap((e): readonly string[] =>
    matchRootfsEntry<readonly string[]>({
      Copy: (c) => (c.mode === undefined ? [] : [`set_mode ${modeWord(c.mode)} ${at(c.destination)}`]),
      Symlink: () => [],
      Content: (c) => [`set_mode ${modeWord(c.mode)} ${at(c.destination)}`],
      Directory: (d) => [`set_mode ${modeWord(d.mode)} ${at(d.destination)}`],
    })(e),
  );
  const rootGiven = step.entries.some((e) => e.destination === "" && (e._tag === "Directory" || (e._tag === "Copy" && e.mode !== undefined)));
  return [
    ...step.entries.flatMap((e) => (e._tag === "Copy" ? [`normalise_modes ${at(e.destination)}`] : [])),
    ...explicit,
    ...(rootGiven ? [] : [`set_mode ${modeWord(0o755)} "$root"`]),
  ];
};

export const scratchRootWord = (layer: string): string => pathWord("scratch", `rootfs-${layer}`);

export const assembleRootfsCommands = (step: Assemble): string =>
  [
    `root=${scratchRootWord(step.layer)}`,
    `mkdir -- "$root"`,
    ...placeCommands(step),
    ...(uniformOwner(step) === undefined
      ? [
          "# owners (this layer mixes them, so the tree itself carries them)",
          ...(step.entries.some((e) => e._tag === "Copy") ? [refuseCapabilitiesCommand(step.layer)] : []),
          ...ownerCommands(step),
        ]
      : []),
    "# modes: copies normalised (owner bits kept, group/other = owner minus write, no special bits), then the spec's",
    ...modeCommands(step),
  ].join("\n");
