import { describe, expect, it } from "vitest";
import type { Program } from "@ocistage/program";
import { emitShell } from "../src/index.ts";
import { hostileSpec } from "./fixtures/shell/hostileTree.ts";
import { faithfulSpec } from "./fixtures/shell/faithfulSpec.ts";
import { ownersSpec } from "./fixtures/shell/ownersSpec.ts";
import { BUSYBOX_EXAMPLE, programOfFile, programOfValue } from "./fixtures/shell/programs.ts";
import { requireTools } from "./fixtures/shell/requireTools.ts";
import { runProcess } from "./fixtures/shell/runProcess.ts";

const PROGRAMS: readonly (readonly [string, () => Promise<Program>])[] = [
  ["examples/busybox-shell", async () => (await programOfFile(BUSYBOX_EXAMPLE)).program],
  ["the hostile names and modes", async () => programOfValue(hostileSpec("/src/it's $x `y` \\z", true), 1700000000)],
  ["layers with owners of their own", async () => programOfValue(ownersSpec())],
  ["copies that keep modes and owners and exclude paths", async () => programOfValue(faithfulSpec(true))],
  ["a layer with nothing in it", async () => programOfValue({ name: "empty", layers: [{ name: "empty", files: [] }] })],
];

describe.runIf(requireTools("shellcheck"))("shellcheck -s sh on the emitted scripts", () => {
  for (const [name, load] of PROGRAMS)
    it(`finds nothing in the script for ${name}`, async () => {
      const result = await runProcess("shellcheck", ["-s", "sh", "-"], process.env, emitShell(await load()));
      expect(result.stdout + result.stderr).toBe("");
      expect(result.code).toBe(0);
    });
});
