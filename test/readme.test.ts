import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COLUMNS } from "../src/format/columns.js";
import { run } from "./helpers/io.js";

// Every output shown in the README comes from a marked command:
//   <!-- output: examples/dqn.json --json -->
//   ```text
//   $ cnncalc examples/dqn.json --json
//   ...
//   ```
// This test reruns each one and compares; UPDATE_README=1 rewrites the blocks from real runs.
const README = new URL("../README.md", import.meta.url);
const BLOCK = /<!-- output: (.+?) -->\n```(\w*)\n([\s\S]*?)```/g;

/** Splits a marked command into arguments, with `< file` as standard input. */
function parseCommand(command: string): { args: string[]; stdin?: string } {
  const [argPart, stdinFile] = command.split(" < ");
  const args = (argPart ?? "").match(/"[^"]*"|\S+/g)?.map((a) => a.replace(/^"|"$/g, "")) ?? [];
  return stdinFile === undefined
    ? { args }
    : { args, stdin: readFileSync(stdinFile.trim(), "utf8") };
}

async function render(command: string): Promise<string> {
  const { args, stdin } = parseCommand(command);
  const r = await run(args, stdin === undefined ? {} : { "-": stdin });
  const shown = command.includes(" < ") ? `cnncalc ${command}` : `cnncalc ${command}`;
  return `$ ${shown}\n${r.stdout}${r.stderr}${r.code === 0 ? "" : `[exit ${r.code}]\n`}`;
}

describe("README", () => {
  const text = readFileSync(README, "utf8");
  const blocks = [...text.matchAll(BLOCK)];

  it("shows outputs", () => {
    expect(blocks.length).toBeGreaterThan(3);
  });

  it("shows the output the current code prints for every marked command", async () => {
    let updated = text;
    for (const m of blocks) {
      const [whole, command, lang, body] = m as unknown as [string, string, string, string];
      const actual = await render(command);
      if (process.env.UPDATE_README === "1") {
        updated = updated.replace(
          whole,
          `<!-- output: ${command} -->\n\`\`\`${lang}\n${actual}\`\`\``,
        );
      } else {
        expect(
          body,
          `README block for: cnncalc ${command} (run UPDATE_README=1 npx vitest run test/readme.test.ts)`,
        ).toBe(actual);
      }
    }
    if (process.env.UPDATE_README === "1") writeFileSync(README, updated);
  });

  it("lists the columns exactly as the column table defines them", () => {
    const rows = Object.entries(COLUMNS).map(
      ([name, c]) => `| \`${name}\` | ${c.title} | ${c.about} |`,
    );
    const table = ["| name | title | meaning |", "| --- | --- | --- |", ...rows].join("\n");
    const marked = /<!-- columns-table -->\n[\s\S]*?<!-- \/columns-table -->/;
    const expected = `<!-- columns-table -->\n${table}\n<!-- /columns-table -->`;
    if (process.env.UPDATE_README === "1") {
      writeFileSync(README, readFileSync(README, "utf8").replace(marked, expected));
      return;
    }
    // compare cell by cell, so a Markdown formatter's column padding does not matter
    const squash = (t: string) =>
      t.replace(/ +\|/g, " |").replace(/\| +/g, "| ").replace(/-{3,}/g, "---");
    expect(squash(text.match(marked)?.[0] ?? "")).toBe(squash(expected));
  });
});
