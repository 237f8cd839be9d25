import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzeSource } from "../src/analyze-source.js";
import { shapeToArray } from "../src/core/shape.js";
import { resultChildren } from "../src/core/traits.js";
import type { Analysis, LayerResult } from "../src/core/types.js";

/*
 * The examples built from torchvision (and one U-Net) against PyTorch itself: the committed
 * references in test/fixtures/torch/ come from running the models in PyTorch
 * (scripts/torch/models.py); every leaf layer's parameters, output shape and MACs must agree.
 */

interface SpecLayer {
  path: string;
  type: string;
  torch: string[];
  trainable: number;
  nonTrainable: number;
  outputShape: number[];
  macs?: number;
}

interface Reference {
  spec: string;
  outputShape: number[];
  totals: { trainable: number; nonTrainable: number; macs: number };
  specLayers: SpecLayer[];
}

const reference = (name: string): Reference =>
  JSON.parse(readFileSync(new URL(`fixtures/torch/${name}.json`, import.meta.url), "utf8"));

/** The analysis of a repository file through the same pipeline the CLI runs. */
function analysisOf(file: string): Analysis {
  const text = readFileSync(new URL(`../${file}`, import.meta.url), "utf8");
  const r = analyzeSource(text, { file });
  if (!r.ok) throw new Error(`${file}: ${r.error.message}`);
  return r.analysis;
}

/** Every result of an analysis by its path, blocks' children included. */
function byPath(a: Analysis): Map<string, LayerResult> {
  const out = new Map<string, LayerResult>();
  const stack = [...a.layers];
  for (let r = stack.pop(); r !== undefined; r = stack.pop()) {
    out.set(r.path, r);
    stack.push(...resultChildren(r));
  }
  return out;
}

describe.each([
  // the published totals the issue names, and the U-Net's from PyTorch
  ["efficientnet-b0", 5_288_548n, [1000]],
  ["convnext-tiny", 28_589_128n, [1000]],
  ["unet-small", 475_266n, [224, 224, 2]],
] as const)("%s against PyTorch", (name, trainable, output) => {
  const ref = reference(name);
  const a = analysisOf(ref.spec);
  const results = byPath(a);

  it("has the published trainable parameters and output", () => {
    expect(a.totals.trainableParameters).toBe(trainable);
    expect(BigInt(ref.totals.trainable)).toBe(trainable);
    expect(a.totals.nonTrainableParameters).toBe(BigInt(ref.totals.nonTrainable));
    expect(shapeToArray(a.output)).toEqual([...output]);
    expect(ref.outputShape).toEqual([...output]);
  });

  it("agrees with every torch module, layer by layer", () => {
    expect(ref.specLayers.length).toBeGreaterThan(10);
    for (const l of ref.specLayers) {
      const r = results.get(l.path);
      expect(r, `${l.path} (${l.torch.join(", ")})`).toBeDefined();
      const got = r as LayerResult;
      const where = `${l.path} ${l.type} (${l.torch.join(", ")})`;
      expect(got.type, where).toBe(l.type);
      expect(
        [got.trainableParameters, got.nonTrainableParameters, shapeToArray(got.outputShape)],
        where,
      ).toEqual([BigInt(l.trainable), BigInt(l.nonTrainable), l.outputShape]);
      if (l.macs !== undefined) expect(got.macs, where).toBe(BigInt(l.macs));
    }
  });
});
