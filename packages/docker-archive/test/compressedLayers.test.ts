// A layout whose layers are stored compressed (tar+gzip, tar+zstd) goes into a docker-archive
// as the uncompressed tars `docker load` expects, each checked against its diff_id on the way;
// a layer that decompresses to another tar is refused and the archive is not written.
import * as E from "fp-ts/lib/Either.js";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { manifestsOf, readLayout } from "@ocistage/layout";
import { formatDockerArchiveError, writeDockerArchive } from "../src/index.ts";
import type { LayerEncoding } from "../../bundle/test/support/handLayout.ts";
import { GZIP, ZSTD, tarBytes, writeHandLayout } from "../../bundle/test/support/handLayout.ts";
import { requireTools } from "../../build/test/support/requireTools.ts";
import { runOk } from "../../build/test/support/runProcess.ts";
import { makeTempDir, removeTempDir } from "../../build/test/support/tempDir.ts";
import { sha256 } from "./support/handArchive.ts";

const LAYERS = [[{ name: "etc/", type: "directory" as const }, { name: "etc/motd", content: "compressed\n" }], [{ name: "srv", content: "upper\n" }]];

let work = "";
beforeAll(async () => {
  work = await makeTempDir("docker-archive-compressed");
});
afterAll(() => removeTempDir(work));

const archiveOf = async (name: string, encoding: LayerEncoding) => {
  const layout = path.join(work, name);
  const diffIds = await writeHandLayout(layout, LAYERS, { Cmd: ["/bin/sh"] }, "latest", encoding);
  const read = await readLayout(layout)();
  if (E.isLeft(read)) throw new Error(JSON.stringify(read.left));
  const [manifest] = manifestsOf(read.right);
  if (manifest === undefined) throw new Error("no manifest");
  const file = path.join(work, `${name}.tar`);
  return { file, diffIds, written: await writeDockerArchive([{ layout, manifest, repoTags: [`${name}:latest`] }], file, 0)() };
};

describe.each([
  ["gzip", GZIP, true],
  ["zstd", ZSTD, requireTools("zstd")],
] as const)("layers stored as tar+%s", (name, encoding, available) => {
  test.runIf(available)("are archived as their uncompressed tars, named by diff_id", async () => {
    const { file, diffIds, written } = await archiveOf(name, encoding);
    expect(E.isRight(written)).toBe(true);
    const plain = await Promise.all(LAYERS.map(tarBytes));
    for (const [i, diffId] of diffIds.entries()) {
      const member = await runOk("/bin/sh", ["-c", 'tar -xOf "$1" "$2" | sha256sum', "sh", file, `./${diffId.slice(7)}.tar`]);
      expect(`sha256:${member.stdout.slice(0, 64)}`).toBe(diffId);
      expect(diffId).toBe(sha256(plain[i] ?? Buffer.alloc(0)));
    }
    const listed = (await runOk("tar", ["-tf", file])).stdout.split("\n").filter((l) => l.endsWith(".tar") && !l.includes("/layer.tar"));
    expect(listed.sort()).toEqual(diffIds.map((d) => `./${d.slice(7)}.tar`).sort());
  });
});

test("a compressed layer that is not the tar its diff_id names is refused; no archive is written", async () => {
  const lying: LayerEncoding = { ...GZIP, encode: (tar) => GZIP.encode(Buffer.concat([tar, Buffer.alloc(512)])) };
  const { file, written } = await archiveOf("lying", lying);
  expect(E.isLeft(written)).toBe(true);
  if (E.isLeft(written)) expect(formatDockerArchiveError(written.left)[0]).toMatch(new RegExp(`^${file}: .* layer sha256:[0-9a-f]{64} decompresses to a tar with digest sha256:[0-9a-f]{64}, but the config's diff_id is sha256:`));
  expect(await fs.readdir(work)).not.toContain("lying.tar");
  expect((await fs.readdir(work)).filter((n) => n.includes("ocistage-tmp"))).toEqual([]);
});
