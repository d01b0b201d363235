// `ocistage validate --json` writes its result to stdout whatever the outcome, so a script reads
// one place: ok (exit 0), a spec with wrong fields, one that does not compile, one that does not
// exist (exit 1 each, stderr empty).
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EXAMPLE_BUSYBOX, runCli } from "../../build/test/support/runCli.ts";
import { makeTempDir, removeTempDir } from "../../build/test/support/tempDir.ts";

let work = "";
beforeAll(async () => {
  work = await makeTempDir("cli-validate-json");
  await fs.writeFile(path.join(work, "bad.json"), JSON.stringify({ name: "Bad Name", layers: [{ name: "app", source: "root" }], entrypoint: "/bin/sh" }));
  await fs.writeFile(path.join(work, "broken.ts"), "export default { name: ;\n");
});
afterAll(() => removeTempDir(work));

const validate = async (spec: string): Promise<{ readonly code: number | null; readonly json: unknown; readonly stderr: string }> => {
  const result = await runCli(["validate", spec, "--json"]);
  return { code: result.code, json: JSON.parse(result.stdout) as unknown, stderr: result.stderr };
};

describe.concurrent("validate --json", () => {
  test("a good spec: the result on stdout, exit 0", async () => {
    expect(await validate(EXAMPLE_BUSYBOX)).toEqual({ code: 0, json: { result: "ok", steps: expect.any(Number) }, stderr: "" });
  });

  test("a spec with wrong fields: every issue on stdout with its field path, exit 1", async () => {
    expect(await validate(path.join(work, "bad.json"))).toEqual({
      code: 1,
      json: {
        result: "invalid",
        issues: [
          { at: "name", message: expect.stringMatching(/^name: .*"Bad Name"$/) },
          { at: "entrypoint", message: expect.stringMatching(/^entrypoint: .*"\/bin\/sh"$/) },
        ],
      },
      stderr: "",
    });
  });

  test("a .ts spec that does not compile: the file, line and column on stdout, exit 1", async () => {
    const file = path.join(work, "broken.ts");
    expect(await validate(file)).toEqual({ code: 1, json: { result: "invalid", issues: [{ at: "", message: `${file}: line 1, column 24: Unexpected ";"` }] }, stderr: "" });
  });

  test("a spec that does not exist: said on stdout, exit 1", async () => {
    const file = path.join(work, "nope.yaml");
    expect(await validate(file)).toEqual({ code: 1, json: { result: "invalid", issues: [{ at: "", message: expect.stringMatching(new RegExp(`^${file}: spec not found`)) }] }, stderr: "" });
  });
});
