import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import type { Program, ProgramIssue, Step } from "@ocistage/program";
import { compressionText, matchStep, platformText, programTitle, refNameText } from "@ocistage/program";
import { closureLines, closureNote } from "./closureLines.ts";
import { executionOrder } from "./executionOrder.ts";
import { stepCommands } from "./stepCommands.ts";

// One step of the plan: where it comes in the order, what it waits for, and what it runs.
export interface PlanStep {
  readonly order: number; // 1-based
  readonly name: string;
  readonly verb: "write" | "run";
  readonly needs: readonly string[];
  readonly tools: readonly string[];
  readonly summary: string; // what it does, in a few words
  readonly description: string;
  readonly command: string; // the POSIX sh text of the shell substrate
}

export interface Plan {
  readonly image: string;
  readonly steps: readonly PlanStep[];
  readonly closures?: readonly string[]; // what each closure holds and where its members went (closureLines.ts)
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

const verbOf: (step: Step) => PlanStep["verb"] = matchStep<PlanStep["verb"]>({
  WriteLayoutFile: () => "write",
  ImportBase: () => "run",
  AssembleRootfs: () => "run",
  TarLayer: () => "run",
  WriteConfig: () => "run",
  WriteManifest: () => "run",
  WriteImageIndex: () => "run",
  WriteIndex: () => "run",
  VerifyBlobs: () => "run",
  CleanScratch: () => "run",
  ArchiveLayout: () => "run",
});

const summaryOf: (step: Step) => string = matchStep<string>({
  WriteLayoutFile: () => "write the oci-layout marker",
  ImportBase: (step) => `reuse ${plural(step.base.layers.length, "layer blob")} of base ${step.base.written} (${step.base.digest}) by digest`,
  AssembleRootfs: (step) => `assemble layer ${step.layer} (${step.entries.length} ${step.entries.length === 1 ? "entry" : "entries"}${closureNote(step.entries)})`,
  // An uncompressed layer's summary is the one it always had; a compressed one says how.
  TarLayer: (step) => `tar layer ${step.layer} into a blob (mtime ${step.mtime}${step.compression === "none" ? "" : `, ${compressionText(step.compression)}`})`,
  WriteConfig: (step) => `config blob with the diff_ids of ${plural(step.layers.length + (step.base?.layers.length ?? 0), "layer")}${step.base === undefined ? "" : ` (${step.base.layers.length} of base ${step.base.digest})`}`,
  WriteManifest: (step) => `manifest blob: config and ${plural(step.layers.length + (step.base?.layers.length ?? 0), "layer")}${step.base === undefined ? "" : ` (${step.base.layers.length} of base ${step.base.digest})`}`,
  WriteImageIndex: (step) => `image index blob of ${step.group}: ${step.manifests.map((m) => `${m.image} (${platformText(m.platform)})`).join(", ")}`,
  WriteIndex: (step) =>
    `index.json naming ${step.entries.map((e) => `${refNameText(e.reference)} (${e.target._tag === "Manifest" ? platformText(e.target.platform) : "multi-platform"})`).join(", ")}`,
  VerifyBlobs: () => "re-hash every blob against its name",
  CleanScratch: () => "remove the scratch folder",
  ArchiveLayout: (step) => `archive the layout into ${step.archive}`,
});

// `ocistage plan`: the steps in execution order with their commands. A program that fails
// the structural checks has no order; its issues come back instead.
export const plan = (program: Program): E.Either<readonly ProgramIssue[], Plan> =>
  pipe(
    executionOrder(program),
    E.map((ordered) => {
      const commands = stepCommands(program);
      const closures = closureLines(program.closures);
      return {
        ...(closures.length === 0 ? {} : { closures }),
        image: programTitle(program),
        steps: ordered.map(
          (step, i): PlanStep => ({
            order: i + 1,
            name: step.name,
            verb: verbOf(step),
            needs: step.needs,
            tools: step.tools,
            summary: summaryOf(step),
            description: step.description,
            command: commands.get(step.name) ?? "",
          }),
        ),
      };
    }),
  );
