import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { run } from "../helpers/io.js";

// Golden outputs: run with UPDATE_GOLDEN=1 to rewrite them after an intended change, then review
// the diff. Without the flag a missing or different file fails.
const UPDATE = process.env.UPDATE_GOLDEN === "1";

function golden(name: string, actual: string): void {
  const url = new URL(`../golden/${name}`, import.meta.url);
  if (UPDATE) writeFileSync(url, actual);
  expect(
    existsSync(url),
    `missing golden file test/golden/${name} (run with UPDATE_GOLDEN=1)`,
  ).toBe(true);
  expect(actual).toBe(readFileSync(url, "utf8"));
}

describe("golden outputs", () => {
  const cases: [string, string[]][] = [
    ["dqn.table.txt", ["examples/dqn.json"]],
    ["dqn.json.txt", ["examples/dqn.json", "--json"]],
    ["dqn.all.txt", ["examples/dqn.json", "--all"]],
  ];
  it.each(cases)("%s", async (name, args) => {
    const r = await run(args);
    expect(r.code).toBe(0);
    golden(name, r.stdout);
  });
});
