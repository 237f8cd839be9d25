import { describe, expect, it } from "vitest";
import { branchName, mergeOutputs } from "../../src/core/layers/elementwise.js";
import { shapeFromArray, shapeToArray } from "../../src/core/shape.js";
import type { LayerResult, LayerSpec } from "../../src/core/types.js";
import { failure, run } from "../helpers.js";

type AnySpec = LayerSpec;
const runAny = run;
const failureAny = failure;
/** The only layer of a one-layer network. */
const runOne = (input: number[], layer: LayerSpec) => run(input, [layer]).layers[0] as LayerResult;

const conv = (filters: number, kernel: number | number[], extra: object = {}): LayerSpec =>
  ({ type: "conv", filters, kernel, ...extra }) as LayerSpec;
const dense = (units: number, activation?: string): LayerSpec =>
  ({ type: "dense", units, ...(activation ? { activation } : {}) }) as LayerSpec;
const act = (f: string): LayerSpec => ({ type: "activation", function: f }) as LayerSpec;
/** The branches of a block, typed as the union takes them (new types nested in them are cast). */
const branches = (...lists: AnySpec[][]) => lists as LayerSpec[][];

describe("multiply: a squeeze-and-excitation gate", () => {
  // SENet's gate on 7x7x64 with reduction 4: x * sigmoid(W2 relu(W1 avgpool(x)))
  const gate: LayerSpec[] = [{ type: "globalavgpool" }, dense(16, "relu"), dense(64, "sigmoid")];

  it("broadcasts a flat [C] gate against the HxWxC input", () => {
    const r = runOne([7, 7, 64], { type: "multiply", branches: [[], gate] });
    expect(shapeToArray(r.outputShape)).toEqual([7, 7, 64]);
    // fc1 64*16+16 = 1,040 and fc2 16*64+64 = 1,088 (torchvision's SqueezeExcitation with 1x1 convs)
    expect(r.trainableParameters).toBe(2128n);
    expect(r.nonTrainableParameters).toBe(0n);
    // the merge adds no neurons, connections or MACs: the block's are its branches'
    expect(r.neurons).toBe(64n + 16n + 64n);
    expect(r.connections).toBe(7n * 7n * 64n + 1040n + 1088n);
    expect(r.macs).toBe(64n * 16n + 16n * 64n);
    // activations: the branches' (64 + 16 + 64) and the merged output's 7*7*64
    expect(r.activations).toBe(144n + 3136n);
    expect(r.weightsPerNeuron).toBeNull();
    // every output value depends on the whole input through the global pooling
    expect(r.receptiveField).toBeNull();
    expect(r.branches?.map((b) => b.map((l) => l.path))).toEqual([
      [],
      ["layers[0].branches[1][0]", "layers[0].branches[1][1]", "layers[0].branches[1][2]"],
    ]);
  });

  it("broadcasts a 1x1xC gate kept spatial (pooling to 1x1, 1x1 convolutions)", () => {
    const kept: LayerSpec[] = [
      { type: "avgpool", kernel: 7 } as LayerSpec,
      conv(16, 1),
      act("relu"),
      conv(64, 1),
      act("sigmoid"),
    ];
    const r = runOne([7, 7, 64], { type: "multiply", branches: [[], kept] });
    expect(shapeToArray(r.outputShape)).toEqual([7, 7, 64]);
    expect(r.trainableParameters).toBe(2128n);
    // the gate's 64 + 16 + 16 + 64 + 64 (the identity has no layers) and the merged 7*7*64
    expect(r.activations).toBe(64n + 16n + 16n + 64n + 64n + 49n * 64n);
    // the widest receptive field of the branches: the gate's 7x7 window, not the identity's 1
    expect(r.receptiveField?.size).toEqual([7, 7]);
    expect(r.receptiveField?.jump).toEqual([1, 1]);
  });

  it("counts like its branches, so a network's totals are unchanged by the merge", () => {
    const net = runAny([7, 7, 64], [{ type: "multiply", branches: [[], gate] }, dense(10)]);
    expect(net.totals.trainableParameters).toBe(2128n + 7n * 7n * 64n * 10n + 10n);
    expect(shapeToArray(net.output)).toEqual([10]);
  });
});

describe("add", () => {
  const body: LayerSpec[] = [
    conv(4, 3, { padding: 1 }),
    { type: "batchnorm" },
    act("relu"),
    conv(4, 3, { padding: 1 }),
  ];

  it("with an identity branch counts exactly as the residual block", () => {
    const add = runOne([8, 8, 4], { type: "add", branches: [[], body] });
    const res = runOne([8, 8, 4], { type: "residual", body });
    for (const key of [
      "neurons",
      "connections",
      "trainableParameters",
      "nonTrainableParameters",
      "macs",
      "activations",
      "outputShape",
      "receptiveField",
    ] as const) {
      expect(add[key], key).toEqual(res[key]);
    }
    expect(add.branches?.[1]?.map((l) => l.path)).toEqual([
      "layers[0].branches[1][0]",
      "layers[0].branches[1][1]",
      "layers[0].branches[1][2]",
      "layers[0].branches[1][3]",
    ]);
  });

  it("broadcasts [1, 1, C] against [H, W, C], either order", () => {
    const pooled: LayerSpec[] = [{ type: "avgpool", kernel: 8 } as LayerSpec];
    for (const lists of [branches([], pooled), branches(pooled, [])]) {
      const r = runOne([8, 8, 4], { type: "add", branches: lists });
      expect(shapeToArray(r.outputShape)).toEqual([8, 8, 4]);
      expect(r.receptiveField?.size).toEqual([8, 8]);
    }
  });

  it("runs new kinds inside it: a ConvNeXt block (torchvision's CNBlock, dim 96)", () => {
    const cn = runOne([56, 56, 96], {
      type: "add",
      branches: branches(
        [],
        [
          conv(96, 7, { padding: 3, groups: 96 }),
          { type: "layernorm" },
          conv(384, 1),
          act("gelu"),
          conv(96, 1),
          { type: "layerscale" },
        ],
      ),
    });
    // dwconv 96*49+96 = 4,800; LayerNorm 192; pwconv1 96*384+384 = 37,248;
    // pwconv2 384*96+96 = 36,960; gamma 96
    expect(cn.trainableParameters).toBe(4800n + 192n + 37248n + 36960n + 96n);
    expect(shapeToArray(cn.outputShape)).toEqual([56, 56, 96]);
    expect(cn.receptiveField?.size).toEqual([7, 7]);
  });

  it("nests: an add inside a multiply inside a residual", () => {
    const r = runOne([8, 8, 4], {
      type: "residual",
      body: [
        {
          type: "multiply",
          branches: branches(
            [{ type: "add", branches: branches([], [conv(4, 3, { padding: 1 })]) }],
            [{ type: "globalavgpool" }, dense(4, "sigmoid")],
          ),
        } as AnySpec as LayerSpec,
      ],
    });
    expect(shapeToArray(r.outputShape)).toEqual([8, 8, 4]);
    expect(r.trainableParameters).toBe(4n * 37n + 20n);
    const inner = r.layers?.[0]?.branches?.[0]?.[0];
    expect(inner?.path).toBe("layers[0].body[0].branches[0][0]");
    expect(inner?.branches?.[1]?.[0]?.path).toBe("layers[0].body[0].branches[0][0].branches[1][0]");
  });

  it("of identities only is the input", () => {
    const r = runOne([5, 3], { type: "add", branches: [[], []] });
    expect(shapeToArray(r.outputShape)).toEqual([5, 3]);
    expect(r.trainableParameters).toBe(0n);
    expect(r.activations).toBe(15n);
    expect(r.receptiveField?.size).toEqual([1]);
  });
});

describe("errors", () => {
  it("names both shapes and both branches when they do not broadcast", () => {
    const d = failureAny([7, 7, 64], [{ type: "add", branches: [[], [conv(32, 1)]] }]);
    expect(d).toEqual({
      code: "merge-shape-mismatch",
      path: "layers[0]",
      message:
        "the add needs shapes that broadcast (sizes equal or 1, aligned from the channels); branch 1 (branches[0], the identity) gives 7×7×64 but branch 2 (branches[1]) gives 7×7×32 (channels 64 vs 32)",
    });
  });

  it("names the earlier branch that clashes, not the broadcast of all before", () => {
    // [7, 1, 8] and [1, 7, 8] broadcast to [7, 7, 8]; [7, 5, 8] clashes with the second only
    const d = failureAny(
      [7, 7, 8],
      [
        conv(8, 1),
        {
          type: "multiply",
          branches: [
            [{ type: "avgpool", kernel: [1, 7] } as LayerSpec],
            [{ type: "avgpool", kernel: [7, 1] } as LayerSpec],
            [conv(8, [1, 3])],
          ],
        },
      ],
    );
    expect(d).toEqual({
      code: "merge-shape-mismatch",
      path: "layers[1]",
      message:
        "the multiply needs shapes that broadcast (sizes equal or 1, aligned from the channels); branch 2 (branches[1]) gives 1×7×8 but branch 3 (branches[2]) gives 7×5×8 (columns 7 vs 5)",
    });
  });

  it("a flat branch of the wrong size", () => {
    const d = failureAny(
      [7, 7, 64],
      [{ type: "multiply", branches: [[], [{ type: "globalavgpool" }, dense(32)]] }],
    );
    expect(d.message).toContain(
      "branch 1 (branches[0], the identity) gives 7×7×64 but branch 2 (branches[1]) gives [32] (channels 64 vs 32)",
    );
  });

  it("no branches (the schema is to refuse it first)", () => {
    const d = failureAny([7, 7, 64], [{ type: "add", branches: [] }]);
    expect(d).toEqual({
      code: "invalid-value",
      path: "layers[0].branches",
      message: "the add needs at least one branch; received none",
    });
  });
});

describe("mergeOutputs", () => {
  const t = (s: number[]) => ({ shape: shapeFromArray(s), rf: null });

  it("folds the branches' shapes by broadcasting", () => {
    const names = [0, 1, 2].map((b) => branchName(b, false));
    const out = mergeOutputs("add", [t([7, 1, 8]), t([1, 7, 8]), t([8])], names, "layers[0]");
    expect(shapeToArray(out.shape)).toEqual([7, 7, 8]);
    expect(out.rf).toBeNull();
  });
});
