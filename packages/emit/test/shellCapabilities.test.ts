// File capabilities in the emitted script: a copied `ping` given CAP_NET_RAW with setcap. Run as
// root, the script writes the layout ocistage build writes, byte for byte, the capability in a
// pax layer, also where copies get owners of their own (a chown clears a capability, so the
// script sets it again after); where it cannot keep one (a non-root run cannot set one), it
// stops with exit 1 and names the file.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBoth, layoutDifferences, runScript, writeScript } from "./fixtures/shell/buildBoth.ts";
import { makeTempDir, programOfValue } from "./fixtures/shell/programs.ts";
import { requireRoot, requireTools } from "./fixtures/shell/requireTools.ts";
import { runProcess } from "./fixtures/shell/runProcess.ts";

// `tools` keeps capabilities (a file and one inside a copied folder), `data` has none.
const uniformSpec = {
  name: "capable",
  layers: [
    {
      name: "tools",
      files: [
        { source: "ping", destination: "/bin/ping", mode: "0755" },
        { source: "app", destination: "/opt/app" },
      ],
    },
    { name: "data", files: [{ source: "app/README", destination: "/srv/README" }] },
  ],
};

// The same files in a layer that mixes owners: the script gives each copy its owner (chown for
// a file, tar's --same-owner for a folder) before its capability.
const mixedSpec = {
  name: "capable-mixed",
  layers: [
    {
      name: "tools",
      files: [
        { source: "ping", destination: "/bin/ping", mode: "0755", uid: 1000, gid: 1000 },
        { source: "app", destination: "/opt/app", uid: 7, gid: 8 },
        { content: "www\n", destination: "/srv/www/index.html", uid: 1000, gid: 1000 },
      ],
    },
  ],
};

const layerBlob = async (out: string, index: number): Promise<Buffer> => {
  const manifestIndex = JSON.parse(await fs.readFile(path.join(out, "index.json"), "utf8")) as { manifests: { digest: string }[] };
  const blob = (digest: string): string => path.join(out, "blobs", ...digest.split(":"));
  const manifest = JSON.parse(await fs.readFile(blob(manifestIndex.manifests[0]?.digest ?? ""), "utf8")) as { layers: { digest: string }[] };
  return fs.readFile(blob(manifest.layers[index]?.digest ?? ""));
};

describe.runIf(requireTools("dash", "setcap", "setpriv", "busybox") && requireRoot("setcap"))("the emitted script for a copied file with a file capability", () => {
  let work = "";
  let sources = "";
  beforeAll(async () => {
    work = await makeTempDir("shell-caps");
    await fs.chmod(work, 0o755); // the unprivileged run below must read the script and sources
    sources = path.join(work, "sources");
    await fs.mkdir(path.join(sources, "app/bin"), { recursive: true });
    await fs.copyFile("/bin/busybox", path.join(sources, "ping"));
    await fs.copyFile("/bin/busybox", path.join(sources, "app/bin/arping"));
    await fs.writeFile(path.join(sources, "app/README"), "an app\n");
    for (const [caps, file] of [
      ["cap_net_raw+ep", "ping"],
      ["cap_net_raw,cap_net_admin+ep", "app/bin/arping"],
    ] as const) {
      const set = await runProcess("setcap", [caps, path.join(sources, file)]);
      if (set.code !== 0) throw new Error(`setcap ${caps} ${file}: ${set.stderr}`);
    }
  });
  afterAll(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  it("run with dash as root, writes the layout ocistage build writes, byte for byte, the capabilities in the tools layer", async () => {
    const dir = path.join(work, "uniform");
    await fs.mkdir(dir);
    const both = await buildBoth(programOfValue(uniformSpec), sources, dir, "dash");
    expect(layoutDifferences(both.built, both.scripted)).toEqual([]);

    // Not two layers that both lost it: the script's tools layer is pax and GNU tar lists both.
    const tools = await layerBlob(path.join(dir, "scripted"), 0);
    expect(tools.subarray(257, 265).toString("latin1")).toBe("ustar\u000000");
    await fs.writeFile(path.join(dir, "tools.tar"), tools);
    const listing = (await runProcess("tar", ["--xattrs", "--xattrs-include=*", "-tvvf", path.join(dir, "tools.tar")])).stdout;
    expect(listing.match(/^\S+\* .* \.\/(\S+)$/gm)?.map((line) => line.replace(/^.* \.\//, ""))).toEqual(["bin/ping", "opt/app/bin/arping"]);
    expect((await layerBlob(path.join(dir, "scripted"), 1)).subarray(257, 265).toString("latin1")).toBe("ustar  \u0000");
  });

  it("run as root in a layer that mixes owners, writes the same layout byte for byte, the capabilities kept", async () => {
    const dir = path.join(work, "mixed");
    await fs.mkdir(dir);
    const both = await buildBoth(programOfValue(mixedSpec), sources, dir, "dash");
    expect(layoutDifferences(both.built, both.scripted)).toEqual([]);
    const tools = await layerBlob(path.join(dir, "scripted"), 0);
    await fs.writeFile(path.join(dir, "tools.tar"), tools);
    const listing = (await runProcess("tar", ["--xattrs", "--xattrs-include=*", "--numeric-owner", "-tvvf", path.join(dir, "tools.tar")])).stdout;
    const capable = listing.split("\n").filter((line) => /^\S+\* /.test(line));
    expect(capable.map((line) => line.replace(/^\S+ (\S+) .* \.\/(\S+)$/, "$2 $1"))).toEqual(["bin/ping 1000/1000", "opt/app/bin/arping 7/8"]);
  });

  it("run by anyone else, stops with exit 1 naming the file, which only root can give a capability", async () => {
    const script = await writeScript(programOfValue(uniformSpec), path.join(work, "uniform.sh"));
    const outer = path.join(work, "nobody");
    await fs.mkdir(outer);
    await fs.chmod(outer, 0o777);
    const run = await runProcess("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "dash", script, path.join(outer, "out"), sources]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot copy ${sources}/ping with its file capability (security.capability), which ocistage build keeps: only root can set one; run this script as root`);
  });
});
