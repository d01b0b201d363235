import { describe, expect, it } from "vitest";
import { pathWord, shellQuote, singleQuote } from "../src/shell/shellQuote.ts";
import { HOSTILE_CONTENTS, HOSTILE_NAMES } from "./fixtures/shell/hostileTree.ts";
import { requireTools } from "./fixtures/shell/requireTools.ts";
import { runProcess } from "./fixtures/shell/runProcess.ts";

const WORDS: readonly string[] = [...HOSTILE_NAMES, ...HOSTILE_CONTENTS.filter((c) => !c.includes("\u0000")), "'", "''", "$", "`", "\\", "~user", "a=b", "-", "!bang", "#hash", "*", "busybox"];

// Text as it comes back through UTF-8 (a lone surrogate becomes U+FFFD, as in the script file).
const utf8 = (text: string): string => Buffer.from(text, "utf8").toString("utf8");

// What `sh -c` prints for the words, one per line after `printf '%s\n'`, as the bytes it wrote.
const printed = async (shell: string, words: readonly string[]): Promise<string> => {
  const result = await runProcess(shell, ["-c", `printf '%s\\n' ${words.join(" ")}`]);
  expect(result.stderr).toBe("");
  return result.stdout;
};

describe("shell words", () => {
  it("stay bare only when nothing in them means anything to sh", () => {
    expect(shellQuote("busybox")).toBe("busybox");
    expect(shellQuote("/bin/busybox")).toBe("/bin/busybox");
    expect(shellQuote("-x")).toBe("'-x'");
    expect(shellQuote("~root")).toBe("'~root'");
    expect(shellQuote("a b")).toBe("'a b'");
    expect(shellQuote("")).toBe("''");
    expect(singleQuote("it's $x")).toBe(`'it'\\''s '\\$'x'`);
  });

  it("keep readable paths in one double-quoted word and quote the others apart", () => {
    expect(pathWord("root", "bin/sh")).toBe(`"$root/bin/sh"`);
    expect(pathWord("root", "")).toBe(`"$root"`);
    expect(pathWord("root", "it's")).toBe(`"$root"/'it'\\''s'`);
  });

  for (const shell of ["dash", "bash"])
    it.runIf(requireTools(shell))(`are read back by ${shell} as exactly the text they quote`, async () => {
      expect(await printed(shell, WORDS.map(shellQuote))).toBe(utf8(WORDS.map((w) => `${w}\n`).join("")));
      const paths = WORDS.map((w) => `${w}/x`);
      const viaVariable = await runProcess(shell, ["-c", `root=R; printf '%s\\n' ${paths.map((p) => pathWord("root", p)).join(" ")}`]);
      expect(viaVariable.stdout).toBe(utf8(paths.map((p) => `R/${p}\n`).join("")));
    });
});
