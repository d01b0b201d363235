// A copy's `exclude` patterns mean what they mean in a .gitignore at the copied folder's top:
// for one tree and many pattern lists, the paths the build leaves out of the layer are exactly
// the paths `git check-ignore` says a .gitignore with those lines ignores.
import * as E from "fp-ts/lib/Either.js";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { assembleTree } from "../src/assembleTree.ts";
import { displayKey } from "../src/LayerTree.ts";
import { assembleStep, programOf } from "./support/lowerSpec.ts";
import { requireTools } from "./support/requireTools.ts";
import { runOk } from "./support/runProcess.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";

// Folders end in "/"; everything else is a file.
const TREE = [
  ".git/", ".git/HEAD", ".gitattributes", "README.md", "CHANGES.md", "docs/", "docs/guide.md", "docs/README.md",
  "node_modules/", "node_modules/left-pad/", "node_modules/left-pad/index.js", "src/", "src/node_modules/", "src/node_modules/x.js",
  "src/main.c", "src/util.c", "src/xtra.c", "src/main.o", "src/debug.log", "src/cache/", "src/cache/keep", "cache",
  "build/", "build/out.bin", "build/keep.txt", "a/", "a/b/", "a/b/c/", "a/b/c/z", "a/z", "a/y/", "a/y/z/", "a/y/z/deep",
  "logs/", "logs/2024/", "logs/2024/app.log", "logs/today.log", "dev/", "dev/console", "dev/null", "dev/pts/", "dev/pts/0",
  "file1", "file2", "fileX", "*star", "!bang", "#hash", "sp ace", "tmp/", "tmp/t", "x/", "x/tmp/", "x/tmp/t", "[br]",
];

const PATTERN_LISTS: readonly (readonly string[])[] = [
  [".git", "node_modules", "dev/*"],
  ["node_modules/", "cache/", "*.o", "*.log"],
  ["/build", "!build/keep.txt"],
  ["build/", "!build/keep.txt"],
  ["build/*", "!build/keep.txt"],
  ["*.md", "!README.md"],
  ["docs/*.md", "!docs/README.md"],
  ["**/tmp", "a/**/z"],
  ["logs/**", "!logs/2024/"],
  ["a/**", "!a/z"],
  ["**/c/*", "a/*/z/"],
  ["[abc]*", "[!x]*.c", "file[0-9]", "file?"],
  ["src/[m-u]*.[co]", "dev/[!n]*"],
  ["\\*star", "\\!bang", "\\#hash", "sp\\ ace", "\\[br]"],
  ["*"],
  ["**"],
  ["*/", "!src/"],
  ["src", "!src/main.c"],
  ["/*", "!/src", "/src/*", "!/src/*.c"],
];

let work = "";
beforeAll(async () => {
  work = await makeTempDir("exclude-git");
  const tree = path.join(work, "tree");
  await fs.mkdir(tree);
  for (const entry of TREE) {
    if (entry.endsWith("/")) await fs.mkdir(path.join(tree, entry));
    else await fs.writeFile(path.join(tree, entry), `${entry}\n`);
  }
  // The repository lives beside the tree: the tree holds a .git folder of its own to copy.
  await runOk("git", ["init", "-q", path.join(work, "repo")]);
});
afterAll(() => removeTempDir(work));

// The paths git ignores with these .gitignore lines (a path below an ignored folder included).
const gitIgnored = async (patterns: readonly string[]): Promise<ReadonlySet<string>> => {
  const tree = path.join(work, "tree");
  await fs.writeFile(path.join(tree, ".gitignore"), `${patterns.join("\n")}\n`);
  const paths = TREE.map((p) => p.replace(/\/$/, ""));
  await fs.writeFile(path.join(work, "paths"), `${paths.join("\n")}\n`);
  const env = { ...process.env, GIT_DIR: path.join(work, "repo", ".git"), GIT_WORK_TREE: tree };
  const result = await runOk("sh", ["-c", `cd "$1" && git check-ignore --no-index -v -n --stdin < "$2"`, "sh", tree, path.join(work, "paths")], { env });
  const ignored = new Set<string>();
  for (const line of result.stdout.split("\n").filter((l) => l !== "")) {
    const [source, file] = line.split("\t");
    const pattern = (source ?? "").split(":").slice(2).join(":");
    if (pattern !== "" && !pattern.startsWith("!")) ignored.add(file ?? "");
  }
  return ignored;
};

// The paths the build leaves out of a layer copying the tree with these patterns.
const buildLeftOut = async (patterns: readonly string[]): Promise<ReadonlySet<string>> => {
  const program = programOf({ name: "x", layers: [{ name: "l", files: [{ source: "tree", destination: "/t", exclude: patterns }] }] });
  const tree = await assembleTree(assembleStep(program, "l"), work)();
  if (E.isLeft(tree)) throw new Error(JSON.stringify(tree.left));
  const kept = new Set([...tree.right.keys()].map(displayKey).filter((k) => k.startsWith("t/")).map((k) => k.slice(2)));
  return new Set(TREE.map((p) => p.replace(/\/$/, "")).filter((p) => !kept.has(p) && p !== ".gitignore"));
};

describe.runIf(requireTools("git"))("exclude patterns, against git check-ignore", () => {
  test("a name with no slash matches at any depth; a folder goes with what it holds; dev/* keeps dev", async () => {
    expect([...(await buildLeftOut([".git", "node_modules", "dev/*"]))].sort()).toEqual([
      ".git", ".git/HEAD", "dev/console", "dev/null", "dev/pts", "dev/pts/0",
      "node_modules", "node_modules/left-pad", "node_modules/left-pad/index.js", "src/node_modules", "src/node_modules/x.js",
    ]);
  });

  for (const patterns of PATTERN_LISTS)
    test(`${JSON.stringify(patterns)} leaves out what git ignores`, async () => {
      const ignored = await gitIgnored(patterns);
      expect(ignored.size).toBeGreaterThan(0);
      expect([...(await buildLeftOut(patterns))].sort()).toEqual([...ignored].sort());
    });
});
