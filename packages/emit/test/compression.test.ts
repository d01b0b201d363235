// Compressed layers in the emitters. The shell script of a compressed image hashes the tar (the
// diff_id the config names), compresses it with the host's gzip -n or zstd, and stores that; it
// checks those tools first and clears their environment options. An uncompressed image's script
// has none of it (its snapshots are unchanged). The Dockerfile cannot say how layers are stored:
// it says so in a comment, and builds the same layers.
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, test } from "vitest";
import { emitDockerfile, emitShell } from "../src/index.ts";
import { programOf } from "./fixtures/dockerfile/programOf.ts";

const spec = (extra: Record<string, unknown> = {}, own: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: "t",
  layers: [
    { name: "base", files: [{ content: "x\n", destination: "/x" }], ...own },
    { name: "app", files: [{ content: "y\n", destination: "/y" }] },
  ],
  ...extra,
});

describe("the shell script of a compressed image", () => {
  const script = emitShell(programOf(spec({ compression: "gzip" }, { compression: "zstd" })));

  test("keeps each compressed layer's diff_id and blob apart, and the config takes the diff_id", () => {
    expect(script).toContain('compress_layer zstd "$scratch/layer-base.tar"\nput_blob "$packed"\nlayer_base_hex=$blob_hex layer_base_size=$blob_size layer_base_diff=$diff_hex');
    expect(script).toContain('compress_layer gzip "$scratch/layer-app.tar"');
    const config = script.slice(script.indexOf("# ---- write-config"), script.indexOf("# ---- write-manifest"));
    expect(config).toContain('"rootfs":{"diff_ids":["sha256:\' \\\n  "$layer_base_diff" \\\n  \'","sha256:\' \\\n  "$layer_app_diff"');
    const manifest = script.slice(script.indexOf("# ---- write-manifest"), script.indexOf("# ---- write-index"));
    expect(manifest).toContain('"$layer_base_hex"');
    expect(manifest).not.toContain("_diff");
  });

  test("compresses with gzip -n -6 and zstd -q -3, checked before anything is written, their options cleared", () => {
    expect(script).toContain('gzip) gzip -n -6 < "$2" > "$2.gz"; packed=$2.gz ;;');
    expect(script).toContain('zstd) zstd -q -3 < "$2" > "$2.zst"; packed=$2.zst ;;');
    expect(script).toMatch(/^for tool in tar .* zstd gzip; do$/m);
    expect(script).toContain("unset GZIP ZSTD_CLEVEL ZSTD_NBTHREADS");
    expect(script).toContain("# Compressed layers (zstd: base; gzip: app) are compressed by this host's zstd -q -3 and gzip -n -6");
  });

  test("an uncompressed image's script has none of it", () => {
    const plain = emitShell(programOf(spec()));
    for (const word of ["compress_layer", "diff_hex", "gzip", "zstd", "Compressed layers"]) expect(plain).not.toContain(word);
    expect(plain).toContain('put_blob "$scratch/layer-base.tar"\nlayer_base_hex=$blob_hex layer_base_size=$blob_size');
  });
});

describe("the Dockerfile of a compressed image", () => {
  test("builds the same layers and says in a comment that the builder compresses them", () => {
    const plain = emitDockerfile(programOf(spec()));
    const packed = emitDockerfile(programOf(spec({ compression: "gzip" }, { compression: "zstd" })));
    if (E.isLeft(plain) || E.isLeft(packed)) throw new Error("expected a Dockerfile");
    const note = packed.right.dockerfile.split("\n").filter((l) => !plain.right.dockerfile.split("\n").includes(l));
    expect(note).toEqual([
      "# compression (base zstd, app gzip) is not carried: a builder stores layers its own way and compresses them",
      "# when it pushes (buildah push --compression-format gzip|zstd); the diff_ids are the same.",
    ]);
    expect(packed.right.layers).toEqual(plain.right.layers);
  });
});
