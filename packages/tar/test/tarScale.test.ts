import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { canonicalTarOptions, walkTree } from "../src/index.ts";
import { differenceOf, fastTempBase, gnuTar, removeTempDirs, tempDir, writeItems } from "./fixtures/tar/harness.ts";

afterAll(removeTempDirs);

const DIRS = 100;
const FILES_PER_DIR = 1000;

describe("layer tar at scale", () => {
  it("matches GNU tar byte for byte for 100,000 entries (~130 MB of tar) without holding the layer in memory", async () => {
    const root = tempDir("scale", fastTempBase());
    const content = Buffer.alloc(700, "x");
    for (let d = 0; d < DIRS; d++) {
      const dir = path.join(root, `dir-${d}`);
      fs.mkdirSync(dir);
      for (let f = 0; f < FILES_PER_DIR; f++) fs.writeFileSync(path.join(dir, `file-${f}`), content);
    }
    // Hard links across directories: the link table only holds inodes still waiting for a link.
    for (let d = 1; d < DIRS; d++) fs.linkSync(path.join(root, `dir-${d - 1}`, "file-0"), path.join(root, `dir-${d}`, "link-to-previous"));

    const options = canonicalTarOptions(1_700_000_000);
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 10);
    const started = Date.now();
    const ours = await writeItems(walkTree(root, options), 1024 * 1024);
    const elapsed = Date.now() - started;
    clearInterval(sampler);
    const theirs = await gnuTar(root, options, 1024 * 1024);

    expect(differenceOf(ours, theirs)).toBeUndefined();
    expect(ours.size).toBeGreaterThan(DIRS * FILES_PER_DIR * 1024);
    expect(rssPeak - rssBefore).toBeLessThan(96 * 1024 * 1024);
    console.info(`100,000 entries: ${elapsed} ms, peak RSS growth ${Math.round((rssPeak - rssBefore) / 1024 / 1024)} MiB`);
  }, 300_000);
});
