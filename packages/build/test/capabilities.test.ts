// File capabilities survive the build: a copied `ping` on which `setcap cap_net_raw+ep` was run
// keeps security.capability in its layer, as GNU tar and containers/storage read it (a PAX
// SCHILY.xattr.security.capability record), checked with real tools: GNU tar's listing and
// extraction, umoci unpack, getcap. Layers without one stay in the gnu format, and the
// attribute is part of the layer's cache key.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import * as E from "fp-ts/lib/Either.js";
import { setAttributeSync, removeAttributeSync } from "fs-xattr";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { lower } from "@ocistage/lower";
import type { Program } from "@ocistage/program";
import { decodeSpec } from "@ocistage/spec";
import { buildImage } from "../src/buildImage.ts";
import type { BuildResult } from "../src/buildImage.ts";
import type { BuildJson } from "./support/buildExample.ts";
import { buildSpec } from "./support/buildExample.ts";
import { blobPath } from "./support/layoutFiles.ts";
import { requireRoot, requireTools } from "./support/requireTools.ts";
import type { ProcessResult } from "./support/runProcess.ts";
import { runOk, runProcess } from "./support/runProcess.ts";
import { podmanEnv } from "./support/podmanEnv.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";

const SPEC = {
  name: "capable",
  tag: "latest",
  layers: [
    {
      name: "tools",
      files: [
        { source: "ping", destination: "/bin/ping", mode: "0755" },
        { source: "ping-without", destination: "/opt/without/ping", mode: "0755" }, // busybox goes by its name
        { source: "plain", destination: "/bin/plain" },
      ],
    },
    { name: "data", files: [{ source: "data", destination: "/srv/data" }] },
  ],
};

const GNU_MAGIC = "ustar  \u0000";
const POSIX_MAGIC = "ustar\u000000";

let work = "";
const at = (...parts: string[]): string => path.join(work, ...parts);

const magicOf = async (file: string): Promise<string> => (await fs.readFile(file)).subarray(257, 265).toString("latin1");

const getcap = async (file: string): Promise<string> => (await runOk("getcap", [file])).stdout.trim();

describe.runIf(requireTools("setcap", "getcap", "tar", "umoci", "busybox") && requireRoot("setcap and umoci unpack"))("a copied file with file capabilities", () => {
  let built: BuildJson;
  let tools = "";
  let data = "";

  beforeAll(async () => {
    work = await makeTempDir("caps");
    // A real ping: busybox, copied, then given CAP_NET_RAW the way an admin does it.
    await fs.copyFile("/bin/busybox", at("ping"));
    await fs.chmod(at("ping"), 0o755);
    await runOk("setcap", ["cap_net_raw+ep", at("ping")]);
    await fs.copyFile("/bin/busybox", at("ping-without"));
    await fs.writeFile(at("plain"), "no capabilities\n");
    await fs.mkdir(at("data"));
    await fs.writeFile(at("data/notes.txt"), "notes\n");
    await fs.writeFile(at("image.json"), JSON.stringify(SPEC));
    built = await buildSpec(at("image.json"), at("out"));
    const layer = (role: string): string => blobPath(at("out"), built.descriptors.find((d) => d.role === role)?.digest ?? "");
    tools = layer("layer tools");
    data = layer("layer data");
  });
  afterAll(() => removeTempDir(work));

  test("the source has it (the premise)", async () => {
    expect(await getcap(at("ping"))).toBe(`${at("ping")} cap_net_raw=ep`);
  });

  test("GNU tar lists it on ./bin/ping, and on nothing else", async () => {
    const listing = (await runOk("tar", ["--xattrs", "--xattrs-include=*", "-tvvf", tools])).stdout;
    expect(listing).toMatch(/^-rwxr-xr-x\* 0\/0 .* \.\/bin\/ping\n {2}x: 20 security\.capability\n/m);
    expect(listing.match(/^ {2}x: /gm)).toHaveLength(1);
    expect(listing).toMatch(/^-rw-r--r-- {2}0\/0 .* \.\/bin\/plain$/m);
  });

  test("GNU tar extracts it, and getcap reads cap_net_raw=ep", async () => {
    const into = at("extracted");
    await fs.mkdir(into);
    await runOk("tar", ["--xattrs", "--xattrs-include=*", "-xf", tools, "-C", into]);
    expect(await getcap(path.join(into, "bin/ping"))).toBe(`${path.join(into, "bin/ping")} cap_net_raw=ep`);
    expect(await getcap(path.join(into, "bin/plain"))).toBe("");
  });

  test("umoci unpack restores it in the rootfs, and getcap reads cap_net_raw=ep", async () => {
    const bundle = at("bundle");
    await runOk("umoci", ["unpack", "--image", `${await fs.realpath(at("out"))}:latest`, bundle]);
    const ping = path.join(bundle, "rootfs/bin/ping");
    expect(await getcap(ping)).toBe(`${ping} cap_net_raw=ep`);
    expect(await getcap(path.join(bundle, "rootfs/bin/plain"))).toBe("");
  });

  test.runIf(requireTools("podman", "runc"))("podman (containers/storage) runs it as uid 1000: ping works, the same binary without the capability is refused", async () => {
    const podman = await podmanEnv(at("podman"));
    const ping = (binary: string): Promise<ProcessResult> =>
      runProcess("podman", [...podman.args, "run", "--rm", "--network", "none", "--user", "1000", "--entrypoint", binary, `oci:${at("out")}:latest`, "-c", "1", "127.0.0.1"], { env: podman.env });
    const capable = await ping("/bin/ping");
    expect(capable.code, capable.stderr).toBe(0);
    expect(capable.stdout).toContain("1 packets transmitted, 1 packets received");
    const without = await ping("/opt/without/ping");
    expect(without.code).toBe(1);
    expect(without.stderr).toContain("ping: permission denied (are you root?)");
  });

  test("its layer is the pax format GNU tar writes for --xattrs; the layer without one stays gnu", async () => {
    expect(await magicOf(tools)).toBe(POSIX_MAGIC);
    expect(await magicOf(data)).toBe(GNU_MAGIC);
  });

  test("its layer is byte for byte what GNU tar writes from the same tree with the pax format's flags", async () => {
    const tree = at("tree");
    await fs.mkdir(path.join(tree, "bin"), { recursive: true });
    // cp keeps the attribute only when asked (as root); the build's normalised modes are 0755/0644.
    await runOk("cp", ["--preserve=mode,xattr", at("ping"), path.join(tree, "bin/ping")]);
    await fs.mkdir(path.join(tree, "opt/without"), { recursive: true });
    await runOk("cp", ["--preserve=mode,xattr", at("ping-without"), path.join(tree, "opt/without/ping")]);
    await runOk("chmod", ["0755", path.join(tree, "opt/without/ping")]);
    await runOk("cp", ["--preserve=mode,xattr", at("plain"), path.join(tree, "bin/plain")]);
    const archive = at("gnu-tar.tar");
    await runOk("tar", [
      "--format=posix",
      "--pax-option=delete=atime,delete=ctime,exthdr.name=%d/PaxHeaders/%f",
      "--xattrs",
      "--xattrs-include=security.capability",
      "-b1",
      "--sort=name",
      "--numeric-owner",
      "--owner=0",
      "--group=0",
      "--mtime=@0",
      "--mode=go=u,go-w",
      "-C",
      tree,
      "-cf",
      archive,
      ".",
    ]);
    expect((await fs.readFile(tools)).equals(await fs.readFile(archive))).toBe(true);
  });
});

// The cache key: an attribute change rebuilds the layer even where lstat cannot see it (a
// folder's ctime is not part of the key), and removing it gives back the first bytes.
const programOf = (spec: unknown): Program => {
  const decoded = decodeSpec(spec, "image.json");
  if (E.isLeft(decoded)) throw new Error("the test spec does not decode");
  const program = lower(decoded.right, { specFile: "image.json", specText: JSON.stringify(spec), sourceDateEpoch: 0 });
  if (E.isLeft(program)) throw new Error("the test spec does not lower");
  return program.right;
};

describe.runIf(requireRoot("setting security.capability"))("the cache key of a layer", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await makeTempDir("caps-cache");
    await fs.mkdir(path.join(dir, "data/sub"), { recursive: true });
    await fs.writeFile(path.join(dir, "data/sub/f"), "f\n");
    // Older than the file system clock's tick, so the first build records the layer.
    await new Promise((resolve) => setTimeout(resolve, 120));
  });
  afterAll(() => removeTempDir(dir));

  const build = async (): Promise<BuildResult["layers"][number]> => {
    const result = await buildImage(programOf({ name: "cached", layers: [SPEC.layers[1]] }), { sourceRoot: dir, out: path.join(dir, "out") })();
    if (E.isLeft(result)) throw new Error(`the build failed: ${JSON.stringify(result.left)}`);
    const [layer] = result.right.layers;
    if (layer === undefined) throw new Error("no layer");
    return layer;
  };

  test("holds a folder's capability: setting it rebuilds the layer, removing it gives the first digest back", async () => {
    const first = await build();
    expect((await build()).source).toBe("reused");

    setAttributeSync(path.join(dir, "data/sub"), "security.capability", Buffer.from("0100000200200000000000000000000000000000", "hex"));
    await new Promise((resolve) => setTimeout(resolve, 120));
    const withCapability = await build();
    expect(withCapability.source).toBe("built");
    expect(withCapability.digest).not.toBe(first.digest);
    expect(await magicOf(blobPath(path.join(dir, "out"), withCapability.digest))).toBe(POSIX_MAGIC);

    removeAttributeSync(path.join(dir, "data/sub"), "security.capability");
    await new Promise((resolve) => setTimeout(resolve, 120));
    const without = await build();
    expect(without.source).toBe("built");
    expect(without.digest).toBe(first.digest);
  });

  test.runIf(requireTools("setcap"))("holds a file's capability through its ctime: setcap on it rebuilds the layer, with the capability", async () => {
    const first = await build();
    expect((await build()).source).toBe("reused");
    await runOk("setcap", ["cap_net_raw+ep", path.join(dir, "data/sub/f")]);
    await new Promise((resolve) => setTimeout(resolve, 120));
    const withCapability = await build();
    expect(withCapability.source).toBe("built");
    expect(withCapability.digest).not.toBe(first.digest);
    const listing = (await runOk("tar", ["--xattrs", "--xattrs-include=*", "-tvvf", blobPath(path.join(dir, "out"), withCapability.digest)])).stdout;
    expect(listing).toMatch(/\.\/srv\/data\/sub\/f\n {2}x: 20 security\.capability\n/);
    expect((await build()).source).toBe("reused");
  });
});
