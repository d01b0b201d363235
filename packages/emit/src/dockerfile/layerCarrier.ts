import type { Owner, RootfsEntry, StepOf } from "@ocistage/program";
import { DEFAULT_DIR_MODE } from "@ocistage/program";
import type { DockerfileIssue } from "./DockerfileIssue.ts";
import { dockerfileIssue } from "./DockerfileIssue.ts";

// How a layer gets into the image as exactly one layer, as Docker and buildah 1.28 do it
// (checked with buildah here; Docker from its documentation and issue tracker):
//
// `COPY [--chown=uid:gid] <layer>/ /` is preferred: the context holds the plain tree.
// - It copies files, folders, symlinks and hard links with their modes from the context, sticky
//   bit included, and their mtimes; so modes travel in the context and --chmod (one mode for every
//   file and folder it copies) is never needed.
// - It drops the setuid and setgid bits of context files (classic Docker and buildah,
//   containers/buildah#574; BuildKit drops setuid from --chmod too, moby/buildkit#3920).
// - Everything it copies belongs to 0:0, or to the one owner of --chown; folders it creates on
//   the way to a destination get that owner too (buildah), so no COPY leaves "/srv" root's while
//   "/srv/www" is someone else's.
// `ADD <layer>.tar /` carries every layer exactly: builders unpack a local tar with each entry's
// owner and mode, setuid and setgid included (how `FROM scratch` + `ADD rootfs.tar /` base images
// keep /usr/bin/passwd setuid and /etc/shadow group shadow). It is used when COPY cannot: more
// than one owner below the root, a setuid or setgid entry, owners that depend on what a copied
// folder holds (a Copy owned by someone other than the layer, with entries deeper below it), a
// copy that keeps the owners on disk, or one that keeps the modes on disk: a copied file may be
// setuid or setgid, which only the build sees, and COPY would drop the bit (`modes: normalise`
// copies have none, so they can go by COPY).
//
// Neither carries the image root "/": builders leave it out of every layer. ocistage's `./` entry
// (0755, the layer's owner) is a tar-level detail; an explicit root mode other than 0755 would be
// lost, so it is refused.
//
// Spec paths: layer i is the i-th AssembleRootfs step, and entry j of a `files` layer is
// `files[j]` (lowering keeps the order). A `source` layer lowers to one Copy at the root, which
// has no mode to refuse.

export type LayerCarrier = { readonly _tag: "CopyTree"; readonly owner: Owner } | { readonly _tag: "AddTar"; readonly because: string };

const ROOT: Owner = { uid: 0, gid: 0 };
const octal = (mode: number): string => `0${mode.toString(8).padStart(3, "0")}`;
const ownerText = (owner: Owner): string => `${owner.uid}:${owner.gid}`;
const sameOwner = (a: Owner, b: Owner): boolean => a.uid === b.uid && a.gid === b.gid;
const isBelow = (path: string, folder: string): boolean => folder === "" || path.startsWith(`${folder}/`);
const parentOf = (path: string): string => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "");

type CopyEntry = Extract<RootfsEntry, { _tag: "Copy" }>;

// Folders destinations imply and no entry names or copies (a Copy brings its own folders).
const impliedFolders = (entries: readonly RootfsEntry[]): readonly string[] => {
  const named = new Set(entries.filter((e) => e._tag === "Directory").map((e) => e.destination));
  const copies = entries.filter((e): e is CopyEntry => e._tag === "Copy").map((e) => e.destination);
  const implied = new Set<string>();
  for (const entry of entries) {
    const parts = entry.destination.split("/");
    for (let n = 1; n < parts.length; n++) {
      const folder = parts.slice(0, n).join("/");
      if (!named.has(folder) && !copies.some((c) => c === folder || isBelow(folder, c))) implied.add(folder);
    }
  }
  return [...implied].sort();
};

// The owners of everything but the root, each with the paths that have it (for the reason).
const ownersOf = (step: StepOf<"AssembleRootfs">): ReadonlyMap<string, { readonly owner: Owner; readonly paths: readonly string[] }> => {
  const owners = new Map<string, { readonly owner: Owner; readonly paths: readonly string[] }>();
  const add = (owner: Owner, path: string): void => {
    owners.set(ownerText(owner), { owner, paths: [...(owners.get(ownerText(owner))?.paths ?? []), path] });
  };
  // A root Directory entry is only the root; a Copy to the root brings what lies below it.
  for (const entry of step.entries) if (entry._tag !== "Whiteout" && (entry.destination !== "" || entry._tag === "Copy") && entry.owner !== "keep") add(entry.owner, `/${entry.destination}`);
  for (const folder of impliedFolders(step.entries)) add(step.owner, `/${folder}`);
  return owners;
};

const setIdEntry = (entries: readonly RootfsEntry[]): string | undefined => {
  const found = entries.find((e) => e._tag !== "Symlink" && e._tag !== "Whiteout" && e.mode !== undefined && e.destination !== "" && (e.mode & 0o6000) !== 0);
  return found === undefined || found._tag === "Symlink" || found._tag === "Whiteout" || found.mode === undefined ? undefined : `/${found.destination} has mode ${octal(found.mode)}, and COPY drops setuid and setgid bits`;
};

// A Copy whose owner is not the layer's, with an entry deeper below it than its own children:
// the folders between are the copy's (its owner) or implied (the layer's) depending on what the
// copied folder holds, which only the build sees.
const ownerDependsOnSource = (step: StepOf<"AssembleRootfs">): string | undefined => {
  for (const copy of step.entries.filter((e): e is CopyEntry => e._tag === "Copy")) {
    if (copy.owner === "keep" || sameOwner(copy.owner, step.owner)) continue;
    const deeper = step.entries.find((e) => e !== copy && isBelow(e.destination, copy.destination) && parentOf(e.destination) !== copy.destination);
    if (deeper !== undefined)
      return `the owners of the folders between /${copy.destination} and /${deeper.destination} depend on what the copied folder holds (${ownerText(copy.owner)} or ${ownerText(step.owner)})`;
  }
  return undefined;
};

// A copy whose owners or modes come from disk: only the tar the build writes says what they are.
const keptFromDisk = (step: StepOf<"AssembleRootfs">): string | undefined => {
  const copies = step.entries.filter((e): e is CopyEntry => e._tag === "Copy");
  const owners = copies.find((c) => c.owner === "keep");
  if (owners !== undefined) return `${owners.at} keeps the owners its files have on disk (owners: keep), and one COPY gives one owner`;
  const modes = copies.find((c) => c.modes === "keep");
  if (modes !== undefined) return `${modes.at} keeps the modes its files have on disk (modes: keep, the default), setuid and setgid included, which COPY drops`;
  return undefined;
};

const rootModeIssues = (step: StepOf<"AssembleRootfs">, at: string): readonly DockerfileIssue[] =>
  step.entries.flatMap((entry, j) =>
    entry.destination === "" && entry._tag !== "Symlink" && entry._tag !== "Whiteout" && entry.mode !== undefined && entry.mode !== DEFAULT_DIR_MODE
      ? [dockerfileIssue(`${at}.files[${j}].mode`, `expected 0755 for the image root "/", found ${octal(entry.mode)}: builders leave "/" out of every layer, so no Dockerfile carries its mode`)]
      : [],
  );

// The instruction that carries layer `index`, or why none can.
// Deletions need `RUN rm` (a shell in the image) and a builder that keeps them as one layer's whiteouts.
const whiteoutIssues = (step: StepOf<"AssembleRootfs">): readonly DockerfileIssue[] =>
  step.entries.flatMap((e) =>
    e._tag === "Whiteout"
      ? [dockerfileIssue(e.at, "a Dockerfile deletes a path of the layers below only with RUN rm, which needs a shell in the image; the emitter does not write one")]
      : e._tag === "Directory" && e.opaque === true
        ? [dockerfileIssue(`${e.at.replace(/\.directory$/, "")}.opaque`, "a Dockerfile cannot make a folder opaque (hide what the layers below hold in it)")]
        : [],
  );

export const layerCarrier = (step: StepOf<"AssembleRootfs">, index: number): { readonly carrier: LayerCarrier; readonly issues: readonly DockerfileIssue[] } => {
  const issues = [...rootModeIssues(step, `layers[${index}]`), ...whiteoutIssues(step)];
  const owners = ownersOf(step);
  const mixed =
    owners.size > 1
      ? `its files and folders have more than one owner (${[...owners].map(([text, { paths }]) => `${text} for ${paths.slice(0, 2).join(", ")}${paths.length > 2 ? ", …" : ""}`).join("; ")}), and a COPY gives everything it copies the same owner`
      : undefined;
  const because = mixed ?? setIdEntry(step.entries) ?? ownerDependsOnSource(step) ?? keptFromDisk(step);
  const owner = [...owners.values()][0]?.owner ?? ROOT;
  return { carrier: because === undefined ? { _tag: "CopyTree", owner } : { _tag: "AddTar", because }, issues };
};
