// examples/nginx-jq, seed 000's worked example: a layer with Debian's nginx and its closure, a
// layer with bash and jq (closures), an inline entrypoint script and an inline JSON
// configuration; Env and Entrypoint through extraConfig, title and description through
// extraManifest. Built, unpacked by umoci (the rootfs holds the three closures as ldd lists them
// and the spec's own files, nothing else) and run under podman: the entrypoint prints the
// configuration with jq and nginx answers a request on loopback inside the container. The emitted
// shell script builds the same layout byte for byte.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildSpec } from "./support/buildExample.ts";
import { readImageDocuments, readTreeFiles } from "./support/layoutFiles.ts";
import { lddFiles, withFolders } from "./support/lddFiles.ts";
import { podmanEnv } from "./support/podmanEnv.ts";
import type { PodmanEnv } from "./support/podmanEnv.ts";
import { requireFile, requireRoot, requireTools } from "./support/requireTools.ts";
import { REPO_ROOT } from "./support/runCli.ts";
import { runOk, runProcess } from "./support/runProcess.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";
import { buildByShellScript } from "./support/shellScriptBuild.ts";

const EXAMPLE = path.join(REPO_ROOT, "examples/nginx-jq");
const REFERENCE = "nginx-jq:latest";
// The host programs the image brings (nginx by its path: /usr/sbin may not be on PATH), then what runs it.
const havePrograms = requireTools("ldd", "jq", "bash") && requireFile("/usr/sbin/nginx", "nginx");
const haveTools = havePrograms && requireTools("umoci", "podman", "runc") && requireRoot("umoci unpack and podman with its own --root");

// The host programs the spec brings with their closures, and the spec's own entries (what its
// `files` name; their folders are implied): the image holds these and nothing else.
const PROGRAMS = ["/usr/sbin/nginx", "/bin/bash", "/usr/bin/jq"];
const SPEC_ENTRIES: Readonly<Record<string, "f" | "d">> = {
  "/usr/sbin/nginx": "f",
  "/etc/passwd": "f",
  "/etc/group": "f",
  "/etc/nginx/mime.types": "f",
  "/etc/nginx/nginx.conf": "f",
  "/var/lib/nginx": "d",
  "/run/nginx/www": "d",
  "/bin/bash": "f",
  "/bin/jq": "f",
  "/etc/configuration.json": "f",
  "/entrypoint.sh": "f",
};

// "path type" lines (type d, f or l, as find prints them), sorted.
const expectedRootfs = (): readonly string[] => {
  const typed = new Map<string, string>();
  for (const program of PROGRAMS) for (const [file, kind] of lddFiles(program)) typed.set(file.slice(1), kind === "symlink" ? "l" : "f");
  for (const [entry, kind] of Object.entries(SPEC_ENTRIES)) typed.set(entry.slice(1), kind);
  const all = withFolders([...typed.keys()].map((p) => `/${p}`));
  return [...all].map((p) => `${p} ${typed.get(p) ?? "d"}`).sort();
};

let work = "";
let out = "";
let rootfs = "";

beforeAll(async () => {
  work = await makeTempDir("nginx"); // short: podman refuses a runroot path over 50 characters
  out = path.join(work, "layout");
  await buildSpec(EXAMPLE, out);
});
afterAll(() => removeTempDir(work));

describe.runIf(havePrograms)("the layout", () => {
  test("holds one image, nginx-jq:latest, of two layers: nginx, then the tools", async () => {
    const { index, manifest } = await readImageDocuments(out);
    expect(index.manifests.map((m) => m.annotations?.["org.opencontainers.image.ref.name"])).toEqual([REFERENCE]);
    expect(manifest.layers).toHaveLength(2);
  });

  test("extraConfig gives the config's Env and Entrypoint; extraManifest the title and description annotations", async () => {
    const { manifest, config } = await readImageDocuments(out);
    expect(config.config).toEqual({ Env: ["PATH=/bin:/usr/sbin", "CONFIG_PATH=/etc/configuration.json"], Entrypoint: ["/entrypoint.sh"] });
    expect(manifest["annotations"]).toEqual({
      "org.opencontainers.image.title": "nginx-jq",
      "org.opencontainers.image.description": "Seed 000's image, nginx and jq with its configuration",
    });
  });
});

describe.runIf(haveTools)("unpacked by umoci", () => {
  beforeAll(async () => {
    const bundle = path.join(work, "bundle");
    await runOk("umoci", ["unpack", "--image", `${out}:${REFERENCE}`, bundle]);
    rootfs = path.join(bundle, "rootfs");
  });

  test("the rootfs is exactly the closures of nginx, bash and jq as ldd lists them, plus the spec's own entries", async () => {
    const listed = await runOk("find", [rootfs, "-mindepth", "1", "-printf", "%P %y\n"]);
    expect(listed.stdout.trim().split("\n").sort()).toEqual(expectedRootfs());
  });

  test("each library is the host's file, byte for byte (libcrypto, nginx's biggest)", async () => {
    const file = "lib/x86_64-linux-gnu/libcrypto.so.3";
    expect((await fs.readFile(path.join(rootfs, file))).equals(await fs.readFile(`/${file}`))).toBe(true);
  });
});

describe.runIf(haveTools)("run by podman", () => {
  let podman: PodmanEnv;
  let configuration: { readonly port: number; readonly message: string };
  const container = `ocistage-nginx-jq-${process.pid}`;
  const exec = (...args: readonly string[]) => runProcess("podman", [...podman.args, "exec", container, ...args], { env: podman.env });
  beforeAll(async () => {
    podman = await podmanEnv(path.join(work, "pm"));
    // No network but loopback: the request comes from inside the container.
    const started = await runProcess("podman", [...podman.args, "run", "-d", "--quiet", "--network", "none", "--name", container, `oci:${out}:${REFERENCE}`], { env: podman.env, timeoutMs: 120_000 });
    expect(started.code, started.stderr).toBe(0);
    const read = await exec("jq", "-c", ".", "/etc/configuration.json");
    expect(read.code, read.stderr).toBe(0);
    configuration = JSON.parse(read.stdout) as typeof configuration;
  }, 180_000);
  afterAll(async () => {
    if (podman !== undefined) await runProcess("podman", [...podman.args, "rm", "-f", "-t", "0", container], { env: podman.env });
  });

  test("nginx answers a request on loopback with the configured message (bash's /dev/tcp: the image has no curl)", async () => {
    const request = [
      `exec 3<>/dev/tcp/127.0.0.1/${configuration.port} || exit 1`,
      `printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3`,
      `IFS=$'\\r' read -r status <&3 && printf '%s\\n' "$status"`,
      `while IFS=$'\\r' read -r header && [[ -n $header ]]; do :; done <&3`,
      `while IFS= read -r line; do printf '%s\\n' "$line"; done <&3`,
    ].join("\n");
    // nginx starts in a moment; the request is made again until it connects (at most 50 times).
    let answer = await exec("bash", "-c", request);
    for (let tries = 1; answer.code !== 0 && tries < 50; tries++) answer = await exec("bash", "-c", request);
    expect({ code: answer.code, stdout: answer.stdout }, answer.stderr).toEqual({ code: 0, stdout: `HTTP/1.1 200 OK\n${configuration.message}\n` });
  });

  test("the entrypoint printed the configuration with jq before starting nginx", async () => {
    const logs = await runProcess("podman", [...podman.args, "logs", container], { env: podman.env });
    expect(logs.stdout.startsWith(`${JSON.stringify(configuration, null, 2)}\n`), logs.stdout).toBe(true);
  });

  // getpwnam("www-data") needs no NSS module: glibc 2.36 reads /etc/passwd itself.
  test("nginx's master runs as root and its worker as www-data (uid 33), looked up in the image's /etc/passwd", async () => {
    const statuses = await exec("bash", "-c", 'for s in /proc/[0-9]*/status; do while read -r key value _; do case $key in Name:) name=$value;; Uid:) echo "$name $value";; esac; done <"$s"; done');
    expect(statuses.code, statuses.stderr).toBe(0);
    expect(statuses.stdout.split("\n").filter((l) => l.startsWith("nginx ")).sort()).toEqual(["nginx 0", "nginx 33"]);
  });
});

describe.runIf(havePrograms && requireTools("dash", "tar", "sha256sum"))("the emitted shell script", () => {
  test("writes the byte-identical layout", async () => {
    const { emitted, ran, target } = await buildByShellScript(EXAMPLE, work);
    expect(emitted.code, emitted.stderr).toBe(0);
    expect(ran.code, ran.stderr).toBe(0);
    expect(await readTreeFiles(target)).toEqual(await readTreeFiles(out));
  });
});
