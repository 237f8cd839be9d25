/*
 * docs/library.md's example, run for real: the TypeScript block after the `example` marker is
 * written to a temporary module (importing src/index.ts in place of "cnncalc") and imported with
 * console.log captured; what it prints must be the text block after it. UPDATE_README=1 rewrites
 * that block from the run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it, vi } from "vitest";

const DOC = new URL("../docs/library.md", import.meta.url);
const INDEX = fileURLToPath(new URL("../src/index.ts", import.meta.url));
const EXAMPLE =
  /(<!-- example: [^\n]* -->\n```ts\n)([\s\S]*?)```\n\nIt prints:\n\n```text\n([\s\S]*?)```/;
const UPDATE = process.env.UPDATE_README === "1";

describe("docs/library.md", () => {
  it("shows what its example prints", async () => {
    const doc = readFileSync(DOC, "utf8");
    const m = doc.match(EXAMPLE);
    expect(m, "an example block followed by 'It prints:' and its output").not.toBeNull();
    const [whole, head, code, shown] = m as unknown as [string, string, string, string];
    expect(code).toContain('from "cnncalc"');
    const dir = mkdtempSync(join(tmpdir(), "cnncalc-library-"));
    const module = join(dir, "example.ts");
    writeFileSync(module, code.replace('from "cnncalc"', `from ${JSON.stringify(INDEX)}`));
    const printed: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      printed.push(`${args.map(String).join(" ")}\n`);
    });
    try {
      await import(pathToFileURL(module).href);
    } finally {
      log.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
    const actual = printed.join("");
    expect(actual.length).toBeGreaterThan(0);
    if (UPDATE) {
      const block = `${head}${code}\`\`\`\n\nIt prints:\n\n\`\`\`text\n${actual}\`\`\``;
      writeFileSync(DOC, doc.replace(whole, block));
    } else {
      expect(shown, "UPDATE_README=1 refreshes it").toBe(actual);
    }
  });
});
