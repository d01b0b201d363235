// The script's exclude matcher (path_matches in copyHelpers.ts, called from the function
// excludeCommands.ts writes for each copy) decides like the build's (excludeMatcher.ts): for
// random gitignore-style patterns and paths, run by dash and by bash, every answer agrees.
import * as E from "fp-ts/lib/Either.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { excludeMatcher } from "@ocistage/build";
import { parseExcludePattern } from "../../lower/src/excludePattern.ts";
import type { ExcludeRule } from "@ocistage/program";
import { copyHelpers } from "../src/shell/copyHelpers.ts";
import { excludeFunction } from "../src/shell/excludeCommands.ts";
import { shellQuote } from "../src/shell/shellQuote.ts";
import { requireTools } from "./fixtures/shell/requireTools.ts";
import { runProcess } from "./fixtures/shell/runProcess.ts";

const NAME_PARTS = ["a", "b", "ab", ".a", "ba", "aa", "a.b", "*", "[", "é"];
const GLOB_PARTS = ["a", "b", "*", "?", "[ab]", "[!a]", "[a-b]", ".", "\\*", "\\[", "é", "**"];

const globSegment = fc.array(fc.constantFrom(...GLOB_PARTS), { minLength: 1, maxLength: 3 }).map((parts) => parts.join(""));
const patternText = fc
  .record({
    negated: fc.boolean(),
    leading: fc.boolean(),
    trailing: fc.boolean(),
    segments: fc.array(fc.oneof(globSegment, fc.constant("**")), { minLength: 1, maxLength: 4 }),
  })
  .map(({ negated, leading, trailing, segments }) => `${negated ? "!" : ""}${leading ? "/" : ""}${segments.join("/")}${trailing ? "/" : ""}`);
const rules = fc
  .array(patternText, { minLength: 1, maxLength: 4 })
  .map((texts) => texts.map(parseExcludePattern).flatMap((r) => (E.isRight(r) ? [r.right] : [])))
  .filter((r) => r.length > 0);
const pathNames = fc.array(fc.array(fc.constantFrom(...NAME_PARTS), { minLength: 1, maxLength: 2 }).map((p) => p.join("")), { minLength: 1, maxLength: 5 });

interface Case {
  readonly rules: readonly ExcludeRule[];
  readonly paths: readonly { readonly names: readonly string[]; readonly folder: boolean }[];
}

const latin1 = (s: string): string => Buffer.from(s, "utf8").toString("latin1");

// One script that asks every case's function about every path, one 0/1 per line.
const scriptOf = (cases: readonly Case[]): string =>
  [
    "set -eu",
    "LC_ALL=C",
    "export LC_ALL",
    'is_dir() { [ -d "$1" ] && [ ! -L "$1" ]; }',
    'exists() { [ -e "$1" ] || [ -L "$1" ]; }',
    copyHelpers(true),
    ...cases.flatMap((c, i) => [
      excludeFunction(c.rules, `case ${i}`),
      ...c.paths.map((p) => `if copy_excluded ${shellQuote(p.names.join("/"))} ${p.folder ? "/" : "/dev/null"}; then echo 1; else echo 0; fi`),
    ]),
  ].join("\n");

const check = async (shell: string, cases: readonly Case[]): Promise<void> => {
  const run = await runProcess(shell, ["-s"], process.env, scriptOf(cases));
  expect(run.stderr).toBe("");
  const answers = run.stdout.split("\n").filter((l) => l !== "");
  let k = 0;
  for (const c of cases) {
    const matcher = excludeMatcher(c.rules);
    for (const p of c.paths) {
      const expected = matcher?.(p.names.map(latin1), p.folder) === true ? "1" : "0";
      expect(answers[k++], `${JSON.stringify(c.rules.map((r) => r.pattern))} on ${JSON.stringify(p.names.join("/"))}${p.folder ? " (a folder)" : ""}`).toBe(expected);
    }
  }
  expect(k).toBe(answers.length);
};

describe.runIf(requireTools("dash", "bash"))("the script's exclude matcher", () => {
  const samples = fc.sample(fc.record({ rules, paths: fc.array(fc.record({ names: pathNames, folder: fc.boolean() }), { minLength: 20, maxLength: 20 }) }), { numRuns: 150, seed: 11 });

  it("has cases that exclude and cases that keep (the comparison is not vacuous)", () => {
    const answers = samples.flatMap((c) => c.paths.map((p) => excludeMatcher(c.rules)?.(p.names.map(latin1), p.folder) === true));
    expect(answers.filter((a) => a).length).toBeGreaterThan(100);
    expect(answers.filter((a) => !a).length).toBeGreaterThan(100);
  });

  for (const shell of ["dash", "bash"])
    it(`run by ${shell}, agrees with the build on 150 random pattern lists x 20 paths`, async () => {
      await check(shell, samples);
    }, 60_000);
});
