import { defineConfig } from "vitest/config";

// `npm run test:browser`: the playground page in Debian's Chromium (test/browser). Not part of
// `npm test`, which must not need a browser; CI (.ci/run) installs Chromium and runs both.
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    pool: "forks",
    // one browser at a time: the speed test measures, and the machine has two cores
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
