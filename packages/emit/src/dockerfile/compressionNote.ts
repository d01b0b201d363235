import type { Compression } from "@ocistage/program";

/**
 * The Dockerfile's word on compressed layers: a Dockerfile cannot say how its layers are stored
 * (the builder keeps them its own way and compresses them when it pushes or exports), so the
 * spec's `compression` is left to the builder, said in a comment rather than refused: the same
 * layers, the same diff_ids, a blob compressed by the builder. Nothing for uncompressed layers.
 */
export const compressionNote = (layers: readonly string[], compression: ReadonlyMap<string, Compression>): readonly string[] => {
  const compressed = layers.filter((layer) => (compression.get(layer) ?? "none") !== "none");
  if (compressed.length === 0) return [];
  const said = compressed.map((layer) => `${layer} ${compression.get(layer) ?? "none"}`).join(", ");
  return [
    `# compression (${said}) is not carried: a builder stores layers its own way and compresses them`,
    "# when it pushes (buildah push --compression-format gzip|zstd); the diff_ids are the same.",
  ];
};
