// The views of a program with compressed layers: the plan's summary and the docs' image fields
// say how each compressed layer is stored, the dry run lists the compressor among the tar step's
// tools, and the graph has it as a tool; an uncompressed layer reads as it always did.
import { describe, expect, test } from "vitest";
import { docsPage, dryRunText, graphText, plan } from "../src/index.ts";
import * as E from "fp-ts/lib/Either.js";
import { inlineProgram } from "./programs.ts";

const program = inlineProgram({
  name: "packed",
  compression: "gzip",
  layers: [
    { name: "base", files: [{ content: "x\n", destination: "/x" }] },
    { name: "raw", compression: "none", files: [{ content: "y\n", destination: "/y" }] },
  ],
});

describe("a program with compressed layers", () => {
  test("plan: the tar step's summary says how a compressed layer is stored", () => {
    const planned = plan(program);
    if (E.isLeft(planned)) throw new Error("no plan");
    const summaries = planned.right.steps.filter((s) => s.name.startsWith("tar-layer")).map((s) => s.summary);
    expect(summaries).toEqual(["tar layer base into a blob (mtime 0, gzip level 6, in independent 1 MiB blocks)", "tar layer raw into a blob (mtime 0)"]);
  });

  test("docs: the image's layers say which is gzip, and the walkthrough the tar step's words", () => {
    const page = docsPage(program);
    expect(page).toContain("- layers: `base` (1 entry, gzip), `raw` (1 entry)");
    expect(page).toContain("compress it (gzip level 6, in independent 1 MiB blocks)");
  });

  test("dry run and graph: gzip is a tool of the compressed layer's tar step only", () => {
    expect(dryRunText(program)).toContain("run tar-layer-base with sh, tar, coreutils, gzip");
    expect(dryRunText(program)).toContain("run tar-layer-raw with sh, tar, coreutils\n");
    expect(graphText(program)).toMatch(/gzip/);
  });
});
