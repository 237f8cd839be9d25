/**
 * The Keras / TF.js model reader against TF.js itself: real models built with tfjs-layers, their
 * JSON read by cnncalc, whose parameter total and output shape must equal the model's.
 */
import * as tfl from "@tensorflow/tfjs-layers";
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeSource } from "../../src/analyze-source.js";
import { detectFormat } from "../../src/parse/index.js";
import { setupTfjs } from "../diff/tfjs-build.js";
import { run } from "../helpers/io.js";

const L = tfl.layers;
type Sym = tfl.SymbolicTensor;

beforeAll(async () => {
  await setupTfjs();
});

/** A residual block: conv-bn-relu-conv-bn added to its input. */
function residual(): tfl.LayersModel {
  const x = tfl.input({ shape: [16, 16, 8] });
  let y = L.conv2d({ filters: 8, kernelSize: 3, padding: "same", useBias: false }).apply(x) as Sym;
  y = L.batchNormalization().apply(y) as Sym;
  y = L.reLU().apply(y) as Sym;
  y = L.conv2d({ filters: 8, kernelSize: 3, padding: "same" }).apply(y) as Sym;
  const s = L.add().apply([y, x]) as Sym;
  const out = L.activation({ activation: "relu" }).apply(s) as Sym;
  return tfl.model({ inputs: x, outputs: out });
}

/** A squeeze-and-excitation block after a stem conv: the gate multiplies the feature map. */
function squeezeExcite(): tfl.LayersModel {
  const x = tfl.input({ shape: [12, 12, 3] });
  const f = L.conv2d({ filters: 16, kernelSize: 3, activation: "relu" }).apply(x) as Sym;
  let g = L.globalAveragePooling2d({}).apply(f) as Sym;
  g = L.dense({ units: 4, activation: "relu" }).apply(g) as Sym;
  g = L.dense({ units: 16, activation: "sigmoid" }).apply(g) as Sym;
  const out = L.multiply().apply([f, g]) as Sym;
  return tfl.model({ inputs: x, outputs: out });
}

/** An SE gate written with Keras' Dense on a [1, 1, C] tensor instead of a Reshape. */
function squeezeExciteKeepdims(): tfl.LayersModel {
  const x = tfl.input({ shape: [12, 12, 16] });
  let g = L.averagePooling2d({ poolSize: 12 }).apply(x) as Sym;
  g = L.dense({ units: 4, activation: "relu" }).apply(g) as Sym;
  g = L.dense({ units: 16, activation: "sigmoid" }).apply(g) as Sym;
  const out = L.multiply().apply([x, g]) as Sym;
  return tfl.model({ inputs: x, outputs: out });
}

/** An Inception-like block: four branches concatenated, then a classifier. */
function inception(): tfl.LayersModel {
  const x = tfl.input({ shape: [28, 28, 16] });
  const a = L.conv2d({ filters: 8, kernelSize: 1 }).apply(x) as Sym;
  let b = L.conv2d({ filters: 4, kernelSize: 1, activation: "relu" }).apply(x) as Sym;
  b = L.conv2d({ filters: 8, kernelSize: 3, padding: "same" }).apply(b) as Sym;
  let c = L.separableConv2d({ filters: 6, kernelSize: 5, padding: "same" }).apply(x) as Sym;
  c = L.depthwiseConv2d({ kernelSize: 3, padding: "same", depthMultiplier: 2 }).apply(c) as Sym;
  let d = L.maxPooling2d({ poolSize: 3, strides: 1, padding: "same" }).apply(x) as Sym;
  d = L.conv2d({ filters: 4, kernelSize: 1 }).apply(d) as Sym;
  let y = L.concatenate().apply([a, b, c, d]) as Sym;
  y = L.globalMaxPooling2d({}).apply(y) as Sym;
  const out = L.dense({ units: 10, activation: "softmax" }).apply(y) as Sym;
  return tfl.model({ inputs: x, outputs: out });
}

function sequentialCnn(): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      L.zeroPadding2d({ inputShape: [28, 28, 1], padding: 2 }),
      L.conv2d({ filters: 6, kernelSize: 5, activation: "tanh" }),
      L.averagePooling2d({ poolSize: 2 }),
      L.conv2d({ filters: 16, kernelSize: 5, strides: 1, dilationRate: 1, activation: "relu" }),
      L.batchNormalization(),
      L.maxPooling2d({ poolSize: 2, strides: 2 }),
      L.depthwiseConv2d({ kernelSize: 3, padding: "same" }),
      L.cropping2D({
        cropping: [
          [1, 0],
          [0, 1],
        ],
      }),
      L.upSampling2d({ size: [2, 2], interpolation: "bilinear" }),
      L.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: "same" }),
      L.layerNormalization(),
      L.flatten(),
      L.dropout({ rate: 0.5 }),
      L.dense({ units: 32, activation: "relu" }),
      L.dense({ units: 10, useBias: false, activation: "softmax" }),
    ],
  });
}

function sequential1d(): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      L.conv1d({ inputShape: [100, 3], filters: 8, kernelSize: 5, strides: 2 }),
      L.leakyReLU(),
      L.maxPooling1d({ poolSize: 2 }),
      L.conv1d({ filters: 8, kernelSize: 3, padding: "same", dilationRate: 2 }),
      L.globalAveragePooling1d({}),
      L.dense({ units: 3 }),
    ],
  });
}

/** PReLU with one slope per channel, and one for all; the dropouts Keras has besides Dropout. */
function preluAndDropouts(): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      L.conv2d({ inputShape: [12, 12, 3], filters: 6, kernelSize: 3 }),
      L.prelu({ sharedAxes: [1, 2] }),
      L.gaussianDropout({ rate: 0.1 }),
      L.conv2d({ filters: 4, kernelSize: 3 }),
      L.prelu({ sharedAxes: [1, 2, 3] }),
      L.alphaDropout({ rate: 0.1 }),
      L.flatten(),
      L.dense({ units: 5 }),
      L.prelu({}),
    ],
  });
}

function sequential3d(): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      L.conv3d({ inputShape: [8, 16, 16, 2], filters: 4, kernelSize: 3, padding: "same" }),
      L.maxPooling3d({ poolSize: 2 }),
      L.flatten(),
      L.dense({ units: 5 }),
    ],
  });
}

/** Dense on a spatial tensor acts on its last axis (a 1×1 convolution in cnncalc). */
function denseOnSpatial(): tfl.LayersModel {
  return tfl.sequential({
    layers: [L.dense({ inputShape: [4, 4, 3], units: 7 }), L.flatten(), L.dense({ units: 2 })],
  });
}

const CASES: [string, () => tfl.LayersModel][] = [
  ["a Sequential CNN of every mapped 2-D layer", sequentialCnn],
  ["a Sequential 1-D CNN", sequential1d],
  ["a Sequential 3-D CNN", sequential3d],
  ["PReLU (per channel, shared) and Gaussian and alpha dropout", preluAndDropouts],
  ["a Dense on a spatial tensor", denseOnSpatial],
  ["a residual block (Add)", residual],
  ["a squeeze-and-excitation block (Multiply)", squeezeExcite],
  ["an SE gate with Dense on [1, 1, C] (Multiply)", squeezeExciteKeepdims],
  ["an Inception-like block (Concatenate)", inception],
];

/** A model's JSON as TF.js writes it (Keras' to_json form), and as a model.json around it. */
const kerasJson = (m: tfl.LayersModel) => JSON.stringify(m.toJSON(null, false));
const modelJson = (m: tfl.LayersModel) =>
  JSON.stringify({ format: "layers-model", modelTopology: m.toJSON(null, false) });

describe("reading Keras models", () => {
  it.each(CASES)("%s: parameters and output shape as TF.js counts them", (_, build) => {
    const model = build();
    for (const text of [kerasJson(model), modelJson(model)]) {
      expect(detectFormat(text, "model.json")).toBe("keras");
      const result = analyzeSource(text, { file: "model.json" });
      if (!result.ok) throw result.error;
      const a = result.analysis;
      expect(a.totals.parameters).toBe(BigInt(model.countParams()));
      const shape = model.outputs[0]?.shape.slice(1) as number[];
      expect([...a.output.dims, a.output.channels]).toEqual(shape);
    }
  });
});

/** Reads a text and returns its error code and message. */
function failure(text: string): { code: string; message: string } {
  const result = analyzeSource(text, { from: "keras" });
  if (result.ok) throw new Error("expected a failure");
  return { code: result.error.diagnostic.code, message: result.error.diagnostic.message };
}

describe("what the Keras reader refuses", () => {
  it("a layer class with no mapping, naming the layer", () => {
    const m = tfl.sequential({
      layers: [
        L.lstm({
          inputShape: [10, 4],
          units: 8,
          name: "rnn",
          recurrentInitializer: "glorotUniform",
        }),
        L.dense({ units: 2 }),
      ],
    });
    const f = failure(kerasJson(m));
    expect(f.code).toBe("keras-layer");
    expect(f.message).toContain('"rnn" (LSTM)');
  });

  it("a graph that is not series-parallel", () => {
    // a skip from a into the second merge crosses the first merge's branches
    const x = tfl.input({ shape: [8] });
    const a = L.dense({ units: 8 }).apply(x) as Sym;
    const b = L.dense({ units: 8 }).apply(a) as Sym;
    const c = L.add({ name: "first" }).apply([a, b]) as Sym;
    const d = L.dense({ units: 8 }).apply(c) as Sym;
    const e = L.add({ name: "second" }).apply([a, d]) as Sym;
    const f = failure(kerasJson(tfl.model({ inputs: x, outputs: e })));
    expect(f.code).toBe("keras-graph");
    expect(f.message).toContain("series-parallel");
  });

  it("a model with two outputs", () => {
    const x = tfl.input({ shape: [8] });
    const a = L.dense({ units: 2 }).apply(x) as Sym;
    const b = L.dense({ units: 3 }).apply(x) as Sym;
    const f = failure(kerasJson(tfl.model({ inputs: x, outputs: [a, b] })));
    expect(f.code).toBe("keras-graph");
  });

  it("a Keras 3 model: batch_shape and keras_history nodes", () => {
    const text = JSON.stringify({
      module: "keras",
      class_name: "Functional",
      config: {
        name: "k3",
        layers: [
          {
            class_name: "InputLayer",
            name: "in",
            config: { name: "in", batch_shape: [null, 6] },
            inbound_nodes: [],
          },
          {
            class_name: "Dense",
            name: "d",
            config: { name: "d", units: 4, activation: "relu", use_bias: true },
            inbound_nodes: [
              {
                args: [{ class_name: "__keras_tensor__", config: { keras_history: ["in", 0, 0] } }],
                kwargs: {},
              },
            ],
          },
        ],
        input_layers: [["in", 0, 0]],
        output_layers: [["d", 0, 0]],
      },
    });
    const result = analyzeSource(text);
    if (!result.ok) throw result.error;
    expect(result.analysis.totals.parameters).toBe(28n);
  });
});

describe("the keras format on the command line", () => {
  it("is detected in a .json file, named by --from keras elsewhere, and converts to a spec", async () => {
    const text = kerasJson(residual());
    const detected = await run(["model.json", "--json"], { "model.json": text });
    expect(detected.code).toBe(0);
    const named = await run(["model.txt", "--from", "keras", "--json"], { "model.txt": text });
    expect(named.stdout).toBe(detected.stdout);
    const converted = await run(["convert", "model.json", "--to", "json"], { "model.json": text });
    expect(converted.code).toBe(0);
    const again = await run(["spec.json", "--json"], { "spec.json": converted.stdout });
    expect(JSON.parse(again.stdout).totals).toEqual(JSON.parse(detected.stdout).totals);
  });

  it("leaves a cnncalc spec to the JSON reader", () => {
    expect(detectFormat('{"input": [4], "layers": [{"type": "dense", "units": 2}]}')).toBe("json");
  });
});

describe("hostile Keras graphs", () => {
  it("a cycle is an error, not a hang", () => {
    const layer = (name: string, from: string[]) => ({
      class_name: name === "x" ? "InputLayer" : "Add",
      name,
      config: name === "x" ? { batch_input_shape: [null, 4] } : {},
      inbound_nodes: from.length === 0 ? [] : [from.map((f) => [f, 0, 0, {}])],
    });
    const text = JSON.stringify({
      class_name: "Functional",
      config: {
        layers: [layer("x", []), layer("a", ["x", "b"]), layer("b", ["a", "x"])],
        input_layers: [["x", 0, 0]],
        output_layers: [["b", 0, 0]],
      },
    });
    expect(failure(text).code).toBe("keras-graph");
  });

  it("a chain of 3,000 residual blocks reads without overflowing the stack", () => {
    const layers: unknown[] = [
      { class_name: "InputLayer", name: "x", config: { batch_input_shape: [null, 4] } },
    ];
    let prev = "x";
    for (let i = 0; i < 3000; i++) {
      layers.push({
        class_name: "Dense",
        name: `d${i}`,
        config: { units: 4 },
        inbound_nodes: [[[prev, 0, 0, {}]]],
      });
      layers.push({
        class_name: "Add",
        name: `a${i}`,
        config: {},
        inbound_nodes: [
          [
            [prev, 0, 0, {}],
            [`d${i}`, 0, 0, {}],
          ],
        ],
      });
      prev = `a${i}`;
    }
    const text = JSON.stringify({
      class_name: "Functional",
      config: { layers, input_layers: [["x", 0, 0]], output_layers: [[prev, 0, 0]] },
    });
    const result = analyzeSource(text);
    if (!result.ok) throw result.error;
    expect(result.analysis.totals.parameters).toBe(3000n * 20n);
  });
});

describe("deeply nested Keras merges", () => {
  /** n residual blocks nested one in another: o0 … o(n-1), then the adds closing them. */
  function nested(n: number): string {
    const layers: unknown[] = [
      { class_name: "InputLayer", name: "x", config: { batch_input_shape: [null, 4] } },
    ];
    let prev = "x";
    const opens: string[] = [];
    for (let i = 0; i < n; i++) {
      const node = [[[prev, 0, 0, {}]]];
      layers.push({
        class_name: "Dense",
        name: `o${i}`,
        config: { units: 4 },
        inbound_nodes: node,
      });
      opens.push(prev);
      prev = `o${i}`;
    }
    for (let i = n - 1; i >= 0; i--) {
      const node = [
        [
          [opens[i], 0, 0, {}],
          [prev, 0, 0, {}],
        ],
      ];
      layers.push({ class_name: "Add", name: `a${i}`, config: {}, inbound_nodes: node });
      prev = `a${i}`;
    }
    return JSON.stringify({
      class_name: "Functional",
      config: { layers, input_layers: [["x", 0, 0]], output_layers: [[prev, 0, 0]] },
    });
  }

  it("reads 500 levels", () => {
    const result = analyzeSource(nested(500));
    if (!result.ok) throw result.error;
    expect(result.analysis.totals.parameters).toBe(500n * 20n);
  });

  it("refuses more than 1,000 levels with too-deep, not a stack overflow", () => {
    expect(failure(nested(5000)).code).toBe("too-deep");
  });

  it("honours a smaller --max-depth", () => {
    const result = analyzeSource(nested(20), { maxDepth: 10 });
    expect(result.ok ? "" : result.error.diagnostic.code).toBe("too-deep");
  });
});

describe("frozen layers", () => {
  const model = (trainable: boolean[]) =>
    JSON.stringify({
      class_name: "Sequential",
      config: {
        layers: [
          { class_name: "InputLayer", config: { batch_shape: [null, 4] } },
          ...trainable.map((t, i) => ({
            class_name: "Dense",
            config: { name: `d${i}`, units: 2, trainable: t },
          })),
        ],
      },
    });

  it("warns once, naming every frozen layer, with the totals unchanged", () => {
    const text = model([false, true, false]);
    const r = analyzeSource(text);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.analysis.totals.parameters).toBe(10n + 6n + 6n);
    expect(r.analysis.warnings.map((w) => w.code)).toEqual(["keras-frozen"]);
    const w = r.analysis.warnings[0];
    expect(w?.message).toContain('2 layers saved with "trainable": false (d0, d2)');
    expect(text.slice(w?.span?.start, w?.span?.end)).toBe("false");
  });

  it("says nothing when every layer trains", () => {
    const r = analyzeSource(model([true, true]));
    expect(r.ok && r.analysis.warnings).toEqual([]);
  });
});

describe("BatchNormalization without center or scale (β or γ left out)", () => {
  const size = (ws: readonly { shape: readonly (number | null)[] }[]) =>
    ws.reduce((n, w) => n + w.shape.reduce<number>((p, d) => p * (d ?? 0), 1), 0);

  it.each([[{ center: false }], [{ scale: false }], [{ center: false, scale: false }]])(
    "%j counts as TF.js counts it",
    (options) => {
      const m = tfl.sequential({
        layers: [
          L.dense({ inputShape: [4], units: 6 }),
          L.batchNormalization({ ...options, name: "bn" }),
        ],
      });
      const r = analyzeSource(kerasJson(m));
      if (!r.ok) throw new Error(r.error.message);
      expect(Number(r.analysis.totals.trainableParameters)).toBe(size(m.trainableWeights));
      expect(Number(r.analysis.totals.nonTrainableParameters)).toBe(size(m.nonTrainableWeights));
    },
  );
});
