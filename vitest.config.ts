import { availableParallelism } from "node:os";
import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // the browser tests need Chromium: `npm run test:browser` (vitest.browser.config.ts)
    exclude: [...configDefaults.exclude, "test/browser/**"],
    // child processes, so stack depth matches the real CLI (worker threads have other limits)
    pool: "forks",
    // one test file per core: vitest's default leaves one core to itself, which on a 2-core
    // machine runs the files one at a time, though the main process mostly waits
    maxWorkers: availableParallelism(),
    // The default tier runs the test files of a worker in one module graph (half the wall time:
    // most of it was loading the same modules again for each file); the full tier, which CI
    // runs, keeps each file isolated, so a test that passes only thanks to another file's state
    // still fails there.
    isolate: process.env.CNNCALC_TEST_TIER === "full",
    testTimeout: 60_000,
  },
});
