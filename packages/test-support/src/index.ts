// Test support: a spec (as users write it, or a spec file) decoded and lowered as the CLI does.
// A spec that does not lower is a mistake in the test, so these throw with the spec's messages.
import * as E from "fp-ts/lib/Either.js";
import * as path from "node:path";
import { lower } from "@ocistage/lower";
import type { Program } from "@ocistage/program";
import { decodeSpec, formatSpecError, formatSpecIssue, loadSpec } from "@ocistage/spec";
import type { HostClosures } from "@ocistage/spec";

export interface ProgramOptions {
  readonly sourceDateEpoch?: number; // default 0
  readonly specFile?: string; // how the docs name the spec; default "image.json"
  readonly specText?: string; // default: the value as JSON
  readonly closures?: HostClosures; // closures the edge would have read from the host
}

const fail = (lines: readonly string[]): never => {
  throw new Error(`the test spec does not lower:\n${lines.join("\n")}`);
};

/** A spec given as a value (what a JSON or YAML spec parses to), decoded and lowered. */
export const programOf = (value: unknown, options: ProgramOptions = {}): Program => {
  const specFile = options.specFile ?? "image.json";
  const decoded = decodeSpec(value, specFile);
  if (E.isLeft(decoded)) return fail(formatSpecError(decoded.left));
  const lowered = lower(decoded.right, { specFile, specText: options.specText ?? JSON.stringify(value), sourceDateEpoch: options.sourceDateEpoch ?? 0, ...(options.closures === undefined ? {} : { closures: options.closures }) });
  return E.isLeft(lowered) ? fail(lowered.left.issues.map(formatSpecIssue)) : lowered.right;
};

export interface LoadedProgram {
  readonly program: Program;
  readonly sourceRoot: string; // the spec's folder: relative sources start here
}

/** A spec file (or a folder holding image.{ts,json,yaml}), loaded and lowered. */
export const programOfFile = async (file: string, sourceDateEpoch = 0): Promise<LoadedProgram> => {
  const loaded = await loadSpec(file)();
  if (E.isLeft(loaded)) return fail(formatSpecError(loaded.left));
  const lowered = lower(loaded.right.spec, { specFile: path.basename(loaded.right.file), specText: loaded.right.text, sourceDateEpoch, closures: loaded.right.closures });
  return E.isLeft(lowered) ? fail(lowered.left.issues.map(formatSpecIssue)) : { program: lowered.right, sourceRoot: loaded.right.dir };
};
