import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import { convertDockerArchive, formatDockerArchiveError, isDockerArchiveEnvironmentError } from "@ocistage/docker-archive";
import type { ConvertResult } from "@ocistage/docker-archive";
import type { CliError } from "../CliError.ts";
import type { Command } from "../Command.ts";

type Convert = Extract<Command, { _tag: "Convert" }>;

const render = (result: ConvertResult, json: boolean): string =>
  json
    ? JSON.stringify(
        {
          out: result.out,
          images: result.images.map((image) => ({
            references: image.references,
            manifest: image.manifest,
            config: image.config,
            layers: image.layers.map((l) => ({ member: l.member, mediaType: l.mediaType, digest: l.digest, size: l.size, diffId: l.diffId })),
          })),
        },
        null,
        2,
      )
    : [
        ...result.images.flatMap((image) => [
          `${image.manifest.digest} ${image.references.join(", ") || "(untagged)"}`,
          `  config               ${image.config.digest}  ${image.config.size} bytes`,
          ...image.layers.map((l) => `  layer ${l.member.padEnd(14).slice(0, 70)} ${l.digest}  ${l.size} bytes`),
        ]),
        `wrote ${result.out} (${result.images.flatMap((i) => i.references.map((r) => `oci:${result.out}:${r}`)).join(", ") || "untagged images"})`,
      ].join("\n");

// `ocistage convert docker-archive:FILE --out DIR [--json]`: a docker save archive as an OCI
// layout, layers byte for byte. A wrong archive exits 1 naming the file, with nothing written.
export const convertCommand = (command: Convert): TE.TaskEither<CliError, string> =>
  pipe(
    convertDockerArchive(command.source, command.out),
    TE.mapLeft((error): CliError => ({ _tag: isDockerArchiveEnvironmentError(error) ? "Environment" : "BadInput", lines: formatDockerArchiveError(error) })),
    TE.map((result) => render(result, command.json)),
  );
