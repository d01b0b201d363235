import { MediaType, descriptor as ociDescriptor, imageIndex, imageManifest, indexEntry, withDiffIds } from "@ocistage/oci";
import type { Descriptor, Digest, Json } from "@ocistage/oci";
import type { Program, StepHandlers, StepOf } from "@ocistage/program";
import { DIGEST_TAG_LENGTH, matchStep } from "@ocistage/program";
import { assembleRootfsCommands, scratchRootWord } from "./assembleRootfsCommands.ts";
import { importBaseCommands } from "./importBaseCommands.ts";
import { gnuTarCreateWords } from "./gnuTarArgs.ts";
import { tarLayerCommand } from "./capabilityCommands.ts";
import { digestSlot, jsonTemplate, printfTemplate, sizeSlot, textSlot } from "./jsonTemplate.ts";
import type { Slot } from "./jsonTemplate.ts";
import { uniformOwner } from "./layerOwners.ts";
import { documentVariables, layerVariables, variablesOf } from "./layerVariables.ts";
import type { LayerVariables } from "./layerVariables.ts";
import { pathWord, shellQuote, singleQuote, suffixWord } from "./shellQuote.ts";
import { compressLayerCommands } from "./compressionCommands.ts";

// The store is blobs/sha256 below the output folder.
const BLOBS = `"$blobs"`;

const assembleStepOf = (program: Program, layer: string): StepOf<"AssembleRootfs"> | undefined =>
  program.steps.find((s): s is StepOf<"AssembleRootfs"> => s._tag === "AssembleRootfs" && s.layer === layer);

const bug = (what: string): never => {
  throw new Error(`bug: ${what}; the program's steps are out of order`);
};

// One handler per step kind: the POSIX sh text that step runs. The helpers they call
// (put_blob, copy_in, …) are defined once in the script's prelude (scriptPrelude.ts).
const handlers = (program: Program): StepHandlers<string> => {
  const variables = layerVariables(program);
  // A layer's diff_id: its blob's digest, or for a compressed layer the digest of its tar.
  const compressed = new Set(program.steps.flatMap((s) => (s._tag === "TarLayer" && s.compression !== "none" ? [s.layer] : [])));
  const diffIdOf = (layer: string): string => (compressed.has(layer) ? variablesOf(variables, layer).diff : variablesOf(variables, layer).hex);
  const documents = documentVariables(program);
  const documentOf = (step: string): LayerVariables => documents.get(step) ?? bug(`step ${step} writes no document`);
  const stepOf = (tag: "WriteConfig" | "WriteManifest", image: string): string =>
    program.steps.find((s) => s._tag === tag && s.image === image)?.name ?? bug(`image ${image} has no ${tag} step`);
  const configStepOf = (image: string): string => stepOf("WriteConfig", image);
  const manifestStepOf = (image: string): string => stepOf("WriteManifest", image);
  // Slots stand for run-time values; the typed constructors see them as a digest and a size.
  const descriptor = (slot: (s: Slot) => Json, mediaType: string, hex: string, size: string): Descriptor =>
    ociDescriptor({ mediaType, digest: slot(digestSlot(hex)) as Digest, size: slot(sizeSlot(size)) as unknown as number });
  return {
    WriteLayoutFile: (step) => `printf '%s' ${singleQuote(step.content)} > "$out/oci-layout"`,
    ImportBase: (step) => importBaseCommands(step),
    AssembleRootfs: (step) => assembleRootfsCommands(step),
    TarLayer: (step) => {
      const assemble = assembleStepOf(program, step.layer);
      if (assemble === undefined) throw new Error(`bug: layer ${step.layer} is tarred but never assembled`);
      const vars = variablesOf(variables, step.layer);
      const tarFile = pathWord("scratch", `layer-${step.layer}.tar`);
      const hasCopies = assemble.entries.some((e) => e._tag === "Copy");
      return [
        tarLayerCommand(step.layer, uniformOwner(assemble) ?? "keep", step.mtime, scratchRootWord(step.layer), tarFile, hasCopies),
        ...(hasCopies ? [`refuse_special ${shellQuote(step.layer)} ${tarFile}`] : []),
        ...(step.compression === "none" ? [`put_blob ${tarFile}`, `${vars.hex}=$blob_hex ${vars.size}=$blob_size`] : compressLayerCommands(step.compression, tarFile, vars)),
      ].join("\n");
    },
    WriteConfig: (step) => {
      const vars = documentOf(step.name);
      const parts = jsonTemplate((slot) =>
        withDiffIds(step.config, [...(step.base?.layers ?? []).map((l) => l.diffId as Digest), ...step.layers.map((layer) => slot(digestSlot(diffIdOf(layer))) as Digest)]),
      );
      const file = pathWord("scratch", `${step.name.replace(/^write-/, "")}.json`);
      return [printfTemplate(parts, file), `put_blob ${file}`, `${vars.hex}=$blob_hex ${vars.size}=$blob_size`].join("\n");
    },
    WriteManifest: (step) => {
      const vars = documentOf(step.name);
      const config = documentOf(configStepOf(step.image));
      const parts = jsonTemplate((slot) =>
        imageManifest({
          config: descriptor(slot, MediaType.imageConfig, config.hex, config.size),
          layers: [
            ...(step.base?.layers ?? []).map((l) => ociDescriptor({ mediaType: l.mediaType, digest: l.digest as Digest, size: l.size })),
            ...step.layers.map(({ layer, mediaType }) => descriptor(slot, mediaType, variablesOf(variables, layer).hex, variablesOf(variables, layer).size)),
          ],
          annotations: step.annotations,
          artifactType: step.artifactType,
        }),
      );
      const file = pathWord("scratch", `${step.name.replace(/^write-/, "")}.json`);
      return [printfTemplate(parts, file), `put_blob ${file}`, `${vars.hex}=$blob_hex ${vars.size}=$blob_size`].join("\n");
    },
    WriteImageIndex: (step) => {
      const vars = documentOf(step.name);
      const parts = jsonTemplate((slot) =>
        imageIndex({
          manifests: step.manifests.map((m) => {
            const manifest = documentOf(manifestStepOf(m.image));
            return indexEntry({ target: descriptor(slot, MediaType.imageManifest, manifest.hex, manifest.size), platform: m.platform });
          }),
        }),
      );
      const file = pathWord("scratch", `${step.name.replace(/^write-/, "")}.json`);
      return [printfTemplate(parts, file), `put_blob ${file}`, `${vars.hex}=$blob_hex ${vars.size}=$blob_size`].join("\n");
    },
    WriteIndex: (step) => {
      const targets = step.entries.map(({ target }) => (target._tag === "Manifest" ? { vars: documentOf(manifestStepOf(target.image)), mediaType: MediaType.imageManifest } : { vars: documentOf(`write-image-index-${target.group}`), mediaType: MediaType.imageIndex }));
      // A digest-derived tag: the first DIGEST_TAG_LENGTH hex digits of what the entry names.
      const tags = step.entries.flatMap((entry, i) => (entry.reference.tag._tag === "FromDigest" ? [`ref_${i + 1}=\${${targets[i]?.vars.hex}%"\${${targets[i]?.vars.hex}#${"?".repeat(DIGEST_TAG_LENGTH)}}"}`] : []));
      const parts = jsonTemplate((slot) =>
        imageIndex({
          manifests: step.entries.map((entry, i) => {
            const target = targets[i] ?? bug(`index entry ${i}`);
            const tag = entry.reference.tag;
            return indexEntry({
              target: descriptor(slot, target.mediaType, target.vars.hex, target.vars.size),
              tag: tag._tag === "Given" ? entry.reference.prefix + tag.tag : (slot(textSlot(entry.reference.prefix, `ref_${i + 1}`)) as string),
              platform: entry.target._tag === "Manifest" ? entry.target.platform : undefined,
            });
          }),
        }),
      );
      return [...tags, printfTemplate(parts, `"$out/index.json"`)].join("\n");
    },
    VerifyBlobs: () => {
      const baseHexes = program.steps.flatMap((s) => (s._tag === "ImportBase" ? s.base.layers.map((l) => l.digest.slice("sha256:".length)) : []));
      const expected = [...[...variables.values()], ...documents.values()].map((v) => `"$${v.hex}"`).concat([...new Set(baseHexes)]);
      return [
        `for blob in ${BLOBS}/*; do`,
        `  check_blob "$blob"`,
        `done`,
        `for hex in ${expected.join(" ")}; do`,
        `  [ -f "$blobs/$hex" ] || die "blob sha256:$hex is missing from blobs/sha256"`,
        `done`,
      ].join("\n");
    },
    CleanScratch: () => [`chmod -R u+rwx -- "$scratch"`, `rm -rf -- "$scratch"`].join("\n"),
    ArchiveLayout: (step) => {
      const archive = pathWord("out", step.archive);
      // Beside the output folder, as the build does: a file inside it would end up in the archive.
      const temporary = suffixWord("out", `.${step.archive}.tmp`);
      return [
        `chmod 00755 -- "$out" "$out/blobs" ${BLOBS}`,
        `chmod 00644 -- "$out/oci-layout" "$out/index.json" ${BLOBS}/*`,
        `tar ${gnuTarCreateWords({ uid: 0, gid: 0 }, program.sourceDateEpoch, `"$out"`, temporary).join(" ")}`,
        `mv -f -- ${temporary} ${archive}`,
      ].join("\n");
    },
  };
};

// The POSIX sh text each step runs in the emitted script, by step name, in program order.
export const shellStepCommands = (program: Program): ReadonlyMap<string, string> => {
  const run = matchStep(handlers(program));
  return new Map(program.steps.map((step) => [step.name, run(step)] as const));
};
