import { Graph, alg } from "@dagrejs/graphlib";
import type { Artifact } from "./Artifact.ts";
import type { Program } from "./Program.ts";
import type { Step } from "./Step.ts";

// One structural problem of a program, as data: the step names it concerns are in it,
// and `formatProgramIssue` renders it as one `steps.<name>.<field>: …` line.
export type ProgramIssue =
  | { readonly _tag: "DuplicateStep"; readonly step: string; readonly count: number }
  | { readonly _tag: "UnknownNeed"; readonly step: string; readonly need: string }
  | { readonly _tag: "NeedsCycle"; readonly steps: readonly string[] } // in cycle order: each needs the next, the last the first
  | { readonly _tag: "OutputProducedTwice"; readonly artifact: Artifact; readonly steps: readonly string[] }
  | { readonly _tag: "InputNotProduced"; readonly step: string; readonly artifact: Artifact }
  | { readonly _tag: "InputNotNeeded"; readonly step: string; readonly artifact: Artifact; readonly producer: string }
  | { readonly _tag: "UndeclaredTool"; readonly step: string; readonly tool: string };

const SOURCE_PREFIX = "source:";

const duplicateSteps = (steps: readonly Step[]): readonly ProgramIssue[] => {
  const counts = new Map<string, number>();
  for (const step of steps) counts.set(step.name, (counts.get(step.name) ?? 0) + 1);
  return [...counts].filter(([, count]) => count > 1).map(([step, count]): ProgramIssue => ({ _tag: "DuplicateStep", step, count }));
};

const unknownNeeds = (steps: readonly Step[], known: ReadonlySet<string>): readonly ProgramIssue[] =>
  steps.flatMap((step) => step.needs.filter((need) => !known.has(need)).map((need): ProgramIssue => ({ _tag: "UnknownNeed", step: step.name, need })));

// A concrete cycle through one strongly connected component: from its first step (in program
// order), follow `needs` inside the component, breadth first, back to that step.
const cycleThrough = (component: ReadonlySet<string>, start: string, needsOf: (name: string) => readonly string[]): readonly string[] => {
  const cameFrom = new Map<string, string>();
  const queue: string[] = [start];
  for (let i = 0; i < queue.length; i++) {
    const here = queue[i] ?? start;
    for (const next of needsOf(here)) {
      if (!component.has(next)) continue;
      if (next === start) {
        const path = [here];
        for (let at = here; at !== start; ) {
          at = cameFrom.get(at) ?? start;
          path.push(at);
        }
        return path.reverse();
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, here);
        queue.push(next);
      }
    }
  }
  return [...component]; // unreachable for a strongly connected component
};

const needsCycles = (steps: readonly Step[], known: ReadonlySet<string>): readonly ProgramIssue[] => {
  const graph = new Graph();
  const order = new Map<string, number>();
  steps.forEach((step, i) => {
    if (!order.has(step.name)) order.set(step.name, i);
    graph.setNode(step.name);
  });
  for (const step of steps) for (const need of step.needs) if (known.has(need)) graph.setEdge(step.name, need);
  const needsOf = (name: string): readonly string[] => graph.successors(name) ?? [];
  return alg
    .findCycles(graph)
    .map((members) => [...members].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)))
    .sort((a, b) => (order.get(a[0] ?? "") ?? 0) - (order.get(b[0] ?? "") ?? 0))
    .map((members): ProgramIssue => ({ _tag: "NeedsCycle", steps: cycleThrough(new Set(members), members[0] ?? "", needsOf) }));
};

const producersOf = (steps: readonly Step[]): ReadonlyMap<Artifact, readonly string[]> => {
  const producers = new Map<Artifact, string[]>();
  for (const step of steps)
    for (const artifact of new Set(step.outputs)) {
      const list = producers.get(artifact);
      if (list === undefined) producers.set(artifact, [step.name]);
      else list.push(step.name);
    }
  return producers;
};

const outputsProducedTwice = (producers: ReadonlyMap<Artifact, readonly string[]>): readonly ProgramIssue[] =>
  [...producers].filter(([, names]) => names.length > 1).map(([artifact, names]): ProgramIssue => ({ _tag: "OutputProducedTwice", artifact, steps: names }));

// Every input that is not a source comes from a step, and from one the reader waits for
// (directly or through its needs), or the order of the steps would not say when it exists.
// A step whose needs reach an unknown name is not judged: its real ancestry is unknown, and
// the unknown need is reported already.
const inputIssues = (steps: readonly Step[], producers: ReadonlyMap<Artifact, readonly string[]>): readonly ProgramIssue[] => {
  const byName = new Map(steps.map((s) => [s.name, s] as const));
  const ancestry = new Map<string, { readonly ancestors: ReadonlySet<string>; readonly complete: boolean }>();
  const ancestryOf = (name: string): { readonly ancestors: ReadonlySet<string>; readonly complete: boolean } => {
    const cached = ancestry.get(name);
    if (cached !== undefined) return cached;
    const ancestors = new Set<string>();
    let complete = true;
    const stack = [...(byName.get(name)?.needs ?? [])];
    while (stack.length > 0) {
      const next = stack.pop() ?? "";
      if (ancestors.has(next)) continue;
      ancestors.add(next);
      const step = byName.get(next);
      if (step === undefined) complete = false;
      else stack.push(...step.needs);
    }
    const result = { ancestors, complete };
    ancestry.set(name, result);
    return result;
  };
  return steps.flatMap((step) =>
    step.inputs.flatMap((artifact): readonly ProgramIssue[] => {
      if (artifact.startsWith(SOURCE_PREFIX)) return [];
      const producer = producers.get(artifact)?.[0];
      if (producer === undefined) return [{ _tag: "InputNotProduced", step: step.name, artifact }];
      if (producer === step.name || step.needs.includes(producer)) return [];
      const { ancestors, complete } = ancestryOf(step.name);
      return ancestors.has(producer) || !complete ? [] : [{ _tag: "InputNotNeeded", step: step.name, artifact, producer }];
    }),
  );
};

const undeclaredTools = (program: Program): readonly ProgramIssue[] => {
  const declared = new Set<string>(program.tools.map((t) => t.name));
  return program.steps.flatMap((step) =>
    step.tools.filter((tool) => !declared.has(tool)).map((tool): ProgramIssue => ({ _tag: "UndeclaredTool", step: step.name, tool })),
  );
};

// The structural checks every interpreter relies on. Every issue is collected; none stops the others.
export const checkProgram = (program: Program): readonly ProgramIssue[] => {
  const known = new Set(program.steps.map((s) => s.name));
  const producers = producersOf(program.steps);
  return [
    ...duplicateSteps(program.steps),
    ...unknownNeeds(program.steps, known),
    ...needsCycles(program.steps, known),
    ...outputsProducedTwice(producers),
    ...inputIssues(program.steps, producers),
    ...undeclaredTools(program),
  ];
};

const quoted = (s: string): string => JSON.stringify(s);

export const formatProgramIssue = (issue: ProgramIssue): string => {
  switch (issue._tag) {
    case "DuplicateStep":
      return `steps.${issue.step}.name: the name ${quoted(issue.step)} is used by ${issue.count} steps; step names must be unique`;
    case "UnknownNeed":
      return `steps.${issue.step}.needs: ${quoted(issue.need)} is not a step of this program`;
    case "NeedsCycle":
      return `steps.${issue.steps[0] ?? ""}.needs: cycle ${[...issue.steps, issue.steps[0] ?? ""].join(" -> ")} (each step needs the next)`;
    case "OutputProducedTwice":
      return `steps.${issue.steps[1] ?? ""}.outputs: ${quoted(issue.artifact)} is produced by ${issue.steps.join(" and ")}; each artifact has exactly one producer`;
    case "InputNotProduced":
      return `steps.${issue.step}.inputs: ${quoted(issue.artifact)} is produced by no step (only source: inputs come from outside the program)`;
    case "InputNotNeeded":
      return `steps.${issue.step}.needs: reads ${quoted(issue.artifact)}, produced by ${issue.producer}, but does not need ${issue.producer} (directly or through its needs)`;
    case "UndeclaredTool":
      return `steps.${issue.step}.tools: ${quoted(issue.tool)} is not declared in program.tools`;
  }
};
