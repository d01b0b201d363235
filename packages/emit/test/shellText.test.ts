import fc from "fast-check";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "@ocistage/oci";
import type { Json } from "@ocistage/oci";
import { digestSlot, jsonTemplate, printfTemplate, sizeSlot } from "../src/shell/jsonTemplate.ts";
import { writeContentCommands } from "../src/shell/writeContent.ts";
import { HOSTILE_CONTENTS } from "./fixtures/shell/hostileTree.ts";
import { makeTempDir } from "./fixtures/shell/programs.ts";
import { requireTools } from "./fixtures/shell/requireTools.ts";
import { runProcess } from "./fixtures/shell/runProcess.ts";

const HEX = "ab".repeat(32);
const SIZE = 12345;

// Text as fast-check makes it, with the characters shells and here-documents stumble on.
const text = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.array(fc.constantFrom("'", '"', "$", "`", "\\", "\n", "\r", "\t", "\u0000", "OCISTAGE_EOF", "OCISTAGE_SLOT_0#", "%s", "-n", " ", "ü", "\ud800", "a")).map((parts) => parts.join("")),
);

// JSON values canonicalJson takes: numbers are safe integers.
const { json } = fc.letrec<{ json: Json }>((tie) => ({
  json: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    text,
    fc.array(tie("json"), { maxLength: 4 }),
    fc.dictionary(text, tie("json"), { maxKeys: 4 }),
  ),
}));

const run = async (script: string): Promise<void> => {
  const result = await runProcess("dash", ["-c", script]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
};

describe.runIf(requireTools("dash"))("text the script writes", () => {
  let work = "";
  beforeAll(async () => {
    work = await makeTempDir("shell-text");
  });
  afterAll(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  it("inline content comes out byte for byte: here-documents, printf, NUL bytes, no trailing newline", async () => {
    const contents = [...HOSTILE_CONTENTS, ...fc.sample(text, { numRuns: 150, seed: 42 })];
    const helpers = `set -eu\nroot=${work}\nwrite_file() { cat > "$1"; }\nwrite_text() { printf '%s' "$2" > "$1"; }`;
    await run([helpers, ...contents.map((c, i) => writeContentCommands(`content-${i}`, c))].join("\n"));
    for (const [i, c] of contents.entries()) expect(await fs.readFile(path.join(work, `content-${i}`)), JSON.stringify(c)).toEqual(Buffer.from(c, "utf8"));
  });

  it("a JSON template is canonicalJson of the document with the run-time digest and size put in", async () => {
    const documents = fc.sample(json, { numRuns: 120, seed: 7 }).map((value, i): Json => ({ value, [`key ${i}`]: i }));
    const withSlots = (doc: Json) => (slot: Parameters<Parameters<typeof jsonTemplate>[0]>[0]): Json => ({
      ...(doc as Record<string, Json>),
      digest: slot(digestSlot("hex")),
      size: slot(sizeSlot("size")),
    });
    const lines = [`set -eu`, `hex=${HEX} size=${SIZE}`, ...documents.map((doc, i) => printfTemplate(jsonTemplate(withSlots(doc)), `${work}/doc-${i}.json`))];
    await run(lines.join("\n"));
    for (const [i, doc] of documents.entries()) {
      const expected = canonicalJson({ ...(doc as Record<string, Json>), digest: `sha256:${HEX}`, size: SIZE });
      expect(await fs.readFile(path.join(work, `doc-${i}.json`))).toEqual(Buffer.from(expected, "utf8"));
    }
  });

  it("a placeholder the document itself contains does not confuse the template", () => {
    const parts = jsonTemplate((slot) => ({ text: "OCISTAGE_SLOT_0# OCISTAGE_SLOT_", digest: slot(digestSlot("hex")) }));
    expect(parts).toEqual([
      { _tag: "Text", text: '{"digest":"sha256:' },
      { _tag: "Variable", name: "hex" },
      { _tag: "Text", text: '","text":"OCISTAGE_SLOT_0# OCISTAGE_SLOT_"}' },
    ]);
  });
});
