import * as E from "fp-ts/lib/Either.js";
import type { Program, ProgramIssue, Step } from "@ocistage/program";
import { checkProgram } from "@ocistage/program";

// A binary min-heap of program positions: of the ready steps, the one first in the program runs first.
const heapPush = (heap: number[], value: number): void => {
  heap.push(value);
  for (let i = heap.length - 1; i > 0; ) {
    const parent = (i - 1) >> 1;
    const above = heap[parent] ?? 0;
    if (above <= value) break;
    heap[i] = above;
    heap[parent] = value;
    i = parent;
  }
};

const heapPop = (heap: number[]): number | undefined => {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length === 0 || last === undefined) return top;
  heap[0] = last;
  for (let i = 0; ; ) {
    const left = 2 * i + 1;
    const right = left + 1;
    let least = i;
    if (left < heap.length && (heap[left] ?? 0) < (heap[least] ?? 0)) least = left;
    if (right < heap.length && (heap[right] ?? 0) < (heap[least] ?? 0)) least = right;
    if (least === i) break;
    heap[i] = heap[least] ?? 0;
    heap[least] = last;
    i = least;
  }
  return top;
};

// The steps in execution order: topological by `needs`, ties broken by program order
// (Kahn's algorithm with a heap, O((steps + needs) log steps)). A program that fails
// `checkProgram` has no order; its issues are returned instead.
export const executionOrder = (program: Program): E.Either<readonly ProgramIssue[], readonly Step[]> => {
  const issues = checkProgram(program);
  if (issues.length > 0) return E.left(issues);
  const steps = program.steps;
  const position = new Map(steps.map((s, i) => [s.name, i] as const));
  const waiting = steps.map((s) => new Set(s.needs).size);
  const dependents: number[][] = steps.map(() => []);
  steps.forEach((step, i) => {
    for (const need of new Set(step.needs)) dependents[position.get(need) ?? 0]?.push(i);
  });
  const ready: number[] = [];
  waiting.forEach((count, i) => {
    if (count === 0) heapPush(ready, i);
  });
  const order: Step[] = [];
  for (let next = heapPop(ready); next !== undefined; next = heapPop(ready)) {
    const step = steps[next];
    if (step !== undefined) order.push(step);
    for (const dependent of dependents[next] ?? []) {
      const left = (waiting[dependent] ?? 0) - 1;
      waiting[dependent] = left;
      if (left === 0) heapPush(ready, dependent);
    }
  }
  return E.right(order);
};
