// The record of which repositories of a registry hold a blob, kept in the cache folder for
// cross-repository mounts: newest first, merged with what another push wrote meanwhile.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { makeTempDir, removeTempDir } from "../../build/test/support/tempDir.ts";
import { openBlobRecord } from "../src/push/blobRecord.ts";

let cache: string | undefined;
beforeAll(async () => {
  cache = await makeTempDir("blob-record");
});
afterAll(() => removeTempDir(cache));

test("repositories come back newest first, per registry, and survive a save", async () => {
  const record = await openBlobRecord(cache);
  record.note("reg:5000", "sha256:a", "team/one");
  record.note("reg:5000", "sha256:a", "team/two");
  record.note("other:5000", "sha256:a", "elsewhere");
  expect(record.reposOf("reg:5000", "sha256:a")).toEqual(["team/two", "team/one"]);
  expect(record.reposOf("reg:5000", "sha256:b")).toEqual([]);
  await record.save();
  expect((await openBlobRecord(cache)).reposOf("other:5000", "sha256:a")).toEqual(["elsewhere"]);
});

test("two pushes that saved one after the other keep both additions", async () => {
  const first = await openBlobRecord(cache);
  const second = await openBlobRecord(cache);
  first.note("reg:5000", "sha256:c", "from-first");
  second.note("reg:5000", "sha256:d", "from-second");
  await first.save();
  await second.save();
  const reread = await openBlobRecord(cache);
  expect([reread.reposOf("reg:5000", "sha256:c"), reread.reposOf("reg:5000", "sha256:d")]).toEqual([["from-first"], ["from-second"]]);
});

test("a damaged record is started afresh, not an error", async () => {
  await fs.writeFile(path.join(cache ?? "", "registry-blobs.json"), "{ damaged");
  const record = await openBlobRecord(cache);
  expect(record.reposOf("reg:5000", "sha256:a")).toEqual([]);
  record.note("reg:5000", "sha256:a", "again");
  await record.save();
  expect((await openBlobRecord(cache)).reposOf("reg:5000", "sha256:a")).toEqual(["again"]);
});
