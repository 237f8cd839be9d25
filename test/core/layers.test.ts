import { describe, expect, it } from "vitest";
import { analyze } from "../../src/core/analyze.js";
import { CnnError } from "../../src/core/errors.js";
import type { LayerSpec } from "../../src/core/types.js";
import { validateSpec } from "../../src/parse/spec.js";

/** Analyses one layer on an input, through the same validation as a JSON spec. */
function one(input: number[], layer: Record<string, unknown>, strict = false) {
  const spec = validateSpec({ input, layers: [layer] });
  const a = analyze(spec, { strict });
  return { a, r: a.layers[0] as NonNullable<(typeof a.layers)[number]> };
}

interface Case {
  name: string;
  input: number[];
  layer: Record<string, unknown>;
  output: number[];
  wpn: bigint | null;
  neurons: bigint;
  connections: bigint;
  parameters: bigint;
  warnings?: number;
}

// Expected values worked out by hand from the formulas in the README.
const CASES: Case[] = [
  {
    name: "conv same, stride 1",
    input: [28, 28, 1],
    layer: { type: "conv", filters: 32, kernel: 3, padding: "same" },
    output: [28, 28, 32],
    wpn: 10n,
    neurons: 25088n,
    connections: 250880n,
    parameters: 320n,
  },
  {
    name: "conv same, stride 2, odd input (pad 1/1)",
    input: [7, 7, 8],
    layer: { type: "conv", filters: 16, kernel: 3, stride: 2, padding: "same" },
    output: [4, 4, 16],
    wpn: 73n,
    neurons: 256n,
    connections: 18688n,
    parameters: 1168n,
  },
  {
    name: "conv same, stride 2, even input (pad 0/1)",
    input: [8, 8, 1],
    layer: { type: "conv", filters: 1, kernel: 3, stride: 2, padding: "same" },
    output: [4, 4, 1],
    wpn: 10n,
    neurons: 16n,
    connections: 160n,
    parameters: 10n,
  },
  {
    name: "conv valid equals padding 0",
    input: [84, 84, 4],
    layer: { type: "conv", filters: 16, kernel: 8, stride: 4, padding: "valid" },
    output: [20, 20, 16],
    wpn: 257n,
    neurons: 6400n,
    connections: 1644800n,
    parameters: 4112n,
  },
  {
    name: "rectangular kernel, stride and padding",
    input: [32, 64, 3],
    layer: { type: "conv", filters: 8, kernel: [3, 5], stride: [1, 2], padding: [1, 2] },
    output: [32, 32, 8],
    wpn: 46n,
    neurons: 8192n,
    connections: 376832n,
    parameters: 368n,
    // (64 + 4 - 5) = 63 leaves one column over, but it is right padding: no warning
    warnings: 0,
  },
  {
    name: "dilation 2",
    input: [32, 32, 3],
    layer: { type: "conv", filters: 4, kernel: 3, dilation: 2 },
    output: [28, 28, 4],
    wpn: 28n,
    neurons: 3136n,
    connections: 87808n,
    parameters: 112n,
  },
  {
    name: "groups 4",
    input: [16, 16, 8],
    layer: { type: "conv", filters: 16, kernel: 3, padding: 1, groups: 4 },
    output: [16, 16, 16],
    wpn: 19n,
    neurons: 4096n,
    connections: 77824n,
    parameters: 304n,
  },
  {
    name: "depthwise (groups = channels)",
    input: [10, 10, 32],
    layer: { type: "conv", filters: 32, kernel: 3, padding: 1, groups: 32 },
    output: [10, 10, 32],
    wpn: 10n,
    neurons: 3200n,
    connections: 32000n,
    parameters: 320n,
  },
  {
    name: "conv without bias",
    input: [5, 5, 2],
    layer: { type: "conv", filters: 3, kernel: 5, bias: false },
    output: [1, 1, 3],
    wpn: 50n,
    neurons: 3n,
    connections: 150n,
    parameters: 150n,
  },
  {
    name: "dense without bias",
    input: [20],
    layer: { type: "dense", units: 10, bias: false },
    output: [10],
    wpn: 20n,
    neurons: 10n,
    connections: 200n,
    parameters: 200n,
  },
  {
    name: "fc alias on a spatial input",
    input: [3, 3, 2],
    layer: { type: "fc", units: 4 },
    output: [4],
    wpn: 19n,
    neurons: 4n,
    connections: 76n,
    parameters: 76n,
  },
  {
    name: "maxpool 2 (stride = kernel)",
    input: [28, 28, 6],
    layer: { type: "maxpool", kernel: 2 },
    output: [14, 14, 6],
    wpn: null,
    neurons: 1176n,
    connections: 4704n,
    parameters: 0n,
  },
  {
    name: "avgpool 3 stride 2",
    input: [7, 7, 1],
    layer: { type: "avgpool", kernel: 3, stride: 2 },
    output: [3, 3, 1],
    wpn: null,
    neurons: 9n,
    connections: 81n,
    parameters: 0n,
  },
  {
    name: "maxpool ceil mode rounds up",
    input: [6, 6, 1],
    layer: { type: "maxpool", kernel: 3, stride: 2, ceil: true },
    output: [3, 3, 1],
    wpn: null,
    neurons: 9n,
    connections: 81n,
    parameters: 0n,
  },
  {
    name: "ceil mode drops a window starting in the padding",
    input: [5, 5, 1],
    layer: { type: "maxpool", kernel: 2, stride: 2, padding: 1, ceil: true },
    output: [3, 3, 1],
    wpn: null,
    neurons: 9n,
    connections: 36n,
    parameters: 0n,
  },
  {
    name: "batchnorm: 2C trainable + 2C running statistics",
    input: [10, 10, 32],
    layer: { type: "batchnorm" },
    output: [10, 10, 32],
    wpn: null,
    neurons: 0n,
    connections: 0n,
    parameters: 128n,
  },
  {
    name: "flatten",
    input: [3, 3, 2],
    layer: { type: "flatten" },
    output: [18],
    wpn: null,
    neurons: 0n,
    connections: 0n,
    parameters: 0n,
  },
  {
    name: "activation",
    input: [4, 4, 2],
    layer: { type: "activation", function: "swish" },
    output: [4, 4, 2],
    wpn: null,
    neurons: 0n,
    connections: 0n,
    parameters: 0n,
  },
  {
    name: "dropout",
    input: [100],
    layer: { type: "dropout", rate: 0.5 },
    output: [100],
    wpn: null,
    neurons: 0n,
    connections: 0n,
    parameters: 0n,
  },
  {
    name: "1-D conv",
    input: [100, 4],
    layer: { type: "conv", filters: 8, kernel: 5, stride: 2 },
    output: [48, 8],
    wpn: 21n,
    neurons: 384n,
    connections: 8064n,
    parameters: 168n,
    warnings: 1,
  },
  {
    name: "3-D conv",
    input: [16, 32, 32, 3],
    layer: { type: "conv", filters: 8, kernel: 3 },
    output: [14, 30, 30, 8],
    wpn: 82n,
    neurons: 100800n,
    connections: 8265600n,
    parameters: 656n,
  },
];

describe("one layer at a time", () => {
  it.each(CASES)("$name", (c) => {
    const { a, r } = one(c.input, c.layer);
    expect([...r.outputShape.dims, r.outputShape.channels]).toEqual(c.output);
    expect(r.weightsPerNeuron).toBe(c.wpn);
    expect(r.neurons).toBe(c.neurons);
    expect(r.connections).toBe(c.connections);
    expect(r.trainableParameters + r.nonTrainableParameters).toBe(c.parameters);
    expect(a.warnings).toHaveLength(c.warnings ?? 0);
  });

  it("counts batchnorm's running statistics as non-trainable", () => {
    const { r } = one([10, 10, 32], { type: "bn" });
    expect(r.trainableParameters).toBe(64n);
    expect(r.nonTrainableParameters).toBe(64n);
  });
});

describe("geometry problems", () => {
  const error = (input: number[], layer: Record<string, unknown>, strict = false) => {
    try {
      one(input, layer, strict);
    } catch (e) {
      expect(e).toBeInstanceOf(CnnError);
      return (e as CnnError).diagnostic;
    }
    throw new Error("expected an error");
  };

  it("a kernel larger than the padded input is an error naming the layer, expected and received", () => {
    const d = error([84, 84, 4], { type: "conv", filters: 16, kernel: 100 });
    expect(d.path).toBe("layers[0].kernel");
    expect(d.message).toBe(
      "kernel 100 is larger than the padded input 84 (input 84 + padding 0 + 0) along rows; expected a kernel of at most 84. Received: kernel=100, input=84",
    );
  });

  it("groups must divide channels and filters", () => {
    const d = error([8, 8, 6], { type: "conv", filters: 8, kernel: 3, groups: 4 });
    expect(d.path).toBe("layers[0].groups");
    expect(d.message).toContain("Received: groups=4, channels=6, filters=8");
  });

  it("a stride that leaves input uncovered is a warning, and an error under --strict", () => {
    const { a } = one([84, 84, 4], { type: "conv", filters: 16, kernel: 8, stride: 3 });
    // (84 - 8) = 76 = 25·3 + 1: one row and one column are never covered
    expect(a.layers[0]?.outputShape.dims).toEqual([26, 26]);
    // rows and columns in one warning, each with its working
    expect(a.warnings.map((w) => [w.layer, w.code])).toEqual([["layers[0]", "uncovered-input"]]);
    expect(a.warnings[0]?.message).toBe(
      "the last input row and the last input column are never covered by a window: (J + Pb + Pa - D(M-1) - 1) is not a multiple of the stride; rows (84 + 0 + 0 - 7 - 1) = 76, stride 3, output floored to 26; columns (84 + 0 + 0 - 7 - 1) = 76, stride 3, output floored to 26",
    );
    const d = error([84, 84, 4], { type: "conv", filters: 16, kernel: 8, stride: 3 }, true);
    expect(d.code).toBe("uncovered-input");
    expect(d.message).toContain("(an error under --strict)");
  });

  it("a size list must match the input's rank", () => {
    const d = error([32, 32, 3], { type: "conv", filters: 4, kernel: [3, 3, 3] });
    expect(d.path).toBe("layers[0].kernel");
    expect(d.message).toContain("expected 1 or 2 values");
  });

  it("conv on a flat input is an error", () => {
    const d = error([100], { type: "conv", filters: 4, kernel: 3 });
    expect(d.code).toBe("needs-spatial-input");
  });
});

describe("exactness", () => {
  it("keeps counts past 2^53 exact", () => {
    // 1e6 × 1e6 dense: (1e6 + 1) · 1e6 parameters, then a second huge dense multiplies past 2^53
    const layers: LayerSpec[] = [
      { type: "dense", units: 100_000_000 },
      { type: "dense", units: 100_000_000 },
    ];
    const a = analyze({ input: [100_000_000], layers });
    expect(a.layers[1]?.connections).toBe(100_000_000n * 100_000_001n);
    expect(a.totals.parameters).toBe(2n * 100_000_000n * 100_000_001n);
    expect(a.totals.parameters > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
  });
});

describe("depth", () => {
  it("analyses a 20,000-level residual nest: blocks nest on the heap, not the call stack", () => {
    let layer: LayerSpec = { type: "conv", filters: 2, kernel: 3, padding: 1 };
    for (let i = 0; i < 20_000; i++) layer = { type: "residual", body: [layer] };
    const a = analyze({ input: [4, 4, 2], layers: [layer] });
    // one conv of 2 filters, 3×3×2 + 1 weights each, added 20,000 times to its own input
    expect(a.totals.trainableParameters).toBe(38n);
    expect(a.output).toEqual({ dims: [4, 4], channels: 2 });
  });
});

describe("expansion limit", () => {
  it("refuses a network whose nested repeats multiply out past the limit, before analysing", () => {
    let layer: LayerSpec = { type: "activation", function: "relu" };
    for (let i = 0; i < 60; i++) layer = { type: "repeat", times: 2, body: [layer] };
    expect(() => analyze({ input: [4, 4, 2], layers: [layer] })).toThrow(
      "the network expands to 2305843009213693951 layers (repeats multiplied out), more than the limit of 1000000; expected a smaller network (raise the limit with --max-layers)",
    );
  });

  it("counts every block and copy: repeat 3 of (conv, residual(conv)) is 1 + 3 × 3 layers", () => {
    const layer: LayerSpec = {
      type: "repeat",
      times: 3,
      body: [
        { type: "conv", filters: 2, kernel: 1 },
        { type: "residual", body: [{ type: "conv", filters: 2, kernel: 1 }] },
      ],
    };
    expect(() => analyze({ input: [4, 4, 2], layers: [layer] }, { maxLayers: 9 })).toThrow(
      "the network expands to 10 layers",
    );
    expect(analyze({ input: [4, 4, 2], layers: [layer] }, { maxLayers: 10 }).layers).toHaveLength(
      1,
    );
  });
});
