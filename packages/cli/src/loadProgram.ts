import * as E from "fp-ts/lib/Either.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import * as path from "node:path";
import { lower } from "@ocistage/lower";
import type { Compression, Program } from "@ocistage/program";
import { loadSpec } from "@ocistage/spec";
import type { LoadedSpec } from "@ocistage/spec";
import type { CliError } from "./CliError.ts";

// SOURCE_DATE_EPOCH is read here, at the edge, and handed to the pure lowering.
export const sourceDateEpoch = (env: NodeJS.ProcessEnv): E.Either<CliError, number> => {
  const raw = env["SOURCE_DATE_EPOCH"];
  if (raw === undefined || raw === "") return E.right(0);
  return /^[0-9]{1,11}$/.test(raw)
    ? E.right(Number(raw))
    : E.left({ _tag: "BadInput", lines: [`SOURCE_DATE_EPOCH: expected whole seconds since 1970, found ${JSON.stringify(raw)}`] });
};

export interface LoadedProgram {
  readonly loaded: LoadedSpec;
  readonly program: Program;
}

// `compression` (build --compression) stores every layer that way, whatever the spec says.
export const loadProgram = (specPath: string, env: NodeJS.ProcessEnv = process.env, compression?: Compression): TE.TaskEither<CliError, LoadedProgram> =>
  pipe(
    TE.fromEither(sourceDateEpoch(env)),
    TE.chain((epoch) =>
      pipe(
        loadSpec(specPath),
        TE.mapLeft((error): CliError => ({ _tag: "Spec", error })),
        TE.chainEitherK((loaded) =>
          pipe(
            lower(loaded.spec, { specFile: path.basename(loaded.file), specText: loaded.text, sourceDateEpoch: epoch, ...(compression === undefined ? {} : { compression }) }),
            E.bimap((error): CliError => ({ _tag: "Lower", error }), (program) => ({ loaded, program })),
          ),
        ),
      ),
    ),
  );
