import { describe, expect, it } from "vitest";
import { shapeToArray } from "../../src/core/shape.js";
import type { LayerSpec } from "../../src/core/types.js";
import { failure, run } from "../helpers.js";

/** The first layer's result of a one-layer network. */
const one = (input: number[], layer: LayerSpec) => {
  const a = run(input, [layer]);
  const r = a.layers[0];
  if (r === undefined) throw new Error("no layer");
  return { ...r, shape: shapeToArray(r.outputShape), warnings: a.warnings, notes: a.assumptions };
};

describe("conv: grouped, depthwise, dilated, 1-D and 3-D", () => {
  it.each([
    // [input, layer, shape, weights per neuron, parameters, connections, MACs]
    [
      [8, 8, 4],
      { type: "conv", filters: 6, kernel: 3, groups: 2 },
      [6, 6, 6],
      19n,
      114n,
      4104n,
      3888n,
    ],
    [
      [10, 10, 8],
      { type: "conv", filters: 8, kernel: 3, groups: 8, padding: 1 },
      [10, 10, 8],
      10n,
      80n,
      8000n,
      7200n,
    ],
    [
      [10, 10, 8],
      { type: "conv", filters: 16, kernel: 3, groups: 8, padding: 1 },
      [10, 10, 16],
      10n,
      160n,
      16000n,
      14400n,
    ],
    [
      [32, 32, 1],
      { type: "conv", filters: 2, kernel: 3, dilation: 2 },
      [28, 28, 2],
      10n,
      20n,
      15680n,
      14112n,
    ],
    [
      [32, 32, 1],
      { type: "conv", filters: 2, kernel: 3, dilation: 2, padding: "same" },
      [32, 32, 2],
      10n,
      20n,
      20480n,
      18432n,
    ],
    [
      [100, 3],
      { type: "conv", filters: 8, kernel: 5, stride: 2 },
      [48, 8],
      16n,
      128n,
      6144n,
      5760n,
    ],
    [
      [100, 3],
      { type: "conv", filters: 8, kernel: [5], stride: [2], bias: false },
      [48, 8],
      15n,
      120n,
      5760n,
      5760n,
    ],
    [
      [16, 32, 32, 3],
      { type: "conv", filters: 4, kernel: [3, 5, 5], stride: [1, 2, 2], padding: "same" },
      [16, 16, 16, 4],
      226n,
      904n,
      3702784n,
      3686400n,
    ],
  ] as const)("%j %j", (input, layer, shape, wpn, params, connections, macs) => {
    const r = one([...input], layer as LayerSpec);
    expect(r.shape).toEqual(shape);
    expect(r.weightsPerNeuron).toBe(wpn);
    expect(r.trainableParameters).toBe(params);
    expect(r.connections).toBe(connections);
    expect(r.macs).toBe(macs);
  });

  it("places TensorFlow's odd 'same' padding pixel after (bottom/right)", () => {
    const r = one([7, 7, 1], { type: "conv", filters: 1, kernel: 2, stride: 2, padding: "same" });
    expect(r.shape).toEqual([4, 4, 1]);
    expect(r.window?.padBefore).toEqual([0, 0]);
    expect(r.window?.padAfter).toEqual([1, 1]);
  });

  it("rejects groups that do not divide the channels, naming both", () => {
    const d = failure([8, 8, 4], [{ type: "conv", filters: 6, kernel: 3, groups: 3 }]);
    expect(d.path).toBe("layers[0].groups");
    expect(d.message).toContain("groups=3, channels=4, filters=6");
  });

  it("rejects a kernel with the wrong number of entries for the input's rank", () => {
    const d = failure([16, 16, 16, 3], [{ type: "conv", filters: 1, kernel: [3, 3] }]);
    expect(d.path).toBe("layers[0].kernel");
    expect(d.message).toContain("kernel has 2 values but the input has 3 spatial dimensions");
  });

  it("warns about uncovered input rows only when they are real inputs, not padding", () => {
    const padded = one([56, 56, 64], {
      type: "conv",
      filters: 8,
      kernel: 3,
      stride: 2,
      padding: 1,
    });
    expect(padded.shape).toEqual([28, 28, 8]);
    expect(padded.warnings).toEqual([]);
    // a kernel narrower than its stride skips inputs by design: ResNet's 1×1 stride-2 shortcut
    const cases: [string, Parameters<typeof one>[1], number[], string[]][] = [
      [
        "1×1 stride 2 (kernel < stride)",
        { type: "conv", filters: 8, kernel: 1, stride: 2 },
        [56, 56],
        [],
      ],
      [
        "dilated 1×1 → 3 wide, stride 2",
        { type: "conv", filters: 8, kernel: 2, dilation: 2, stride: 2 },
        [56, 56],
        [
          "the last input row and the last input column are never covered by a window: (J + Pb + Pa - D(M-1) - 1) is not a multiple of the stride; rows (56 + 0 + 0 - 2 - 1) = 53, stride 2, output floored to 27; columns (56 + 0 + 0 - 2 - 1) = 53, stride 2, output floored to 27",
        ],
      ],
      [
        "2×2 pool over 7×6: rows only",
        { type: "maxpool", kernel: 2 },
        [7, 6],
        [
          "(J + Pb + Pa - D(M-1) - 1) = (7 + 0 + 0 - 1 - 1) = 5 is not a multiple of stride 2: the last input row is never covered by a window (output floored to 3)",
        ],
      ],
      [
        "3×3 stride 2×3 over 6×8: 1 row, 2 columns",
        { type: "conv", filters: 1, kernel: 3, stride: [2, 3] },
        [6, 8],
        [
          "the last input row and the last 2 input columns are never covered by a window: (J + Pb + Pa - D(M-1) - 1) is not a multiple of the stride; rows (6 + 0 + 0 - 2 - 1) = 3, stride 2, output floored to 2; columns (8 + 0 + 0 - 2 - 1) = 5, stride 3, output floored to 2",
        ],
      ],
    ];
    for (const [what, layer, dims, messages] of cases) {
      const r = one([...dims, 4], layer);
      expect(
        r.warnings.map((w) => w.message),
        what,
      ).toEqual(messages);
    }
    const beyondPad = one([13, 1], { type: "conv", filters: 1, kernel: 4, stride: 4, padding: 1 });
    // padded length 15, windows at 0, 4, 8: positions 12..14 unused, of which 12 and 13 are inputs
    expect(beyondPad.warnings.map((w) => w.message)).toEqual([
      "(J + Pb + Pa - D(M-1) - 1) = (13 + 1 + 1 - 3 - 1) = 11 is not a multiple of stride 4: the last 2 input positions beyond the 1 padding are never covered by a window (output floored to 3)",
    ]);
  });
});

describe("conv with a LeNet-5 connection table", () => {
  it("counts only the listed maps", () => {
    const r = one([14, 14, 6], {
      type: "conv",
      filters: 2,
      kernel: 5,
      connections: [
        [0, 1, 2],
        [0, 1, 2, 3, 4, 5],
      ],
    });
    // (25*3 + 1) + (25*6 + 1) = 227 parameters, 10*10 positions each
    expect(r.trainableParameters).toBe(227n);
    expect(r.connections).toBe(22700n);
    expect(r.weightsPerNeuron).toBeNull();
    expect(r.macs).toBe(100n * 25n * 9n);
  });

  it.each([
    [[[0]], "layers[0].connections", "expected 2 lists. Received: 1"],
    [[[0], [6]], "layers[0].connections[1]", "input map 6 does not exist"],
    [[[0, 0], [1]], "layers[0].connections[0]", "input map 0 is listed twice"],
    [[[0], []], "layers[0].connections[1]", "a filter must read at least one input map"],
  ])("rejects %j", (table, path, message) => {
    const d = failure([14, 14, 6], [{ type: "conv", filters: 2, kernel: 5, connections: table }]);
    expect(d.path).toBe(path);
    expect(d.message).toContain(message);
  });
});

/** Edges of a transposed convolution along one dimension, by enumerating every (input, tap). */
function bruteTaps(J: number, M: number, s: number, pad: number, out: number): number {
  let n = 0;
  for (let i = 0; i < J; i++)
    for (let t = 0; t < M; t++) {
      const o = i * s + t - pad;
      if (o >= 0 && o < out) n++;
    }
  return n;
}

describe("convtranspose", () => {
  it.each([
    // PyTorch: (J-1)s - 2P + D(M-1) + outputPadding + 1
    [{ padding: 1, outputPadding: 1 }, 8, 1],
    [{ padding: 0 }, 9, 0],
    // Keras "valid": J*s + max(M - s, 0); "same": J*s
    [{ padding: "valid" }, 9, 0],
    [{ padding: "same" }, 8, 0],
  ] as const)("%j on 4×4×8, kernel 3, stride 2", (opts, size, pad) => {
    const r = one([4, 4, 8], {
      type: "convtranspose",
      filters: 3,
      kernel: 3,
      stride: 2,
      ...opts,
    } as LayerSpec);
    expect(r.shape).toEqual([size, size, 3]);
    expect(r.trainableParameters).toBe(3n * (9n * 8n + 1n));
    const taps = BigInt(bruteTaps(4, 3, 2, pad, size) ** 2);
    expect(r.macs).toBe(taps * 8n * 3n);
    expect(r.connections).toBe(taps * 8n * 3n + BigInt(size * size * 3));
    expect(r.notes.map((n) => n.code)).toEqual(["rf-transposed"]);
  });

  it.each([
    [[10, 2], [21, 3], 3n * (3n * 2n + 1n)],
    [[4, 4, 4, 2], [9, 9, 9, 3], 3n * (27n * 2n + 1n)],
  ])("works on 1-D and 3-D inputs: %j", (input, shape, params) => {
    const r = one(input, { type: "convtranspose", filters: 3, kernel: 3, stride: 2 });
    expect(r.shape).toEqual(shape);
    expect(r.trainableParameters).toBe(params);
  });

  it("rejects an output padding not smaller than the stride", () => {
    const d = failure(
      [4, 4, 8],
      [{ type: "convtranspose", filters: 3, kernel: 3, stride: 2, outputPadding: 2 }],
    );
    expect(d.path).toBe("layers[0].outputPadding");
    expect(d.message).toContain("expected less than 2. Received: outputPadding=2");
  });
});

describe("pooling, global pooling, LRN, batchnorm", () => {
  it.each([
    [[28, 28, 6], { type: "maxpool", kernel: 2 }, [14, 14, 6], 1176n, 4704n],
    [
      [28, 28, 6],
      { type: "avgpool", kernel: 3, stride: 1, padding: 1 },
      [28, 28, 6],
      4704n,
      42336n,
    ],
    [[100, 4], { type: "maxpool", kernel: 4 }, [25, 4], 100n, 400n],
    [[8, 8, 8, 2], { type: "avgpool", kernel: [2, 4, 4] }, [4, 2, 2, 2], 32n, 1024n],
    [[7, 7, 512], { type: "globalavgpool" }, [512], 512n, 25088n],
    [[7, 7, 512], { type: "globalmaxpool" }, [512], 512n, 25088n],
    [[50, 16], { type: "globalavgpool" }, [16], 16n, 800n],
  ] as const)("%j %j", (input, layer, shape, neurons, connections) => {
    const r = one([...input], layer as LayerSpec);
    expect(r.shape).toEqual(shape);
    expect(r.neurons).toBe(neurons);
    expect(r.connections).toBe(connections);
    expect(r.trainableParameters + r.nonTrainableParameters).toBe(0n);
    expect(r.macs).toBe(0n);
  });

  it("LRN keeps the shape and has no parameters or neurons", () => {
    const r = one([55, 55, 96], { type: "lrn", size: 5 });
    expect(r.shape).toEqual([55, 55, 96]);
    expect([r.neurons, r.connections, r.trainableParameters]).toEqual([0n, 0n, 0n]);
  });

  it("batchnorm on a 1-D input counts gamma, beta and the two running statistics per channel", () => {
    const r = one([50, 16], { type: "batchnorm" });
    expect([r.trainableParameters, r.nonTrainableParameters]).toEqual([32n, 32n]);
  });

  it("subsample (LeNet-5): 2 parameters per map, window area + 1 connections per neuron", () => {
    const r = one([10, 10, 16], { type: "subsample", kernel: 2 });
    expect(r.shape).toEqual([5, 5, 16]);
    expect(r.trainableParameters).toBe(32n);
    expect(r.connections).toBe(400n * 5n);
  });

  it("global pooling needs a spatial input", () => {
    const d = failure([10], [{ type: "globalavgpool" }]);
    expect(d.path).toBe("layers[0]");
    expect(d.message).toContain("needs a spatial input");
  });
});
