// Issue 11, cases 5-7, as a user meets them: `ocistage validate` and `ocistage build` refuse a
// spec whose image no runtime would run as meant (a port out of range, a stop signal nobody
// knows, a platform name no host selects, more layers than podman stacks), exit 1 with one line
// naming the field, and build writes nothing.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../../build/test/support/runCli.ts";
import { makeTempDir, removeTempDir } from "../../build/test/support/tempDir.ts";

let work: string | undefined;
const dir = (...parts: readonly string[]): string => path.join(work ?? "", ...parts);

beforeAll(async () => {
  work = await makeTempDir("cli-faithful");
});
afterAll(() => removeTempDir(work));

const layer = (name: string) => ({ name, files: [{ content: `${name}\n`, destination: `/${name}.txt` }] });
const base = { name: "faithful", layers: [layer("app")] };

const writeSpec = async (name: string, spec: unknown): Promise<string> => {
  await fs.mkdir(dir(name), { recursive: true });
  await fs.writeFile(dir(name, "image.json"), JSON.stringify(spec));
  return dir(name);
};

// validate and build both exit 1 with exactly `lines` on stderr; build leaves no --out behind.
const expectRefused = async (name: string, spec: unknown, lines: readonly string[]): Promise<void> => {
  const folder = await writeSpec(name, spec);
  const validate = await runCli(["validate", folder]);
  expect({ code: validate.code, stdout: validate.stdout, stderr: validate.stderr.trimEnd().split("\n") }).toEqual({ code: 1, stdout: "", stderr: lines });
  const build = await runCli(["build", folder, "--out", dir(`${name}-out`)]);
  expect({ code: build.code, stdout: build.stdout, stderr: build.stderr.trimEnd().split("\n") }).toEqual({ code: 1, stdout: "", stderr: lines });
  expect((await fs.readdir(work ?? "")).filter((entry) => entry.includes(`${name}-out`))).toEqual([]);
};

const PORT = 'expected port 1..65535 (a number, or "80", "80/tcp", "53/udp", "9/sctp")';

describe("case 5: limits a message states are enforced", () => {
  test('exposedPorts ["70000"] and ["0/tcp"] are refused, each at its index', async () => {
    await expectRefused("ports", { ...base, exposedPorts: ["70000", "0/tcp", "8080/tcp"] }, [`exposedPorts[0]: ${PORT}, found "70000"`, `exposedPorts[1]: ${PORT}, found "0/tcp"`]);
  });

  test("a stop signal no runtime knows is refused; a number above 64 too", async () => {
    await expectRefused("signal", { ...base, stopSignal: "SIGFOO" }, ['stopSignal: expected a signal name such as SIGTERM or a number 1..64, found "SIGFOO"']);
    await expectRefused("signal-number", { ...base, stopSignal: "65" }, ['stopSignal: expected a signal name such as SIGTERM or a number 1..64, found "65"']);
  });

  test("an env name with \"=\" is refused, not dropped from the image", async () => {
    await expectRefused("env", { ...base, env: { "A=B": "1", PATH: "/bin" } }, ['env["A=B"]: expected NAME (not empty, without = or NUL), found "A=B"']);
  });

  test("an exit code no process can return is refused", async () => {
    await expectRefused("exit-code", { ...base, tests: [{ name: "t", command: ["true"], expectExitCode: 256 }] }, ["tests[0].expectExitCode: expected exit code (integer 0..255), found 256"]);
  });

  test("the values at the edges pass", async () => {
    const folder = await writeSpec("edges", { ...base, exposedPorts: [1, "65535/udp"], stopSignal: "SIGRTMAX", env: { A: "" }, tests: [{ name: "t", command: ["true"], expectExitCode: 255 }] });
    expect((await runCli(["validate", folder])).code).toBe(0);
  });
});

const GOARCH = "expected one of the GOARCH names 386, amd64, arm, arm64, loong64, mips, mips64, mips64le, mipsle, ppc64, ppc64le, riscv64, s390x, wasm";

describe("case 6: platform names are the OCI spec's (Go's GOARCH/GOOS and the variant table)", () => {
  test('architecture x86_64 (what uname -m prints) is refused: did you mean "amd64"', async () => {
    await expectRefused("x86_64", { ...base, architecture: "x86_64" }, [`architecture: ${GOARCH}, found "x86_64" (did you mean "amd64"?)`]);
  });

  test('architecture armv7l is refused: did you mean "arm" with variant "v7"', async () => {
    await expectRefused("armv7l", { ...base, architecture: "armv7l" }, [`architecture: ${GOARCH}, found "armv7l" (did you mean "arm" with variant "v7"?)`]);
  });

  test("a variant its architecture does not have is refused", async () => {
    await expectRefused("variant", { ...base, architecture: "arm64", variant: "v7" }, ['variant: expected one of the arm64 variants v8, found "v7"']);
  });

  test("an os that is not a GOOS is refused with the one it means", async () => {
    await expectRefused("os", { ...base, os: "macos", architecture: "arm64" }, [
      'os: expected one of the GOOS names aix, android, darwin, dragonfly, freebsd, illumos, ios, js, linux, netbsd, openbsd, plan9, solaris, wasi, wasip1, windows, found "macos" (did you mean "darwin"?)',
    ]);
  });

  test("linux/arm/v7 passes", async () => {
    expect((await runCli(["validate", await writeSpec("arm-v7", { ...base, architecture: "arm", variant: "v7" })])).code).toBe(0);
  });
});

describe("case 7: more layers than podman stacks", () => {
  const layers = (n: number) => Array.from({ length: n }, (_, i) => layer(`l${i}`));

  test("131 layers are refused, naming the count", async () => {
    await expectRefused("deep", { name: "deep", layers: layers(131) }, [
      'layers: expected at most 127 layers, found 131: a runtime stacks one overlay directory per layer and podman\'s storage stops at 128 ("max depth exceeded"); merge layers, or set maxLayers for a runtime known to allow more',
    ]);
  });

  test("maxLayers: 130 lets 130 layers build", async () => {
    const folder = await writeSpec("deep-allowed", { name: "deep", layers: layers(130), maxLayers: 130 });
    const build = await runCli(["build", folder, "--out", dir("deep-allowed-out")]);
    expect(build.code, build.stderr).toBe(0);
    const index = JSON.parse(await fs.readFile(dir("deep-allowed-out", "index.json"), "utf8")) as { manifests: { digest: string }[] };
    const manifestDigest = index.manifests[0]?.digest.replace("sha256:", "") ?? "";
    const manifest = JSON.parse(await fs.readFile(dir("deep-allowed-out", "blobs", "sha256", manifestDigest), "utf8")) as { layers: unknown[] };
    expect(manifest.layers).toHaveLength(130);
  });
});
