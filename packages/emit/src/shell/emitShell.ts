import type { Program, StepOf } from "@ocistage/program";
import { documentVariables } from "./layerVariables.ts";
import { scriptTop } from "./scriptPrelude.ts";
import { commentText, shellQuote } from "./shellQuote.ts";
import { shellStepCommands } from "./shellStepCommands.ts";

// What \`ocistage build\` prints first: one image's manifest digest, or "DIGEST REFERENCE" per
// index.json entry; the variables are the ones the document steps set.
const digestLines = (program: Program): string => {
  const index = program.steps.find((s): s is StepOf<"WriteIndex"> => s._tag === "WriteIndex");
  const documents = documentVariables(program);
  const entries = index?.entries ?? [];
  const hexOf = (i: number): string => {
    const target = entries[i]?.target;
    const step = target === undefined ? undefined : target._tag === "Manifest" ? program.steps.find((s) => s._tag === "WriteManifest" && s.image === target.image)?.name : `write-image-index-${target.group}`;
    return documents.get(step ?? "")?.hex ?? "manifest_hex";
  };
  const [only, ...others] = entries;
  if (only !== undefined && others.length === 0 && only.target._tag === "Manifest") return `printf 'sha256:%s\\n' "$${hexOf(0)}"`;
  return entries
    .map((entry, i) => {
      const tag = entry.reference.tag._tag === "Given" ? shellQuote(entry.reference.prefix + entry.reference.tag.tag) : `${shellQuote(entry.reference.prefix)}"$ref_${i + 1}"`;
      return `printf 'sha256:%s %s\\n' "$${hexOf(i)}" ${tag}`;
    })
    .join("\n");
};

// The whole script: the prelude, then every step in program order under its name and
// description, then the manifest digest on stdout (as `ocistage build` prints it first).
export const emitShell = (program: Program): string => {
  const commands = shellStepCommands(program);
  const steps = program.steps.map((step) =>
    [`# ---- ${step.name}`, `# ${commentText(step.description)}`, `step ${shellQuote(step.name)}`, commands.get(step.name) ?? ""].join("\n"),
  );
  const footer = `${digestLines(program)}\nprintf 'wrote %s\\n' "$out" >&2`;
  return `${[scriptTop(program), ...steps, footer].join("\n\n")}\n`;
};
