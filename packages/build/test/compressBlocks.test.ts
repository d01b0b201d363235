// Compressed layers are a function of the tar alone: cut into 1 MiB blocks at fixed offsets,
// each compressed on its own by the pinned compressor (pako's deflate, libzstd in wasm). So the
// bytes are the same whatever the number of threads and however the tar arrives in chunks, the
// real gzip and zstd read them back to the tar, and the golden digests below only move when the
// compressor or the framing does (a new ocistage version says so in the README).
import { createHash, randomBytes } from "node:crypto";
import { inflateRawSync } from "node:zlib";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BlockCompressingWriter } from "../src/compress/BlockCompressingWriter.ts";
import type { BlockCodec } from "../src/compress/compressionPool.ts";
import { openCompressionPool } from "../src/compress/compressionPool.ts";
import { deflateBlock } from "../src/compress/compressBlock.mjs";
import { runProcess } from "./support/runProcess.ts";
import { requireTools } from "./support/requireTools.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";

const MiB = 1024 * 1024;

// 3.5 MiB that compress somewhat: lines of text with a counter, then pseudo-random bytes.
const sample = (): Buffer => {
  const text = Buffer.from(Array.from({ length: 60_000 }, (_, i) => `line ${i} of a layer that is mostly text\n`).join(""));
  const noise = Buffer.alloc(Math.floor(3.5 * MiB) - text.length);
  let x = 2463534242;
  for (let i = 0; i < noise.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    noise[i] = (x >>> 0) % 7 === 0 ? 0 : x & 0xff;
  }
  return Buffer.concat([text, noise]);
};

const sha256 = (bytes: Uint8Array): string => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

// Compresses `data` into `file`, handed over in chunks of `chunk` bytes, with `threads` workers.
const compress = async (data: Buffer, file: string, codec: BlockCodec, threads: number, chunk: number): Promise<{ digest: string; size: number }> => {
  const pool = openCompressionPool(threads);
  const handle = await fs.open(file, "w");
  try {
    const writer = new BlockCompressingWriter(handle, codec, codec === "gzip" ? 6 : 3, pool, 2 * threads + 1);
    for (let at = 0; at < data.length; at += chunk)
      if (!writer.write(data.subarray(at, Math.min(at + chunk, data.length)))) await new Promise((resolve) => writer.once("drain", resolve));
    await new Promise<void>((resolve, reject) => writer.end((e?: Error | null) => (e ? reject(e) : resolve())));
    return writer.blob();
  } finally {
    await handle.close();
    await pool.close();
  }
};

// Golden digests of sample(), per codec: they pin pako 3.0.3 (level 6, every setting given) and
// libzstd in @bokuweb/zstd-wasm 0.0.27 (level 3), and the framing (compressBlock.mjs, gzipFrame.ts).
const GOLDEN: Record<BlockCodec, string> = {
  gzip: "sha256:1e03a110fdb867df0f295c4758d12fde9a238c1bb9b36fb2d8460c7631f1acd3",
  zstd: "sha256:d36ce95058ed24010d857c4c8a5dbba8fa4947d55cc223d0424bea232d01ebd1",
};

describe.runIf(requireTools("gzip", "zstd"))("a tar compressed in independent blocks", () => {
  let work: string | undefined;
  const data = sample();
  beforeAll(async () => {
    work = await makeTempDir("blocks");
  });
  afterAll(() => removeTempDir(work));

  for (const codec of ["gzip", "zstd"] as const) {
    test(`${codec}: the same bytes with 1 or 3 threads and any chunking, the golden digest, read back by ${codec} -d`, async () => {
      const dir = work as string;
      const one = await compress(data, path.join(dir, `${codec}-1`), codec, 1, MiB);
      const three = await compress(data, path.join(dir, `${codec}-3`), codec, 3, 65_537);
      const odd = await compress(data, path.join(dir, `${codec}-odd`), codec, 2, 3 * MiB + 5);
      expect(three).toEqual(one);
      expect(odd).toEqual(one);
      const bytes = await fs.readFile(path.join(dir, `${codec}-1`));
      expect(sha256(bytes)).toBe(one.digest);
      expect(bytes.length).toBe(one.size);
      expect(bytes.length).toBeLessThan(data.length);
      expect(one.digest).toBe(GOLDEN[codec]);
      const back = await runProcess("sh", ["-c", `${codec} -dc < "$1" | sha256sum`, "sh", path.join(dir, `${codec}-1`)]);
      expect(back.stderr).toBe("");
      expect(`sha256:${back.stdout.split(" ")[0]}`).toBe(sha256(data));
    });
  }

  test("gzip: one member, with no name, mtime 0 and OS 255, that gzip -t accepts", async () => {
    const file = path.join(work as string, "gzip-1");
    const head = (await fs.readFile(file)).subarray(0, 10);
    expect([...head]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
    expect((await runProcess("gzip", ["-t", file])).code).toBe(0);
    const listing = await runProcess("gzip", ["-lv", file]);
    expect(listing.stdout).toContain(String(data.length)); // the trailer's ISIZE is the tar's length
  });

  test("zstd: one frame per started MiB", async () => {
    const file = path.join(work as string, "zstd-1");
    const listing = await runProcess("zstd", ["-l", file]);
    expect(listing.stdout).toMatch(/^\s+4\s+0\s/m); // 4 frames, no skippable one
  });
});

// Real, varied bytes: machine code, tables and compressed sections of the node binary, then
// random bytes, zeros, and short blocks. Each block's deflate stream inflates (with zlib) to the
// block, alone and all of them one after the other, as a layer's blocks follow each other.
describe("every block's deflate stream", () => {
  test("inflates back to the block, alone and concatenated, compressible or stored", async () => {
    const node = await fs.readFile(process.execPath);
    const blocks: Uint8Array[] = [];
    for (let i = 0; i < 24; i++) {
      const at = Math.floor((i * (node.length - MiB)) / 24);
      blocks.push(node.subarray(at, at + MiB));
    }
    blocks.push(randomBytes(MiB), Buffer.concat([randomBytes(MiB / 2), node.subarray(0, MiB / 2)]), Buffer.alloc(MiB), node.subarray(7, 7 + 70_000), Buffer.alloc(3));
    const streams = blocks.map((block) => deflateBlock(block, 6));
    blocks.forEach((block, i) => expect(Buffer.compare(inflateRawSync(Buffer.concat([streams[i] ?? new Uint8Array(), Buffer.from([3, 0])])), block)).toBe(0));
    expect(Buffer.compare(inflateRawSync(Buffer.concat([...streams, Buffer.from([3, 0])])), Buffer.concat(blocks))).toBe(0);
    expect(streams[24]?.length).toBe(MiB + 5 * 17); // random bytes: stored, in blocks of at most 65,535
    expect(streams[26]?.length).toBeLessThan(MiB / 100); // zeros
  });
});
