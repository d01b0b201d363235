// `--compression none|gzip|zstd` on `build` and `emit shell` overrides the spec's `compression`
// fields; anything else is a usage error (exit 2) that lists the choices.
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, test } from "vitest";
import { parseArgs } from "../src/parseArgs.ts";
import { EXAMPLE_BUSYBOX, runCli } from "../../build/test/support/runCli.ts";

describe("--compression", () => {
  test("is parsed for build and emit shell, and absent when not given", () => {
    expect(parseArgs(["build", "spec", "--compression", "zstd"])).toMatchObject(E.right({ _tag: "Build", compression: "zstd" }));
    expect(parseArgs(["build", "spec", "--compression=gzip"])).toMatchObject(E.right({ _tag: "Build", compression: "gzip" }));
    expect(parseArgs(["emit", "shell", "spec", "--compression", "none"])).toMatchObject(E.right({ _tag: "EmitShell", compression: "none" }));
    const plain = parseArgs(["build", "spec"]);
    expect(E.isRight(plain) && "compression" in plain.right).toBe(false);
  });

  test("refuses any other value with exit 2, listing the choices", async () => {
    expect(parseArgs(["build", "spec", "--compression", "xz"])).toEqual(E.left({ _tag: "Usage", message: '--compression must be one of none, gzip, zstd, not "xz"' }));
    const run = await runCli(["build", EXAMPLE_BUSYBOX, "--compression", "xz"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--compression must be one of none, gzip, zstd, not "xz"');
  });
});
