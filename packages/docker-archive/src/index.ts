// The docker save / docker load archive (moby's image/docker-archive format): written from an OCI
// layout, read and checked, and converted into an OCI layout byte for byte.
export * from "./DockerArchiveError.ts";
export * from "./dockerManifest.ts";
export * from "./dockerConfigToOci.ts";
export * from "./readDockerArchive.ts";
export * from "./dockerArchiveToLayout.ts";
export type { StoredLayer } from "./storeLayerMember.ts";
export * from "./writeDockerArchive.ts";
export { legacyLayers } from "./legacyLayers.ts";
