// A standard image lowers like any layout: its layers and images are ordinary steps, and every
// spec path the program carries (entries, config fields, the lowering's own issues) names the
// field of the standard image the user wrote, not one of the layout it was desugared into.
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import type { Program, StepOf } from "@ocistage/program";
import { decodeSpec, formatSpecError, formatSpecIssue } from "@ocistage/spec";
import { lower } from "../src/index.ts";

const context = { specFile: "image.json", specText: "{}", sourceDateEpoch: 0 };

const lowerValue = (value: unknown): E.Either<readonly string[], Program> => {
  const decoded = decodeSpec(value, "image.json");
  if (E.isLeft(decoded)) throw new Error(formatSpecError(decoded.left).join("\n"));
  return E.mapLeft((e: { readonly issues: readonly { readonly at: string; readonly message: string }[] }) => e.issues.map(formatSpecIssue))(lower(decoded.right, context));
};
const programOf = (value: unknown): Program => {
  const result = lowerValue(value);
  if (E.isLeft(result)) throw new Error(result.left.join("\n"));
  return result.right;
};

const web = {
  kind: "standard",
  name: "web",
  operable: { command: ["httpd", "-f"], runtimeInputs: [{ source: "/bin/busybox", destination: "/bin/busybox" }, { symlink: "busybox", destination: "/bin/httpd" }] },
  setup: [{ directory: "/tmp", mode: "1777" }],
  livenessProbe: { command: ["pidof", "httpd"] },
  debug: true,
};

describe("a standard image, lowered", () => {
  const program = programOf(web);
  const assemble = (layer: string): StepOf<"AssembleRootfs"> | undefined => program.steps.find((s): s is StepOf<"AssembleRootfs"> => s._tag === "AssembleRootfs" && s.layer === layer);
  const config = (image: string): StepOf<"WriteConfig"> | undefined => program.steps.find((s): s is StepOf<"WriteConfig"> => s._tag === "WriteConfig" && s.image === image);

  it("is a program of ordinary steps: each layer tarred once, a config and manifest per image", () => {
    expect(program.steps.map((s) => s.name)).toEqual([
      "write-oci-layout",
      "assemble-rootfs-web-runtime",
      "tar-layer-web-runtime",
      "assemble-rootfs-web-setup",
      "tar-layer-web-setup",
      "assemble-rootfs-web-contracts",
      "tar-layer-web-contracts",
      "assemble-rootfs-web-debug",
      "tar-layer-web-debug",
      "write-config-web",
      "write-manifest-web",
      "write-config-web-debug",
      "write-manifest-web-debug",
      "write-index",
      "verify-blobs",
      "clean-scratch",
      "archive-layout",
    ]);
    expect(program.images.map((i) => [i.id, i.reference.tag._tag, i.layers])).toEqual([
      ["web", "FromDigest", ["web-runtime", "web-setup", "web-contracts"]],
      ["web-debug", "FromDigest", ["web-runtime", "web-setup", "web-contracts", "web-debug"]],
    ]);
  });

  it("says in each entry which field of the standard image it came from", () => {
    expect(assemble("web-runtime")?.entries.map((e) => [e.destination, e.at])).toEqual([
      ["bin/busybox", "operable.runtimeInputs[0].source"],
      ["bin/httpd", "operable.runtimeInputs[1].symlink"],
      ["bin/sh", "shell"],
    ]);
    expect(assemble("web-setup")?.entries.map((e) => [e.destination, e.at])).toEqual([
      ["tmp", "setup[0].directory"],
      ["etc/passwd", "uid"],
      ["etc/group", "gid"],
    ]);
    expect(assemble("web-contracts")?.entries.map((e) => [e.destination, e.at, e._tag === "Content" ? e.mode.toString(8) : ""])).toEqual([
      ["bin/entrypoint", "operable.command", "755"],
      ["bin/runtime", "operable", "755"],
      ["bin/live", "livenessProbe", "755"],
    ]);
    expect(assemble("web-debug")?.entries.at(-1)?.at).toBe("debug");
  });

  it("names config fields by the standard image's own paths, in both images", () => {
    expect(config("web")?.fieldAt).toMatchObject({ "config.Entrypoint": "entrypoint", "config.User": "user", "config.Env": "env" });
    expect(config("web-debug")?.fieldAt).toMatchObject({ "config.Entrypoint": "entrypoint", "config.User": "user", "config.Env": "env" });
    expect(config("web")?.config.config).toEqual({ Entrypoint: ["/bin/entrypoint"], User: "65534:65534", Env: ["PATH=/bin"] });
  });

  it("reports the lowering's own issues at the standard image's fields", () => {
    const bad = {
      ...web,
      operable: { command: ["x"], runtimeInputs: [{ source: "/bin/busybox", destination: "/bin/../busybox" }] },
      setup: [{ content: "x", destination: "/etc/.wh.x" }],
    };
    expect(lowerValue(bad)).toEqual(
      E.left([
        'operable.runtimeInputs[0].destination: "/bin/../busybox" has a ".." segment; destinations must stay inside the image root',
        'setup[0].destination: "/etc/.wh.x" has a name starting with ".wh.", which every runtime reads as a whiteout (an order to delete "/etc/x" from the layers below), not as a file; rename it (to delete a path of the layers below, write {whiteout: PATH})',
      ]),
    );
  });

  it("in a layout, reports a debug image's clash at the standard image that makes it", () => {
    const layout = { images: [{ name: "web-debug", layers: [{ name: "x", files: [{ content: "x", destination: "/x" }] }] }, web] };
    expect(lowerValue(layout)).toEqual(E.left(["images[1]: same name, tag and platform as images[0] (web-debug:<digest>, linux/amd64); give one another tag or platform"]));
  });
});
