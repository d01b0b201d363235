import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import { promises as fs } from "node:fs";
import { emitShell, shellUnsupported } from "@ocistage/emit";
import type { CliError } from "../CliError.ts";
import type { Command } from "../Command.ts";
import { loadProgram } from "../loadProgram.ts";

type EmitShell = Extract<Command, { _tag: "EmitShell" }>;

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e));

// The script, executable (writeFile's mode applies only to a new file, hence the chmod).
const writeScript = (file: string, script: string): TE.TaskEither<CliError, string> =>
  TE.tryCatch(
    async () => {
      await fs.writeFile(file, script, { mode: 0o755 });
      await fs.chmod(file, 0o755);
      return `wrote ${file}`;
    },
    (e): CliError => ({ _tag: "Environment", lines: [`${file}: cannot write the script: ${reason(e)}`] }),
  );

// `ocistage emit shell SPEC [-o FILE]`: the POSIX sh script that builds the same image, on
// stdout or into FILE (mode 0755).
export const emitShellCommand = (command: EmitShell): TE.TaskEither<CliError, string> =>
  pipe(
    loadProgram(command.spec, process.env, command.compression),
    TE.chain(({ program }) => {
      const refused = shellUnsupported(program);
      return refused.length > 0 ? TE.left<CliError, string>({ _tag: "BadInput", lines: refused.map((l) => `emit shell: ${l}`) }) : TE.right(emitShell(program));
    }),
    TE.chain((script) => (command.output === undefined ? TE.right(script) : writeScript(command.output, script))),
  );
