import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emitShell } from "../src/index.ts";
import { BUSYBOX_EXAMPLE, REPO, makeTempDir, programOfFile } from "./fixtures/shell/programs.ts";
import { runProcess } from "./fixtures/shell/runProcess.ts";

// The CLI as users run it, with the epoch the expected program was lowered with (0).
const ocistage = (args: readonly string[]): ReturnType<typeof runProcess> => {
  const { SOURCE_DATE_EPOCH: _epoch, ...env } = process.env;
  return runProcess(process.execPath, [path.join(REPO, "packages/cli/bin/ocistage.mjs"), ...args], env);
};

describe("ocistage emit shell", () => {
  let work = "";
  beforeAll(async () => {
    work = await makeTempDir("shell-cli");
  });
  afterAll(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  it("prints the script for SPEC", async () => {
    const run = await ocistage(["emit", "shell", path.dirname(BUSYBOX_EXAMPLE)]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(emitShell((await programOfFile(BUSYBOX_EXAMPLE)).program));
  });

  it("with -o FILE, writes it there, executable", async () => {
    const file = path.join(work, "build-image.sh");
    const run = await ocistage(["emit", "shell", BUSYBOX_EXAMPLE, "-o", file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`wrote ${file}\n`);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o755);
    expect(await fs.readFile(file, "utf8")).toBe(emitShell((await programOfFile(BUSYBOX_EXAMPLE)).program));
  });

  it("exits 1 with the spec's problem when the spec does not exist", async () => {
    const run = await ocistage(["emit", "shell", path.join(work, "nothing-here.json")]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("nothing-here.json");
  });

  it("exits 1 naming the field when a destination is a whiteout name, and writes no script", async () => {
    const spec = path.join(work, "whiteout.json");
    await fs.writeFile(spec, JSON.stringify({ name: "w", layers: [{ name: "l", files: [{ content: "x", destination: "/etc/.wh.passwd" }] }] }));
    const run = await ocistage(["emit", "shell", spec, "-o", path.join(work, "whiteout.sh")]);
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 1,
      stdout: "",
      stderr: 'layers[0].files[0].destination: "/etc/.wh.passwd" has a name starting with ".wh.", which every runtime reads as a whiteout (an order to delete "/etc/passwd" from the layers below), not as a file; rename it (to delete a path of the layers below, write {whiteout: PATH})\n',
    });
    await expect(fs.access(path.join(work, "whiteout.sh"))).rejects.toThrow();
  });
});
