import { describe, expect, it } from "vitest";
import { shapeToArray } from "../../src/core/shape.js";
import type { LayerResult, LayerSpec } from "../../src/core/types.js";
import { failure, run } from "../helpers.js";

const conv = (filters: number, kernel: number, extra: Partial<LayerSpec> = {}): LayerSpec =>
  ({ type: "conv", filters, kernel, ...extra }) as LayerSpec;

/** Every result in a tree, depth first. */
function all(results: readonly LayerResult[]): LayerResult[] {
  return results.flatMap((r) => [
    r,
    ...all(r.layers ?? []),
    ...all(r.shortcut ?? []),
    ...all((r.branches ?? []).flat()),
  ]);
}

describe("residual", () => {
  const body: LayerSpec[] = [
    conv(4, 3, { padding: 1 }),
    { type: "batchnorm" },
    { type: "activation", function: "relu" },
    conv(4, 3, { padding: 1 }),
  ];

  it("adds an identity shortcut by default and sums its children's counts", () => {
    const a = run([8, 8, 4], [{ type: "residual", body }]);
    const r = a.layers[0] as LayerResult;
    expect(shapeToArray(r.outputShape)).toEqual([8, 8, 4]);
    // two convs of 4*(3*3*4+1) = 148, batchnorm 8 trainable + 8 running statistics
    expect(r.trainableParameters).toBe(304n);
    expect(r.nonTrainableParameters).toBe(8n);
    expect(r.layers?.map((l) => l.path)).toEqual([
      "layers[0].body[0]",
      "layers[0].body[1]",
      "layers[0].body[2]",
      "layers[0].body[3]",
    ]);
    expect(r.shortcut).toEqual([]);
    // the receptive field is the larger of the body's (5) and the identity's (1)
    expect(r.receptiveField?.size).toEqual([5, 5]);
    expect(a.totals.parameters).toBe(312n);
  });

  it("names both shapes and the block's path when the add does not fit", () => {
    const d = failure(
      [8, 8, 4],
      [
        conv(4, 1),
        {
          type: "repeat",
          times: 2,
          body: [{ type: "residual", body: [conv(8, 3, { padding: 1 })] }],
        },
      ],
    );
    expect(d.code).toBe("add-shape-mismatch");
    expect(d.path).toBe("layers[1].body[0]#1");
    expect(d.message).toBe(
      "the residual add needs equal shapes; the body gives 8×8×8 but the shortcut gives 8×8×4",
    );
  });

  it("takes a projection shortcut", () => {
    const a = run(
      [8, 8, 4],
      [
        {
          type: "residual",
          body: [conv(8, 3, { padding: 1, stride: 2 })],
          shortcut: [conv(8, 1, { stride: 2, bias: false })],
        },
      ],
    );
    const r = a.layers[0] as LayerResult;
    expect(shapeToArray(r.outputShape)).toEqual([4, 4, 8]);
    expect(r.trainableParameters).toBe(8n * 37n + 32n);
    expect(r.shortcut?.[0]?.path).toBe("layers[0].shortcut[0]");
  });
});

describe("concat", () => {
  it("concatenates channels of equal-size branches (an Inception module)", () => {
    const a = run(
      [8, 8, 3],
      [
        {
          type: "concat",
          branches: [
            [conv(2, 1)],
            [conv(3, 3, { padding: 1 })],
            [{ type: "maxpool", kernel: 3, stride: 1, padding: 1 }],
            [conv(1, 1), conv(2, 5, { padding: 2 })],
          ],
        },
      ],
    );
    const r = a.layers[0] as LayerResult;
    expect(shapeToArray(r.outputShape)).toEqual([8, 8, 10]);
    expect(r.trainableParameters).toBe(8n + 84n + 4n + 52n);
    expect(r.branches?.map((b) => b.map((l) => l.path))).toEqual([
      ["layers[0].branches[0][0]"],
      ["layers[0].branches[1][0]"],
      ["layers[0].branches[2][0]"],
      ["layers[0].branches[3][0]", "layers[0].branches[3][1]"],
    ]);
    // the largest receptive field over the paths: 1 then 5
    expect(r.receptiveField?.size).toEqual([5, 5]);
  });

  it("names both shapes and the path when spatial sizes differ", () => {
    const d = failure([8, 8, 3], [{ type: "concat", branches: [[conv(2, 3)], [conv(2, 1)]] }]);
    expect(d.code).toBe("concat-shape-mismatch");
    expect(d.path).toBe("layers[0]");
    expect(d.message).toBe(
      "the concat needs equal spatial sizes; branch 1 (branches[0]) gives 6×6×2 but branch 2 (branches[1]) gives 8×8×2",
    );
  });
});

describe("denseblock", () => {
  const body: LayerSpec[] = [
    { type: "batchnorm" },
    { type: "activation", function: "relu" },
    conv(2, 3, { padding: 1 }),
  ];

  it("grows the channels by the body's output each time: x <- concat(x, body(x))", () => {
    const a = run([8, 8, 4], [{ type: "denseblock", repeat: 3, body }]);
    const r = a.layers[0] as LayerResult;
    expect(shapeToArray(r.outputShape)).toEqual([8, 8, 10]);
    // batchnorm on 4, 6, 8 channels; convs 2*(9*4+1), 2*(9*6+1), 2*(9*8+1)
    expect(r.trainableParameters).toBe(8n + 74n + 12n + 110n + 16n + 146n);
    expect(r.nonTrainableParameters).toBe(8n + 12n + 16n);
    expect(r.layers?.map((l) => l.path).slice(-1)).toEqual(["layers[0].body[2]#3"]);
  });

  it("fails when the body changes the spatial size", () => {
    const d = failure([8, 8, 4], [{ type: "denseblock", repeat: 2, body: [conv(2, 3)] }]);
    expect(d.path).toBe("layers[0]");
    expect(d.message).toBe(
      "repetition 1 of the dense block needs equal spatial sizes; its input gives 8×8×4 but its body gives 6×6×2",
    );
  });
});

describe("repeat and nesting", () => {
  it("stacks the body, paths tagged with the copy", () => {
    const a = run([8, 8, 4], [{ type: "repeat", times: 3, body: [conv(4, 3, { padding: 1 })] }]);
    const r = a.layers[0] as LayerResult;
    expect(r.trainableParameters).toBe(3n * 148n);
    expect(r.layers?.map((l) => l.path)).toEqual([
      "layers[0].body[0]#1",
      "layers[0].body[0]#2",
      "layers[0].body[0]#3",
    ]);
  });

  it("never counts a layer twice: totals are the top-level sum, blocks the sum of children", () => {
    const a = run(
      [16, 16, 3],
      [
        conv(8, 3, { padding: 1 }),
        {
          type: "repeat",
          times: 2,
          body: [
            {
              type: "residual",
              body: [
                {
                  type: "concat",
                  branches: [
                    [conv(4, 1)],
                    [{ type: "denseblock", repeat: 2, body: [conv(2, 3, { padding: 1 })] }],
                  ],
                },
                conv(8, 1),
                { type: "batchnorm" },
              ],
            },
          ],
        },
        { type: "globalavgpool" },
        { type: "dense", units: 10 },
      ],
    );
    const keys = [
      "neurons",
      "connections",
      "trainableParameters",
      "nonTrainableParameters",
      "macs",
    ] as const;
    for (const k of keys) {
      expect(a.totals[k]).toBe(a.layers.reduce((s, r) => s + r[k], 0n));
    }
    for (const r of all(a.layers)) {
      const children = [...(r.layers ?? []), ...(r.shortcut ?? []), ...(r.branches ?? []).flat()];
      if (children.length === 0) continue;
      for (const k of keys)
        expect(r[k], `${r.path} ${k}`).toBe(children.reduce((s, c) => s + c[k], 0n));
    }
    const leaves = all(a.layers).filter((r) => !r.layers && !r.branches);
    expect(a.totals.trainableParameters).toBe(
      leaves.reduce((s, r) => s + r.trainableParameters, 0n),
    );
    expect(leaves.map((r) => r.path)).toContain(
      "layers[1].body[0]#2.body[0].branches[1][0].body[0]#2",
    );
  });
});
