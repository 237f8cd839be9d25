import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  adaptiveBin,
  adaptiveBins,
  adaptiveBinTotal,
  adaptiveLargestBin,
  gcd,
} from "../../src/core/formulas-spatial.js";
import type { Outcome } from "../../src/core/kind.js";
import { adaptivePool, adaptiveWindow } from "../../src/core/layers/adaptivepool.js";
import { globalPool } from "../../src/core/layers/globalpool.js";
import { shapeToArray } from "../../src/core/shape.js";
import { context, failure, tensor } from "./spatial-helpers.js";

describe("adaptive pooling bins (PyTorch: floor(i·J/N) to ceil((i+1)·J/N), end exclusive)", () => {
  it.each([
    [
      7,
      3,
      [
        [0, 3],
        [2, 5],
        [4, 7],
      ],
    ],
    [
      5,
      3,
      [
        [0, 2],
        [1, 4],
        [3, 5],
      ],
    ],
    [
      10,
      4,
      [
        [0, 3],
        [2, 5],
        [5, 8],
        [7, 10],
      ],
    ],
    [
      6,
      3,
      [
        [0, 2],
        [2, 4],
        [4, 6],
      ],
    ],
    [7, 1, [[0, 7]]],
    [
      4,
      4,
      [
        [0, 1],
        [1, 2],
        [2, 3],
        [3, 4],
      ],
    ],
    [
      2,
      5,
      [
        [0, 1],
        [0, 1],
        [0, 2],
        [1, 2],
        [1, 2],
      ],
    ],
    [
      14,
      6,
      [
        [0, 3],
        [2, 5],
        [4, 7],
        [7, 10],
        [9, 12],
        [11, 14],
      ],
    ],
  ])("%i inputs to %i outputs", (J, N, bins) => {
    expect(adaptiveBins(J, N)).toEqual(bins);
    const lengths = bins.map(([a, b]) => (b as number) - (a as number));
    expect(adaptiveBinTotal(J, N)).toBe(lengths.reduce((s, l) => s + l, 0));
    expect(adaptiveLargestBin(J, N)).toBe(Math.max(...lengths));
  });

  it("the closed forms agree with the bins for any sizes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }), (J, N) => {
        const lengths = adaptiveBins(J, N).map(([a, b]) => b - a);
        expect(adaptiveBinTotal(J, N)).toBe(lengths.reduce((s, l) => s + l, 0));
        expect(adaptiveLargestBin(J, N)).toBe(Math.max(...lengths));
        // every input is read, and bins start in order
        expect(adaptiveBin(0, J, N)[0]).toBe(0);
        expect(adaptiveBin(N - 1, J, N)[1]).toBe(J);
      }),
      { seed: 20261201, numRuns: 300 },
    );
  });

  it("gcd", () => {
    expect([gcd(7, 3), gcd(10, 4), gcd(12, 18), gcd(5, 0), gcd(0, 5)]).toEqual([1, 2, 6, 5, 5]);
  });
});

describe("adaptiveavgpool / adaptivemaxpool", () => {
  it.each([
    // [input, output, shape, neurons, connections]
    [[7, 7, 8], 3, [3, 3, 8], 72n, 8n * 9n * 9n],
    [[5, 5, 2], 3, [3, 3, 2], 18n, 2n * 7n * 7n],
    [[10, 10, 1], 4, [4, 4, 1], 16n, 144n],
    [[10, 7, 3], [4, 3], [4, 3, 3], 36n, 3n * 12n * 9n],
    [[6, 6, 4], [3, 2], [3, 2, 4], 24n, 4n * 6n * 6n],
    [[7, 7, 512], 1, [1, 1, 512], 512n, 512n * 49n],
    [[13, 5], 4, [4, 5], 20n, 5n * 16n],
    [[8, 8, 8, 2], 2, [2, 2, 2, 2], 16n, 2n * 8n * 8n * 8n],
    [[2, 2, 1], 5, [5, 5, 1], 25n, 36n],
  ])("%j to %j", (input, output, shape, neurons, connections) => {
    for (const type of ["adaptiveavgpool", "adaptivemaxpool"] as const) {
      const out = adaptivePool.analyze({ type, output }, tensor(input), context().ctx);
      expect(shapeToArray(out.output.shape)).toEqual(shape);
      expect(out.neurons).toBe(neurons);
      expect(out.connections).toBe(connections);
      expect(out.macs ?? 0n).toBe(0n);
      expect(out.trainableParameters ?? 0n).toBe(0n);
    }
  });

  it("equals a plain pooling window when every output size divides its input", () => {
    const { ctx, assumptions } = context();
    const out = adaptivePool.analyze(
      { type: "adaptiveavgpool", output: [3, 2] },
      tensor([6, 6, 4]),
      ctx,
    );
    expect(out.window?.kernel).toEqual([2, 3]);
    expect(out.window?.stride).toEqual([2, 3]);
    // as maxpool kernel [2, 3]: size 1 + (k-1), start 0.5 + (k-1)/2, jump k
    expect(out.output.rf).toEqual({ size: [2, 3], start: [1, 1.5], jump: [2, 3] });
    expect(assumptions).toEqual([]);
    expect(adaptiveWindow([7], [3])).toBeNull();
  });

  it("does not track the receptive field through unequal bins, and says so", () => {
    const { ctx, assumptions } = context("layers[4]");
    const out = adaptivePool.analyze(
      { type: "adaptiveavgpool", output: 3 },
      tensor([7, 7, 8]),
      ctx,
    );
    expect(out.output.rf).toBeNull();
    expect(out.window).toBeUndefined();
    expect(assumptions).toEqual([
      {
        code: "rf-resampled",
        message:
          "layers[4] (adaptiveavgpool): receptive fields are not tracked through adaptive pooling of 7×7 to 3×3 (bins of varying size, the largest 3×3, at varying steps); the layers after it show none",
      },
    ]);
  });

  it("fails on a flat input and on an output with the wrong number of sizes", () => {
    expect(
      failure(() =>
        adaptivePool.analyze({ type: "adaptivemaxpool", output: 2 }, tensor([10]), context().ctx),
      ),
    ).toMatchObject({ code: "needs-spatial-input", path: "layers[0]" });
    expect(
      failure(() =>
        adaptivePool.analyze(
          { type: "adaptivemaxpool", output: [2, 2, 2] },
          tensor([8, 8, 3]),
          context().ctx,
        ),
      ),
    ).toEqual({
      code: "rank-mismatch",
      path: "layers[0].output",
      message:
        "output has 3 values but the input has 2 spatial dimensions; expected 1 or 2 values. Received: output=[2, 2, 2]",
    });
  });
});

describe("global pooling with keepdims", () => {
  it.each([
    [[7, 7, 512], false, [512]],
    [[7, 7, 512], true, [1, 1, 512]],
    [[100, 16], true, [1, 16]],
    [[4, 5, 6, 3], true, [1, 1, 1, 3]],
    [[4, 5, 6, 3], undefined, [3]],
  ])("%j keepdims %s gives %j", (input, keepdims, shape) => {
    for (const type of ["globalavgpool", "globalmaxpool"] as const) {
      const spec = keepdims === undefined ? { type } : { type, keepdims };
      const out = globalPool.analyze(spec, tensor(input), context().ctx) as Outcome;
      expect(shapeToArray(out.output.shape)).toEqual(shape);
      expect(out.neurons).toBe(BigInt(input.at(-1) as number));
      expect(out.connections).toBe(input.reduce((p, v) => p * BigInt(v), 1n));
      expect(out.output.rf).toBeNull();
    }
  });
});
