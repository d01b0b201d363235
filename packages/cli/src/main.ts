import { parseArgs } from "./parseArgs.ts";
import { renderCliError } from "./CliError.ts";
import { runCommand } from "./runCommand.ts";
import { ExitCode } from "./ExitCode.ts";

// What goes to stdout ends in a newline; nothing is written for an empty text.
const writeOut = (text: string): void => {
  if (text !== "") process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
};

// The CLI's only effectful shell: argv in, stdout/stderr and an exit code out.
const main = async (argv: readonly string[]): Promise<number> => {
  const parsed = parseArgs(argv);
  const result = parsed._tag === "Left" ? parsed : await runCommand(parsed.right)();
  if (result._tag === "Left") {
    const { stdout, lines, code } = renderCliError(result.left);
    writeOut(stdout);
    process.stderr.write(lines.map((l) => `${l}\n`).join(""));
    return code;
  }
  writeOut(result.right);
  return ExitCode.ok;
};

// A reader that stops early (`ocistage plan … | head`) is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (bug: unknown) => {
    // Only bugs throw; report them as such, with the stack, and the environment exit code.
    process.stderr.write(`ocistage: internal error (a bug): ${bug instanceof Error ? (bug.stack ?? bug.message) : String(bug)}\n`);
    process.exitCode = ExitCode.environment;
  },
);
