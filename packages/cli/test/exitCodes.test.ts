// The exit-code contract where it is easiest to get wrong: a permission error on what the CLI
// writes is the environment's (exit 3), while a wrong or unreadable input, the spec or a file it
// copies, is the input's (exit 1). Run as an unprivileged user, since root ignores permissions.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ProcessResult } from "../../build/test/support/runProcess.ts";
import { makeTempDir, removeTempDir } from "../../build/test/support/tempDir.ts";
import { unprivilegedCli } from "./support/runCliUnprivileged.ts";

let work = "";
let cli: (args: readonly string[]) => Promise<ProcessResult> = () => Promise.reject(new Error("not set up"));
const at = (...parts: readonly string[]): string => path.join(work, ...parts);

const SPEC = { name: "perm", layers: [{ name: "etc", files: [{ content: "hi\n", destination: "/etc/hi" }] }], entrypoint: ["/bin/sh"] };

beforeAll(async () => {
  work = await makeTempDir("cli-exit-codes");
  cli = await unprivilegedCli(work);
  await fs.writeFile(at("image.json"), JSON.stringify(SPEC), { mode: 0o644 });
  await fs.mkdir(at("locked"), { mode: 0o555 }); // nobody (but root) may write here
  await fs.chmod(at("locked"), 0o555);
  await fs.mkdir(at("writable"));
  await fs.chmod(at("writable"), 0o777); // so that only the input can be what fails
  await fs.mkdir(at("secret"), { mode: 0o755 });
  await fs.writeFile(at("secret/image.json"), JSON.stringify(SPEC));
  await fs.chmod(at("secret/image.json"), 0o000);
  await fs.mkdir(at("copies"), { mode: 0o755 });
  await fs.writeFile(at("copies/data.txt"), "secret\n");
  await fs.chmod(at("copies/data.txt"), 0o000);
  await fs.writeFile(at("copies/image.json"), JSON.stringify({ ...SPEC, layers: [{ name: "data", files: [{ source: "data.txt", destination: "/data.txt" }] }] }), { mode: 0o644 });
});
afterAll(() => removeTempDir(work));

const outcome = (r: ProcessResult): { readonly code: number | null; readonly stdout: string } => ({ code: r.code, stdout: r.stdout });

describe.concurrent("EACCES on the output exits 3 and names the path", () => {
  test.each([
    ["build --out", ["build", "SPEC", "--out", "locked/image"], "locked/image"],
    ["emit shell -o", ["emit", "shell", "SPEC", "-o", "locked/build.sh"], "locked/build.sh"],
    ["docs -o", ["docs", "SPEC", "-o", "locked/image.md"], "locked/image.md"],
    ["emit dockerfile --context", ["emit", "dockerfile", "SPEC", "--context", "locked/context"], "locked/context"],
  ])("%s", async (_, args, written) => {
    const result = await cli(args.map((a) => (a === "SPEC" ? at("image.json") : a.startsWith("locked/") ? at(a) : a)));
    expect(outcome(result)).toEqual({ code: 3, stdout: "" });
    expect(result.stderr).toContain(at(written));
    expect(result.stderr).toContain("EACCES");
  });
});

describe.concurrent("wrong or unreadable input exits 1", () => {
  test("a spec that does not exist", async () => {
    const result = await cli(["validate", at("nope.json")]);
    expect(outcome(result)).toEqual({ code: 1, stdout: "" });
    expect(result.stderr).toMatch(/nope\.json: spec not found/);
  });

  test("a spec the user may not read (EACCES)", async () => {
    const result = await cli(["validate", at("secret")]);
    expect(outcome(result)).toEqual({ code: 1, stdout: "" });
    expect(result.stderr).toBe(`${at("secret/image.json")}: cannot read spec (EACCES: permission denied, open '${at("secret/image.json")}')\n`);
  });

  test("a source file the user may not read (EACCES)", async () => {
    const result = await cli(["build", at("copies"), "--out", at("writable/copies")]);
    expect(outcome(result)).toEqual({ code: 1, stdout: "" });
    expect(result.stderr).toMatch(/data\.txt.*EACCES/);
  });
});
