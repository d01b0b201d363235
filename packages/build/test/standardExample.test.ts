// examples/standard, seed 001's standard image and its debug image: busybox httpd as the
// operable, with both probes. The standard image runs under podman and its probes answer; it holds
// exactly the contracts, the runtime inputs and the setup tasks (umoci unpacks it and the test lists
// every path); the debug image names every layer blob of the standard image and adds one, and its
// /bin/debug is a shell with the tools. The emitted shell script builds the byte-identical layout.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { BuildJson } from "./support/buildExample.ts";
import { buildSpec } from "./support/buildExample.ts";
import { readTreeFiles } from "./support/layoutFiles.ts";
import { podmanEnv } from "./support/podmanEnv.ts";
import type { PodmanEnv } from "./support/podmanEnv.ts";
import { requireRoot, requireTools } from "./support/requireTools.ts";
import { REPO_ROOT, runCli } from "./support/runCli.ts";
import { runOk, runProcess } from "./support/runProcess.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";
import { buildByShellScript } from "./support/shellScriptBuild.ts";

const EXAMPLE = path.join(REPO_ROOT, "examples/standard");
const haveTools = requireTools("podman", "runc", "umoci", "dash", "busybox") && requireRoot("umoci unpack and podman with its own --root");

let work = "";
let out = "";
let built: BuildJson;

const referenceOf = (name: string): string => built.references.find((r) => r.images.includes(name))?.reference ?? "";
const manifestLayers = async (name: string): Promise<readonly string[]> => {
  const digest = built.references.find((r) => r.images.includes(name))?.digest ?? "";
  const manifest = JSON.parse(await fs.readFile(path.join(out, "blobs", "sha256", digest.replace("sha256:", "")), "utf8")) as { readonly layers: readonly { readonly digest: string }[] };
  return manifest.layers.map((l) => l.digest);
};

beforeAll(async () => {
  work = await makeTempDir("std"); // short: podman refuses a runroot path over 50 characters
  out = path.join(work, "layout");
  built = await buildSpec(EXAMPLE, out);
});
afterAll(() => removeTempDir(work));

describe("the layout", () => {
  test("names web and web-debug, each tagged with 32 hex digits of its manifest's digest", () => {
    expect(built.references.map((r) => [r.reference, r.images])).toEqual([
      [`web:${(built.references[0]?.digest ?? "").slice(7, 39)}`, ["web"]],
      [`web-debug:${(built.references[1]?.digest ?? "").slice(7, 39)}`, ["web-debug"]],
    ]);
  });

  test("the debug image names every layer of the standard image, the same blobs in the same order, and one more", async () => {
    const standard = await manifestLayers("web");
    const debug = await manifestLayers("web-debug");
    expect(standard).toHaveLength(3);
    expect(debug.slice(0, standard.length)).toEqual(standard);
    expect(debug).toHaveLength(standard.length + 1);
    expect(standard).not.toContain(debug[3]);
  });

  test("the standard image's config runs /bin/entrypoint as 1000:1000 with the runtime inputs on PATH", async () => {
    const digest = built.descriptors.find((d) => d.role === "config web")?.digest ?? "";
    const config = JSON.parse(await fs.readFile(path.join(out, "blobs", "sha256", digest.replace("sha256:", "")), "utf8")) as { readonly config: Readonly<Record<string, unknown>> };
    expect(config.config).toEqual({
      Entrypoint: ["/bin/entrypoint"],
      User: "1000:1000",
      Env: ["PATH=/bin"],
      ExposedPorts: { "8080/tcp": {} },
      Labels: { "org.opencontainers.image.title": "web", "org.opencontainers.image.description": "A page served by busybox httpd" },
    });
  });
});

// An image unpacked by umoci (once per image): the path of its rootfs.
const unpacked = new Map<string, Promise<string>>();
const rootfsOf = (image: string): Promise<string> => {
  const bundle = path.join(work, `${image}-bundle`);
  const found = unpacked.get(image) ?? runOk("umoci", ["unpack", "--image", `${out}:${referenceOf(image)}`, bundle]).then(() => path.join(bundle, "rootfs"));
  unpacked.set(image, found);
  return found;
};

// Every path of an image's rootfs: type (d, f, l), mode and owner, and a link's target.
const listRootfs = async (image: string): Promise<readonly string[]> => {
  const listed = await runOk("find", [await rootfsOf(image), "-mindepth", "1", "-printf", "%P %y %m %U:%G %l\n"]);
  return listed.stdout.trim().split("\n").map((l) => l.trimEnd()).sort();
};

const STANDARD_FILES = [
  "bin d 755 0:0",
  "bin/busybox f 755 0:0",
  "bin/entrypoint f 755 0:0",
  "bin/httpd l 777 0:0 busybox",
  "bin/live f 755 0:0",
  "bin/pidof l 777 0:0 busybox",
  "bin/ready f 755 0:0",
  "bin/runtime f 755 0:0",
  "bin/sh l 777 0:0 busybox",
  "bin/wget l 777 0:0 busybox",
  "etc d 755 0:0",
  "etc/group f 644 0:0",
  "etc/passwd f 644 0:0",
  "srv d 755 0:0",
  "srv/www d 755 0:0",
  "srv/www/index.html f 444 0:0",
  "tmp d 1777 0:0",
  "var d 755 0:0",
  "var/lib d 755 0:0",
  "var/lib/web d 700 1000:1000",
];

describe.runIf(haveTools)("unpacked by umoci", () => {
  test("the standard image holds exactly the contracts, the runtime inputs and the setup tasks", async () => {
    expect(await listRootfs("web")).toEqual(STANDARD_FILES);
  });

  test("the debug image holds the same, plus busybox and its applet links in /debug/bin and /bin/debug", async () => {
    const files = await listRootfs("web-debug");
    const added = files.filter((f) => !STANDARD_FILES.includes(f));
    expect(files.filter((f) => STANDARD_FILES.includes(f))).toEqual(STANDARD_FILES);
    expect(added.filter((f) => !f.startsWith("debug/bin/") || !f.endsWith(" l 777 0:0 busybox"))).toEqual(["bin/debug f 755 0:0", "debug d 755 0:0", "debug/bin d 755 0:0", "debug/bin/busybox f 755 0:0"]);
    expect(added.filter((f) => f.endsWith(" l 777 0:0 busybox")).map((f) => f.split(" ")[0])).toEqual(expect.arrayContaining(["debug/bin/ls", "debug/bin/ps", "debug/bin/vi", "debug/bin/sh"]));
  });
});

describe.runIf(haveTools && requireTools("shellcheck"))("the contracts", () => {
  test("are POSIX sh scripts that shellcheck finds nothing wrong with", async () => {
    const rootfs = await rootfsOf("web-debug");
    const scripts = ["entrypoint", "runtime", "live", "ready", "debug"].map((name) => path.join(rootfs, "bin", name));
    const result = await runProcess("shellcheck", ["-s", "sh", ...scripts]);
    expect(result.code, result.stdout).toBe(0);
  });
});

describe.runIf(haveTools)("run by podman", () => {
  let podman: PodmanEnv;
  const container = `ocistage-standard-${process.pid}`;
  const exec = (...args: readonly string[]) => runProcess("podman", [...podman.args, "exec", container, ...args], { env: podman.env });
  beforeAll(async () => {
    podman = await podmanEnv(path.join(work, "pm"));
    const started = await runProcess("podman", [...podman.args, "run", "-d", "--quiet", "--name", container, `oci:${out}:${referenceOf("web")}`], { env: podman.env, timeoutMs: 120_000 });
    expect(started.code, started.stderr).toBe(0);
  }, 180_000);
  afterAll(async () => {
    if (podman !== undefined) await runProcess("podman", [...podman.args, "rm", "-f", "-t", "0", container], { env: podman.env });
  });

  test("the operable serves, and /bin/ready then /bin/live exit 0 inside the container", async () => {
    // httpd starts in a moment; ready is asked again until it answers (at most 50 times).
    let ready = await exec("/bin/ready");
    for (let tries = 1; ready.code !== 0 && tries < 50; tries++) ready = await exec("/bin/ready");
    expect(ready.code, ready.stderr).toBe(0);
    const live = await exec("/bin/live");
    expect(live.code, live.stderr).toBe(0);
    const page = await exec("wget", "-q", "-O", "-", "http://127.0.0.1:8080/");
    expect(page.stdout).toBe("<!doctype html>\n<title>web</title>\n<p>Served by a standard image.</p>\n");
  });

  test("/bin/runtime is a shell running as the image's user, with the runtime inputs on PATH", async () => {
    const result = await exec("/bin/runtime", "-c", 'id; echo "$PATH"');
    expect([result.code, result.stdout]).toEqual([0, "uid=1000(web) gid=1000(web)\n/bin\n"]);
    const noTools = await exec("/bin/runtime", "-c", "which vi");
    expect([noTools.code, noTools.stdout], "the debugging tools are the debug image's").toEqual([1, ""]);
  });

  // `which` walks PATH (busybox's sh itself runs its applets whether linked or not, so `command -v` cannot tell).
  test("/bin/debug of the debug image starts a shell with the debugging tools on PATH", async () => {
    const result = await runProcess(
      "podman",
      [...podman.args, "run", "--rm", "--quiet", "--entrypoint", "/bin/debug", `oci:${out}:${referenceOf("web-debug")}`, "-c", 'echo ok; echo "$PATH"; which vi ps'],
      { env: podman.env, timeoutMs: 120_000 },
    );
    expect([result.code, result.stdout], result.stderr).toEqual([0, "ok\n/bin:/debug/bin\n/debug/bin/vi\n/debug/bin/ps\n"]);
  }, 180_000);
});

describe.runIf(haveTools)("the emitted shell script", () => {
  test("writes the byte-identical layout (both images), and prints what the build prints", async () => {
    const { emitted, ran, target } = await buildByShellScript(EXAMPLE, work);
    expect(emitted.code, emitted.stderr).toBe(0);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toBe(built.references.map((r) => `${r.digest} ${r.reference}\n`).join(""));
    expect(await readTreeFiles(target)).toEqual(await readTreeFiles(out));
  });
});

describe("the views", () => {
  test("plan, graph and docs show the standard image's layers and contracts as ordinary steps", async () => {
    const plan = await runCli(["plan", EXAMPLE]);
    expect(plan.code, plan.stderr).toBe(0);
    for (const text of ["assemble-rootfs-web-runtime", "assemble-rootfs-web-setup", "assemble-rootfs-web-contracts", "assemble-rootfs-web-debug", '"$root/bin/entrypoint"', '"$root/bin/live"', '"$root/bin/ready"', '"$root/bin/runtime"', '"$root/bin/debug"', "exec httpd -f -p 8080 -h /srv/www \"$@\"", "set_mode 01777 \"$root/tmp\"", "web:x:1000:1000:web:/:/sbin/nologin"])
      expect(plan.stdout).toContain(text);
    const graph = await runCli(["graph", EXAMPLE, "--format", "dot"]);
    for (const step of ["tar-layer-web-contracts", "tar-layer-web-debug", "write-config-web", "write-config-web-debug"]) expect(graph.stdout).toContain(step);
    const docs = await runCli(["docs", EXAMPLE]);
    for (const text of ["contracts /bin/entrypoint, /bin/runtime, /bin/live, /bin/ready", "with /bin/debug", '/bin/ready runs "wget -q -O /dev/null http://127.0.0.1:8080/"', "entrypoint: `[\"/bin/entrypoint\"]`", "user: `1000:1000`"])
      expect(docs.stdout).toContain(text);
  });
});

describe("a standard image with bad fields", () => {
  test("is refused by validate and build with exit 1, one line per field, and nothing written", async () => {
    const dir = path.join(work, "bad");
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(
      path.join(dir, "image.json"),
      JSON.stringify({ kind: "standard", name: "web", operable: { command: ["x"], runtimeInputs: [{ source: "/bin/busybox", destination: "/bin/ready" }] }, readinessProbe: { command: ["true"] }, perms: [{ path: "/nope", mode: "0600" }], cmd: ["y"] }),
    );
    const expected = ["cmd: a standard image runs operable.command: give its arguments there"];
    const validated = await runCli(["validate", dir]);
    expect([validated.code, validated.stderr.trim().split("\n")]).toEqual([1, expected]);
    await fs.writeFile(path.join(dir, "image.json"), (await fs.readFile(path.join(dir, "image.json"), "utf8")).replace(',"cmd":["y"]', ""));
    const target = path.join(work, "bad-out");
    const builtBad = await runCli(["build", dir, "--out", target]);
    expect([builtBad.code, builtBad.stderr.trim().split("\n")]).toEqual([
      1,
      [
        'perms[0].path: "/nope" matches none of the paths the runtime inputs and setup name (/bin/ready, /bin/sh, /etc/passwd, /etc/group)',
        'operable.runtimeInputs[0].destination: "/bin/ready" is already given by the /bin/ready contract; each path of a standard image comes from one place',
      ],
    ]);
    await expect(fs.access(target)).rejects.toThrow();
  });
});

