import { describe, expect, it } from "vitest";
import { cell, fence, inlineCode } from "../src/markdown.ts";

describe("Markdown helpers", () => {
  it("fence a text with more backticks than it holds", () => {
    expect(fence("sh", "echo hi")).toBe("```sh\necho hi\n```");
    expect(fence("md", "````\nx\n````")).toBe("`````md\n````\nx\n````\n`````");
  });

  it("put text with backticks in a longer inline code span", () => {
    expect(inlineCode("a")).toBe("`a`");
    expect(inlineCode("a`b")).toBe("``a`b``");
    expect(inlineCode("`a")).toBe("`` `a ``");
  });

  it("keep a table cell on one line with its pipes escaped", () => {
    expect(cell("a | b\nc")).toBe("a \\| b c");
  });
});
