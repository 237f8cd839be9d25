/**
 * The norms, PReLU and the add/multiply broadcasting against PyTorch: each case of the committed
 * fixtures test/fixtures/torch/formulas/{normalization-parameters,prelu,broadcast}.json (made by
 * scripts/torch/formulas.py with PyTorch 1.13) runs through the real pipeline (analyzeSource on
 * the JSON spec), asserting torch's parameter counts and output shapes, or an error where torch
 * raises one.
 */
import { describe, expect, it } from "vitest";
import { analyzeSource } from "../../src/analyze-source.js";
import { shapeToArray } from "../../src/core/shape.js";
import type { LayerResult, LayerSpec } from "../../src/core/types.js";
import { readRepoFile } from "../helpers/io.js";

interface Expected {
  outputShape: number[];
  trainable: number;
  nonTrainable: number;
}

interface LayerCase {
  spec: Record<string, unknown>;
  input: number[];
  torch: string;
  expected?: Expected;
  error?: string;
}

interface BroadcastCase {
  shapes: number[][];
  torch: string;
  expected?: { outputShape: number[] };
  error?: string;
}

const cases = <T>(name: string): T[] =>
  (JSON.parse(readRepoFile(`test/fixtures/torch/formulas/${name}.json`)) as { cases: T[] }).cases;

/** Runs a network given as a JSON object through the pipeline. */
function analyse(input: number[], layers: readonly unknown[]) {
  return analyzeSource(JSON.stringify({ input, layers }), { file: "net.json" });
}

/**
 * The fixture's suggested spec, with what its torch call says and the spec leaves out:
 * `track_running_stats=True` (the fixture suggests the plain `{"type": "instancenorm"}`).
 */
function specOf(c: LayerCase): Record<string, unknown> {
  return c.torch.includes("track_running_stats=True")
    ? { ...c.spec, trackRunningStats: true }
    : c.spec;
}

/**
 * Cases torch refuses for a reason cnncalc cannot express, with the reason: cnncalc's prelu has
 * no slope count of its own (it takes the channels), so a count that disagrees is not writable.
 */
const NOT_WRITABLE: Readonly<Record<string, string>> = {
  "nn.PReLU(num_parameters=16)": "cnncalc's prelu takes its slope count from the input",
};

describe.each(["normalization-parameters", "prelu"])(
  "PyTorch's %s: parameters and shapes",
  (file) => {
    const all = cases<LayerCase>(file);
    const runnable = all.filter((c) => !(c.torch in NOT_WRITABLE));

    it("leaves out only the cases listed as not writable", () => {
      expect(all.filter((c) => c.torch in NOT_WRITABLE).map((c) => c.torch)).toEqual(
        Object.keys(NOT_WRITABLE).filter((t) => all.some((c) => c.torch === t)),
      );
      expect(runnable.length).toBeGreaterThanOrEqual(4);
    });

    it.each(runnable)("$torch on $input", (c) => {
      const r = analyse(c.input, [specOf(c)]);
      if (c.error !== undefined) {
        // torch: "num_channels must be divisible by num_groups"
        expect(r.ok).toBe(false);
        if (r.ok) return;
        expect(r.error.diagnostic).toMatchObject({
          code: "groups-mismatch",
          path: "layers[0].groups",
        });
        expect(r.error.diagnostic.message).toMatch(/expected a divisor of \d+\. Received: groups=/);
        return;
      }
      expect(r.ok, r.ok ? "" : r.error.diagnostic.message).toBe(true);
      if (!r.ok) return;
      const layer = r.analysis.layers[0];
      expect(shapeToArray(layer?.outputShape ?? { dims: [], channels: 0 })).toEqual(
        c.expected?.outputShape,
      );
      expect(r.analysis.totals.trainableParameters).toBe(BigInt(c.expected?.trainable ?? -1));
      expect(r.analysis.totals.nonTrainableParameters).toBe(BigInt(c.expected?.nonTrainable ?? -1));
      // in place: no neurons, connections or MACs
      expect([layer?.neurons, layer?.connections, layer?.macs]).toEqual([0n, 0n, 0n]);
    });
  },
);

/**
 * Layers that turn a `[...dims, C]` input into a branch output of shape `target`: nothing for the
 * input's own shape; for a target of the same rank, a valid conv whose kernel shrinks each
 * dimension to the target's (filters: the target's channels); for a flat target, global average
 * pooling then (when the count differs) a dense layer. Undefined when no layer makes it (a rank
 * other than the input's or flat, or a larger dimension).
 */
function branchTo(input: number[], target: number[]): LayerSpec[] | undefined {
  if (target.length === input.length) {
    if (target.every((t, i) => t === input[i])) return [];
    const dims = input.slice(0, -1);
    const kernel = dims.map((d, i) => d - (target[i] as number) + 1);
    if (kernel.some((k) => k < 1)) return undefined;
    return [{ type: "conv", filters: target[target.length - 1] as number, kernel }];
  }
  if (target.length === 1 && input.length > 1) {
    const c = input[input.length - 1] as number;
    const gap: LayerSpec = { type: "globalavgpool" };
    return target[0] === c ? [gap] : [gap, { type: "dense", units: target[0] as number }];
  }
  return undefined;
}

describe("PyTorch's broadcast of add and multiply", () => {
  const all = cases<BroadcastCase>("broadcast");
  // the block's input: per dimension the largest size among the shapes of the largest rank
  const inputOf = (c: BroadcastCase) => {
    const rank = Math.max(...c.shapes.map((s) => s.length));
    const full = c.shapes.filter((s) => s.length === rank);
    return Array.from({ length: rank }, (_, i) => Math.max(...full.map((s) => s[i] as number)));
  };
  const branchesOf = (c: BroadcastCase) => c.shapes.map((s) => branchTo(inputOf(c), s));
  const runnable = all
    .filter((c) => inputOf(c).length === 3 || inputOf(c).length === 2)
    .filter((c) => branchesOf(c).every((b) => b !== undefined));

  it("runs every case but those with a shape no layer makes from the block's input", () => {
    // [] (a scalar), [7, 32] and [1, 1, 1, 32] next to a 7x7x32 input: no layer changes rank
    // other than to a flat vector
    expect(all.filter((c) => !runnable.includes(c)).map((c) => JSON.stringify(c.shapes))).toEqual([
      "[[7,7,32],[]]",
      "[[7,7,32],[7,32]]",
      "[[7,7,32],[1,1,1,32]]",
    ]);
  });

  it.each(
    runnable.flatMap((c) => [
      { ...c, type: "add" as const },
      { ...c, type: "multiply" as const },
    ]),
  )("$type of $shapes", (c) => {
    const branches = branchesOf(c) as LayerSpec[][];
    const r = analyse(inputOf(c), [{ type: c.type, branches }]);
    if (c.error !== undefined) {
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.diagnostic.code).toBe("merge-shape-mismatch");
      expect(r.error.diagnostic.path).toBe("layers[0]");
      expect(r.error.diagnostic.message).toMatch(
        new RegExp(
          `^the ${c.type} needs shapes that broadcast \\(sizes equal or 1, aligned from the channels\\); branch \\d .* gives .* but branch \\d .* gives .*$`,
        ),
      );
      return;
    }
    expect(r.ok, r.ok ? "" : r.error.diagnostic.message).toBe(true);
    if (!r.ok) return;
    expect(shapeToArray(r.analysis.output)).toEqual(c.expected?.outputShape);
    // each branch gives the shape torch was given
    const outs = r.analysis.layers[0]?.branches?.map((b) =>
      b.length === 0 ? inputOf(c) : shapeToArray((b[b.length - 1] as LayerResult).outputShape),
    );
    expect(outs).toEqual(c.shapes);
  });
});
