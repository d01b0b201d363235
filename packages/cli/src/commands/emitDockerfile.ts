import * as E from "fp-ts/lib/Either.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import { formatDockerContextError, isContextEnvironmentError, writeDockerContext } from "@ocistage/build";
import type { DockerContextResult } from "@ocistage/build";
import { emitDockerfile, formatDockerfileIssue } from "@ocistage/emit";
import type { DockerfilePlan } from "@ocistage/emit";
import type { Program } from "@ocistage/program";
import type { CliError } from "../CliError.ts";
import type { Command } from "../Command.ts";
import { loadProgram } from "../loadProgram.ts";

const render = (program: Program, plan: DockerfilePlan, result: DockerContextResult): string =>
  [
    `wrote ${result.dockerfile}`,
    ...result.layers.map((written, i) => `  ${plan.layers[i]?._tag === "AddTar" ? "ADD " : "COPY"} ${written.path} (${written.nodes} entries)`),
    `build it with: buildah bud --layers --timestamp ${program.sourceDateEpoch} -t ${plan.reference} ${result.context}`,
  ].join("\n");

// `ocistage emit dockerfile SPEC --context DIR`: a Dockerfile and the build context it copies
// from. A spec that needs what a Dockerfile cannot say exits 1 with one `field: why` per reason.
export const emitDockerfileCommand = (command: Extract<Command, { _tag: "EmitDockerfile" }>): TE.TaskEither<CliError, string> =>
  pipe(
    loadProgram(command.spec),
    TE.chain(({ loaded, program }) =>
      pipe(
        emitDockerfile(program, command.image),
        E.mapLeft((unsupported): CliError => ({ _tag: "BadInput", lines: unsupported.issues.map(formatDockerfileIssue) })),
        TE.fromEither,
        TE.chain((plan) =>
          pipe(
            writeDockerContext(plan, { sourceRoot: loaded.dir, context: command.context }),
            TE.bimap(
              (error): CliError => ({ _tag: isContextEnvironmentError(error) ? "Environment" : "BadInput", lines: formatDockerContextError(error) }),
              (result) => render(program, plan, result),
            ),
          ),
        ),
      ),
    ),
  );
