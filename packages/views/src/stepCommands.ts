import type { Program } from "@ocistage/program";
import { shellStepCommands } from "@ocistage/emit";

// The POSIX sh text the shell substrate runs for each step, by step name. The plan shows
// these, so what a reviewer reads is what `ocistage emit shell` writes.
export const stepCommands = (program: Program): ReadonlyMap<string, string> => shellStepCommands(program);
