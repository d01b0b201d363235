import type { Compression, Program } from "@ocistage/program";
import { COMPRESSION_LEVEL } from "@ocistage/program";
import { commentText } from "./shellQuote.ts";

// Compressed layers in the shell substrate: the host's gzip and zstd compress them, so their
// diff_ids (the tars' digests) and the config are the build's, and their blobs are whatever this
// host's compressor writes (a valid layer, not the build's bytes). Everything here is added only
// for a program with a compressed layer: an uncompressed program's script is what it always was.

/** Layers stored compressed, by codec, in program order. */
export const compressedLayers = (program: Program): ReadonlyMap<Exclude<Compression, "none">, readonly string[]> => {
  const by = new Map<Exclude<Compression, "none">, string[]>();
  for (const step of program.steps) if (step._tag === "TarLayer" && step.compression !== "none") by.set(step.compression, [...(by.get(step.compression) ?? []), step.layer]);
  return by;
};

// The exact command for each codec: gzip without a name or time (-n), zstd quiet; both at the build's level.
const COMMANDS: Readonly<Record<Exclude<Compression, "none">, { readonly command: string; readonly suffix: string }>> = {
  gzip: { command: `gzip -n -${COMPRESSION_LEVEL.gzip}`, suffix: "gz" },
  zstd: { command: `zstd -q -${COMPRESSION_LEVEL.zstd}`, suffix: "zst" },
};

/** The header's paragraph on compressed layers; none for an uncompressed program. */
export const compressionHeader = (program: Program): string => {
  const by = compressedLayers(program);
  if (by.size === 0) return "";
  const which = [...by].map(([codec, layers]) => `${codec}: ${layers.map(commentText).join(", ")}`).join("; ");
  return `
# Compressed layers (${which}) are compressed by this host's ${[...by.keys()].map((c) => COMMANDS[c].command).join(" and ")}, not by
#   the build's pinned compressor: their diff_ids, and so the config, are the build's; their
#   blobs, and so the manifest, index.json and image.oci.tar, are this compressor's (the same
#   bytes on hosts with the same ${[...by.keys()].join(" and ")} version).`;
};

/** The tools the prelude checks besides tar and coreutils. */
export const compressionTools = (program: Program): readonly string[] => [...compressedLayers(program).keys()];

/** The prelude's helper and environment for compressed layers; "" for an uncompressed program. */
export const compressionHelpers = (program: Program): string => {
  const by = compressedLayers(program);
  if (by.size === 0) return "";
  const branches = [...by.keys()].map((codec) => `    ${codec}) ${COMMANDS[codec].command} < "$2" > "$2.${COMMANDS[codec].suffix}"; packed=$2.${COMMANDS[codec].suffix} ;;`);
  return `
# The compressors read options from these: nothing from the caller's environment may change them.
unset GZIP ZSTD_CLEVEL ZSTD_NBTHREADS

# compress_layer gzip|zstd TAR: diff_hex is TAR's sha256 (the layer's diff_id); TAR is replaced by
# its compressed copy, named in $packed
compress_layer() {
  diff_hex=$(sha256sum < "$2")
  diff_hex=\${diff_hex%% *}
  case $1 in
${branches.join("\n")}
  esac
  rm -f -- "$2"
}
`;
};

/** A compressed layer's tar step, after its tar is written: compress, store, and keep both digests. */
export const compressLayerCommands = (codec: Exclude<Compression, "none">, tarFile: string, vars: { readonly hex: string; readonly size: string; readonly diff: string }): readonly string[] => [
  // The step's description above is the build's; say what this script does instead.
  `# here: this host's ${COMMANDS[codec].command}, one stream (not the build's pinned compressor and blocks)`,
  `compress_layer ${codec} ${tarFile}`,
  `put_blob "$packed"`,
  `${vars.hex}=$blob_hex ${vars.size}=$blob_size ${vars.diff}=$diff_hex`,
];
