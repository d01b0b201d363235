// After `scripts/setup` an `ocistage` command is on PATH: scripts/install-launcher (which setup
// runs) links this clone's launcher into a bin folder, and `ocistage --version` then works from
// anywhere by name. It replaces a link of another clone's, never someone else's file, and falls
// back to ~/.local/bin, saying what to add to PATH.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { REPO_ROOT } from "../../build/test/support/runCli.ts";
import { runProcess } from "../../build/test/support/runProcess.ts";
import { makeTempDir, removeTempDir } from "../../build/test/support/tempDir.ts";
import { installLauncher, pathWith } from "./support/installLauncher.ts";

const LAUNCHER = path.join(REPO_ROOT, "packages/cli/bin/ocistage.mjs");

let work = "";
const at = (...parts: readonly string[]): string => path.join(work, ...parts);
beforeAll(async () => {
  work = await makeTempDir("cli-launcher");
});
afterAll(() => removeTempDir(work));

// `ocistage --version` by name through a shell, from a folder outside the clone.
const byName = (binDir: string): Promise<{ readonly code: number | null; readonly stdout: string }> =>
  pathWith(binDir).then((PATH) => runProcess("/bin/sh", ["-c", "ocistage --version"], { cwd: work, env: { ...process.env, PATH } }).then((r) => ({ code: r.code, stdout: r.stdout })));

describe("scripts/install-launcher", () => {
  test("scripts/setup runs it, after the workspace is installed", async () => {
    const setup = (await fs.readFile(path.join(REPO_ROOT, "scripts/setup"), "utf8")).split("\n");
    expect(setup.indexOf("scripts/install-launcher")).toBeGreaterThan(setup.findIndex((l) => l.includes("pnpm@") && l.includes("install")));
  });

  test("links ocistage in the bin folder to this clone's launcher; by name it prints the version", async () => {
    const result = await installLauncher(at("bin"), at("home"), at("bin"));
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`launcher: ocistage is ${at("bin", "ocistage")} -> ${LAUNCHER}`);
    expect(await fs.readlink(at("bin", "ocistage"))).toBe(LAUNCHER);
    expect(await byName(at("bin"))).toEqual({ code: 0, stdout: expect.stringMatching(/^ocistage \d+\.\d+\.\d+\n$/) });
  });

  test("replaces a link to another clone's launcher", async () => {
    await fs.mkdir(at("bin-old"));
    await fs.symlink("/elsewhere/packages/cli/bin/ocistage.mjs", at("bin-old", "ocistage"));
    expect((await installLauncher(at("bin-old"), at("home"))).code).toBe(0);
    expect(await fs.readlink(at("bin-old", "ocistage"))).toBe(LAUNCHER);
  });

  test("leaves someone else's ocistage alone and falls back to ~/.local/bin, saying to add it to PATH", async () => {
    await fs.mkdir(at("bin-taken"));
    await fs.writeFile(at("bin-taken", "ocistage"), "#!/bin/sh\necho not ours\n", { mode: 0o755 });
    const result = await installLauncher(at("bin-taken"), at("home-taken"));
    expect(result.code).toBe(0);
    expect(await fs.readFile(at("bin-taken", "ocistage"), "utf8")).toBe("#!/bin/sh\necho not ours\n");
    const fallback = at("home-taken", ".local", "bin");
    expect(await fs.readlink(path.join(fallback, "ocistage"))).toBe(LAUNCHER);
    expect(result.stderr).toContain(`${at("bin-taken", "ocistage")} is not an ocistage launcher; leaving it alone`);
    expect(result.stderr).toContain(`${fallback} is not on PATH: add it (export PATH="${fallback}:$PATH")`);
    expect(await byName(fallback)).toMatchObject({ code: 0 });
  });

  test("a bin folder that cannot be made (below a file) falls back too", async () => {
    await fs.writeFile(at("a-file"), "");
    const result = await installLauncher(at("a-file", "bin"), at("home-file"));
    expect(result.code).toBe(0);
    expect(await fs.readlink(at("home-file", ".local", "bin", "ocistage"))).toBe(LAUNCHER);
  });
});
