import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // child processes, so stack depth matches the real CLI (worker threads have other limits)
    pool: "forks",
    testTimeout: 60_000,
  },
});
