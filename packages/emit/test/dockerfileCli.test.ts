// `ocistage emit dockerfile SPEC --context DIR`, through the real CLI: it writes the Dockerfile
// and its context, and exits 1 with one `field: why` line per thing a Dockerfile cannot carry.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { EXAMPLES, REPO } from "./fixtures/dockerfile/programOf.ts";

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), "fixtures", "dockerfile");

const ocistage = (...args: readonly string[]): Promise<{ readonly code: number | null; readonly stdout: string; readonly stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO, "packages/cli/bin/ocistage.mjs"), ...args], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });

let work = "";
beforeEach(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), "ocistage-emit-dockerfile-"));
});
afterEach(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

describe("ocistage emit dockerfile", () => {
  test("writes the example's Dockerfile (the snapshot) and the layer's tar into --context", async () => {
    const context = path.join(work, "ctx");
    const result = await ocistage("emit", "dockerfile", path.join(EXAMPLES, "busybox-shell"), "--context", context);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`wrote ${path.join(await fs.realpath(work), "ctx", "Dockerfile")}`);
    expect(await fs.readFile(path.join(context, "Dockerfile"), "utf8")).toBe(await fs.readFile(path.join(FIXTURES, "busybox-shell.Dockerfile"), "utf8"));
    // The layer goes as a tar: its copy keeps the modes on disk, and COPY would drop a setuid bit.
    const listing = execFileSync("tar", ["--numeric-owner", "-tvf", path.join(context, "busybox.tar")], { encoding: "utf8" }).split("\n");
    expect(listing.filter((l) => / \.\/(bin\/sh|tmp\/)( |$)/.test(l)).map((l) => `${l.split(/ +/)[0]} ${l.split(/ +/).slice(5).join(" ")}`)).toEqual([
      "lrwxrwxrwx ./bin/sh -> busybox",
      "drwxrwxrwt ./tmp/",
    ]);
  });

  test("exits 1 naming a whiteout name in a copied folder, and writes nothing", async () => {
    await fs.mkdir(path.join(work, "tree", "etc"), { recursive: true });
    await fs.writeFile(path.join(work, "tree", "etc", ".wh.shadow"), "x\n");
    await fs.writeFile(path.join(work, "image.json"), JSON.stringify({ name: "whiteout", layers: [{ name: "l", source: "tree" }] }));
    const context = path.join(work, "ctx");
    const result = await ocistage("emit", "dockerfile", path.join(work, "image.json"), "--context", context);
    expect({ code: result.code, stderr: result.stderr }).toEqual({
      code: 1,
      stderr:
        'assemble-rootfs-l layers[0].source: tree/etc/.wh.shadow has a name starting with ".wh.", which every runtime reads as a whiteout (an order to delete a file from the layers below), not as a file; rename it, or leave it out with an exclude pattern on this copy\n',
    });
    expect(existsSync(context)).toBe(false);
  });

  test("exits 1 naming each field a Dockerfile cannot carry, and writes nothing", async () => {
    const spec = path.join(work, "image.json");
    await fs.writeFile(
      spec,
      JSON.stringify({
        name: "refused",
        layers: [{ name: "l", files: [{ directory: "/", mode: "0700" }, { content: "x\n", destination: "/x" }] }],
        env: { MOTD: "line one\nline two" },
        annotations: { "org.example.note": "x" },
      }),
    );
    const context = path.join(work, "ctx");
    const result = await ocistage("emit", "dockerfile", spec, "--context", context);
    expect(result.code).toBe(1);
    expect(result.stderr.split("\n").filter((l) => l !== "").map((l) => l.slice(0, l.indexOf(":")))).toEqual(["layers[0].files[0].mode", "env.MOTD", "annotations"]);
    expect(result.stderr).toContain("env.MOTD: the value has a line break");
    expect(existsSync(context)).toBe(false);
  });

  test("exits 1 when --context holds someone else's files, and leaves them", async () => {
    const context = path.join(work, "mine");
    await fs.mkdir(context);
    await fs.writeFile(path.join(context, "notes.txt"), "keep me");
    const result = await ocistage("emit", "dockerfile", path.join(EXAMPLES, "busybox-shell"), "--context", context);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^--context: expected a new or empty folder, or one an earlier emit dockerfile wrote, found a folder that holds other files at /);
    expect(await fs.readdir(context)).toEqual(["notes.txt"]);
  });

  test("exits 2 without --context", async () => {
    const result = await ocistage("emit", "dockerfile", path.join(EXAMPLES, "busybox-shell"));
    expect(result.code).toBe(2);
  });
});
