import { createCipheriv } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { BuildJson } from "../../../build/test/support/buildExample.ts";
import { buildSpec } from "../../../build/test/support/buildExample.ts";

/**
 * Builds an image with one layer holding `mib` MiB of incompressible, deterministic bytes (an
 * AES-CTR keystream), for pushes that take a while. The spec and its input go in `dir`.
 */
export const buildBigImage = async (dir: string, mib: number, out: string): Promise<BuildJson> => {
  await fs.mkdir(dir, { recursive: true });
  const cipher = createCipheriv("aes-128-ctr", Buffer.alloc(16, 7), Buffer.alloc(16));
  await fs.writeFile(path.join(dir, "big.bin"), cipher.update(Buffer.alloc(mib * 1024 * 1024)));
  const spec = { name: "big", tag: "1", layers: [{ name: "data", files: [{ source: "big.bin", destination: "/data/big.bin", mode: "0644" }] }] };
  await fs.writeFile(path.join(dir, "image.json"), JSON.stringify(spec));
  return buildSpec(path.join(dir, "image.json"), out);
};
