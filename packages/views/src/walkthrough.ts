import type { Program } from "@ocistage/program";

// Program walkthrough: every step, in program order (the digest chain), with what it does.
export const walkthroughLines = (program: Program): readonly string[] => program.steps.map((s, i) => `${i + 1}. ${s.name}: ${s.description}`);
