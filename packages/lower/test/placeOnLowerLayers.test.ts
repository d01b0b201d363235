// A layer lands on the layers below it as Docker's COPY lands: through their symlinks, keeping
// the mode and owner of the folders they made. Decided in the program, so every substrate agrees.
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import type { RootfsEntry, StepOf } from "@ocistage/program";
import { decodeSpec, formatSpecError, formatSpecIssue } from "@ocistage/spec";
import { lower } from "../src/index.ts";

const context = { specFile: "image.json", specText: "{}", sourceDateEpoch: 0 };

const lowered = (value: unknown): E.Either<readonly string[], ReadonlyMap<string, readonly RootfsEntry[]>> => {
  const decoded = decodeSpec(value, "image.json");
  if (E.isLeft(decoded)) throw new Error(formatSpecError(decoded.left).join("\n"));
  const program = lower(decoded.right, context);
  if (E.isLeft(program)) return E.left(program.left.issues.map(formatSpecIssue));
  return E.right(new Map(program.right.steps.filter((s): s is StepOf<"AssembleRootfs"> => s._tag === "AssembleRootfs").map((s) => [s.layer, s.entries] as const)));
};

const placed = (value: unknown, layer: string): readonly (readonly [string, string, string?])[] => {
  const result = lowered(value);
  if (E.isLeft(result)) throw new Error(result.left.join("\n"));
  return (result.right.get(layer) ?? []).map((e) => (e._tag === "Directory" ? ([e._tag, e.destination, `${e.mode.toString(8)} ${e.owner.uid}:${e.owner.gid}`] as const) : ([e._tag, e.destination] as const)));
};

const image = (base: readonly unknown[], top: readonly unknown[]) => ({ name: "t", layers: [{ name: "base", files: base }, { name: "top", files: top }] });

describe("a destination below a lower layer's symlink", () => {
  it("lands at the link's target, absolute or relative (merged /usr)", () => {
    const spec = image(
      [{ symlink: "/real", destination: "/data" }, { symlink: "usr/lib", destination: "/lib" }],
      [{ content: "x", destination: "/data/file" }, { content: "y", destination: "/lib/x/libfoo.so" }],
    );
    expect(placed(spec, "top")).toEqual([["Content", "real/file"], ["Content", "usr/lib/x/libfoo.so"]]);
  });

  it("follows links to links, and refuses a loop naming the entry", () => {
    expect(placed(image([{ symlink: "b", destination: "/a" }, { symlink: "../c/d", destination: "/b" }], [{ content: "x", destination: "/a/f" }]), "top")).toEqual([["Content", "c/d/f"]]);
    expect(lowered(image([{ symlink: "b", destination: "/a" }, { symlink: "a", destination: "/b" }], [{ content: "x", destination: "/a/f" }]))).toEqual(
      E.left(['layers[1].files[0].content: "/a/f" goes through more than 40 symlinks of the layers below (a loop)']),
    );
  });

  it("is left alone when the entry names the link itself: the layer replaces it", () => {
    expect(placed(image([{ symlink: "/real", destination: "/data" }], [{ directory: "/data" }, { content: "x", destination: "/data/f" }]), "top")).toEqual([
      ["Directory", "data", "755 0:0"],
      ["Content", "data/f"],
    ]);
  });

  it("is not decided below a copied folder, whose insides the program does not know", () => {
    expect(placed({ name: "t", layers: [{ name: "base", source: "rootfs" }, { name: "top", files: [{ content: "x", destination: "/lib/f" }] }] }, "top")).toEqual([["Content", "lib/f"]]);
  });
});

describe("a folder a destination implies", () => {
  it("keeps the mode and owner a lower layer gave it", () => {
    expect(placed(image([{ directory: "/srv", mode: "0700", uid: 5, gid: 6 }], [{ content: "x", destination: "/srv/app/conf" }]), "top")).toEqual([
      ["Directory", "srv", "700 5:6"],
      ["Content", "srv/app/conf"],
    ]);
  });

  it("stays root's 0755 where the layers below have nothing, or have root's 0755", () => {
    expect(placed(image([{ content: "x", destination: "/srv/a" }], [{ content: "y", destination: "/srv/b" }, { content: "z", destination: "/opt/c" }]), "top")).toEqual([
      ["Content", "srv/b"],
      ["Content", "opt/c"],
    ]);
  });
});

describe("a layer shared by images", () => {
  it("must land alike in each, or lowering names both images", () => {
    const spec = {
      layers: { linked: { files: [{ symlink: "/real", destination: "/data" }] }, plain: { files: [{ content: "x", destination: "/other" }] }, app: { files: [{ content: "y", destination: "/data/f" }] } },
      images: [
        { name: "a", layers: ["linked", "app"] },
        { name: "b", layers: ["plain", "app"] },
      ],
    };
    expect(lowered(spec)).toEqual(
      E.left([
        'layers.app: layer "app" lands differently on the layers below it in images a and b (a symlink or a folder\'s mode or owner below differs); give each image a layer of its own',
      ]),
    );
  });
});
