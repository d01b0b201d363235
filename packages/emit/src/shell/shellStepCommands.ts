import { MediaType } from "@ocistage/oci";
import type { Json } from "@ocistage/oci";
import type { Program, StepHandlers, StepOf } from "@ocistage/program";
import { matchStep } from "@ocistage/program";
import { assembleRootfsCommands, scratchRootWord } from "./assembleRootfsCommands.ts";
import { gnuTarCreateWords } from "./gnuTarArgs.ts";
import { tarLayerCommand } from "./capabilityCommands.ts";
import { digestSlot, jsonTemplate, printfTemplate, sizeSlot } from "./jsonTemplate.ts";
import type { Slot } from "./jsonTemplate.ts";
import { uniformOwner } from "./layerOwners.ts";
import { layerVariables, variablesOf } from "./layerVariables.ts";
import { pathWord, shellQuote, singleQuote, suffixWord } from "./shellQuote.ts";

// The store is blobs/sha256 below the output folder.
const BLOBS = `"$blobs"`;

const assembleStepOf = (program: Program, layer: string): StepOf<"AssembleRootfs"> | undefined =>
  program.steps.find((s): s is StepOf<"AssembleRootfs"> => s._tag === "AssembleRootfs" && s.layer === layer);

// One handler per step kind: the POSIX sh text that step runs. The helpers they call
// (put_blob, copy_in, …) are defined once in the script's prelude (scriptPrelude.ts).
const handlers = (program: Program): StepHandlers<string> => {
  const variables = layerVariables(program);
  const descriptor = (slot: (s: Slot) => Json, mediaType: string, hex: string, size: string): Json => ({
    mediaType,
    digest: slot(digestSlot(hex)),
    size: slot(sizeSlot(size)),
  });
  return {
    WriteLayoutFile: (step) => `printf '%s' ${singleQuote(step.content)} > "$out/oci-layout"`,
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
        `put_blob ${tarFile}`,
        `${vars.hex}=$blob_hex ${vars.size}=$blob_size`,
      ].join("\n");
    },
    WriteConfig: (step) => {
      const parts = jsonTemplate((slot) => ({
        ...step.config,
        rootfs: { type: "layers", diff_ids: step.layers.map((layer) => slot(digestSlot(variablesOf(variables, layer).hex))) },
      }));
      return [printfTemplate(parts, `"$scratch/config.json"`), `put_blob "$scratch/config.json"`, `config_hex=$blob_hex config_size=$blob_size`].join("\n");
    },
    WriteManifest: (step) => {
      const parts = jsonTemplate((slot) => ({
        schemaVersion: 2,
        mediaType: MediaType.imageManifest,
        config: descriptor(slot, MediaType.imageConfig, "config_hex", "config_size"),
        layers: step.layers.map(({ layer, mediaType }) => descriptor(slot, mediaType, variablesOf(variables, layer).hex, variablesOf(variables, layer).size)),
        ...(Object.keys(step.annotations).length === 0 ? {} : { annotations: step.annotations }),
      }));
      return [printfTemplate(parts, `"$scratch/manifest.json"`), `put_blob "$scratch/manifest.json"`, `manifest_hex=$blob_hex manifest_size=$blob_size`].join("\n");
    },
    WriteIndex: (step) => {
      const parts = jsonTemplate((slot) => ({
        schemaVersion: 2,
        mediaType: MediaType.imageIndex,
        manifests: step.manifests.map((m) => ({
          ...(descriptor(slot, MediaType.imageManifest, "manifest_hex", "manifest_size") as Record<string, Json>),
          annotations: m.annotations,
          platform: { architecture: m.platform.architecture, os: m.platform.os, ...(m.platform.variant === undefined ? {} : { variant: m.platform.variant }) },
        })),
      }));
      return printfTemplate(parts, `"$out/index.json"`);
    },
    VerifyBlobs: () => {
      const expected = [...[...variables.values()].map((v) => v.hex), "config_hex", "manifest_hex"].map((v) => `"$${v}"`);
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
