import * as E from "fp-ts/lib/Either.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { EvidenceRecord } from "@ocistage/views";
import { decodeEvidenceRecord, docsPage } from "@ocistage/views";
import type { CliError } from "../CliError.ts";
import type { Command } from "../Command.ts";
import { loadProgram } from "../loadProgram.ts";

// The smoke-test results `ocistage test --record` leaves beside a spec, read if present.
export const EVIDENCE_FILE = "evidence.json";

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export const readEvidence = (specDir: string): TE.TaskEither<CliError, EvidenceRecord | undefined> => {
  const file = path.join(specDir, EVIDENCE_FILE);
  return pipe(
    TE.tryCatch(
      () => fs.readFile(file, "utf8").catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? undefined : Promise.reject(e))),
      (e): CliError => ({ _tag: "Environment", lines: [`${file}: cannot read (${reason(e)})`] }),
    ),
    TE.chainEitherK((text): E.Either<CliError, EvidenceRecord | undefined> => {
      if (text === undefined) return E.right(undefined);
      return pipe(
        E.tryCatch(() => JSON.parse(text) as unknown, (e): CliError => ({ _tag: "BadInput", lines: [`${file}: invalid JSON (${reason(e)})`] })),
        E.chain((value) => pipe(decodeEvidenceRecord(value), E.mapLeft((issues): CliError => ({ _tag: "BadInput", lines: issues.map((i) => `${file}: ${i}`) })))),
      );
    }),
  );
};

// Write through a temporary file and a rename, so a reader never sees half a page.
const writeAtomically = (file: string, text: string): TE.TaskEither<CliError, void> => {
  const temporary = `${file}.${process.pid}.tmp`;
  return TE.tryCatch(
    async () => {
      await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
      await fs.writeFile(temporary, text);
      await fs.rename(temporary, file);
    },
    (e): CliError => ({ _tag: "Environment", lines: [`${file}: cannot write (${reason(e)})`] }),
  );
};

// `ocistage docs SPEC [-o FILE]`: one Markdown page with every view; evidence.json beside the
// spec, if there is one, fills the Evidence section.
export const docsCommand = (command: Extract<Command, { _tag: "Docs" }>): TE.TaskEither<CliError, string> =>
  pipe(
    loadProgram(command.spec),
    TE.chain(({ loaded, program }) =>
      pipe(
        readEvidence(loaded.dir),
        TE.map((evidence) => docsPage(program, evidence)),
      ),
    ),
    TE.chain((page) =>
      command.output === undefined
        ? TE.right(page)
        : pipe(
            writeAtomically(command.output, page),
            TE.map(() => `wrote ${command.output}`),
          ),
    ),
  );
