import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // the machines have 2 cores; property tests are CPU-bound
    pool: "threads",
    testTimeout: 60_000,
  },
});
