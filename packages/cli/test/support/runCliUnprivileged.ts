import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { ProcessResult } from "../../../build/test/support/runProcess.ts";
import { REPO_ROOT, cliEnv, runCli } from "../../../build/test/support/runCli.ts";

// Permission errors need a process the kernel checks permissions for; root bypasses them. So,
// as root, the CLI runs as `nobody` (65534), from a copy of its bundle placed in `dir` (the
// repository may sit where nobody cannot read it, as under /root); as anyone else it runs as is.
export const NOBODY = 65534;
export const isRoot = (): boolean => process.getuid?.() === 0;

// Folders 0755, files 0644 (0755 if executable): readable by anyone.
const allowReading = async (at: string): Promise<void> => {
  const stat = await fs.lstat(at);
  if (stat.isDirectory()) {
    await fs.chmod(at, 0o755);
    for (const name of await fs.readdir(at)) await allowReading(path.join(at, name));
  } else if (stat.isFile()) await fs.chmod(at, stat.mode & 0o111 ? 0o755 : 0o644);
};

/** Prepares `dir` (an empty folder the test owns) and returns a runner for the CLI as an unprivileged user. */
export const unprivilegedCli = async (dir: string): Promise<(args: readonly string[]) => Promise<ProcessResult>> => {
  if (!isRoot()) return (args) => runCli(args);
  const fresh = await runCli(["--version"]); // brings the bundle up to date
  if (fresh.code !== 0) throw new Error(`the CLI does not start: ${fresh.stderr}`);
  const bundle = path.join(dir, "ocistage.mjs");
  await fs.copyFile(path.join(REPO_ROOT, "packages/cli/dist/ocistage.mjs"), bundle);
  // Each verb's bundle, which the entry loads from verbs/ beside itself (and the compression
  // pool's worker, which the verbs find beside themselves).
  await fs.cp(path.join(REPO_ROOT, "packages/cli/dist/verbs"), path.join(dir, "verbs"), { recursive: true });
  // The bundle leaves out packages that load files of their own (fs-xattr's native addon,
  // tinypool's worker entry, zstd.wasm): a copy of each beside it, for `nobody` to read.
  for (const name of ["fs-xattr", "tinypool", "@bokuweb/zstd-wasm"])
    await fs.cp(await fs.realpath(path.join(REPO_ROOT, "packages/cli/node_modules", name)), path.join(dir, "node_modules", name), { recursive: true });
  await fs.chmod(dir, 0o755);
  await fs.chmod(bundle, 0o644);
  await allowReading(path.join(dir, "verbs"));
  await allowReading(path.join(dir, "node_modules"));
  return (args) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [bundle, ...args], { cwd: dir, env: cliEnv(), uid: NOBODY, gid: NOBODY, stdio: ["ignore", "pipe", "pipe"] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
      child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
      child.on("error", reject);
      child.on("close", (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
    });
};
