import { promises as fs } from "node:fs";
import { createServer } from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeScript } from "./fixtures/shell/buildBoth.ts";
import { BUSYBOX_EXAMPLE, makeTempDir, programOfFile, programOfValue } from "./fixtures/shell/programs.ts";
import { requireTools } from "./fixtures/shell/requireTools.ts";
import { runProcess } from "./fixtures/shell/runProcess.ts";

// The tools the script calls, found on this machine's PATH.
const SCRIPT_TOOLS = ["tar", "sha256sum", "stat", "cp", "chmod", "mkdir", "rm", "mv", "ln", "cat", "ls"] as const;

const which = async (tool: string): Promise<string> => {
  const found = await runProcess("sh", ["-c", `command -v ${tool}`]);
  if (found.code !== 0) throw new Error(`${tool} is not on PATH`);
  return found.stdout.trim();
};

// A folder to put first on PATH: each tool a symlink to `links[tool]`, or a script for `scripts[tool]`.
const toolDir = async (dir: string, links: Readonly<Record<string, string>>, scripts: Readonly<Record<string, string>> = {}): Promise<string> => {
  await fs.mkdir(dir);
  for (const [tool, target] of Object.entries(links)) await fs.symlink(target, path.join(dir, tool));
  for (const [tool, body] of Object.entries(scripts)) await fs.writeFile(path.join(dir, tool), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return dir;
};

describe.runIf(requireTools("dash", "busybox"))("the emitted script's checks, before it writes anything", () => {
  let work = "";
  let script = "";
  let real: Record<string, string> = {};
  let busybox = "";
  beforeAll(async () => {
    work = await makeTempDir("shell-tools");
    script = await writeScript((await programOfFile(BUSYBOX_EXAMPLE)).program, path.join(work, "build-image.sh"));
    real = Object.fromEntries(await Promise.all(SCRIPT_TOOLS.map(async (t) => [t, await which(t)] as const)));
    busybox = await which("busybox");
  });
  afterAll(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  // Runs the script with `dir` alone on PATH (or first on it), into a new output folder, and
  // checks that the folder was not made.
  const runWith = async (name: string, pathValue: string): Promise<{ readonly code: number | null; readonly stderr: string }> => {
    const out = path.join(work, `out-${name}`);
    const run = await runProcess("/usr/bin/env", ["dash", script, out], { ...process.env, PATH: pathValue });
    await expect(fs.access(out), "the output folder must not be made").rejects.toThrow();
    return run;
  };

  it("stops when tar is bsdtar, quoting what tar --version said", async () => {
    const shim = await toolDir(path.join(work, "bsdtar"), {}, { tar: `echo "bsdtar 3.6.2 - libarchive 3.6.2 zlib/1.2.13"` });
    const run = await runWith("bsdtar", `${shim}:${process.env["PATH"] ?? ""}`);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("build-image: needs GNU tar as tar, but 'tar --version' says: bsdtar 3.6.2 - libarchive 3.6.2 zlib/1.2.13\n");
  });

  it("stops when tar is busybox's", async () => {
    const shim = await toolDir(path.join(work, "busybox-tar"), { tar: busybox });
    const run = await runWith("busybox-tar", `${shim}:${process.env["PATH"] ?? ""}`);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("build-image: needs GNU tar as tar, but 'tar --version' says:");
  });

  it("stops when GNU tar is older than 1.28 (no --sort=name)", async () => {
    const shim = await toolDir(path.join(work, "old-tar"), {}, { tar: `echo "tar (GNU tar) 1.27.1"` });
    const run = await runWith("old-tar", `${shim}:${process.env["PATH"] ?? ""}`);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("build-image: needs GNU tar 1.28 or newer (for --sort=name), found 1.27.1\n");
  });

  it("names every tool missing from PATH", async () => {
    const { sha256sum: _hash, stat: _stat, ...rest } = real;
    const only = await toolDir(path.join(work, "missing"), { ...rest, dash: await which("dash") });
    const run = await runWith("missing", only);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("build-image: missing tools: sha256sum stat (this script needs GNU tar and GNU coreutils)\n");
  });

  it("stops when the coreutils are busybox's", async () => {
    const shim = await toolDir(path.join(work, "busybox-coreutils"), { cp: busybox, chmod: busybox, stat: busybox, sha256sum: busybox });
    const run = await runWith("busybox-coreutils", `${shim}:${process.env["PATH"] ?? ""}`);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("build-image: needs GNU coreutils, but these are not: cp chmod stat sha256sum\n");
  });

  it("refuses an output folder that is not empty, and leaves it as it was", async () => {
    const out = path.join(work, "not-empty");
    await fs.mkdir(out);
    await fs.writeFile(path.join(out, "keep"), "mine");
    const run = await runProcess("dash", [script, out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`build-image: ${out} is not empty: give a new or an empty folder\n`);
    expect(await fs.readdir(out)).toEqual(["keep"]);
  });

  it("prints its usage and exits 2 without arguments", async () => {
    const run = await runProcess("dash", [script]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("OUT_DIR [SOURCE_ROOT]");
  });

  it("requires SOURCE_ROOT when the spec has relative sources, and takes it from OCISTAGE_SOURCE_ROOT too", async () => {
    const sources = path.join(work, "sources");
    await fs.mkdir(sources);
    await fs.writeFile(path.join(sources, "hello"), "hello\n");
    const relative = await writeScript(
      programOfValue({ name: "relative", layers: [{ name: "l", files: [{ source: "hello", destination: "/hello" }] }] }),
      path.join(work, "relative.sh"),
    );
    const without = await runProcess("dash", [relative, path.join(work, "relative-out-1")]);
    expect(without.code).toBe(2);
    expect(without.stderr).toContain("OUT_DIR SOURCE_ROOT");
    const viaEnv = await runProcess("dash", [relative, path.join(work, "relative-out-2")], { ...process.env, OCISTAGE_SOURCE_ROOT: sources });
    expect(viaEnv.stderr).not.toContain("build-image:");
    expect(viaEnv.code).toBe(0);
  });
});

describe.runIf(requireTools("dash"))("the emitted script on sources the build refuses", () => {
  let work = "";
  beforeAll(async () => {
    work = await makeTempDir("shell-refuse");
  });
  afterAll(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  const folderWith = async (name: string, make: (file: string) => Promise<void>): Promise<string> => {
    const dir = path.join(work, name);
    await fs.mkdir(path.join(dir, "tree"), { recursive: true });
    await fs.writeFile(path.join(dir, "tree", "ordinary"), "x\n");
    await make(path.join(dir, "tree", "special"));
    return dir;
  };
  const spec = { name: "special", layers: [{ name: "tree", source: "tree" }] };

  it("stops at a FIFO in a source folder, naming the layer", async () => {
    const sources = await folderWith("fifo", async (file) => {
      await runProcess("mkfifo", [file]);
    });
    const script = await writeScript(programOfValue(spec), path.join(work, "fifo.sh"));
    const run = await runProcess("dash", [script, path.join(work, "fifo-out"), sources]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/build-image: layer tree: a source holds a FIFO or device file \(leave it out with an exclude pattern\): p.* \.\/special\n/);
  });

  it("never writes through a symlink a copy made: the entry below it stops the script", async () => {
    const dir = path.join(work, "through-symlink");
    const outside = path.join(dir, "outside");
    await fs.mkdir(outside, { recursive: true });
    await fs.symlink(outside, path.join(dir, "link"));
    const program = programOfValue({
      name: "through",
      layers: [{ name: "l", files: [{ source: "link", destination: "/etc" }, { content: "x\n", destination: "/etc/written-outside" }] }],
    });
    const script = await writeScript(program, path.join(work, "through.sh"));
    const run = await runProcess("dash", [script, path.join(work, "through-out"), dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("\nbuild-image: /etc must be a folder (an entry below it needs one), but something else is there\n");
    expect(await fs.readdir(outside)).toEqual([]);
  });

  it("stops at a socket in a source folder, which GNU tar only warns about", async () => {
    // The socket file lives as long as the server listens on it.
    const server = createServer();
    const sources = await folderWith("socket", (file) => new Promise<void>((resolve) => server.listen(file, resolve)));
    try {
      const script = await writeScript(programOfValue(spec), path.join(work, "socket.sh"));
      const run = await runProcess("dash", [script, path.join(work, "socket-out"), sources]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("socket ignored");
      expect(run.stderr).toMatch(/\nbuild-image: the source \S+\/socket\/tree holds something tar skipped or could not read \(above\); the build would refuse it\n/);
    } finally {
      server.close();
    }
  });
});
