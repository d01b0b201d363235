// Golden digests: the examples' layers are the bytes they were before the pax format existed
// (GNU tar --format=gnu), so a change to the tar writer that moves a layer without extended
// attributes fails here. The site layer is made of the repository's own files; the busybox layer
// depends on the busybox binary installed, so it is pinned for the Debian build these digests
// were taken with (busybox-static 1:1.35.0-4+deb12u1+b1) and skipped, saying so, for another.
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { BuildJson } from "./support/buildExample.ts";
import { buildSpec } from "./support/buildExample.ts";
import { REPO_ROOT } from "./support/runCli.ts";
import { requireTools } from "./support/requireTools.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";

const SITE_LAYER = { digest: "sha256:a580d39a79ed1ee45ac5ca0a404fc45b034ed44b6d6e788bfe00bc430d92dfac", size: 6144 };
const BUSYBOX_SHA256 = "3d9f2889d6782537624a4e1a10e68a2ddd53e0ee8bac02676f27308f42ec6bf6";
const BUSYBOX_LAYER = { digest: "sha256:7e23961689d42ef0da6d1bc2fedab0486077e04239e036192f3603a84975b329", size: 1989120 };
const MANIFEST = "sha256:5203124572c63963573f5dcf8e77059f4650caf9b148427f68185493ebc54fcf";

describe.runIf(requireTools("busybox"))("examples/static-site, built with SOURCE_DATE_EPOCH unset", () => {
  let work: string | undefined;
  let built: BuildJson;
  let sameBusybox = false;
  beforeAll(async () => {
    work = await makeTempDir("golden");
    built = await buildSpec(path.join(REPO_ROOT, "examples/static-site"), path.join(work, "out"));
    sameBusybox = createHash("sha256").update(await fs.readFile("/bin/busybox")).digest("hex") === BUSYBOX_SHA256;
    if (!sameBusybox) console.warn("skipping the busybox layer's golden digest: /bin/busybox is not the binary it was taken with");
  });
  afterAll(() => removeTempDir(work));

  const layer = (name: string): { digest: string; size: number } | undefined => {
    const found = built.descriptors.find((d) => d.role === `layer ${name}`);
    return found === undefined ? undefined : { digest: found.digest, size: found.size };
  };

  test("has the site layer it always had", () => {
    expect(layer("site")).toEqual(SITE_LAYER);
  });

  test("has the busybox layer and the manifest it always had (with the same busybox)", () => {
    if (!sameBusybox) return;
    expect(layer("busybox")).toEqual(BUSYBOX_LAYER);
    expect(built.manifest.digest).toBe(MANIFEST);
  });
});
