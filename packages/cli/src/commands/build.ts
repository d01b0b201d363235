import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import * as path from "node:path";
import { buildImage, formatBuildError, isEnvironmentError } from "@ocistage/build";
import type { BuildResult, CacheMode } from "@ocistage/build";
import type { Program } from "@ocistage/program";
import type { CliError } from "../CliError.ts";
import type { Command } from "../Command.ts";
import { loadProgram } from "../loadProgram.ts";
import { baseMaterialiser } from "../baseMaterialiser.ts";
import { buildDockerArchive } from "./buildDockerArchive.ts";
import { knownImage } from "./layoutImages.ts";
import { pushBuilt } from "./buildPush.ts";

type Build = Extract<Command, { _tag: "Build" }>;

export const defaultOut = (program: Program): string => path.join("out", program.name);

// Build a loaded program; shared by `build` and `test`. The cache is on unless asked otherwise.
export const buildProgram = (program: Program, sourceRoot: string, out: string, cache: CacheMode = "use", cacheDir?: string): TE.TaskEither<CliError, BuildResult> =>
  pipe(
    buildImage(program, { sourceRoot, out, cache, materialiseBase: baseMaterialiser, ...(cacheDir === undefined ? {} : { cacheDir }) }),
    TE.mapLeft((error): CliError => ({ _tag: isEnvironmentError(error) ? "Environment" : "BadInput", lines: formatBuildError(error) })),
  );

// --no-cache wins over --verify-inputs: there is then no record to verify against.
export const cacheModeOf = (command: Pick<Build, "noCache" | "verifyInputs">): CacheMode => (command.noCache ? "off" : command.verifyInputs ? "verify" : "use");

// How each layer was obtained ("built", "reused", "verified", "rebuilt"), after its size.
const layerNotes = (result: BuildResult): ReadonlyMap<string, string> => new Map(result.layers.map((l) => [`layer ${l.layer}`, l.source]));

// The first line is what index.json names: for one image its manifest digest alone (as the
// emitted shell script prints it), for several one "DIGEST REFERENCE" line per entry.
const headline = (result: BuildResult): readonly string[] => {
  const [only, ...others] = result.references;
  return only !== undefined && others.length === 0 && only.mediaType === result.manifest.mediaType ? [only.digest] : result.references.map((r) => `${r.digest} ${r.reference}`);
};

// `extra`: what else the command wrote (--docker-archive), a field of the JSON and a line of the text.
const render = (result: BuildResult, json: boolean, extra?: { readonly dockerArchive: string; readonly line: string }): string => {
  const notes = layerNotes(result);
  return json
    ? JSON.stringify(
        {
          out: result.out,
          references: result.references,
          manifest: result.manifest,
          descriptors: result.descriptors,
          cache: { layers: result.layers.map((l) => ({ layer: l.layer, digest: l.digest, diffId: l.diffId, source: l.source })), archive: result.archive },
          timings: result.timings,
          ...(extra === undefined ? {} : { dockerArchive: extra.dockerArchive }),
        },
        null,
        2,
      )
    : [
        ...headline(result),
        ...result.descriptors.map((d) => `  ${d.role.padEnd(20)} ${d.digest}  ${d.size} bytes${notes.has(d.role) ? ` (${notes.get(d.role)})` : ""}`),
        `wrote ${result.out} (${result.references.map((r) => `oci:${result.out}:${r.reference}`).join(", ")}) and ${path.join(result.out, "image.oci.tar")}`,
        ...(extra === undefined ? [] : [extra.line]),
      ].join("\n");
};

export const buildCommand = (command: Build): TE.TaskEither<CliError, string> =>
  pipe(
    loadProgram(command.spec, process.env, command.compression),
    TE.chain(({ loaded, program }) =>
      pipe(
        TE.fromEither(knownImage(program, command.image)),
        TE.chain(() => buildProgram(program, loaded.dir, command.out === "" ? defaultOut(program) : command.out, cacheModeOf(command), command.cacheDir)),
        TE.chain((result) =>
          command.dockerArchive === undefined
            ? TE.right({ result, text: render(result, command.json) })
            : pipe(
                buildDockerArchive(program, result, command.dockerArchive, command.image),
                TE.map((archive) => ({ result, text: render(result, command.json, archive) })),
              ),
        ),
        TE.chain(({ result, text }) => pushBuilt(result, command.push, text)),
      ),
    ),
  );
