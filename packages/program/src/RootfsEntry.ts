// One thing a layer's root filesystem holds, as the spec asked for it.
// `destination` is normalised: relative to the image root, no leading "/", no "." or ".." segments;
// "" is the root itself. Owners are explicit; a missing `mode` means "normalise the source's mode"
// (owner bits kept, group/other = owner without write).
export interface Owner {
  readonly uid: number;
  readonly gid: number;
}

// `at` is where the spec gave the entry (`layers[0].files[2]`, `layers[1].source`), so an
// interpreter's error can name the spec field without re-reading the spec.
export type RootfsEntry =
  | { readonly _tag: "Copy"; readonly at: string; readonly source: string; readonly destination: string; readonly mode?: number; readonly owner: Owner }
  | { readonly _tag: "Symlink"; readonly at: string; readonly target: string; readonly destination: string; readonly owner: Owner }
  | { readonly _tag: "Content"; readonly at: string; readonly content: string; readonly destination: string; readonly mode: number; readonly owner: Owner }
  | { readonly _tag: "Directory"; readonly at: string; readonly destination: string; readonly mode: number; readonly owner: Owner };

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
    }
  };
