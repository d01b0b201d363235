import type { ExcludeRule } from "./ExcludeRule.ts";

// One thing a layer's root filesystem holds, as the spec asked for it.
// `destination` is normalised: relative to the image root, no leading "/", no "." or ".." segments;
// "" is the root itself. Owners are explicit.
export interface Owner {
  readonly uid: number;
  readonly gid: number;
}

// How a copy sets the modes of what it copies (the copied source itself takes `mode` when given):
// - keep: the permission bits on disk, setuid, setgid and sticky included (as Docker's COPY of a
//   context file and GNU tar do): nothing gets a permission its source did not have;
// - normalise: owner bits kept, group and other get the owner's bits without write, no setuid,
//   setgid or sticky (`chmod ug-s,o-t,go=u,go-w`): for trees checked out from version control,
//   whose group/other bits only say what the umask of the checkout was.
export type CopyModes = "keep" | "normalise";

// Who owns what a copy copies: one owner for every node, or "keep": each node's numeric uid and
// gid on disk (root filesystems, whose /etc/shadow is group shadow).
export type CopyOwner = Owner | "keep";

// `at` is where the spec gave the entry (`layers[0].files[2]`, `layers[1].source`), so an
// interpreter's error can name the spec field without re-reading the spec. A Copy's `exclude`
// rules are matched against the paths below its source (see ExcludeRule.ts). `closureOf` marks
// an entry a closure brought (a library or a link to one): the sources of the `closure: true`
// programs that need it, for the docs; the entry is an ordinary copy or symlink otherwise.
export type RootfsEntry =
  | {
      readonly _tag: "Copy";
      readonly at: string;
      readonly source: string;
      readonly destination: string;
      readonly mode?: number;
      readonly modes: CopyModes;
      readonly owner: CopyOwner;
      readonly exclude: readonly ExcludeRule[];
      readonly closureOf?: readonly string[];
    }
  | { readonly _tag: "Symlink"; readonly at: string; readonly target: string; readonly destination: string; readonly owner: Owner; readonly closureOf?: readonly string[] }
  | { readonly _tag: "Content"; readonly at: string; readonly content: string; readonly destination: string; readonly mode: number; readonly owner: Owner }
  // `opaque`: the folder hides everything the layers below hold in it (a `.wh..wh..opq` inside).
  | { readonly _tag: "Directory"; readonly at: string; readonly destination: string; readonly mode: number; readonly owner: Owner; readonly opaque?: true }
  // Deletes `destination` from the layers below: a `.wh.NAME` file beside it (image-spec layer.md, "Whiteouts").
  | { readonly _tag: "Whiteout"; readonly at: string; readonly destination: string };

export const DEFAULT_FILE_MODE = 0o644;
export const DEFAULT_DIR_MODE = 0o755;

export const matchRootfsEntry =
  <R>(handlers: { readonly [K in RootfsEntry["_tag"]]: (entry: Extract<RootfsEntry, { _tag: K }>) => R }) =>
  (entry: RootfsEntry): R => {
    switch (entry._tag) {
      case "Copy":
        return handlers.Copy(entry);
      case "Symlink":
        return handlers.Symlink(entry);
      case "Content":
        return handlers.Content(entry);
      case "Directory":
        return handlers.Directory(entry);
      case "Whiteout":
        return handlers.Whiteout(entry);
    }
  };

/** image-spec layer.md, "Whiteouts": the name prefix of a deletion, and the name that makes a folder opaque. */
export const WHITEOUT_PREFIX = ".wh.";
export const OPAQUE_WHITEOUT = ".wh..wh..opq";

/** The layer path of the file that writes a whiteout: `usr/bin/wget` → `usr/bin/.wh.wget`. */
export const whiteoutPath = (destination: string): string => {
  const slash = destination.lastIndexOf("/");
  return slash < 0 ? `${WHITEOUT_PREFIX}${destination}` : `${destination.slice(0, slash)}/${WHITEOUT_PREFIX}${destination.slice(slash + 1)}`;
};

/** The layer path of an opaque folder's marker: `etc/app` → `etc/app/.wh..wh..opq`. */
export const opaquePath = (folder: string): string => (folder === "" ? OPAQUE_WHITEOUT : `${folder}/${OPAQUE_WHITEOUT}`);

/** Mode and owner of whiteout files: empty regular files, root's, readable (a naive extractor makes them harmless). */
export const WHITEOUT_MODE = 0o644;
