import { parseArgs } from "./parseArgs.ts";
import { renderCliError } from "./CliError.ts";
import { runCommand } from "./runCommand.ts";
import { ExitCode } from "./ExitCode.ts";

// The CLI's only effectful shell: argv in, stdout/stderr and an exit code out.
const main = async (argv: readonly string[]): Promise<number> => {
  const parsed = parseArgs(argv);
  const result = parsed._tag === "Left" ? parsed : await runCommand(parsed.right)();
  if (result._tag === "Left") {
    const { lines, code } = renderCliError(result.left);
    process.stderr.write(lines.map((l) => `${l}\n`).join(""));
    return code;
  }
  if (result.right !== "") process.stdout.write(result.right.endsWith("\n") ? result.right : `${result.right}\n`);
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
