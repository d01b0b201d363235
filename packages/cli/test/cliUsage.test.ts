// The CLI contract's usage side, run as a user runs it (a separate `node …/ocistage.mjs`
// process): help and version succeed, a wrong verb or flag is a usage error (exit 2), and a verb
// that is not implemented yet says so and prints nothing on stdout.
import { describe, expect, test } from "vitest";
import { EXAMPLE_BUSYBOX, runCli } from "../../build/test/support/runCli.ts";

const VERBS = ["build", "validate", "plan", "dry-run", "graph", "emit", "docs", "test", "verify", "convert", "bundle", "push", "diff"] as const;

describe.concurrent("help and version", () => {
  test("--help prints the usage, naming every verb, and exits 0", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    for (const verb of VERBS) expect(result.stdout).toMatch(new RegExp(`^  ${verb} `, "m"));
  });

  test("--version prints the version and exits 0", async () => {
    const result = await runCli(["--version"]);
    expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 0, stdout: expect.stringMatching(/^ocistage \d+\.\d+\.\d+\n$/) });
  });

  test.each(VERBS)("%s --help prints that verb's usage and exits 0", async (verb) => {
    const result = await runCli([verb, "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith(`ocistage ${verb}`)).toBe(true);
    expect(result.stderr).toBe("");
  });
});

describe.concurrent("usage errors exit 2, on stderr only", () => {
  test.each([
    ["an unknown verb", ["bulid", EXAMPLE_BUSYBOX], /unknown verb "bulid"/],
    ["an unknown flag", ["build", EXAMPLE_BUSYBOX, "--bogus"], /unknown option --bogus/],
    ["an unknown flag of another verb", ["validate", EXAMPLE_BUSYBOX, "--out", "x"], /unknown option --out/],
    ["a missing SPEC", ["build"], /missing SPEC/],
    ["a flag without its value", ["build", EXAMPLE_BUSYBOX, "--out"], /--out needs a value/],
    ["convert of something other than docker-archive:", ["convert", "oci:/tmp/x", "--out", "y"], /SOURCE must be docker-archive:FILE, found "oci:\/tmp\/x"/],
    ["convert without --out", ["convert", "docker-archive:x.tar"], /--out DIR is required/],
    ["bundle without --out", ["bundle", EXAMPLE_BUSYBOX], /ocistage bundle: --out DIR is required/],
    ["bundle of a spec and a layout at once", ["bundle", EXAMPLE_BUSYBOX, "--from-layout", "x", "--out", "y"], /give a SPEC or --from-layout, not both/],
  ])("%s", async (_, args, message) => {
    const result = await runCli(args);
    expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 2, stdout: "" });
    expect(result.stderr).toMatch(message);
  });
});

describe("verbs not implemented yet", () => {
  test.each([
    ["diff", ["diff", "old", "new"]],
  ])("%s says 'not yet', exits non-zero and prints nothing on stdout", async (verb, args) => {
    const result = await runCli(args);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(new RegExp(`^ocistage ${verb}: not (yet implemented|implemented yet)`));
  });
});
