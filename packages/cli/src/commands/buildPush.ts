import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import type { BuildResult } from "@ocistage/build";
import type { CliError } from "../CliError.ts";
import type { BuildPush } from "../Command.ts";
import { pushLayout } from "./push.ts";

/**
 * `build … --push REF`, once the build succeeded: its layout is pushed as `push OUT REF` does, or,
 * for a layout of several images, as `push OUT --all REF`. `built` is the build's own output; with
 * --json the push's report joins it as `"push"`.
 */
export const pushBuilt = (result: BuildResult, push: BuildPush | undefined, built: string): TE.TaskEither<CliError, string> => {
  if (push === undefined) return TE.right(built);
  return pipe(
    pushLayout({ layout: result.out, ref: push.ref, all: result.references.length > 1, chunkSize: push.chunkSize, flags: push.flags }),
    TE.map((pushed) => (push.flags.json ? JSON.stringify({ ...(JSON.parse(built) as object), push: JSON.parse(pushed) as unknown }, null, 2) : `${built}\n${pushed}`)),
  );
};
