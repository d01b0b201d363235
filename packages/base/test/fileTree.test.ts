// What a base's layers leave, applied in order with their whiteouts (image-spec layer.md,
// "Applying Changesets"): the file list the lowering places new layers on.
import { describe, expect, it } from "vitest";
import type { BaseFile } from "@ocistage/program";
import type { LayerEntry } from "../src/fileTree.ts";
import { applyLayer, normaliseMember, sortedFiles } from "../src/fileTree.ts";

const dir = (path: string, mode = 0o755): LayerEntry => ({ path, kind: "folder", mode, uid: 0, gid: 0 });
const file = (path: string): LayerEntry => ({ path, kind: "file", mode: 0o644, uid: 0, gid: 0 });
const link = (path: string, target: string): LayerEntry => ({ path, kind: "link", mode: 0o777, uid: 0, gid: 0, target });

const after = (...layers: readonly (readonly LayerEntry[])[]): readonly string[] => {
  const files = new Map<string, BaseFile>();
  for (const layer of layers) applyLayer(files, layer);
  return sortedFiles(files).map((f) => `${f.path}${f.kind === "folder" ? "/" : f.kind === "link" ? ` -> ${f.target}` : ""}`);
};

describe("applying a base's layers", () => {
  it("normalises tar member names: ./usr/bin/ → usr/bin", () => {
    expect([normaliseMember("./usr/bin/"), normaliseMember("/etc//passwd"), normaliseMember("./")]).toEqual(["usr/bin", "etc/passwd", ""]);
  });

  it("adds the folders a member implies, as root's 0755", () => {
    expect(after([file("usr/lib/x/libfoo.so")])).toEqual(["usr/", "usr/lib/", "usr/lib/x/", "usr/lib/x/libfoo.so"]);
  });

  it(".wh.NAME deletes NAME and everything below it", () => {
    expect(after([dir("etc"), dir("etc/app"), file("etc/app/a"), file("etc/keep")], [file("etc/.wh.app")])).toEqual(["etc/", "etc/keep"]);
  });

  it(".wh..wh..opq empties its folder of the lower layers' contents, but keeps what its own layer puts there", () => {
    expect(after([dir("etc"), file("etc/old"), dir("etc/sub"), file("etc/sub/x")], [dir("etc"), file("etc/.wh..wh..opq"), file("etc/new")])).toEqual(["etc/", "etc/new"]);
  });

  it("a folder over a folder merges; a file or link over a folder replaces it and its insides", () => {
    expect(after([dir("a"), file("a/x"), dir("b"), file("b/y")], [dir("a", 0o700), link("b", "a")])).toEqual(["a/", "a/x", "b -> a"]);
  });

  it("keeps a link's target, and a later layer's mode for a path", () => {
    const files = new Map<string, BaseFile>();
    applyLayer(files, [dir("usr"), dir("usr/lib"), link("lib", "usr/lib")]);
    applyLayer(files, [dir("usr/lib", 0o700)]);
    expect(files.get("lib")?.target).toBe("usr/lib");
    expect(files.get("usr/lib")?.mode).toBe(0o700);
  });
});
