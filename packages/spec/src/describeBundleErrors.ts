import * as path from "node:path";
import type { Message } from "esbuild";

/** Where a module's import.meta prologue sits: on line `line` (1-based), `columns` characters long. */
export interface PrologueShift {
  readonly line: number;
  readonly columns: number;
}

/** What is needed to say where an esbuild error is, in the spec author's terms. */
export interface BundleContext {
  readonly spec: string; // absolute path of the spec file
  readonly workingDir: string; // the folder esbuild's locations are relative to
  readonly shifts: ReadonlyMap<string, PrologueShift>; // by absolute module path
}

// One error as `line L, column C: text` (the spec itself) or `lib/x.ts line L, column C: text`
// (a module it imports, relative to the spec's folder). Columns are 1-based, as editors count.
const describeOne = (message: Message, context: BundleContext): string => {
  const where = message.location;
  if (where === null) return message.text;
  const file = path.resolve(context.workingDir, where.file);
  const shift = context.shifts.get(file);
  const column = where.column + 1 - (shift !== undefined && shift.line === where.line ? Math.min(shift.columns, where.column) : 0);
  const module = file === context.spec ? "" : `${path.relative(path.dirname(context.spec), file)} `;
  return `${module}line ${where.line}, column ${column}: ${message.text}`;
};

/**
 * esbuild's errors for a spec that does not compile or resolve, as one reason: the first error
 * and how many more there are (the first usually explains the rest).
 */
export const describeBundleErrors = (errors: readonly Message[], context: BundleContext): string => {
  const first = errors[0];
  if (first === undefined) return "esbuild failed without saying why";
  const more = errors.length - 1;
  return `${describeOne(first, context)}${more > 0 ? ` (and ${more} more error${more === 1 ? "" : "s"})` : ""}`;
};
