import { describe, expect, it } from "vitest";
import * as E from "fp-ts/lib/Either.js";
import { decodeSpec, formatSpecError } from "../src/index.ts";

const issuesOf = (value: unknown): readonly string[] => {
  const result = decodeSpec(value, "image.json");
  if (E.isRight(result)) throw new Error("expected the spec to be rejected");
  return formatSpecError(result.left);
};

const minimal = { name: "demo", layers: [{ name: "app", source: "rootfs" }] };

describe("decoding an image spec", () => {
  it("accepts the seed's fields", () => {
    const result = decodeSpec(
      {
        ...minimal,
        tag: "1.0",
        entrypoint: ["/bin/sh"],
        cmd: ["-c", "echo hi"],
        env: { PATH: "/bin" },
        exposedPorts: ["80/tcp", 53, "53/udp"],
        labels: { a: "b" },
        architecture: "arm64",
        os: "linux",
        user: "1000:1000",
        workingDir: "/srv",
      },
      "image.json",
    );
    expect(E.isRight(result)).toBe(true);
  });

  it("reports every wrong field by path, not just the first", () => {
    const issues = issuesOf({ ...minimal, tag: "not a tag!", entrypoint: "/bin/sh", layers: [{ name: "app", source: 42 }] });
    expect(issues).toEqual([
      'layers[0].source: expected non-empty string, found 42',
      'tag: expected tag ([A-Za-z0-9_][A-Za-z0-9._-]{0,127}), found "not a tag!"',
      'entrypoint: expected ReadonlyArray<string>, found "/bin/sh"',
    ]);
  });

  it("reports an unknown field with the field it probably meant", () => {
    expect(issuesOf({ ...minimal, entrypiont: ["/bin/sh"] })).toEqual([
      expect.stringMatching(/^entrypiont: unknown field \(did you mean "entrypoint"\?\)/),
    ]);
  });

  it("reports a mistake inside a file entry against that entry's kind only", () => {
    const issues = issuesOf({ name: "demo", layers: [{ name: "app", files: [{ symlink: "busybox", destination: "/bin/sh", mdoe: "0755" }] }] });
    expect(issues).toEqual([expect.stringMatching(/^layers\[0\]\.files\[0\]\.mdoe: unknown field; known fields: symlink, destination, uid, gid$/)]);
  });

  it("asks for exactly one of source, symlink, content or directory in a file entry", () => {
    expect(issuesOf({ name: "demo", layers: [{ name: "app", files: [{ destination: "/x" }] }] })).toEqual([
      "layers[0].files[0]: expected file entry with exactly one of source, symlink, content, directory, whiteout, json, script, found none of them",
    ]);
  });

  it("reads modes as octal strings so 0755 cannot be mistaken for decimal", () => {
    const ok = decodeSpec({ name: "demo", layers: [{ name: "app", files: [{ content: "x", destination: "/x", mode: "0640" }] }] }, "image.json");
    expect(E.isRight(ok) && ok.right._tag === "Image" && ok.right.image.layers[0]?.files?.[0]).toMatchObject({ mode: 0o640 });
    expect(issuesOf({ name: "demo", layers: [{ name: "app", files: [{ content: "x", destination: "/x", mode: 755 }] }] })[0]).toMatch(
      /^layers\[0\]\.files\[0\]\.mode: expected octal mode string/,
    );
  });

  it("rejects a value that is not an object at all", () => {
    expect(issuesOf(["not", "a", "spec"])).toEqual(['expected image spec (an object), found an array of 3']);
  });

  it("hints at the key a near miss meant: a file entry's kind, a layout's images", () => {
    expect(issuesOf({ name: "demo", layers: [{ name: "app", files: [{ sorce: "x", destination: "/x" }] }] })).toEqual([
      'layers[0].files[0]: expected file entry with exactly one of source, symlink, content, directory, whiteout, json, script, found none of them (sorce: did you mean "source"?)',
    ]);
    expect(issuesOf({ layers: {}, imagess: [] })).toEqual([
      "images: expected ReadonlyArray<image>, found nothing",
      'imagess: unknown field (did you mean "images"?); known fields: images, name, description, layers',
    ]);
  });
});
