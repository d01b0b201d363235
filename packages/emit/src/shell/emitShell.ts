import type { Program } from "@ocistage/program";
import { scriptTop } from "./scriptPrelude.ts";
import { commentText, shellQuote } from "./shellQuote.ts";
import { shellStepCommands } from "./shellStepCommands.ts";

// The whole script: the prelude, then every step in program order under its name and
// description, then the manifest digest on stdout (as `ocistage build` prints it first).
export const emitShell = (program: Program): string => {
  const commands = shellStepCommands(program);
  const steps = program.steps.map((step) =>
    [`# ---- ${step.name}`, `# ${commentText(step.description)}`, `step ${shellQuote(step.name)}`, commands.get(step.name) ?? ""].join("\n"),
  );
  const footer = `printf 'sha256:%s\\n' "$manifest_hex"\nprintf 'wrote %s\\n' "$out" >&2`;
  return `${[scriptTop(program), ...steps, footer].join("\n\n")}\n`;
};
