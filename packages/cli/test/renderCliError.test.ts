// How each failure maps to its exit code (0 ok, 1 the input is wrong, 2 usage, 3 environment):
// every kind of spec error is decided on its own, a spec the machine failed to read exits 3, and
// a report asked for on stdout keeps its cause's code.
import { describe, expect, test } from "vitest";
import type { CliError } from "../src/CliError.ts";
import { renderCliError } from "../src/CliError.ts";
import { ExitCode } from "../src/ExitCode.ts";

const spec = (error: Extract<CliError, { _tag: "Spec" }>["error"]): CliError => ({ _tag: "Spec", error });
const code = (error: CliError): ExitCode => renderCliError(error).code;

describe("spec errors", () => {
  test.each([
    ["a path that does not exist", spec({ _tag: "SpecNotFound", path: "x.json", reason: "ENOENT: no such file or directory, stat 'x.json'" }), ExitCode.badInput],
    ["a folder without image.*", spec({ _tag: "SpecNotFound", path: "d", reason: "no image.ts, image.json, image.yaml, image.yml in this folder" }), ExitCode.badInput],
    ["a spec without read permission", spec({ _tag: "SpecUnreadable", path: "x.json", reason: "EACCES: permission denied, open 'x.json'" }), ExitCode.badInput],
    ["a folder given where a file is read", spec({ _tag: "SpecUnreadable", path: "x.json", reason: "EISDIR: illegal operation on a directory, read" }), ExitCode.badInput],
    ["a disk that fails while reading the spec", spec({ _tag: "SpecUnreadable", path: "x.json", reason: "EIO: i/o error, read" }), ExitCode.environment],
    ["no file descriptors left", spec({ _tag: "SpecNotFound", path: "x.json", reason: "EMFILE: too many open files, stat 'x.json'" }), ExitCode.environment],
    ["a syntax error", spec({ _tag: "SpecSyntax", path: "x.json", reason: "invalid JSON: Unexpected end of JSON input" }), ExitCode.badInput],
    ["wrong fields", spec({ _tag: "SpecInvalid", path: "x.json", issues: [{ at: "name", message: "expected a name" }] }), ExitCode.badInput],
  ])("%s", (_, error, expected) => {
    expect(code(error)).toBe(expected);
  });
});

describe("other failures", () => {
  test("usage is 2, bad input 1, environment 3", () => {
    expect(code({ _tag: "Usage", message: "unknown verb" })).toBe(ExitCode.usage);
    expect(code({ _tag: "BadInput", lines: ["x"] })).toBe(ExitCode.badInput);
    expect(code({ _tag: "Environment", lines: ["x"] })).toBe(ExitCode.environment);
  });

  test("a report for stdout prints there, nothing on stderr, and exits with its cause's code", () => {
    expect(renderCliError({ _tag: "Reported", report: "{}", error: { _tag: "Environment", lines: ["disk"] } })).toEqual({ stdout: "{}", lines: [], code: ExitCode.environment });
    expect(renderCliError({ _tag: "Reported", report: "{}", error: spec({ _tag: "SpecSyntax", path: "x", reason: "y" }) })).toEqual({ stdout: "{}", lines: [], code: ExitCode.badInput });
  });
});
