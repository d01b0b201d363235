// Host programs with their closure, built for real: the jq image holds jq and exactly the files
// ldd says it loads (and the links leading to them), and runs in podman; two images whose
// programs share libc, each split by closure, share the libc layer blob.
import { execFileSync } from "node:child_process";
import { promises as fs, readlinkSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { BuildJson } from "./support/buildExample.ts";
import { buildSpec } from "./support/buildExample.ts";
import { readTreeFiles } from "./support/layoutFiles.ts";
import { lddFiles, withFolders } from "./support/lddFiles.ts";
import { runCli } from "./support/runCli.ts";
import { podmanEnv } from "./support/podmanEnv.ts";
import { requireRoot, requireTools } from "./support/requireTools.ts";
import { runOk, runProcess } from "./support/runProcess.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";

let work: string | undefined;
const scratch = (name: string): string => path.join(work ?? "", name);

// What ldd says jq maps, the links leading to those files, their folders, and /bin/jq.
const expectedFiles = (program: string): ReadonlySet<string> => withFolders([...lddFiles(program).keys(), "/bin/jq"]);

const JQ_SPEC = { name: "jq", layers: [{ name: "jq", files: [{ source: "/usr/bin/jq", destination: "/bin/jq", closure: true }] }], entrypoint: ["/bin/jq"] };
const SHARED_SPEC = {
  name: "sayers",
  layers: {
    jq: { split: "closure", files: [{ source: "/usr/bin/jq", destination: "/bin/jq", closure: true }] },
    bash: { split: "closure", files: [{ source: "/bin/bash", destination: "/bin/bash", closure: true }] },
  },
  images: [
    { name: "jq", tag: "1", layers: ["jq"], entrypoint: ["/bin/jq"] },
    { name: "bash", tag: "1", layers: ["bash"], entrypoint: ["/bin/bash"] },
  ],
};

const tools = requireTools("jq", "ldd", "umoci", "podman", "runc") && requireRoot("umoci unpack and podman with its own --root");

describe.runIf(tools)("a closure image built for real", () => {
  let jqOut = "";
  let sharedOut = "";
  let shared: BuildJson;
  beforeAll(async () => {
    work = await makeTempDir("closure");
    await fs.writeFile(scratch("jq.json"), JSON.stringify(JQ_SPEC));
    await fs.writeFile(scratch("shared.json"), JSON.stringify(SHARED_SPEC));
    jqOut = scratch("jq-out");
    sharedOut = scratch("shared-out");
    await buildSpec(scratch("jq.json"), jqOut);
    shared = await buildSpec(scratch("shared.json"), sharedOut);
  });
  afterAll(() => removeTempDir(work));

  test("the jq image holds /bin/jq and its closure as ldd lists it, nothing else (umoci unpack)", async () => {
    const bundle = scratch("jq-bundle");
    await runOk("umoci", ["unpack", "--image", `${jqOut}:latest`, bundle]);
    const listed = await readTreeFiles(path.join(bundle, "rootfs"));
    expect(new Set(listed.keys())).toEqual(expectedFiles("/usr/bin/jq"));
    expect(listed.get("lib64/ld-linux-x86-64.so.2")).toBe("symlink");
    expect(await fs.readlink(path.join(bundle, "rootfs", "lib/x86_64-linux-gnu/libjq.so.1"))).toBe(readlinkSync("/lib/x86_64-linux-gnu/libjq.so.1"));
  });

  test("the emitted shell script builds the same image (same index.json bytes)", async () => {
    const script = scratch("jq.sh");
    const emitted = await runCli(["emit", "shell", scratch("jq.json"), "-o", script]);
    expect(emitted.code, emitted.stderr).toBe(0);
    await runOk("sh", [script, scratch("jq-sh-out")]);
    expect(await fs.readFile(scratch("jq-sh-out/index.json"), "utf8")).toBe(await fs.readFile(path.join(jqOut, "index.json"), "utf8"));
  });

  test("jq runs in it under podman", async () => {
    const podman = await podmanEnv(scratch("podman"));
    const result = await runProcess("podman", [...podman.args, "run", "--rm", "--network", "none", `oci:${jqOut}:latest`, "-cn", '{"sum": (1 + 2)}'], { env: podman.env });
    expect({ code: result.code, stdout: result.stdout }, result.stderr).toEqual({ code: 0, stdout: '{"sum":3}\n' });
  });

  test("the two split images share the libc and loader layer blobs, and each runs", async () => {
    const layersOf = async (ref: string): Promise<readonly string[]> => {
      const index = JSON.parse(await fs.readFile(path.join(sharedOut, "index.json"), "utf8")) as { manifests: { digest: string; annotations: Record<string, string> }[] };
      const entry = index.manifests.find((m) => m.annotations["org.opencontainers.image.ref.name"] === ref);
      const manifest = JSON.parse(await fs.readFile(path.join(sharedOut, "blobs", ...(entry?.digest ?? "").split(":")), "utf8")) as { layers: { digest: string }[] };
      return manifest.layers.map((l) => l.digest);
    };
    const jq = await layersOf("jq:1");
    const bash = await layersOf("bash:1");
    const common = jq.filter((d) => bash.includes(d));
    expect(common).toHaveLength(2);
    const listing = (digest: string): string => execFileSync("tar", ["-tf", path.join(sharedOut, "blobs", ...digest.split(":"))], { encoding: "utf8" });
    expect(common.map(listing).sort()).toEqual(["./\n./lib/\n./lib/x86_64-linux-gnu/\n./lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n./lib64/\n./lib64/ld-linux-x86-64.so.2\n", "./\n./lib/\n./lib/x86_64-linux-gnu/\n./lib/x86_64-linux-gnu/libc.so.6\n"].sort());
    expect(shared.references.map((r) => r.reference).sort()).toEqual(["bash:1", "jq:1"]);
    const podman = await podmanEnv(scratch("pod2"));
    const run = await runProcess("podman", [...podman.args, "run", "--rm", "--network", "none", `oci:${sharedOut}:bash:1`, "-c", "echo hi from bash"], { env: podman.env });
    expect({ code: run.code, stdout: run.stdout }, run.stderr).toEqual({ code: 0, stdout: "hi from bash\n" });
  });
});
