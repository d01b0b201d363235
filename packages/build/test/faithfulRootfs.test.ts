// Issue 11's acceptance: a root filesystem with debootstrap's modes and owners (fixtures/rootfs)
// builds with `exclude: ["dev/*"]` and `owners: "keep"`; umoci unpacks it with those modes and
// owners; inside podman (runc) `stat` shows exactly them, uid 1000 can write /tmp and cannot
// read /etc/shadow. Without the exclude, the build names the first device node and the option.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EXPECTED_STATS, makeRootfs } from "./fixtures/rootfs/debootstrapLike.ts";
import { buildSpec } from "./support/buildExample.ts";
import { podmanEnv } from "./support/podmanEnv.ts";
import type { PodmanEnv } from "./support/podmanEnv.ts";
import { runCli } from "./support/runCli.ts";
import { requireRoot, requireTools } from "./support/requireTools.ts";
import { runOk, runProcess } from "./support/runProcess.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";

const SPEC = {
  name: "rootfs",
  layers: [{ name: "rootfs", source: "rootfs", exclude: ["dev/*"], owners: "keep" }],
  entrypoint: ["/bin/sh"],
  env: { PATH: "/bin:/usr/bin:/usr/sbin" },
};

const statPaths = EXPECTED_STATS.map((line) => line.split(" ")[2] ?? "");

const canRun = requireTools("busybox", "mknod", "umoci", "podman", "runc") && requireRoot("mknod, chown, umoci unpack and podman");

describe.runIf(canRun)("a debootstrap-like root filesystem as a layer source", () => {
  let work = "";
  let out = "";
  beforeAll(async () => {
    work = await makeTempDir("rootfs");
    await makeRootfs(path.join(work, "rootfs"));
    await fs.writeFile(path.join(work, "image.json"), JSON.stringify(SPEC));
    out = path.join(work, "out");
    await buildSpec(path.join(work, "image.json"), out);
  }, 120_000);
  afterAll(() => removeTempDir(work));

  test("without exclude, the build stops at the first device node and names the exclude option", async () => {
    await fs.writeFile(path.join(work, "no-exclude.json"), JSON.stringify({ ...SPEC, layers: [{ name: "rootfs", source: "rootfs", owners: "keep" }] }));
    const run = await runCli(["build", path.join(work, "no-exclude.json"), "--out", path.join(work, "refused")]);
    expect({ code: run.code, stderr: run.stderr }).toEqual({
      code: 1,
      stderr: 'assemble-rootfs-rootfs layers[0].source: rootfs/dev/console is a character device; only files, folders and symlinks go into a layer (leave it out with an exclude pattern on this copy, such as "dev/*")\n',
    });
  });

  test("umoci unpack gives every path its mode and owner from the source", async () => {
    const bundle = path.join(work, "bundle");
    await runOk("umoci", ["unpack", "--image", `${out}:latest`, bundle]);
    const rootfs = path.join(bundle, "rootfs");
    const seen = await Promise.all(
      statPaths.map(async (p) => {
        const s = await fs.lstat(path.join(rootfs, p));
        return `${(s.mode & 0o7777).toString(8)} ${s.uid}:${s.gid} ${p}`;
      }),
    );
    expect(seen).toEqual(EXPECTED_STATS);
    expect(await fs.readdir(path.join(rootfs, "dev"))).toEqual([]);
  });

  describe("in podman (runc)", () => {
    let podman: PodmanEnv;
    beforeAll(async () => {
      podman = await podmanEnv(path.join(work, "podman"));
    });
    const run = (user: string, script: string) =>
      runProcess("podman", [...podman.args, "run", "--rm", "--network", "none", "--user", user, `oci:${out}:latest`, "-c", script], { env: podman.env, timeoutMs: 120_000 });

    test("stat shows exactly the source's modes and owners", async () => {
      const result = await run("0:0", `stat -c '%a %u:%g %n' ${statPaths.join(" ")}`);
      expect({ code: result.code, lines: result.stdout.split("\n").filter((l) => l !== "") }, result.stderr).toEqual({ code: 0, lines: EXPECTED_STATS });
    }, 120_000);

    test("uid 1000 can write /tmp and /var/tmp, and cannot read /etc/shadow", async () => {
      const result = await run("1000:1000", "id -u && echo hi > /tmp/f && echo hi > /var/tmp/f && stat -c '%u %n' /tmp/f /var/tmp/f && if cat /etc/shadow; then echo READABLE; else echo refused; fi");
      expect({ code: result.code, stdout: result.stdout }, result.stderr).toEqual({ code: 0, stdout: "1000\n1000 /tmp/f\n1000 /var/tmp/f\nrefused\n" });
    }, 120_000);
  });
});
