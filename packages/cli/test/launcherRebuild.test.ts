// The launcher (packages/cli/bin/ocistage.mjs) bundles the CLI again when a source is newer than
// its bundle. When that cannot be done, the user gets one clear report and the environment's exit
// code (3), never esbuild's log and a stack trace: a source that does not compile is named with
// its line and column; a bundle folder that cannot be written says how to mend the installation.
// Each case runs a copy of the launcher in a small clone-shaped folder of its own.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { REPO_ROOT } from "../../build/test/support/runCli.ts";
import { runProcess } from "../../build/test/support/runProcess.ts";
import { makeTempDir, removeTempDir } from "../../build/test/support/tempDir.ts";

let work = "";
beforeAll(async () => {
  work = await makeTempDir("cli-launcher-rebuild");
});
afterAll(() => removeTempDir(work));

/** A clone-shaped folder: the launcher, esbuild, a worker source and the given main.ts. */
const cloneWith = async (name: string, mainTs: string): Promise<string> => {
  const root = path.join(work, name);
  const cli = path.join(root, "packages", "cli");
  await fs.mkdir(path.join(cli, "bin"), { recursive: true });
  await fs.mkdir(path.join(cli, "src", "commands"), { recursive: true });
  await fs.mkdir(path.join(cli, "node_modules"), { recursive: true });
  await fs.mkdir(path.join(root, "packages", "build", "src", "compress"), { recursive: true });
  await fs.copyFile(path.join(REPO_ROOT, "packages/cli/bin/ocistage.mjs"), path.join(cli, "bin", "ocistage.mjs"));
  await fs.symlink(await fs.realpath(path.join(REPO_ROOT, "packages/cli/node_modules/esbuild")), path.join(cli, "node_modules", "esbuild"));
  await fs.writeFile(path.join(root, "packages", "build", "src", "compress", "compressWorker.mjs"), "export default () => 0;\n");
  await fs.writeFile(path.join(cli, "src", "main.ts"), mainTs);
  return cli;
};

const launch = (cli: string) => runProcess(process.execPath, [path.join(cli, "bin", "ocistage.mjs"), "--version"], { cwd: work, timeoutMs: 60_000 });

describe("the launcher, when the CLI cannot be bundled again", () => {
  test("a source that does not compile: exit 3, the file, line and column, no stack trace", async () => {
    const cli = await cloneWith("syntax", 'console.log("fine");\nconst broken = ;\n');
    const result = await launch(cli);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^ocistage: the CLI could not be bundled from its sources: \S*main\.ts:2:15: Unexpected ";"\n$/);
    expect(result.stdout).toBe("");
    // Nothing half-built is left behind.
    expect((await fs.readdir(path.join(cli, "dist")).catch(() => [])).filter((n) => n.startsWith(".build."))).toEqual([]);
  });

  test("a bundle folder that cannot be written: exit 3, which folder, and how to mend it", async () => {
    const cli = await cloneWith("unwritable", 'console.log("fine");\n');
    // A file where the bundle folder should be: no one, root included, can write a bundle below it.
    await fs.writeFile(path.join(cli, "dist"), "not a folder\n");
    const result = await launch(cli);
    expect(result.code).toBe(3);
    const [first, second, ...rest] = result.stderr.split("\n");
    expect(first).toMatch(new RegExp(`^ocistage: the CLI's bundle in ${path.join(cli, "dist").replaceAll("/", "\\/")} is older than its sources and could not be rebuilt: .*not a directory`));
    expect(second).toBe(`Run any ocistage command once as a user who may write there (e.g. \`node ${path.join(cli, "bin", "ocistage.mjs")} --version\`), or run scripts/setup again.`);
    expect(rest).toEqual([""]);
  });

  test("once the source compiles, the same launcher bundles it and runs it", async () => {
    const cli = await cloneWith("mended", "const broken = ;\n");
    expect((await launch(cli)).code).toBe(3);
    await fs.writeFile(path.join(cli, "src", "main.ts"), 'console.log("fake cli ran");\n');
    const result = await launch(cli);
    expect(result).toMatchObject({ code: 0, stdout: "fake cli ran\n", stderr: "" });
  });
});
