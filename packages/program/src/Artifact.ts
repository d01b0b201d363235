// Names of the things steps read and write. Plain strings so a program stays JSON;
// the prefix says where the thing lives.
//   source:<path>      a file or folder given by the spec (relative to the spec's folder, or absolute)
//   scratch:<name>     a working tree under the output's scratch folder, gone after clean-scratch
//   blob:<name>        a content-addressed blob in blobs/sha256 (named by role; its digest is known only at run time)
//   file:<path>        a file of the finished layout, relative to the output folder
export type Artifact = string;

export const sourceArtifact = (path: string): Artifact => `source:${path}`;
export const scratchArtifact = (name: string): Artifact => `scratch:${name}`;
export const blobArtifact = (name: string): Artifact => `blob:${name}`;
export const fileArtifact = (path: string): Artifact => `file:${path}`;

export const layerBlob = (layer: string): Artifact => blobArtifact(`layer-${layer}`);
export const rootfsScratch = (layer: string): Artifact => scratchArtifact(`rootfs-${layer}`);
// `suffix` is "" in a program of one image (the seed's names), "-<image id>" otherwise.
export const configBlob = (suffix: string): Artifact => blobArtifact(`config${suffix}`);
export const manifestBlob = (suffix: string): Artifact => blobArtifact(`manifest${suffix}`);
// A base image's layer blob, reused by digest (`sha256:…`).
export const baseLayerBlob = (digest: string): Artifact => blobArtifact(`base-layer-${digest}`);
export const imageIndexBlob = (group: string): Artifact => blobArtifact(`image-index-${group}`);
export const LAYOUT_FILE: Artifact = fileArtifact("oci-layout");
export const INDEX_FILE: Artifact = fileArtifact("index.json");
export const ARCHIVE_FILE: Artifact = fileArtifact("image.oci.tar");
