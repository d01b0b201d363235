// examples/hello, seed 002's `buildImage` hello: the simplest image, one program printing a
// greeting. It holds the program and what runs it, nothing else, and podman runs it.
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { BuildJson } from "./support/buildExample.ts";
import { buildSpec } from "./support/buildExample.ts";
import { podmanEnv } from "./support/podmanEnv.ts";
import { requireRoot, requireTools } from "./support/requireTools.ts";
import { REPO_ROOT } from "./support/runCli.ts";
import { runOk, runProcess } from "./support/runProcess.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";

const EXAMPLE = path.join(REPO_ROOT, "examples/hello");

let work = "";
let built: BuildJson;

beforeAll(async () => {
  work = await makeTempDir("hello");
  built = await buildSpec(EXAMPLE, path.join(work, "layout"));
});
afterAll(() => removeTempDir(work));

describe.runIf(requireTools("podman", "runc", "umoci") && requireRoot("umoci unpack and podman with its own --root"))("examples/hello", () => {
  test("is hello:latest, one layer holding busybox and the script that runs on it", async () => {
    expect(built.references.map((r) => r.reference)).toEqual(["latest"]);
    const bundle = path.join(work, "bundle");
    await runOk("umoci", ["unpack", "--image", `${path.join(work, "layout")}:latest`, bundle]);
    const listed = await runOk("find", [path.join(bundle, "rootfs"), "-mindepth", "1", "-printf", "%P %y %m\n"]);
    expect(listed.stdout.trim().split("\n").sort()).toEqual(["bin d 755", "bin/busybox f 755", "bin/hello f 755"]);
  });

  test("podman runs it, and it says hello", async () => {
    const podman = await podmanEnv(path.join(work, "pm"));
    const result = await runProcess("podman", [...podman.args, "run", "--rm", "--quiet", `oci:${path.join(work, "layout")}:latest`], { env: podman.env, timeoutMs: 120_000 });
    expect([result.code, result.stdout], result.stderr).toEqual([0, "Hello, world!\n"]);
  }, 180_000);
});
