// examples/animal-sayer, seed 002's buildLayeredImage example: bash and jq with their closures in
// a layer split by closure, so each shared library is a layer of its own. The manifest's layers
// are the ones `plan` reports, in its order, each holding its library (the host's bytes) and the
// links leading to it; the programs' layer comes last and holds no library; podman runs the cow
// and the pony. The emitted shell script builds the same layout byte for byte.
import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { BuildJson } from "./support/buildExample.ts";
import { buildSpec } from "./support/buildExample.ts";
import { blobPath, readImageDocuments, readTreeFiles } from "./support/layoutFiles.ts";
import { lddChains, withFolders } from "./support/lddFiles.ts";
import { podmanEnv } from "./support/podmanEnv.ts";
import type { PodmanEnv } from "./support/podmanEnv.ts";
import { requireRoot, requireTools } from "./support/requireTools.ts";
import { REPO_ROOT, runCli } from "./support/runCli.ts";
import { runProcess } from "./support/runProcess.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";
import { buildByShellScript } from "./support/shellScriptBuild.ts";

const EXAMPLE = path.join(REPO_ROOT, "examples/animal-sayer");
const haveTools = requireTools("ldd", "bash", "jq", "tar");

let work = "";
let out = "";
let built: BuildJson;

// The layer names of the manifest, in its order (the build names each layer blob by its layer).
const manifestLayerNames = async (): Promise<readonly string[]> => {
  const { manifest } = await readImageDocuments(out);
  return manifest.layers.map((l) => built.descriptors.find((d) => d.digest === l.digest && d.role.startsWith("layer "))?.role.slice("layer ".length) ?? l.digest);
};

const layerListing = (name: string): readonly string[] => {
  const digest = built.descriptors.find((d) => d.role === `layer ${name}`)?.digest ?? "";
  return execFileSync("tar", ["-tf", blobPath(out, digest)], { encoding: "utf8" })
    .split("\n")
    .map((l) => l.replace(/^\.\/?/, "").replace(/\/$/, ""))
    .filter((l) => l !== "")
    .sort();
};

// `plan`'s report of the split: "/FILE (SIZE) → layer NAME", biggest first.
const reportedSplit = async (): Promise<readonly { readonly file: string; readonly layer: string }[]> => {
  const plan = await runCli(["plan", EXAMPLE, "--format", "json"]);
  expect(plan.code, plan.stderr).toBe(0);
  const line = (JSON.parse(plan.stdout) as { closures: readonly string[] }).closures.find((l) => l.startsWith("layer sayers split by closure")) ?? "";
  return [...line.matchAll(/(\/\S+) \([^)]*\) → layer (\S+?)(?:;|$)/g)].map((m) => ({ file: m[1] ?? "", layer: m[2] ?? "" }));
};

beforeAll(async () => {
  work = await makeTempDir("sayer"); // short: podman refuses a runroot path over 50 characters
  out = path.join(work, "layout");
  built = await buildSpec(EXAMPLE, out);
});
afterAll(() => removeTempDir(work));

describe.runIf(haveTools)("the layers", () => {
  test("are the split layers plan reports, in its order (biggest first), then the programs' layer", async () => {
    const split = await reportedSplit();
    expect(split.map((s) => s.layer)).toEqual(expect.arrayContaining(["libc.so.6", "ld-linux-x86-64.so.2", "libtinfo.so.6.4", "libjq.so.1.0.4", "libonig.so.5.3.0", "libm.so.6"]));
    expect(split).toHaveLength(6);
    expect(await manifestLayerNames()).toEqual([...split.map((s) => s.layer), "sayers"]);
  });

  test("each split layer holds one library file, the host's bytes, with the links ldd follows to it and their folders", async () => {
    const chains = [...lddChains("/bin/bash"), ...lddChains("/usr/bin/jq")];
    for (const { file, layer } of await reportedSplit()) {
      const leading = chains.filter((c) => c[c.length - 1] === file).flat();
      expect(layerListing(layer), layer).toEqual([...withFolders(leading)].sort());
      const bytes = execFileSync("tar", ["-xOf", blobPath(out, built.descriptors.find((d) => d.role === `layer ${layer}`)?.digest ?? ""), `.${file}`], { maxBuffer: 1 << 26 });
      expect(bytes.equals(await fs.readFile(file)), `${file} in layer ${layer} is the host's file`).toBe(true);
    }
  });

  test("the programs' layer holds the programs, the script and its links, jq's files, and no library", () => {
    expect(layerListing("sayers")).toEqual(
      ["bin", "bin/animal-say", "bin/bash", "bin/cowsay", "bin/jq", "bin/ponysay", "usr", "usr/share", "usr/share/animal-say", "usr/share/animal-say/animals.json", "usr/share/animal-say/say.jq"],
    );
  });
});

const COW = [
  " _____________________________",
  "/ Hello from the animal-sayer \\",
  "\\ image.                      /",
  " -----------------------------",
  "   \\     ___",
  "    \\   (o o)________",
  "        (_v_)        )\\",
  "          \\__||----||  *",
  "             ||    ||",
  "",
].join("\n");

describe.runIf(haveTools && requireTools("podman", "runc") && requireRoot("podman with its own --root"))("run by podman", () => {
  let podman: PodmanEnv;
  const run = (...args: readonly string[]) => runProcess("podman", [...podman.args, "run", "--rm", "--quiet", "--network", "none", `oci:${out}:latest`, ...args], { env: podman.env, timeoutMs: 120_000 });
  beforeAll(async () => {
    podman = await podmanEnv(path.join(work, "pm"));
  });

  test("the image's command: the cow says the greeting, in a bubble jq wraps at 30 characters", async () => {
    const result = await run();
    expect({ code: result.code, stdout: result.stdout }, result.stderr).toEqual({ code: 0, stdout: COW });
  }, 180_000);

  test("ponysay is the same script called by another name: the pony, a bubble of three lines", async () => {
    const result = await run("ponysay", "Neigh. I am a pony, drawn by jq and started by bash, from a layer of my own");
    expect({ code: result.code, stdout: result.stdout.split("\n").slice(0, 6) }, result.stderr).toEqual({
      code: 0,
      stdout: [" ________________________________", "/ Neigh. I am a pony, drawn by   \\", "| jq and started by bash, from a |", "\\ layer of my own                /", " --------------------------------", "   \\        __"],
    });
  }, 60_000);

  test("an animal the image does not have is an error naming the ones it has", async () => {
    const result = await run("animal-say", "hi");
    expect({ code: result.code, stderr: result.stderr.trim() }).toEqual({ code: 5, stderr: "jq: error (at /usr/share/animal-say/animals.json:0): no animal called animal-: call it as cowsay or ponysay" });
  }, 60_000);
});

describe.runIf(haveTools && requireTools("dash", "sha256sum"))("the emitted shell script", () => {
  test("writes the byte-identical layout", async () => {
    const { emitted, ran, target } = await buildByShellScript(EXAMPLE, work);
    expect(emitted.code, emitted.stderr).toBe(0);
    expect(ran.code, ran.stderr).toBe(0);
    expect(await readTreeFiles(target)).toEqual(await readTreeFiles(out));
  });
});
