/**
 * The new kinds' parameter counts and the add/multiply broadcasting checked against Keras itself
 * (TensorFlow.js layers, as test/diff/tfjs.test.ts does for the wired kinds): LayerNormalization,
 * PReLU with shared axes, and the Add/Multiply merge layers' broadcasting of equal-rank shapes.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { broadcastShape } from "../../src/core/broadcast.js";
import { shapeFromArray, shapeToArray } from "../../src/core/shape.js";
import type { LayerSpec } from "../../src/core/types.js";
import { setupTfjs } from "../diff/tfjs-build.js";
import { type AnySpec, runOne } from "./unwired-harness.js";

beforeAll(async () => {
  await setupTfjs();
});
afterEach(() => {
  tf.disposeVariables();
});

/** Keras' parameter counts of one layer applied to an input shape (no batch dimension). */
function keras(input: number[], layer: tfl.layers.Layer) {
  const inp = tfl.input({ shape: input });
  const model = tfl.model({ inputs: inp, outputs: layer.apply(inp) as tfl.SymbolicTensor });
  const trainable = model.trainableWeights.reduce(
    (sum, w) => sum + w.shape.reduce((p: number, d) => p * (d as number), 1),
    0,
  );
  return { trainable: BigInt(trainable), total: BigInt(model.countParams()) };
}

const CASES: { keras: string; make: () => tfl.layers.Layer; spec: AnySpec; input: number[] }[] = [
  {
    keras: "LayerNormalization()",
    make: () => tfl.layers.layerNormalization({}),
    spec: { type: "layernorm" },
    input: [7, 7, 64],
  },
  {
    keras: "LayerNormalization(center=False)",
    make: () => tfl.layers.layerNormalization({ center: false }),
    spec: { type: "layernorm", bias: false },
    input: [7, 7, 64],
  },
  {
    keras: "LayerNormalization(center=False, scale=False)",
    make: () => tfl.layers.layerNormalization({ center: false, scale: false }),
    spec: { type: "layernorm", affine: false },
    input: [7, 7, 64],
  },
  {
    keras: "LayerNormalization(axis=[1, 2, 3])",
    make: () => tfl.layers.layerNormalization({ axis: [1, 2, 3] }),
    spec: { type: "layernorm", over: "all" },
    input: [7, 7, 64],
  },
  {
    keras: "LayerNormalization(axis=[1, 2]) on a 1-D input",
    make: () => tfl.layers.layerNormalization({ axis: [1, 2] }),
    spec: { type: "layernorm", over: "all" },
    input: [50, 12],
  },
  {
    keras: "PReLU(shared_axes=[1, 2])",
    make: () => tfl.layers.prelu({ sharedAxes: [1, 2] }),
    spec: { type: "prelu" },
    input: [28, 28, 64],
  },
  {
    keras: "PReLU(shared_axes=[1, 2, 3])",
    make: () => tfl.layers.prelu({ sharedAxes: [1, 2, 3] }),
    spec: { type: "prelu", shared: true },
    input: [28, 28, 64],
  },
  {
    keras: "PReLU() on a flat input",
    make: () => tfl.layers.prelu({}),
    spec: { type: "prelu" },
    input: [128],
  },
];

describe("parameters as Keras counts them", () => {
  it.each(CASES)("$keras on $input", (c) => {
    const k = keras(c.input, c.make());
    const r = runOne(c.input, c.spec);
    expect(r.trainableParameters).toBe(k.trainable);
    expect(r.trainableParameters + r.nonTrainableParameters).toBe(k.total);
    expect(shapeToArray(r.outputShape)).toEqual(c.input);
  });
});

describe("broadcasting as Keras' Add and Multiply merge layers do it", () => {
  // equal ranks only: Keras aligns the batch dimension too, so a flat [C] against [H, W, C] is
  // not comparable there
  const PAIRS: [string, string][] = [
    ["7x7x64", "1x1x64"],
    ["1x1x64", "7x7x64"],
    ["7x7x64", "7x7x1"],
    ["7x1x64", "1x7x64"],
    ["7x7x64", "7x7x32"],
    ["7x7x64", "5x5x64"],
    ["10x3", "1x3"],
  ];
  const sizes = (text: string) => text.split("x").map(Number);

  it.each(PAIRS)("%s with %s", (x, y) => {
    const [a, b] = [sizes(x), sizes(y)];
    const ours = broadcastShape(shapeFromArray(a), shapeFromArray(b));
    for (const merge of [tfl.layers.add({}), tfl.layers.multiply({})]) {
      let theirs: number[] | null;
      try {
        const out = merge.apply([tfl.input({ shape: a }), tfl.input({ shape: b })]);
        theirs = (out as tfl.SymbolicTensor).shape.slice(1) as number[];
      } catch {
        theirs = null;
      }
      expect(ours === null ? null : shapeToArray(ours)).toEqual(theirs);
    }
  });

  it("a squeeze-and-excitation block: Keras' parameter count", () => {
    const x = tfl.input({ shape: [7, 7, 64] });
    let g = tfl.layers.globalAveragePooling2d({}).apply(x) as tfl.SymbolicTensor;
    g = tfl.layers.reshape({ targetShape: [1, 1, 64] }).apply(g) as tfl.SymbolicTensor;
    g = tfl.layers
      .conv2d({ filters: 16, kernelSize: 1, activation: "relu" })
      .apply(g) as tfl.SymbolicTensor;
    g = tfl.layers
      .conv2d({ filters: 64, kernelSize: 1, activation: "sigmoid" })
      .apply(g) as tfl.SymbolicTensor;
    const y = tfl.layers.multiply({}).apply([x, g]) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: x, outputs: y });
    const gate: LayerSpec[] = [
      { type: "globalavgpool" },
      { type: "dense", units: 16, activation: "relu" },
      { type: "dense", units: 64, activation: "sigmoid" },
    ];
    const r = runOne([7, 7, 64], { type: "multiply", branches: [[], gate] });
    expect(shapeToArray(r.outputShape)).toEqual(y.shape.slice(1));
    expect(r.trainableParameters).toBe(BigInt(model.countParams()));
  });
});
