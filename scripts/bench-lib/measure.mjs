// Runs one benchmark case with hyperfine (whole processes, repeated, median) and /usr/bin/time
// (peak resident memory of every run), and returns the figures the report needs.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// A case's shell snippets become small scripts, so hyperfine runs them without a shell of its
// own (-N) and /usr/bin/time sees the whole command, pipes included.
const script = (dir, name, body) => {
  const file = path.join(dir, `${name}.sh`);
  writeFileSync(file, `#!/usr/bin/env bash\nset -euo pipefail\n${body}\n`, { mode: 0o755 });
  return file;
};

// `c`: { id, label, command, prepare?, setup?, cleanup?, runs, warmup }.
export const measure = (c, workDir) => {
  const dir = path.join(workDir, "runs", c.id);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const memFile = path.join(dir, "peak-kb.txt");
  const json = path.join(dir, "hyperfine.json");
  const command = `/usr/bin/time -f %M -a -o ${memFile} bash ${script(dir, "command", c.command)}`;
  const args = ["-N", "--style", "basic", "--runs", String(c.runs), "--warmup", String(c.warmup ?? 0), "--export-json", json];
  if (c.setup) args.push("--setup", `bash ${script(dir, "setup", c.setup)}`);
  if (c.prepare) args.push("--prepare", `bash ${script(dir, "prepare", c.prepare)}`);
  if (c.cleanup) args.push("--cleanup", `bash ${script(dir, "cleanup", c.cleanup)}`);
  args.push("--command-name", c.label, command);
  process.stderr.write(`\nbench: ${c.label}\n`);
  const run = spawnSync("hyperfine", args, { stdio: ["ignore", "inherit", "inherit"] });
  if (run.status !== 0) throw new Error(`hyperfine failed for "${c.label}" (exit ${run.status})`);
  const result = JSON.parse(readFileSync(json, "utf8")).results[0];
  // The warm-up runs wrote peaks too; every run of the case counts for the peak.
  const peaks = existsSync(memFile) ? readFileSync(memFile, "utf8").split("\n").filter((l) => /^\d+$/.test(l.trim())).map(Number) : [];
  return {
    id: c.id,
    label: c.label,
    runs: result.times.length,
    median: median(result.times),
    min: Math.min(...result.times),
    max: Math.max(...result.times),
    user: result.user,
    system: result.system,
    peakMiB: peaks.length === 0 ? NaN : Math.max(...peaks) / 1024,
    peakLowMiB: peaks.length === 0 ? NaN : Math.min(...peaks) / 1024,
    bytes: c.bytes ?? 0,
  };
};

// Runs a command once and returns its stdout, failing loudly: for the checks between cases.
export const once = (command, args, options = {}) => execFileSync(command, args, { encoding: "utf8", maxBuffer: 64 << 20, ...options });
