/**
 * PyTorch's own answers for the resampling and routing layers (test/fixtures/torch/formulas/,
 * produced by PyTorch 1.13; see its README): every case runs through cnncalc's real pipeline
 * (analyzeSource, from the JSON text a user would write) and must give torch's output shape, no
 * parameters, and, where torch refuses the case, an error of cnncalc's at the layer's key.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzeSource } from "../../src/analyze-source.js";
import { shapeToArray } from "../../src/core/shape.js";

interface Bin {
  start: number;
  end: number;
}

interface TorchCase {
  type: string;
  input: number[];
  torch: string;
  expected?: { outputShape: number[]; bins?: Record<string, Bin[]> };
  error?: string;
  [key: string]: unknown;
}

const GROUPS = ["adaptive-pooling", "upsample", "pixel-shuffle", "channel-shuffle", "pad-crop"];

/** Torch's argument names that are not cnncalc's keys (PyTorch's `output_size` is `output`). */
const KEYS: Readonly<Record<string, string>> = { output_size: "output" };

/** The code and the key of cnncalc's error for each case torch refuses, by layer type. */
const REFUSALS: Readonly<Record<string, { code: string; key: string }>> = {
  upsample: { code: "output-size", key: "scale" },
  pixelshuffle: { code: "not-divisible", key: "factor" },
  pixelunshuffle: { code: "not-divisible", key: "factor" },
  channelshuffle: { code: "groups-mismatch", key: "groups" },
  crop: { code: "output-size", key: "cropping" },
};

/** The layer a case describes, in cnncalc's JSON. */
function layerOf(c: TorchCase): Record<string, unknown> {
  const layer: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) {
    if (["input", "torch", "expected", "error"].includes(k)) continue;
    layer[KEYS[k] ?? k] = v;
  }
  return layer;
}

const cases = GROUPS.flatMap((group) => {
  const file = JSON.parse(
    readFileSync(new URL(`../fixtures/torch/formulas/${group}.json`, import.meta.url), "utf8"),
  ) as { cases: TorchCase[] };
  return file.cases.map((c) => [`${group}: ${c.torch} on ${c.input.join("×")}`, c] as const);
});

describe("cnncalc agrees with PyTorch's resampling and routing layers", () => {
  it("reads every group's fixture", () => {
    expect(cases.length).toBeGreaterThanOrEqual(190);
  });

  it.each(cases)("%s", (_, c) => {
    const text = JSON.stringify({ input: c.input, layers: [layerOf(c)] });
    let result = analyzeSource(text, { file: "case.json" });
    const outputSize = c.output_size;
    if (Array.isArray(outputSize) && outputSize.includes(null)) {
      // by design: torch's None (keep that size) is not a size cnncalc reads; the size itself is
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.diagnostic).toMatchObject({
          code: "invalid-value",
          path: "layers[0].output",
          message:
            "expected a positive integer or a list of 1 to 3 positive integers; received [null,5]",
        });
      }
      const output = outputSize.map((n, i) => n ?? c.input[i]);
      const spelled = { ...layerOf(c), output };
      result = analyzeSource(JSON.stringify({ input: c.input, layers: [spelled] }));
    }
    if (c.expected?.outputShape.includes(0)) {
      // by design: torch returns an empty tensor; cnncalc refuses a crop that leaves nothing
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.diagnostic).toMatchObject({
          code: "output-size",
          path: "layers[0].cropping",
          message:
            "cropping 4 + 3 leaves none of the 7 rows; expected at most 6 in total. Received: cropping=[4, 3], input=7",
        });
      }
      return;
    }
    if (c.error !== undefined) {
      // torch refuses it: so must cnncalc, located at the key that makes it impossible
      expect(result.ok, `torch: ${c.error}`).toBe(false);
      if (result.ok) return;
      const refusal = REFUSALS[c.type];
      expect(result.error.diagnostic).toMatchObject({
        code: refusal?.code,
        path: `layers[0].${refusal?.key}`,
      });
      expect(result.error.diagnostic.span).toBeDefined();
      expect(result.error.diagnostic.message).toMatch(/expected .*Received: /);
      return;
    }
    if (!result.ok) throw new Error(result.error.diagnostic.message);
    const layer = result.analysis.layers[0];
    expect(shapeToArray(result.analysis.output)).toEqual(c.expected?.outputShape);
    expect(result.analysis.totals.parameters).toBe(0n);
    const bins = c.expected?.bins;
    if (bins !== undefined) {
      // each neuron reads its bin in its own channel: C × Π (the lengths of torch's bins summed)
      const sums = Object.values(bins).map((list) =>
        list.reduce((sum, b) => sum + BigInt(b.end - b.start), 0n),
      );
      const C = BigInt(c.input.at(-1) as number);
      expect(layer?.connections).toBe(sums.reduce((p, s) => p * s, C));
      expect(layer?.neurons).toBe(
        (c.expected?.outputShape ?? []).reduce((p, v) => p * BigInt(v), 1n),
      );
    } else {
      expect(layer?.neurons).toBe(0n);
      expect(layer?.connections).toBe(0n);
    }
  });
});
