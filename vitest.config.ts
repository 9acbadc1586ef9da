import { defineConfig } from "vitest/config";

// Two projects: fast unit tests (Node, real temp directories) and end-to-end
// tests that drive Debian's Chromium against the built app behind `tagwerk serve`.
export default defineConfig({
  test: {
    reporters: ["default", "./test/support/summary-reporter.ts"],
    projects: [
      {
        test: {
          name: "unit",
          include: [
            "test/shared/**/*.test.ts",
            "test/electron/**/*.test.ts",
            "test/renderer/**/*.test.ts",
            "test/build/**/*.test.ts",
            "test/*.test.ts",
          ],
          environment: "node",
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
