import type { Probe } from "./StandardImage.ts";

// The text of a standard image's contracts (seed 001): small POSIX sh scripts, each setting PATH
// to the runtime inputs' folders and then exec-ing what it stands for. They are script entries
// whose interpreter is the image's shell (standardShell.ts), so the image needs nothing else to
// run them.

/** A word as sh reads it back unchanged: bare when it holds only safe characters, else single-quoted. */
export const shellWord = (word: string): string => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`);

/** What every contract knows: the image it belongs to, its shell (an absolute path) and its PATH. */
export interface ScriptContext {
  readonly image: string;
  readonly shell: string;
  readonly path: string;
}

// The body after the `#!` line (the script entry writes that line from its interpreter).
const body = (context: ScriptContext, what: string, run: readonly string[]): string =>
  [`# ${what}`, `PATH=${shellWord(context.path)}`, "export PATH", ...run].join("\n") + "\n";

/** /bin/entrypoint: runs the operable's command, with the container's arguments after its own. */
export const entrypointScript = (context: ScriptContext, command: readonly string[]): string =>
  body(context, `/bin/entrypoint of standard image ${context.image}: runs the operable.`, [`exec ${command.map(shellWord).join(" ")} "$@"`]);

/** /bin/runtime: the shell, with the runtime inputs on PATH (`/bin/runtime -c 'CMD'` runs CMD there). */
export const runtimeScript = (context: ScriptContext): string =>
  body(context, `/bin/runtime of standard image ${context.image}: a shell with the runtime inputs on PATH.`, [`exec ${shellWord(context.shell)} "$@"`]);

/** /bin/live and /bin/ready: the probe's command (exec'd) or its script text; exit 0 means alive or ready. */
export const probeScript = (context: ScriptContext, contract: "/bin/live" | "/bin/ready", probe: Probe): string =>
  body(
    context,
    `${contract} of standard image ${context.image}: exits 0 when the operable is ${contract === "/bin/live" ? "alive" : "ready"}.`,
    "command" in probe ? [`exec ${probe.command.map(shellWord).join(" ")}`] : [probe.script.replace(/\n$/, "")],
  );

/** /bin/debug: the shell, with the runtime inputs and then the debugging tools on PATH. */
export const debugScript = (context: ScriptContext): string =>
  body(context, `/bin/debug of ${context.image}: a shell with the runtime inputs and the debugging tools on PATH.`, [`exec ${shellWord(context.shell)} "$@"`]);

/** The command as one line for people (docs, descriptions): the words as sh would read them. */
export const commandLine = (command: readonly string[]): string => command.map(shellWord).join(" ");
