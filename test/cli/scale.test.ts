/*
 * Scale: deep nests and long chains through the whole CLI path (parse JSON, analyse, render),
 * and the algorithmic shape of the work, counted (not timed): four times the layers must cost
 * about four times the operations.
 */
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/core/analyze.js";
import type { LayerSpec, NetworkSpec } from "../../src/core/types.js";
import { DEFAULT_COLUMNS } from "../../src/format/columns.js";
import { analysisJson } from "../../src/format/json.js";
import { jsonText } from "../../src/format/jsonText.js";
import { PLAIN } from "../../src/format/style.js";
import { renderTable } from "../../src/format/table.js";
import { parseJsonSpec } from "../../src/parse/spec.js";
import { runCli } from "../fuzz/harness.js";

const CONV = '{"type":"conv","filters":8,"kernel":3,"padding":1}';

/** A nest of `levels` residual blocks, each a conv then the next block (built as text). */
function residualNest(levels: number): string {
  const open = `{"type":"residual","body":[${CONV},`;
  const innermost = `{"type":"residual","body":[${CONV}]}`;
  return `{"input":[16,16,8],"layers":[${open.repeat(levels - 1)}${innermost}${"]}".repeat(levels - 1)}]}`;
}

/** A chain of `n` layers: conv and activation in turn. */
function chain(n: number): string {
  const layers = Array.from({ length: n }, (_, i) =>
    i % 2 === 0 ? CONV : '{"type":"activation","function":"relu"}',
  );
  return `{"input":[16,16,8],"layers":[${layers.join(",")}]}`;
}

// each conv: 8 filters × (3·3·8 + 1) = 584 parameters; 16·16·8 = 2,048 neurons of 73 weights
const CONV_PARAMS = 584n;
const CONV_CONNECTIONS = 2048n * 73n;

/** Characters of JSON output spent on layer paths. */
function pathChars(json: string): number {
  let n = 0;
  for (const m of json.matchAll(/"path": ?"([^"]*)"/g)) n += (m[1] as string).length;
  return n;
}

describe("a 2,000-level nest of residual blocks", () => {
  const text = residualNest(2000);

  it("goes through parse, analysis and JSON output without a stack overflow", async () => {
    const r = await runCli(["nest.json", "--json"], { "nest.json": text });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.totals.parameters).toBe(Number(2000n * CONV_PARAMS));
    expect(out.totals.connections).toBe(Number(2000n * CONV_CONNECTIONS));
    // the innermost conv, 2,000 levels down
    let block = out.layers[0];
    for (let level = 1; level < 2000; level++) block = block.layers[1];
    expect(block.layers[0]).toMatchObject({ name: "conv2000", parameters: 584 });
    // indentation is capped, so the text grows linearly with the nest, apart from the paths
    // themselves (`layers[0].body[1].body[1]...`), which grow with the depth they name
    expect(r.stdout.length - pathChars(r.stdout)).toBeLessThan(4000 * 1500);
  });

  it("renders the table (indentation capped, the level shown), CSV and Markdown", async () => {
    const table = await runCli(["nest.json"], { "nest.json": text });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/│\s+\[2000\] conv2000\s+│ conv/);
    expect(table.stdout).toMatch(/│\s+│ Total\s+│.*│\s+1,168,000 │\n└/);
    const widest = Math.max(...table.stdout.split("\n").map((l) => l.length));
    expect(widest).toBeLessThan(200);
    const csv = await runCli(["nest.json", "-f", "csv"], { "nest.json": text });
    expect(csv.code).toBe(0);
    expect(csv.stdout.split("\n")).toHaveLength(2 * 2000 + 3);
    const md = await runCli(["nest.json", "-f", "markdown", "--depth", "3"], { "nest.json": text });
    expect(md.code).toBe(0);
    expect(md.stdout).toContain("| **Total** |");
  });

  it("nests up to the --max-depth limit analyse (no recursion), deeper ones are a clear error", async () => {
    // 4,990 levels are 9,982 JSON levels: under the default limit of 10,000
    const ok = await runCli(["nest.json", "--summary"], { "nest.json": residualNest(4990) });
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    const r = await runCli(["nest.json"], { "nest.json": residualNest(5100) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: the JSON nests deeper than 10000 levels/);
  });
});

describe("long specs", () => {
  it("a repeat whose body has 150,000 layers (no spread of huge arrays into a call)", async () => {
    const body = Array.from({ length: 150_000 }, () => '{"type":"dropout"}').join(",");
    const text = `{"input":[4,4,2],"layers":[{"type":"repeat","times":2,"body":[${body}]}]}`;
    const r = await runCli(["long.json", "--summary"], { "long.json": text });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Output: 4×4×2");
  });
});

/**
 * Runs analysis and every renderer over a spec whose layer objects count each property read:
 * a quadratic step (re-walking a subtree per level, re-validating) shows as super-linear reads.
 */
function countedWork(text: string): { reads: number; chars: number } {
  const { spec } = parseJsonSpec(text);
  let reads = 0;
  const wrap = (list: LayerSpec[]): LayerSpec[] =>
    list.map((layer) => {
      const copy = { ...layer } as Record<string, unknown>;
      for (const key of ["body", "shortcut"]) {
        if (Array.isArray(copy[key])) copy[key] = wrap(copy[key] as LayerSpec[]);
      }
      if (Array.isArray(copy.branches))
        copy.branches = (copy.branches as LayerSpec[][]).map((b) => wrap(b));
      return new Proxy(copy, {
        get(target, key, receiver) {
          reads++;
          return Reflect.get(target, key, receiver);
        },
      }) as unknown as LayerSpec;
    });
  const counted: NetworkSpec = { ...spec, layers: wrap(spec.layers) };
  const a = analyze(counted);
  const json = jsonText(analysisJson(a, { dtype: "float32" }));
  const table = renderTable(a, { columns: DEFAULT_COLUMNS, style: PLAIN, dtype: "float32" });
  return { reads, chars: json.length - pathChars(json) + table.length };
}

describe("algorithmic shape (counted operations, not time)", () => {
  it("a chain: 4× the layers is 4× the work", () => {
    const small = countedWork(chain(1000));
    const big = countedWork(chain(4000));
    expect(big.reads / small.reads).toBeGreaterThan(3.5);
    expect(big.reads / small.reads).toBeLessThan(4.5);
    expect(big.chars / small.chars).toBeLessThan(4.5);
  });

  it("a residual nest: 4× the levels is 4× the work", () => {
    const small = countedWork(residualNest(250));
    const big = countedWork(residualNest(1000));
    expect(big.reads / small.reads).toBeGreaterThan(3.5);
    expect(big.reads / small.reads).toBeLessThan(4.5);
    expect(big.chars / small.chars).toBeLessThan(4.5);
  });
});
