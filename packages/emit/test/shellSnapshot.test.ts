import { promises as fs } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { emitShell } from "../src/index.ts";
import { BUSYBOX_EXAMPLE, programOfFile } from "./fixtures/shell/programs.ts";

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures/shell/busybox-shell.sh");

// Reviewers read changes to the emitted script here. UPDATE_SNAPSHOTS=1 rewrites the file.
describe("the emitted script for examples/busybox-shell", () => {
  it("is the reviewed text in test/fixtures/shell/busybox-shell.sh", async () => {
    const script = emitShell((await programOfFile(BUSYBOX_EXAMPLE)).program);
    if (process.env["UPDATE_SNAPSHOTS"] === "1") await fs.writeFile(FIXTURE, script, { mode: 0o755 });
    const reviewed = await fs.readFile(FIXTURE, "utf8").catch(() => {
      throw new Error(`${FIXTURE} is missing: write it with UPDATE_SNAPSHOTS=1 npx vitest run packages/emit, then review it`);
    });
    expect(script).toBe(reviewed);
  });
});
