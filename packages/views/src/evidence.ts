import * as E from "fp-ts/lib/Either.js";
import type { Program, SmokeTest } from "@ocistage/program";

// What `ocistage test --record FILE` wrote: one result per smoke test run in a real runtime.
export interface EvidenceResult {
  readonly test: string;
  readonly passed: boolean;
  readonly output: string;
  readonly runtime: string; // e.g. "podman 4.3.1 with runc 1.1.5"
  readonly exitCode?: number;
}

export type EvidenceRecord = readonly EvidenceResult[];

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === "object" && value !== null && !Array.isArray(value);

const decodeResult = (value: unknown, at: string): E.Either<readonly string[], EvidenceResult> => {
  if (!isRecord(value)) return E.left([`${at}: expected an object, found ${JSON.stringify(value)}`]);
  const issues: string[] = [];
  const str = (key: string): string => {
    const v = value[key];
    if (typeof v !== "string") issues.push(`${at}.${key}: expected a string, found ${JSON.stringify(v) ?? "nothing"}`);
    return typeof v === "string" ? v : "";
  };
  const test = str("test");
  const output = str("output");
  const runtime = str("runtime");
  const passed = value["passed"];
  if (typeof passed !== "boolean") issues.push(`${at}.passed: expected true or false, found ${JSON.stringify(passed) ?? "nothing"}`);
  const exitCode = value["exitCode"];
  if (exitCode !== undefined && !Number.isInteger(exitCode)) issues.push(`${at}.exitCode: expected a whole number, found ${JSON.stringify(exitCode)}`);
  return issues.length > 0
    ? E.left(issues)
    : E.right({ test, passed: passed === true, output, runtime, ...(typeof exitCode === "number" ? { exitCode } : {}) });
};

// A parsed evidence file → the record, or every issue with its path.
export const decodeEvidenceRecord = (value: unknown): E.Either<readonly string[], EvidenceRecord> => {
  if (!Array.isArray(value)) return E.left([`evidence: expected an array of results, found ${JSON.stringify(value)}`]);
  const decoded = value.map((v, i) => decodeResult(v, `evidence[${i}]`));
  const issues = decoded.flatMap((d) => (E.isLeft(d) ? d.left : []));
  return issues.length > 0 ? E.left(issues) : E.right(decoded.flatMap((d) => (E.isRight(d) ? [d.right] : [])));
};

export type EvidenceStatus =
  | { readonly _tag: "NotRun"; readonly test: SmokeTest }
  | { readonly _tag: "Ran"; readonly test: SmokeTest; readonly result: EvidenceResult };

// The spec's smoke tests, each with its recorded result if there is one.
export const evidenceStatus = (program: Program, record: EvidenceRecord | undefined): readonly EvidenceStatus[] => {
  const byTest = new Map((record ?? []).map((r) => [r.test, r] as const));
  return program.evidence.map((test): EvidenceStatus => {
    const result = byTest.get(test.name);
    return result === undefined ? { _tag: "NotRun", test } : { _tag: "Ran", test, result };
  });
};

// One line per smoke test (`code` formats a value for the page).
export const evidenceLines = (program: Program, record: EvidenceRecord | undefined, code: (text: string) => string): readonly string[] => {
  const expectation = (test: SmokeTest): string =>
    `${test.entrypoint === undefined ? "" : `entrypoint ${code(JSON.stringify(test.entrypoint))}, `}${code(JSON.stringify(test.command))} expects exit ${test.expectExitCode}${test.expectOutput === undefined ? "" : ` and output ${code(JSON.stringify(test.expectOutput))}`}`;
  const lines = evidenceStatus(program, record).map((status) =>
    status._tag === "NotRun"
      ? `${status.test.name}: not yet run (${expectation(status.test)})`
      : `${status.test.name}: ${status.result.passed ? "passed" : "FAILED"} on ${status.result.runtime} (${expectation(status.test)}; printed ${code(JSON.stringify(status.result.output))}${status.result.exitCode === undefined ? "" : `, exit ${status.result.exitCode}`})`,
  );
  return lines.length === 0 ? ["No smoke tests."] : lines;
};
