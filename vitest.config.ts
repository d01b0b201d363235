import { defineConfig } from "vitest/config";

// One root config runs every package's tests, on source, without a build step.
export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: "forks",
    setupFiles: ["./vitest.setup.ts"],
  },
});
