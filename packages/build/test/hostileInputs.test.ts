// Every row of fixtures/hostile/cases.ts through `ocistage build`, as a user runs it: the build
// stops with exactly the expected lines and exit 1, leaves no output (whole or half) and changes
// nothing outside it: a listing of the whole temporary root is the same before and after.
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HostileCase } from "./fixtures/hostile/cases.ts";
import { HOSTILE_CASES } from "./fixtures/hostile/cases.ts";
import { requireTools } from "./support/requireTools.ts";
import { CLI_BIN, REPO_ROOT, cliEnv, runCli } from "./support/runCli.ts";
import type { ProcessResult } from "./support/runProcess.ts";
import { runProcess } from "./support/runProcess.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";

const isRoot = process.getuid?.() === 0;
// As root, dropping the two capabilities that bypass file permissions makes chmod mean something.
const canDropPrivileges = !isRoot || requireTools("setpriv");
const canMknod = isRoot || process.env["CI"] === "true";

let work = "";
beforeAll(async () => {
  work = await makeTempDir("hostile");
  // The bundle is made once here, not by the first (possibly unprivileged) case.
  expect((await runCli(["--version"])).code).toBe(0);
});
afterAll(async () => {
  // Folders made unreadable by a case must be opened up again to be removed.
  await fs.chmod(work, 0o700).catch(() => undefined);
  const openUp = async (dir: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const at = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        await fs.chmod(at, 0o700);
        await openUp(at);
      }
    }
  };
  await openUp(work);
  await removeTempDir(work);
});

// Every entry under `root` with its type, mode, size, mtime and (for files) content hash.
const listing = async (root: string): Promise<ReadonlyMap<string, string>> => {
  const found = new Map<string, string>();
  const walk = async (rel: string): Promise<void> => {
    for (const name of (await fs.readdir(path.join(root, rel))).sort()) {
      const child = rel === "" ? name : `${rel}/${name}`;
      const at = path.join(root, child);
      const s = await fs.lstat(at);
      const kind = s.isDirectory() ? "dir" : s.isFile() ? "file" : s.isSymbolicLink() ? `link->${await fs.readlink(at)}` : "special";
      const hash = s.isFile() ? createHash("sha256").update(await fs.readFile(at)).digest("hex") : "";
      found.set(child, `${kind} ${(s.mode & 0o7777).toString(8)} ${s.size} ${s.mtimeMs} ${hash}`);
      if (s.isDirectory()) await walk(child);
    }
  };
  await walk("");
  return found;
};

const build = (spec: string, out: string, unprivileged: boolean): Promise<ProcessResult> =>
  isRoot && unprivileged
    ? runProcess("setpriv", ["--bounding-set=-dac_override,-dac_read_search", "--", process.execPath, CLI_BIN, "build", spec, "--out", out], { cwd: REPO_ROOT, env: cliEnv(), timeoutMs: 60_000 })
    : runCli(["build", spec, "--out", out]);

let caseNumber = 0;

const runCase = async (row: HostileCase): Promise<void> => {
  const root = path.join(work, `case-${caseNumber++}`);
  const src = path.join(root, "src");
  await fs.mkdir(src, { recursive: true });
  await row.tree?.(src);
  await fs.writeFile(path.join(src, "image.json"), JSON.stringify(row.spec, null, 2));
  const out = path.join(root, "out");
  const before = await listing(root);

  const result = await build(path.join(src, "image.json"), out, row.unprivileged === true);

  expect({ code: result.code, stdout: result.stdout, stderr: result.stderr.split("\n").filter((l) => l !== "") }).toEqual({ code: 1, stdout: "", stderr: row.stderr });
  // No output appeared, not even a half-built one, and nothing else changed.
  expect(await listing(root)).toEqual(before);
};

describe("hostile inputs to ocistage build", () => {
  for (const row of HOSTILE_CASES) {
    const runnable = (row.unprivileged !== true || canDropPrivileges) && (row.needsRoot !== true || canMknod);
    it.runIf(runnable)(row.name, () => runCase(row));
  }
});
