// The layer budget is podman's real one (issue 11, case 7): with its default overlay storage,
// podman runs an image of 127 layers (ocistage's default budget) and refuses 129 with "max depth
// exceeded". Each run pulls ~130 small layers into a fresh store, 15-45 s apiece on the 2-core
// machine this was written on, so the check is these two runs (that `maxLayers` lets 130 layers
// build is packages/cli/test/faithfulSpec.test.ts).
import * as path from "node:path";
import { promises as fs } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { podmanEnv } from "./support/podmanEnv.ts";
import { requireRoot, requireTools } from "./support/requireTools.ts";
import { runCli } from "./support/runCli.ts";
import { runProcess } from "./support/runProcess.ts";
import type { ProcessResult } from "./support/runProcess.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";

let work: string | undefined;
const dir = (...parts: readonly string[]): string => path.join(work ?? "", ...parts);

beforeAll(async () => {
  work = await makeTempDir("layers");
});
afterAll(() => removeTempDir(work));

// A busybox layer, then one small file per further layer: /f/1 … /f/(n-1).
const deepSpec = (n: number, maxLayers?: number) => ({
  name: "deep",
  layers: [
    { name: "busybox", files: [{ source: "/bin/busybox", destination: "/bin/busybox", mode: "0755" }, { symlink: "busybox", destination: "/bin/sh" }, { symlink: "busybox", destination: "/bin/cat" }] },
    ...Array.from({ length: n - 1 }, (_, i) => ({ name: `l${i + 1}`, files: [{ content: `${i + 1}\n`, destination: `/f/${i + 1}` }] })),
  ],
  entrypoint: ["/bin/sh"],
  ...(maxLayers === undefined ? {} : { maxLayers }),
});

const build = async (name: string, spec: unknown): Promise<string> => {
  await fs.mkdir(dir(name), { recursive: true });
  await fs.writeFile(dir(name, "image.json"), JSON.stringify(spec));
  const result = await runCli(["build", dir(name), "--out", dir(`${name}-out`)]);
  expect(result.code, result.stderr).toBe(0);
  return dir(`${name}-out`);
};

const podmanRun = async (layout: string, store: string, script: string): Promise<ProcessResult> => {
  const podman = await podmanEnv(dir(store), "overlay");
  return runProcess("podman", [...podman.args, "run", "--rm", "--network", "none", `oci:${layout}:latest`, "-c", script], { env: podman.env, timeoutMs: 240_000 });
};

describe.runIf(requireTools("podman", "runc") && requireRoot("podman with its own --root") && requireTools("busybox"))("podman's layer limit", () => {
  test("127 layers, the default budget, run under podman's overlay storage", { timeout: 300_000 }, async () => {
    const layout = await build("deep-127", deepSpec(127));
    const result = await podmanRun(layout, "p127", "cat /f/1 /f/126");
    expect({ code: result.code, stdout: result.stdout }, result.stderr).toEqual({ code: 0, stdout: "1\n126\n" });
  });

  test('129 layers (built with maxLayers: 129) fail under overlay storage with "max depth exceeded"', { timeout: 300_000 }, async () => {
    const layout = await build("deep-129", deepSpec(129, 129));
    const result = await podmanRun(layout, "p129", "true");
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("max depth exceeded");
  });
});
