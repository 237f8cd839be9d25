/*
 * The linear writers against the reference ones: jsonText gives back the same JSON value as
 * JSON.stringify (and its exact text for small values); drawLongTable draws cli-table3's layout.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/core/analyze.js";
import { analysisJson, analysisJsonOutput } from "../../src/format/json.js";
import { jsonText, MAX_INDENT_LEVELS } from "../../src/format/jsonText.js";
import { displayWidth, drawCliTable, drawLongTable } from "../../src/format/table.js";
import { parseJsonSpec } from "../../src/parse/spec.js";

describe("jsonText", () => {
  it("is JSON.stringify(v, null, 2) for small values, with number arrays on one line", () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 5 }), (text) => {
        const v = JSON.parse(text);
        const out = jsonText(v);
        expect(JSON.parse(out)).toEqual(v);
        // the same text as JSON.stringify once each number array is folded onto one line
        const fold = (t: string) =>
          t.replace(
            /\[\s*(-?[\d.e+-]+(?:,\s*-?[\d.e+-]+)*)\s*\]/g,
            (_m, inner: string) => `[${inner.split(/,\s*/).join(", ")}]`,
          );
        expect(out).toBe(fold(JSON.stringify(v, null, 2)));
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it("round-trips big and deep values that JSON.stringify cannot write", () => {
    let deep: unknown = { leaf: [1, 2, 3] };
    for (let i = 0; i < 10_000; i++) deep = { name: `n${i}`, layers: [deep] };
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    const text = jsonText(deep);
    // indentation is capped: no line starts with more than MAX_INDENT_LEVELS levels of spaces
    const widest = Math.max(...text.split("\n").map((l) => l.length - l.trimStart().length));
    expect(widest).toBe(2 * MAX_INDENT_LEVELS);
    // the same value comes back (compared without recursion)
    let a = JSON.parse(text) as { name?: string; layers?: unknown[]; leaf?: number[] };
    for (let i = 9_999; i >= 0; i--) {
      expect(a.name).toBe(`n${i}`);
      a = a.layers?.[0] as typeof a;
    }
    expect(a.leaf).toEqual([1, 2, 3]);
  });

  it("writes each flat object of a long list on one line", () => {
    const layers = Array.from({ length: 30_000 }, (_, i) => ({ index: i, shape: [2, 2, 1] }));
    const text = jsonText({ layers });
    expect(text.split("\n")).toHaveLength(30_000 + 4);
    expect(text).toContain('\n    {"index":29999,"shape":[2,2,1]}\n');
    expect(JSON.parse(text)).toEqual({ layers });
  });

  it("refuses a non-finite number instead of printing null", () => {
    expect(() => jsonText({ a: Number.NaN })).toThrow(/non-finite number NaN/);
    const big = { layers: Array.from({ length: 30_000 }, () => ({ rf: [Infinity] })) };
    expect(() => jsonText(big)).toThrow(/non-finite number Infinity/);
  });
});

describe("drawLongTable", () => {
  it("draws exactly what cli-table3 draws (ASCII, ×, –, CJK, emoji, combining marks, colour)", () => {
    const esc = String.fromCharCode(27);
    const names = [
      "conv1",
      "名前",
      "😀x",
      "e\u0301",
      "a–b",
      "×",
      "",
      "  x",
      "ｆｕｌｌ",
      `${esc}[2mdim${esc}[22m`,
    ];
    const head = ["#", "Layer", "Output"];
    const rows = Array.from({ length: 120 }, (_, i) => [
      String(i),
      names[i % names.length] as string,
      `${i}×${i}`,
    ]);
    const aligns: ("left" | "right")[] = ["right", "left", "right"];
    expect(drawLongTable(head, rows, aligns)).toBe(drawCliTable(head, rows, aligns));
  });

  it("measures display width like a terminal", () => {
    const esc = String.fromCharCode(27);
    expect(displayWidth("84×84×4")).toBe(7);
    expect(displayWidth("名前")).toBe(4);
    expect(displayWidth("e\u0301")).toBe(1);
    expect(displayWidth(`${esc}[1mTotal${esc}[22m`)).toBe(5);
    expect(displayWidth("©")).toBe(2);
  });

  it("gives narrow text the same width on its fast path as character by character", () => {
    // "€" sends a string down the per-character path, where it counts one column
    const slow = (text: string) => displayWidth(`${text}€`) - 1;
    for (let c = 0; c < 0x100; c++) {
      const ch = String.fromCharCode(c);
      expect(displayWidth(ch), `U+${c.toString(16)}`).toBe(slow(ch));
    }
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)),
        }),
        (t) => {
          expect(displayWidth(t)).toBe(slow(t));
        },
      ),
      { seed: 3, numRuns: 500 },
    );
  });
});

describe("analysisJsonOutput", () => {
  const spec = (n: number) =>
    JSON.stringify({
      input: [8, 8, 4],
      layers: [
        ...Array.from({ length: n }, (_, i) =>
          i % 3 === 0
            ? {
                type: "residual",
                body: [{ type: "conv", filters: 4, kernel: 3, padding: 1 }],
                shortcut: [{ type: "batchnorm" }],
              }
            : i % 3 === 1
              ? {
                  type: "concat",
                  branches: [
                    [{ type: "conv", filters: 2, kernel: 1 }],
                    [
                      { type: "maxpool", kernel: 3, stride: 1, padding: 1 },
                      { type: "conv", filters: 2, kernel: 1 },
                    ],
                  ],
                }
              : { type: "activation", function: "relu", name: 'odd "name"' },
        ),
        { type: "dense", units: 10 },
      ],
    });

  it("writes small analyses as jsonText(analysisJson) in the pretty layout", () => {
    const a = analyze(parseJsonSpec(spec(10)).spec);
    const text = analysisJsonOutput(a, { dtype: "float32" }, "\n");
    expect(typeof text).toBe("string");
    expect(text).toBe(`${jsonText(analysisJson(a, { dtype: "float32" }))}\n`);
    expect(text).toContain('"outputShape": [8, 8, 4]');
  });

  it("writes big ones, entry by entry, exactly as jsonText(analysisJson) in lines layout", () => {
    const a = analyze(parseJsonSpec(spec(1500)).spec);
    const pieces = analysisJsonOutput(a, { dtype: "float32" });
    // a list of strings of about 1 MB each, written one by one
    expect(Array.isArray(pieces)).toBe(true);
    const text = (pieces as string[]).join("");
    expect(pieces.length).toBeGreaterThan(1);
    expect(text).toBe(jsonText(analysisJson(a, { dtype: "float32" }), "lines"));
    expect(JSON.parse(text)).toEqual(analysisJson(a, { dtype: "float32" }));
    expect(text).toContain('"flattenedFrom":[8,8,4]');
  });
});
