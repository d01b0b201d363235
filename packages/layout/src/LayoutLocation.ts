/**
 * Where in a layout something is, as the chain of descriptors followed from a root file:
 * `index.json manifests[0] → manifest layers[1]` reads "the descriptor at `manifests[0]` of
 * index.json leads to a manifest, whose `layers[1]` is the place meant".
 */

/** One descriptor followed: the document it sits in and the field holding it. */
export interface Hop {
  readonly document: string;
  readonly field: string;
}

export interface LayoutLocation {
  /** Descriptors followed to get here, root first. */
  readonly via: readonly Hop[];
  /** The file (`index.json`, `oci-layout`, `blobs/sha256/…`) or kind of document (`manifest`) reached. */
  readonly document: string;
  /** A field inside that document (`layers[1]`, `rootfs.diff_ids`); absent for the document itself. */
  readonly field?: string;
}

/** A location that names a field, e.g. a descriptor, which can therefore be followed. */
export type FieldLocation = LayoutLocation & { readonly field: string };

export const atFile = (name: string): LayoutLocation => ({ via: [], document: name });

/** A field inside the located document or field; an empty field path is the place itself. */
export const atField = (at: LayoutLocation, field: string): FieldLocation => {
  if (at.field === undefined || at.field === "") return { ...at, field };
  if (field === "") return { ...at, field: at.field };
  return { ...at, field: field.startsWith("[") ? `${at.field}${field}` : `${at.field}.${field}` };
};

/** The document a descriptor leads to. */
export const follow = (descriptorAt: FieldLocation, document: string): LayoutLocation => ({
  via: [...descriptorAt.via, { document: descriptorAt.document, field: descriptorAt.field }],
  document,
});

const hop = (document: string, field: string | undefined): string =>
  field === undefined || field === "" ? document : `${document} ${field}`;

export const formatLocation = (at: LayoutLocation): string =>
  [...at.via.map((h) => hop(h.document, h.field)), hop(at.document, at.field)].join(" → ");
