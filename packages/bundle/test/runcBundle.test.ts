// `ocistage bundle` of examples/busybox-shell is a runtime bundle runc starts: the image's own
// command (/bin/sh, reading the script on its standard input) prints what it should, a
// --readonly bundle cannot write to /, and config.json is valid by the runtime-spec's schema.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EXAMPLE_BUSYBOX, runCli } from "../../build/test/support/runCli.ts";
import { requireFile, requireRoot, requireTools } from "../../build/test/support/requireTools.ts";
import { makeTempDir, removeTempDir } from "../../build/test/support/tempDir.ts";
import { RUNTIME_SCHEMA_DIR, RUNTIME_SCHEMA_PACKAGE, loadRuntimeConfigSchema, schemaErrors } from "./support/runtimeSchema.ts";

const RUNC = "/usr/sbin/runc";

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

// `runc run` of a bundle under a unique container id, its state in the test's folder, with
// `script` on the container's standard input.
const runcRun = (work: string, bundle: string, script: string): Promise<Run> =>
  new Promise((resolve, reject) => {
    const child = spawn(RUNC, ["--root", path.join(work, "runc-state"), "run", "--bundle", bundle, `ocistage-test-${randomBytes(6).toString("hex")}`], { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("runc run: still running after 60 s"));
    }, 60_000);
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
    });
    child.stdin.end(script);
  });

const bundle = async (work: string, name: string, ...flags: readonly string[]): Promise<string> => {
  const out = path.join(work, name);
  const result = await runCli(["bundle", EXAMPLE_BUSYBOX, "--out", out, ...flags]);
  if (result.code !== 0) throw new Error(`ocistage bundle exited ${result.code}: ${result.stderr}`);
  return out;
};

let work = "";
beforeAll(async () => {
  work = await makeTempDir("bundle-runc");
});
afterAll(() => removeTempDir(work));

describe.runIf(requireFile(path.join(RUNTIME_SCHEMA_DIR, "config-schema.json"), RUNTIME_SCHEMA_PACKAGE))("config.json", () => {
  test("validates against the runtime-spec's config schema, and says what the image says", async () => {
    const out = await bundle(work, "schema", "--readonly");
    const config = JSON.parse(await fs.readFile(path.join(out, "config.json"), "utf8")) as Record<string, unknown>;
    expect(schemaErrors(loadRuntimeConfigSchema(), config)).toEqual([]);
    expect(config).toMatchObject({
      ociVersion: "1.2.0",
      process: { terminal: false, args: ["/bin/sh"], env: ["PATH=/bin"], cwd: "/", user: { uid: 0, gid: 0 } },
      root: { path: "rootfs", readonly: true },
      annotations: { "org.opencontainers.image.title": "busybox-shell", "org.opencontainers.image.architecture": "amd64" },
    });
  });

  test("a document the schema refuses is refused (the validator is not vacuous)", () => {
    expect(schemaErrors(loadRuntimeConfigSchema(), { ociVersion: "1.2.0", process: { args: "sh", cwd: 7 } }).length).toBeGreaterThan(0);
  });
});

describe.runIf(requireTools("runc") && requireRoot("runc run"))("runc run", () => {
  test("the image's shell runs the script it is given and prints what it should", async () => {
    const out = await bundle(work, "writable");
    const result = await runcRun(work, out, "echo hi; id -u; pwd; ls /bin/sh; hostname; echo x > /f && cat /f\n");
    expect(result).toMatchObject({ code: 0, stdout: "hi\n0\n/\n/bin/sh\nbusybox-shell\nx\n" });
  });

  test("with --readonly a write to / fails inside the container, and the rest still runs", async () => {
    const out = await bundle(work, "readonly", "--readonly");
    const result = await runcRun(work, out, "echo x > /f && echo wrote; echo exit=$?\n");
    expect(result.stdout).toBe("exit=1\n");
    expect(result.stderr).toMatch(/can't create \/f: Read-only file system/);
    expect(await fs.readdir(path.join(out, "rootfs"))).not.toContain("f");
  });

  test("a bundle replaces the bundle --out held, whole", async () => {
    const out = await bundle(work, "replaced", "--readonly");
    await fs.writeFile(path.join(out, "rootfs", "stale"), "from before");
    await bundle(work, "replaced");
    expect(await fs.readdir(path.join(out, "rootfs"))).not.toContain("stale");
    expect(JSON.parse(await fs.readFile(path.join(out, "config.json"), "utf8"))).toMatchObject({ root: { readonly: false } });
    expect((await fs.readdir(work)).filter((n) => n.includes("ocistage-tmp"))).toEqual([]);
  });
});
