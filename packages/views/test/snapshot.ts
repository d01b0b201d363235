import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

export const fixturesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");

// Compare a rendering with its fixture file; with UPDATE_SNAPSHOTS=1, write the fixture instead
// (then review the diff like code).
export const expectFixture = (name: string, actual: string): void => {
  const file = path.join(fixturesDir, name);
  if (process.env["UPDATE_SNAPSHOTS"] === "1") {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`fixture ${name} does not exist yet: run UPDATE_SNAPSHOTS=1 npx vitest run packages/views, then review it`);
  expect(actual, `${name} differs from its fixture (UPDATE_SNAPSHOTS=1 rewrites it)`).toBe(readFileSync(file, "utf8"));
};
