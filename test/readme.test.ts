import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COLUMNS } from "../src/format/columns.js";
import { run } from "./helpers/io.js";

// Every output shown in the README and in docs/ comes from a marked command, shown once:
//   <!-- output: examples/dqn.json --json -->
//   ```text
//   $ cnncalc examples/dqn.json --json
//   ...
//   ```
// This test reruns each one and compares; UPDATE_README=1 rewrites the blocks from real runs.
// A command may end in `< FILE` (standard input) and/or `| head -N` (the first N lines).
const BLOCK = /<!-- output: (.+?) -->\n```(\w*)\n([\s\S]*?)```/g;
const UPDATE = process.env.UPDATE_README === "1";
const DOCS = [
  new URL("../README.md", import.meta.url),
  ...readdirSync(new URL("../docs/", import.meta.url))
    .filter((f) => f.endsWith(".md"))
    .map((f) => new URL(`../docs/${f}`, import.meta.url)),
];

/** Splits a marked command into arguments, standard input and a line limit. */
function parseCommand(command: string): { args: string[]; stdin?: string; head?: number } {
  const [main = "", pipe] = command.split(" | head -");
  const [argPart = "", stdinFile] = main.split(" < ");
  const args = argPart.match(/"[^"]*"|\S+/g)?.map((a) => a.replace(/^"|"$/g, "")) ?? [];
  return {
    args,
    ...(stdinFile === undefined ? {} : { stdin: readFileSync(stdinFile.trim(), "utf8") }),
    ...(pipe === undefined ? {} : { head: Number(pipe) }),
  };
}

async function render(command: string): Promise<string> {
  const { args, stdin, head } = parseCommand(command);
  const r = await run(args, stdin === undefined ? {} : { "-": stdin });
  let out = `${r.stdout}${r.stderr}`;
  if (head !== undefined)
    return `$ cnncalc ${command}\n${out.split("\n").slice(0, head).join("\n")}\n`;
  out += r.code === 0 ? "" : `[exit ${r.code}]\n`;
  return `$ cnncalc ${command}\n${out}`;
}

describe.each(DOCS.map((u) => [u.pathname.replace(/.*\/(?=docs\/|README)/, ""), u] as const))(
  "%s",
  (_name, url) => {
    const text = readFileSync(url, "utf8");
    const blocks = [...text.matchAll(BLOCK)];

    it("shows the output the current code prints for every marked command", async () => {
      let updated = text;
      for (const m of blocks) {
        const [whole, command, lang, body] = m as unknown as [string, string, string, string];
        const actual = await render(command);
        if (UPDATE) {
          updated = updated.replace(
            whole,
            `<!-- output: ${command} -->\n\`\`\`${lang}\n${actual}\`\`\``,
          );
        } else {
          expect(body, `block for: cnncalc ${command} (UPDATE_README=1 refreshes it)`).toBe(actual);
        }
      }
      if (UPDATE && updated !== text) writeFileSync(url, updated);
    });
  },
);

describe("README", () => {
  const url = DOCS[0] as URL;

  it("shows outputs and stays short (details live in docs/)", () => {
    const text = readFileSync(url, "utf8");
    expect([...text.matchAll(BLOCK)].length).toBeGreaterThan(0);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(15_000);
  });
});

describe("README and docs/", () => {
  it("show each marked command once", () => {
    const seen = new Map<string, string>();
    const repeated: string[] = [];
    for (const url of DOCS) {
      const name = url.pathname.replace(/.*\/(?=docs\/|README)/, "");
      for (const m of readFileSync(url, "utf8").matchAll(BLOCK)) {
        const command = m[1] as string;
        const first = seen.get(command);
        if (first === undefined) seen.set(command, name);
        else repeated.push(`cnncalc ${command}: in ${first} and ${name}`);
      }
    }
    expect(repeated).toEqual([]);
  });
});

describe("docs/columns.md", () => {
  const url = new URL("../docs/columns.md", import.meta.url);

  it("lists the columns exactly as the column table defines them", () => {
    const rows = Object.entries(COLUMNS).map(
      ([name, c]) => `| \`${name}\` | ${c.title} | ${c.about} |`,
    );
    const table = ["| name | title | meaning |", "| --- | --- | --- |", ...rows].join("\n");
    const marked = /<!-- columns-table -->\n[\s\S]*?<!-- \/columns-table -->/;
    const expected = `<!-- columns-table -->\n${table}\n<!-- /columns-table -->`;
    const text = readFileSync(url, "utf8");
    if (UPDATE) {
      writeFileSync(url, text.replace(marked, expected));
      return;
    }
    // compare cell by cell, so a Markdown formatter's column padding does not matter
    const squash = (t: string) =>
      t.replace(/ +\|/g, " |").replace(/\| +/g, "| ").replace(/-{3,}/g, "---");
    expect(squash(text.match(marked)?.[0] ?? "")).toBe(squash(expected));
  });
});

describe("docs/performance.md", () => {
  it("shows the summary of the committed benchmark run", () => {
    const page = readFileSync(new URL("../docs/performance.md", import.meta.url), "utf8");
    const results = readFileSync(new URL("../bench/results.md", import.meta.url), "utf8");
    const shown = page.match(/<!-- bench-summary -->\n([\s\S]*?)\n<!-- \/bench-summary -->/)?.[1];
    const summary = results.match(/## Summary\n\n(\| Measure[\s\S]*?)\n\n/)?.[1];
    expect(summary).toBeDefined();
    expect(shown).toBe(summary);
  });
});
