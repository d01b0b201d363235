import * as E from "fp-ts/lib/Either.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import * as path from "node:path";
import { baseRequests, lower } from "@ocistage/lower";
import type { BaseImage, Compression, Program } from "@ocistage/program";
import { formatBaseError, readBase } from "@ocistage/base";
import { defaultCacheDir } from "@ocistage/build";
import { baseMaterialiser } from "./baseMaterialiser.ts";
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

// The base images the spec names, each read once (and verified) here at the edge: lowering is
// pure and gets them as data. A base that cannot be read is bad input naming the spec field.
const readBases = (loaded: LoadedSpec, env: NodeJS.ProcessEnv): TE.TaskEither<CliError, ReadonlyMap<string, BaseImage>> => async () => {
  const bases = new Map<string, BaseImage>();
  const problems: string[] = [];
  for (const request of baseRequests(loaded.spec)) {
    const base = await readBase(request.from, path.dirname(loaded.file), request.platform, defaultCacheDir(env), baseMaterialiser)();
    if (E.isLeft(base)) problems.push(`${request.at}: ${formatBaseError(base.left)}`);
    else bases.set(request.key, base.right);
  }
  return problems.length > 0 ? E.left({ _tag: "BadInput", lines: problems }) : E.right(bases);
};

// `compression` (build --compression) stores every layer that way, whatever the spec says.
export const loadProgram = (specPath: string, env: NodeJS.ProcessEnv = process.env, compression?: Compression): TE.TaskEither<CliError, LoadedProgram> =>
  pipe(
    TE.fromEither(sourceDateEpoch(env)),
    TE.chain((epoch) =>
      pipe(
        loadSpec(specPath),
        TE.mapLeft((error): CliError => ({ _tag: "Spec", error })),
        TE.chain((loaded) => pipe(readBases(loaded, env), TE.map((bases) => ({ loaded, bases })))),
        TE.chainEitherK(({ loaded, bases }) =>
          pipe(
            lower(loaded.spec, { specFile: path.basename(loaded.file), specText: loaded.text, sourceDateEpoch: epoch, bases, closures: loaded.closures, ...(compression === undefined ? {} : { compression }) }),
            E.bimap((error): CliError => ({ _tag: "Lower", error }), (program) => ({ loaded, program })),
          ),
        ),
      ),
    ),
  );
