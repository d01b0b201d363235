import { describe, expect, it } from "vitest";
import * as E from "fp-ts/lib/Either.js";
import type { ImageSpec } from "@ocistage/spec";
import { formatSpecIssue } from "@ocistage/spec";
import { lower } from "../src/index.ts";

const context = { specFile: "image.json", specText: "{}", sourceDateEpoch: 0 };
const spec = (s: Partial<ImageSpec> & Pick<ImageSpec, "layers">): ImageSpec => ({ name: "demo", ...s });
const lowered = (s: ImageSpec) => {
  const result = lower({ _tag: "Image", image: s }, context);
  if (E.isLeft(result)) throw new Error(result.left.issues.map(formatSpecIssue).join("\n"));
  return result.right;
};
const issues = (s: ImageSpec): readonly string[] => {
  const result = lower({ _tag: "Image", image: s }, context);
  return E.isLeft(result) ? result.left.issues.map(formatSpecIssue) : [];
};

describe("lowering a spec into a program", () => {
  it("names the steps in digest-chain order", () => {
    const program = lowered(spec({ layers: [{ name: "base", source: "a" }, { name: "app", source: "b" }] }));
    expect(program.steps.map((s) => s.name)).toEqual([
      "write-oci-layout",
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

  it("makes the config wait for every layer and the manifest for the config", () => {
    const program = lowered(spec({ layers: [{ name: "base", source: "a" }, { name: "app", source: "b" }] }));
    const byName = new Map(program.steps.map((s) => [s.name, s]));
    expect(byName.get("write-config")?.needs).toEqual(["tar-layer-base", "tar-layer-app"]);
    expect(byName.get("write-manifest")?.needs).toContain("write-config");
    expect(byName.get("write-index")?.needs).toContain("write-manifest");
  });

  it("is plain data: a JSON round trip gives the same program", () => {
    const program = lowered(spec({ layers: [{ name: "app", files: [{ content: "x", destination: "/etc/x", mode: 0o600 }] }], env: { A: "1" } }));
    expect(JSON.parse(JSON.stringify(program))).toEqual(program);
  });

  it("puts the epoch in created and the spec's fields in the config", () => {
    const program = { ...lowered(spec({ layers: [{ name: "app", source: "a" }], entrypoint: ["/bin/sh"], env: ["A=1"], exposedPorts: [80, "53/udp"] })) };
    const config = program.steps.find((s) => s._tag === "WriteConfig");
    expect(config).toMatchObject({
      config: { created: "1970-01-01T00:00:00Z", architecture: "amd64", os: "linux", config: { Entrypoint: ["/bin/sh"], Env: ["A=1"], ExposedPorts: { "80/tcp": {}, "53/udp": {} } } },
    });
  });

  it("normalises destinations and refuses any that would leave the image root", () => {
    const program = lowered(spec({ layers: [{ name: "app", files: [{ symlink: "busybox", destination: "//bin/./sh/" }] }] }));
    expect(program.steps.find((s) => s._tag === "AssembleRootfs")).toMatchObject({ entries: [{ destination: "bin/sh" }] });
    expect(issues(spec({ layers: [{ name: "app", files: [{ content: "x", destination: "/etc/../../x" }] }] }))).toEqual([
      'layers[0].files[0].destination: "/etc/../../x" has a ".." segment; destinations must stay inside the image root',
    ]);
  });

  it("reports two entries at one destination, and entries below a symlink of the layer", () => {
    expect(
      issues(
        spec({
          layers: [
            {
              name: "app",
              files: [
                { content: "a", destination: "/x" },
                { content: "b", destination: "x" },
                { symlink: "/usr/lib", destination: "/lib" },
                { content: "c", destination: "/lib/evil" },
              ],
            },
          ],
        }),
      ),
    ).toEqual([
      'layers[0].files[1].destination: "/x" is already given by layers[0].files[0]; each destination appears once in a layer',
      'layers[0].files[3].destination: "/lib/evil" lies below "/lib", a symlink made by layers[0].files[2]',
    ]);
  });

  it("reports duplicate layer names and layers with both or neither of source and files", () => {
    expect(issues(spec({ layers: [{ name: "a", source: "x", files: [] }, { name: "a" }] }))).toEqual([
      'layers[0].name: layer name "a" is used more than once',
      "layers[0]: expected exactly one of source or files, found both",
      "layers[1]: expected exactly one of source or files, found neither",
    ]);
  });

  it("gives entries the layer's owner unless they name their own, and keeps the root and implied folders root's", () => {
    const program = lowered(spec({ layers: [{ name: "app", uid: 1000, gid: 1000, files: [{ content: "x", destination: "/a" }, { content: "y", destination: "/b", uid: 0 }] }] }));
    expect(program.steps.find((s) => s._tag === "AssembleRootfs")).toMatchObject({
      owner: { uid: 0, gid: 0 },
      entries: [{ owner: { uid: 1000, gid: 1000 } }, { owner: { uid: 0, gid: 1000 } }],
    });
  });
});
