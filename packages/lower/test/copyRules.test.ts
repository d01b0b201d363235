// How lowering reads the copy options (modes, owners, exclude) and refuses whiteout names: what
// each Copy entry of the program says, and the issues, each at the spec field at fault.
import { describe, expect, it } from "vitest";
import * as E from "fp-ts/lib/Either.js";
import type { RootfsEntry } from "@ocistage/program";
import type { ImageSpec } from "@ocistage/spec";
import { decodeSpec, formatSpecIssue } from "@ocistage/spec";
import { lower } from "../src/index.ts";

const context = { specFile: "image.json", specText: "{}", sourceDateEpoch: 0 };

const result = (layers: unknown) => {
  const decoded = decodeSpec({ name: "demo", layers }, "image.json");
  if (E.isLeft(decoded)) throw new Error(JSON.stringify(decoded.left));
  return lower(decoded.right, context);
};
const entries = (layers: unknown): readonly RootfsEntry[] => {
  const lowered = result(layers);
  if (E.isLeft(lowered)) throw new Error(lowered.left.issues.map(formatSpecIssue).join("\n"));
  return lowered.right.steps.flatMap((s) => (s._tag === "AssembleRootfs" ? s.entries : []));
};
const issues = (layers: unknown): readonly string[] => {
  const lowered = result(layers);
  return E.isLeft(lowered) ? lowered.left.issues.map(formatSpecIssue) : [];
};

describe("a copy's modes and owners", () => {
  it("keeps the modes on disk and gives every file the layer's owner, unless told otherwise", () => {
    expect(entries([{ name: "a", source: "tree" }, { name: "b", uid: 7, gid: 8, files: [{ source: "x", destination: "/x" }] }])).toMatchObject([
      { _tag: "Copy", modes: "keep", owner: { uid: 0, gid: 0 }, exclude: [] },
      { _tag: "Copy", modes: "keep", owner: { uid: 7, gid: 8 }, exclude: [] },
    ]);
  });

  it("takes the layer's modes and owners for its copies; an entry's own fields win, and its uid/gid mean owners set", () => {
    const files = [
      { source: "a", destination: "/a" },
      { source: "b", destination: "/b", modes: "keep", owners: "set" },
      { source: "c", destination: "/c", uid: 5 },
      { content: "x", destination: "/d" },
    ];
    expect(entries([{ name: "l", modes: "normalise", owners: "keep", files }])).toMatchObject([
      { modes: "normalise", owner: "keep" },
      { modes: "keep", owner: { uid: 0, gid: 0 } },
      { modes: "normalise", owner: { uid: 5, gid: 0 } },
      { _tag: "Content", owner: { uid: 0, gid: 0 } },
    ]);
  });

  it("refuses owners keep beside a uid or gid on the same layer or entry", () => {
    expect(issues([{ name: "l", source: "tree", owners: "keep", uid: 1 }, { name: "m", files: [{ source: "a", destination: "/a", owners: "keep", gid: 2 }] }])).toEqual([
      'layers[0].owners: expected "owners": "keep" (numeric owners from disk) or a uid/gid, found both; the uid/gid would be ignored',
      'layers[1].files[0].owners: expected "owners": "keep" (numeric owners from disk) or a uid/gid, found both; the uid/gid would be ignored',
    ]);
  });
});

describe("exclude patterns", () => {
  it("are parsed into rules: a name without a slash matches at any depth, one with a slash from the copied folder", () => {
    const [copy] = entries([{ name: "l", source: "rootfs", exclude: [".git", "dev/*", "/tmp/", "!dev/null", "**/*.pyc", "a/**/b", "\\*x[!a-c]?"] }]);
    expect(copy?._tag === "Copy" ? copy.exclude : undefined).toEqual([
      { pattern: ".git", negated: false, folderOnly: false, segments: ["**", ".git"] },
      { pattern: "dev/*", negated: false, folderOnly: false, segments: ["dev", "*"] },
      { pattern: "/tmp/", negated: false, folderOnly: true, segments: ["tmp"] },
      { pattern: "!dev/null", negated: true, folderOnly: false, segments: ["dev", "null"] },
      { pattern: "**/*.pyc", negated: false, folderOnly: false, segments: ["**", "*.pyc"] },
      { pattern: "a/**/b", negated: false, folderOnly: false, segments: ["a", "**", "b"] },
      { pattern: "\\*x[!a-c]?", negated: false, folderOnly: false, segments: ["**", "[*]x[!a-c]?"] },
    ]);
  });

  it("apply to a layer's source or a copy entry; a files layer cannot have them", () => {
    expect(issues([{ name: "l", exclude: ["x"], files: [{ content: "x", destination: "/x" }] }])).toEqual([
      "layers[0].exclude: exclude applies to a layer's source; in files, give it on the copy entry whose folder it filters",
    ]);
    expect(entries([{ name: "l", files: [{ source: "a", destination: "/a", exclude: ["*.o"] }] }])).toMatchObject([{ exclude: [{ pattern: "*.o" }] }]);
  });

  it("are refused, each at its index, when git would read them differently or no name can match them", () => {
    expect(
      issues([{ name: "l", source: "t", exclude: ["#x", "x ", "a/../b", "a//b", "[[:alpha:]]", "[abc", "a\\\\b", "/", "!", "[z-a]", "x\\"] }]),
    ).toEqual([
      'layers[0].exclude[0]: "#x" starts with "#", which gitignore reads as a comment; write \\# for a name that starts with #',
      'layers[0].exclude[1]: "x " ends in a space, which gitignore drops; write "\\ " for a name that ends in a space',
      'layers[0].exclude[2]: "a/../b" has a "." or ".." name; patterns are paths inside the copied folder, written without them',
      'layers[0].exclude[3]: "a//b" has an empty name (two slashes in a row)',
      'layers[0].exclude[4]: "[[:alpha:]]" uses "[:" in a set: character classes are not supported; list the characters or a range such as a-z',
      'layers[0].exclude[5]: "[abc" has a "[" with no "]" to close it (write \\[ for a literal [)',
      String.raw`layers[0].exclude[6]: "a\\\\b" has "\\": names with a backslash cannot be matched`,
      'layers[0].exclude[7]: "/" names no path',
      'layers[0].exclude[8]: "!" names no path',
      'layers[0].exclude[9]: "[z-a]" has the range "z-a", whose end comes before its start',
      'layers[0].exclude[10]: "x\\\\" ends in a backslash',
    ]);
  });
});

describe("whiteout names", () => {
  it("are refused in every kind of destination, naming the field and what a runtime would do", () => {
    expect(
      issues([
        {
          name: "l",
          files: [
            { content: "x", destination: "/etc/.wh.passwd" },
            { directory: "/var/.wh.cache/x" },
            { symlink: "a", destination: "/.wh..wh..opq" },
            { source: "a", destination: "/srv/.wh.www" },
            { content: "fine", destination: "/etc/x.wh.y" },
          ],
        },
      ]),
    ).toEqual([
      'layers[0].files[0].destination: "/etc/.wh.passwd" has a name starting with ".wh.", which every runtime reads as a whiteout (an order to delete "/etc/passwd" from the layers below), not as a file; rename it (to delete a path of the layers below, write {whiteout: PATH})',
      'layers[0].files[1].directory: "/var/.wh.cache/x" has a name starting with ".wh.", which every runtime reads as a whiteout (an order to delete "/var/cache" from the layers below), not as a file; rename it (to delete a path of the layers below, write {whiteout: PATH})',
      'layers[0].files[2].destination: "/.wh..wh..opq" has a name starting with ".wh.", which every runtime reads as a whiteout (an order to hide everything the layers below hold in /), not as a file; rename it (to delete a path of the layers below, write {whiteout: PATH})',
      'layers[0].files[3].destination: "/srv/.wh.www" has a name starting with ".wh.", which every runtime reads as a whiteout (an order to delete "/srv/www" from the layers below), not as a file; rename it (to delete a path of the layers below, write {whiteout: PATH})',
    ]);
  });
});
