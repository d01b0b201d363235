import type { Plan, PlanStep } from "./plan.ts";

export const PLAN_EXCERPT_LINES = 20;

// The Plan View: each step in order with its verb…
export const planOrderLines = (plan: Plan): readonly string[] => plan.steps.map((step) => `${step.verb} ${step.name}`);

// …then each step's first command line.
export const firstCommandLine = (step: PlanStep): string => step.command.split("\n")[0] ?? "";

// The first lines of the commands, in order: what the shell substrate starts with.
export const planShellExcerpt = (plan: Plan, lines: number = PLAN_EXCERPT_LINES): string => {
  const all: string[] = [];
  for (const step of plan.steps) {
    for (const line of step.command.split("\n")) {
      all.push(line);
      if (all.length > lines) break;
    }
    if (all.length > lines) break;
  }
  const shown = all.slice(0, lines);
  return all.length > lines ? [...shown, "# … (the whole script: ocistage emit shell SPEC)"].join("\n") : shown.join("\n");
};

const indent = (text: string, prefix: string): string =>
  text
    .split("\n")
    .map((line) => (line === "" ? line : `${prefix}${line}`))
    .join("\n");

// A step: its number, verb and name, what it waits for, and its command indented below.
const stepBlock = (step: PlanStep, width: number): string => {
  const pad = " ".repeat(width + 2);
  return [
    `${`${step.order}.`.padStart(width + 1)} ${step.verb} ${step.name}`,
    `${pad}needs: ${step.needs.length === 0 ? "nothing" : step.needs.join(", ")}`,
    `${pad}tools: ${step.tools.join(", ")}`,
    `${pad}does:  ${step.summary}`,
    indent(step.command, `${pad}  `),
  ].join("\n");
};

// `ocistage plan` (text): each step in execution order with its command.
export const planText = (plan: Plan): string => {
  const width = String(plan.steps.length).length;
  return [
    `plan for ${plan.image}: ${plan.steps.length} steps in execution order`,
    ...plan.steps.map((step) => `\n${stepBlock(step, width)}`),
    ...(plan.closures === undefined ? [] : ["\nclosures:", ...plan.closures.map((line) => `  ${line}`)]),
  ].join("\n");
};
