import type { Program, RootfsEntry, Step } from "@ocistage/program";
import { matchStep } from "@ocistage/program";
import type { SpecIssue, SpecOrigins } from "@ocistage/spec";
import { relocate } from "@ocistage/spec";

// A spec that was desugared (a standard image) carries where its paths came from; the program's
// paths (each entry's `at`, each config field's `fieldAt`) and the lowering's issues are mapped
// back through them, so the build, the emitters and the views name the fields the user wrote.

const entryAt = (origins: SpecOrigins) => (entry: RootfsEntry): RootfsEntry => ({ ...entry, at: relocate(entry.at, origins) });

const relocateStep = (origins: SpecOrigins): ((step: Step) => Step) =>
  matchStep<Step>({
    WriteLayoutFile: (step) => step,
    ImportBase: (step) => step,
    AssembleRootfs: (step) => ({ ...step, entries: step.entries.map(entryAt(origins)) }),
    TarLayer: (step) => step,
    WriteConfig: (step) => ({ ...step, fieldAt: Object.fromEntries(Object.entries(step.fieldAt).map(([key, at]) => [key, relocate(at, origins)])) }),
    WriteManifest: (step) => step,
    WriteImageIndex: (step) => step,
    WriteIndex: (step) => step,
    VerifyBlobs: (step) => step,
    CleanScratch: (step) => step,
    ArchiveLayout: (step) => step,
  });

/** The program with every spec path it holds mapped through `origins` (none: unchanged). */
export const relocateProgram = (program: Program, origins: SpecOrigins | undefined): Program =>
  origins === undefined ? program : { ...program, steps: program.steps.map(relocateStep(origins)) };

/** Issues at the paths the user wrote. */
export const relocateIssues = (issues: readonly SpecIssue[], origins: SpecOrigins | undefined): readonly SpecIssue[] =>
  origins === undefined ? issues : issues.map((issue) => ({ ...issue, at: relocate(issue.at, origins) }));
