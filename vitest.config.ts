import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // child processes, so stack depth matches the real CLI (worker threads have other limits)
    pool: "forks",
    // one test file per core: vitest's default leaves one core to itself, which on a 2-core
    // machine runs the files one at a time, though the main process mostly waits
    maxWorkers: availableParallelism(),
    testTimeout: 60_000,
  },
});
