import { readdirSync, readFileSync, existsSync } from "node:fs";
import * as path from "node:path";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import type { Program } from "@ocistage/program";
import type { EvidenceRecord } from "../src/index.ts";
import { decodeEvidenceRecord, docsPage } from "../src/index.ts";
import { exampleProgram, inlineProgram, repoRoot, twoLayerProgram } from "./programs.ts";
import { expectFixture } from "./snapshot.ts";

// The seed's sections, in the seed's order.
const HEADINGS = [
  "# ",
  "## Image fields",
  "## Source files",
  "## Program walkthrough",
  "## One build, many views",
  "### Validation",
  "### Dependency Graph",
  "### Dry Run - Builder",
  "### Dry Run - Runtime",
  "### Plan View",
  "### Plan Shell Excerpt",
  "### Runtime Services",
  "### Descriptors",
  "### Builder Self-Documentation",
  "### Materialized Outputs",
  "### Materialization",
  "### Substrates",
  "## Evidence",
];

// Heading lines outside fenced code blocks.
const headings = (page: string): readonly string[] => {
  let fenced = false;
  return page.split("\n").filter((line) => {
    if (/^```/.test(line)) fenced = !fenced;
    return !fenced && /^#{1,3} /.test(line);
  });
};

const sectionOf = (page: string, heading: string): string => {
  const start = page.indexOf(`\n${heading}\n`);
  const rest = page.slice(start + heading.length + 2);
  const next = rest.search(/\n#{1,3} /);
  return next < 0 ? rest : rest.slice(0, next);
};

const recordedEvidence = (example: string): EvidenceRecord | undefined => {
  const file = path.join(repoRoot, "examples", example, "evidence.json");
  if (!existsSync(file)) return undefined;
  const decoded = decodeEvidenceRecord(JSON.parse(readFileSync(file, "utf8")));
  if (E.isLeft(decoded)) throw new Error(decoded.left.join("\n"));
  return decoded.right;
};

describe("the docs page", () => {
  it("has every view, under the seed's headings, in the seed's order", async () => {
    const found = headings(docsPage(await exampleProgram("busybox-shell")));
    expect(found.map((h) => (h.startsWith("# ") ? "# " : h))).toEqual(HEADINGS);
    expect(found[0]).toBe("# busybox-shell");
  });

  it("shows the spec's own text and names the files its layers copy", async () => {
    const page = docsPage(await exampleProgram("busybox-shell"));
    const sources = sectionOf(page, "## Source files");
    expect(sources).toContain("The spec, `image.ts`:");
    expect(sources).toContain('  name: "busybox-shell",');
    expect(sources).toContain("- `/bin/busybox` (layer busybox)");
  });

  it("walks through every step with its description, in order", () => {
    const walkthrough = sectionOf(docsPage(twoLayerProgram), "## Program walkthrough").trim().split("\n");
    expect(walkthrough).toHaveLength(twoLayerProgram.steps.length);
    expect(walkthrough[0]).toBe(`1. write-oci-layout: ${twoLayerProgram.steps[0]?.description}`);
  });

  it("draws the dependency graph as a mermaid block beside the node and edge lines", () => {
    const graph = sectionOf(docsPage(twoLayerProgram), "### Dependency Graph");
    expect(graph).toContain("```mermaid\nflowchart LR\n");
    expect(graph).toContain("- node tool:sh (tool) package dash");
    expect(graph).toContain("- edge operation:tar-layer-app -> operation:write-config (needs)");
  });

  it("says `not yet run` for each smoke test when there is no evidence", () => {
    expect(sectionOf(docsPage(twoLayerProgram), "## Evidence").trim()).toBe(
      '- prints-version: not yet run (`["--version"]` expects exit 0 and output `"web-app 1.2.0\\n"`)',
    );
  });

  it("renders recorded evidence, passed or failed, with the runtime and what was printed", () => {
    const record: EvidenceRecord = [{ test: "prints-version", passed: false, output: "web-app 1.1.9\n", runtime: "podman 4.3.1 with runc 1.1.5", exitCode: 0 }];
    expect(sectionOf(docsPage(twoLayerProgram, record), "## Evidence").trim()).toBe(
      '- prints-version: FAILED on podman 4.3.1 with runc 1.1.5 (`["--version"]` expects exit 0 and output `"web-app 1.2.0\\n"`; printed `"web-app 1.1.9\\n"`, exit 0)',
    );
  });

  it("says what the substrates can do, and why the Dockerfile one cannot", () => {
    expect(sectionOf(docsPage(twoLayerProgram), "### Substrates").trim()).toBe("- dockerfile: supported\n- shell: supported");
    const annotated = inlineProgram({ name: "annotated", layers: [{ name: "a", files: [{ content: "x", destination: "/x" }] }], annotations: { "org.example.note": "hi" } });
    expect(sectionOf(docsPage(annotated), "### Substrates")).toMatch(/^- dockerfile: unsupported \(annotations: expected none, found "org\.example\.note": .+\)$/m);
  });

  it("explains instead of planning when the program has a cycle", () => {
    const cyclic: Program = { ...twoLayerProgram, steps: twoLayerProgram.steps.map((s) => (s.name === "write-config" ? { ...s, needs: [...s.needs, "archive-layout"] } : s)) };
    const page = docsPage(cyclic);
    expect(sectionOf(page, "### Validation")).toContain("- steps.write-config.needs: cycle write-config -> archive-layout -> clean-scratch");
    expect(sectionOf(page, "### Plan View")).toContain("- no execution order: the program fails validation");
  });

  it("is deterministic and holds no machine paths", async () => {
    const program = await exampleProgram("busybox-shell");
    expect(docsPage(program)).toBe(docsPage(structuredClone(program)));
    expect(docsPage(program)).not.toContain(repoRoot);
    expect(docsPage(program)).not.toMatch(/\d{4}-\d{2}-\d{2}T(?!00:00:00Z)/);
  });

  it("matches its fixtures for both examples", async () => {
    expectFixture("busybox-shell.docs.md", docsPage(await exampleProgram("busybox-shell"), recordedEvidence("busybox-shell")));
    expectFixture("web-app.docs.md", docsPage(twoLayerProgram));
  });
});

describe("the committed example pages (docs/examples/<name>.md)", () => {
  const examples = readdirSync(path.join(repoRoot, "examples"), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);

  it("exist for every example", () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples)("%s is up to date (regenerate with `node scripts/generate-docs.mjs`)", async (example) => {
    const file = path.join(repoRoot, "docs", "examples", `${example}.md`);
    expect(existsSync(file), `${file} is missing`).toBe(true);
    expect(readFileSync(file, "utf8"), `docs/examples/${example}.md is stale: run node scripts/generate-docs.mjs`).toBe(
      docsPage(await exampleProgram(example), recordedEvidence(example)),
    );
  });
});
