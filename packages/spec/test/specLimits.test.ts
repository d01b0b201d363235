// Every codec whose message states a range or a shape holds to it: a value just inside is
// accepted, one just outside is refused with the message naming the field.
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { decodeSpec, formatSpecError } from "../src/index.ts";

const minimal = { name: "demo", layers: [{ name: "app", source: "rootfs" }] };
const withFile = (entry: Record<string, unknown>) => ({ name: "demo", layers: [{ name: "app", files: [{ content: "x", destination: "/x", ...entry }] }] });

const issuesOf = (value: unknown): readonly string[] => {
  const result = decodeSpec(value, "image.json");
  return E.isRight(result) ? [] : formatSpecError(result.left);
};

const PORT = 'expected port 1..65535 (a number, or "80", "80/tcp", "53/udp", "9/sctp")';

describe("exposedPorts: 1..65535, as a number or \"80\", \"80/tcp\", \"53/udp\", \"9/sctp\"", () => {
  it("accepts the bounds in every form", () => {
    expect(issuesOf({ ...minimal, exposedPorts: [1, 65535, "1", "65535/tcp", "53/udp", "9/sctp"] })).toEqual([]);
  });

  it.each([
    ["70000", '"70000"'],
    ["0/tcp", '"0/tcp"'],
    ["65536/udp", '"65536/udp"'],
    ["080", '"080"'],
    ["80/TCP", '"80/TCP"'],
    ["80-90/tcp", '"80-90/tcp"'],
    [0, "0"],
    [65536, "65536"],
    [80.5, "80.5"],
  ])("refuses %j", (port, found) => {
    expect(issuesOf({ ...minimal, exposedPorts: [port] })).toEqual([`exposedPorts[0]: ${PORT}, found ${found}`]);
  });
});

describe("uid and gid: integers 0..4294967294", () => {
  it("accepts 0 and 4294967294", () => {
    expect(issuesOf(withFile({ uid: 0, gid: 4294967294 }))).toEqual([]);
  });

  it.each([[-1], [4294967295], [1.5]])("refuses %j", (id) => {
    expect(issuesOf(withFile({ uid: id }))).toEqual([`layers[0].files[0].uid: expected uid/gid (integer 0..4294967294), found ${id}`]);
  });
});

describe("mode: an octal string of 3 or 4 digits, with an optional leading 0", () => {
  it.each(["644", "0644", "7777", "07777"])("accepts %j", (mode) => {
    expect(issuesOf(withFile({ mode }))).toEqual([]);
  });

  it.each(["0999", "10000", "64", "0x1ff", "rwx"])("refuses %j", (mode) => {
    expect(issuesOf(withFile({ mode }))).toEqual([`layers[0].files[0].mode: expected octal mode string such as "0644", found "${mode}"`]);
  });
});

describe("tag: [A-Za-z0-9_][A-Za-z0-9._-]{0,127}", () => {
  it("accepts 128 characters", () => {
    expect(issuesOf({ ...minimal, tag: `v${"1".repeat(127)}` })).toEqual([]);
  });

  it.each([`v${"1".repeat(128)}`, ".hidden", "-x", "a/b"])("refuses %j", (tag) => {
    expect(issuesOf({ ...minimal, tag })).toHaveLength(1);
    expect(issuesOf({ ...minimal, tag })[0]).toMatch(/^tag: expected tag \(\[A-Za-z0-9_\]\[A-Za-z0-9._-\]\{0,127\}\), found "/);
  });
});

describe("env: NAME=value with a non-empty NAME, no \"=\" in it and no NUL anywhere (execve cannot pass one)", () => {
  it("accepts an empty value and odd but passable names", () => {
    expect(issuesOf({ ...minimal, env: ["A=", "NAME WITH SPACE=v", "B=x=y"] })).toEqual([]);
    expect(issuesOf({ ...minimal, env: { A: "", "x.y": "1" } })).toEqual([]);
  });

  it("refuses a list entry without a name, without \"=\" or with a NUL", () => {
    expect(issuesOf({ ...minimal, env: ["=x", "A", "A=\u0000", "A\u0000B=1"] })).toEqual([
      'env[0]: expected "NAME=value" (NAME not empty, no NUL), found "=x"',
      'env[1]: expected "NAME=value" (NAME not empty, no NUL), found "A"',
      'env[2]: expected "NAME=value" (NAME not empty, no NUL), found "A=\\u0000"',
      'env[3]: expected "NAME=value" (NAME not empty, no NUL), found "A\\u0000B=1"',
    ]);
  });

  it("refuses a record name with \"=\" or NUL, and a value with NUL", () => {
    expect(issuesOf({ ...minimal, env: { "A=B": "1", "": "2", C: "a\u0000b" } })).toEqual([
      'env["A=B"]: expected NAME (not empty, without = or NUL), found "A=B"',
      'env[""]: expected NAME (not empty, without = or NUL), found ""',
      'env.C: expected value without NUL, found "a\\u0000b"',
    ]);
  });
});

describe("workingDir and volumes: absolute paths without NUL", () => {
  it("accepts absolute paths", () => {
    expect(issuesOf({ ...minimal, workingDir: "/srv/a b", volumes: ["/data", "/"] })).toEqual([]);
  });

  it("refuses relative paths and NULs", () => {
    expect(issuesOf({ ...minimal, workingDir: "srv", volumes: ["/ok", "data", "/a\u0000"] })).toEqual([
      'workingDir: expected absolute path (without NUL), found "srv"',
      'volumes[1]: expected absolute path (without NUL), found "data"',
      'volumes[2]: expected absolute path (without NUL), found "/a\\u0000"',
    ]);
  });
});

describe("stopSignal: a name runtimes know, in any case, with or without SIG, or a number 1..64", () => {
  it.each(["SIGTERM", "TERM", "sigint", "SIGRTMIN+3", "SIGRTMAX", "9", "64"])("accepts %j", (stopSignal) => {
    expect(issuesOf({ ...minimal, stopSignal })).toEqual([]);
  });

  it.each([
    ["SIGFOO", ""],
    ["0", ""],
    ["65", ""],
    ["SIGUNUSED", ""],
    ["010", ' (did you mean "10"?)'],
    ["+9", ' (did you mean "9"?)'],
    ["SIGTERM ", ' (did you mean "SIGTERM"?)'],
  ])("refuses %j", (stopSignal, hint) => {
    expect(issuesOf({ ...minimal, stopSignal })).toEqual([`stopSignal: expected a signal name such as SIGTERM or a number 1..64, found ${JSON.stringify(stopSignal)}${hint}`]);
  });
});

describe("tests[].expectExitCode: an integer 0..255 (what a process can exit with)", () => {
  const withCode = (expectExitCode: unknown) => ({ ...minimal, tests: [{ name: "t", command: [], expectExitCode }] });

  it("accepts 0 and 255", () => {
    expect([...issuesOf(withCode(0)), ...issuesOf(withCode(255))]).toEqual([]);
  });

  it.each([[256], [-1], [1.5]])("refuses %j", (code) => {
    expect(issuesOf(withCode(code))).toEqual([`tests[0].expectExitCode: expected exit code (integer 0..255), found ${code}`]);
  });
});

describe("maxLayers: an integer of at least 1", () => {
  it.each([[1], [127], [500]])("accepts %j", (maxLayers) => {
    expect(issuesOf({ ...minimal, maxLayers })).toEqual([]);
  });

  it.each([[0], [1.5], ["200"]])("refuses %j", (maxLayers) => {
    expect(issuesOf({ ...minimal, maxLayers })).toEqual([`maxLayers: expected layer count (integer ≥ 1), found ${JSON.stringify(maxLayers)}`]);
  });
});
