import { describe, expect, it } from "vitest";
import { dryRun, dryRunBuilderLines, dryRunText } from "../src/index.ts";
import { exampleProgram, twoLayerProgram } from "./programs.ts";
import { expectFixture } from "./snapshot.ts";

describe("the dry-run view", () => {
  it("lists tools, the layout write, each run with its tools, then descriptors, transforms, materialization and evidence", async () => {
    expect(dryRunBuilderLines(dryRun(await exampleProgram("busybox-shell")))).toEqual([
      "tool sh",
      "tool tar",
      "tool coreutils",
      "write oci-layout",
      "run assemble-rootfs-busybox with sh, coreutils",
      "run tar-layer-busybox with sh, tar, coreutils",
      "run write-config with sh, coreutils",
      "run write-manifest with sh, coreutils",
      "run write-index with sh, coreutils",
      "run verify-blobs with sh, coreutils",
      "run clean-scratch with sh, coreutils",
      "run archive-layout with sh, tar",
      "descriptor busybox-shell-oci-image",
      "transform oci-layout (json)",
      "transform index (json)",
      "transform blobs (tree)",
      "transform oci-archive (tar)",
      "materialize busybox-shell-oci-image with ocistage build",
      "evidence smoke-test",
      "evidence applets",
    ]);
  });

  it("has no runtime services, and says None.", () => {
    expect(dryRun(twoLayerProgram).runtime).toEqual([]);
    expect(dryRunText(twoLayerProgram)).toMatch(/Dry Run - Runtime\n {2}None\.$/);
  });

  it("is plain data for --json", () => {
    const view = dryRun(twoLayerProgram);
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
    expect(view.builder.filter((a) => a._tag === "Run").map((a) => a._tag === "Run" && a.step)).toEqual([
      "assemble-rootfs-base",
      "tar-layer-base",
      "assemble-rootfs-app",
      "tar-layer-app",
      "write-config",
      "write-manifest",
      "write-index",
      "verify-blobs",
      "clean-scratch",
      "archive-layout",
    ]);
  });

  it("matches its fixtures for both examples", async () => {
    expectFixture("busybox-shell.dry-run.txt", `${dryRunText(await exampleProgram("busybox-shell"))}\n`);
    expectFixture("web-app.dry-run.txt", `${dryRunText(twoLayerProgram)}\n`);
  });
});
