import { describe, expect, it } from "vitest";
import type { LayerSpec } from "../../src/core/types.js";
import {
  displayLines,
  explainLayer,
  renderExplainText,
  workingRecord,
} from "../../src/format/explain.js";
import { PLAIN } from "../../src/format/style.js";
import { example, run } from "../teach-helpers.js";

/** The displayed `label: text` lines of the only (or the i-th) top-level layer. */
function lines(input: number[], layers: LayerSpec[], at = layers.length - 1): string[] {
  const a = run({ input, layers });
  const r = a.layers[at];
  if (!r) throw new Error("no layer");
  return displayLines(explainLayer(r)).map((l) => `${l.label}: ${l.text}`);
}

describe("working of the tutorial's four DQN layers", () => {
  const a = example("dqn.json");
  const working = a.layers.map((r) => explainLayer(r));

  it("first convolutional layer", () => {
    const w = working[0];
    expect(w?.given).toBe("J = K = 84, L = 4, M = N = 8, P = 0, s = 4");
    expect(displayLines(w as never).map((l) => `${l.label}: ${l.text}`)).toEqual([
      "Weights per filter: 1 + M×N×L = 1 + 8×8×4 = 257",
      "Width and height: 1 + (J−M)/s = 1 + (84−8)/4 = 20",
      "Neurons in layer: 20×20×16 = 6,400",
      "Connections: 20×20×16×257 = 1,644,800",
      "Independent parameters: 16×257 = 4,112",
    ]);
  });

  it("second convolutional layer", () => {
    const w = working[1];
    expect(w?.given).toBe("J = K = 20, L = 16, M = N = 4, P = 0, s = 2");
    expect(displayLines(w as never).map((l) => `${l.label}: ${l.text}`)).toEqual([
      "Weights per filter: 1 + M×N×L = 1 + 4×4×16 = 257",
      "Width and height: 1 + (J−M)/s = 1 + (20−4)/2 = 9",
      "Neurons in layer: 9×9×32 = 2,592",
      "Connections: 9×9×32×257 = 666,144",
      "Independent parameters: 32×257 = 8,224",
    ]);
  });

  it("fully connected layer", () => {
    expect(workingRecord(working[2] as never)).toEqual({
      given: "Inputs: 2592 (the 9×9×32 input, flattened)",
      weightsPerNeuron: "1 + 2592 = 2593",
      neurons: "256",
      connections: "256×2593 = 663,808",
      parameters: "256×2593 = 663,808",
    });
  });

  it("output layer", () => {
    expect(workingRecord(working[3] as never)).toEqual({
      given: "Inputs: 256",
      weightsPerNeuron: "1 + 256 = 257",
      neurons: "18",
      connections: "18×257 = 4,626",
      parameters: "18×257 = 4,626",
    });
  });

  it("keeps width and height apart in JSON even when the text merges them", () => {
    const rec = workingRecord(working[0] as never);
    expect(rec.width).toBe("1 + (J−M)/s = 1 + (84−8)/4 = 20");
    expect(rec.height).toBe("1 + (J−M)/s = 1 + (84−8)/4 = 20");
  });

  it("renders one block per layer", () => {
    const text = renderExplainText(a, PLAIN);
    expect(text).toContain(
      "Layer 1: conv1 (conv relu), 84×84×4 → 20×20×16\n  J = K = 84, L = 4, M = N = 8, P = 0, s = 4\n  Weights per filter: 1 + M×N×L = 1 + 8×8×4 = 257\n",
    );
    expect(text).toContain("Layer 3: dense1 (dense relu), 9×9×32 → 256\n");
    expect(text.split("\n\n")).toHaveLength(5);
  });
});

describe("working of every option", () => {
  it("shows the floor when the division is not exact", () => {
    expect(lines([85, 85, 4], [{ type: "conv", filters: 16, kernel: 8, stride: 4 }])[1]).toBe(
      "Width and height: 1 + ⌊(J−M)/s⌋ = 1 + ⌊(85−8)/4⌋ = 1 + ⌊77/4⌋ = 20",
    );
  });

  it("uses the general formula with padding and dilation", () => {
    expect(
      lines([32, 32, 8], [{ type: "conv", filters: 8, kernel: 3, padding: 1, dilation: 2 }])[1],
    ).toBe(
      "Width and height: (J + 2P − D(M−1) − 1)/s + 1 = (32 + 2×1 − 2×(3−1) − 1)/1 + 1 = 29/1 + 1 = 30",
    );
    expect(
      lines([32, 32, 8], [{ type: "conv", filters: 8, kernel: 3, padding: 1, stride: 2 }])[1],
    ).toBe(
      "Width and height: ⌊(J + 2P − D(M−1) − 1)/s⌋ + 1 = ⌊(32 + 2×1 − 1×(3−1) − 1)/2⌋ + 1 = ⌊31/2⌋ + 1 = 16",
    );
  });

  it("resolves same padding with the odd pixel after", () => {
    const a = run({
      input: [32, 32, 1],
      layers: [{ type: "conv", filters: 6, kernel: 5, stride: 2, padding: "same" }],
    });
    const w = explainLayer(a.layers[0] as never);
    expect(w.given).toBe(
      'J = K = 32, L = 1, M = N = 5, P₁ = 1, P₂ = 2 ("same"; the odd padding pixel goes after, TensorFlow\'s rule), s = 2',
    );
    expect(workingRecord(w).width).toBe(
      "(J + P₁ + P₂ − D(M−1) − 1)/s + 1 = (32 + 1 + 2 − 1×(5−1) − 1)/2 + 1 = 30/2 + 1 = 16",
    );
  });

  it("states per-dimension padding and strides, and valid padding", () => {
    const a = run({
      input: [20, 30, 3],
      layers: [
        { type: "conv", filters: 2, kernel: 3, padding: [1, 2] },
        { type: "conv", filters: 2, kernel: 3, padding: "valid", stride: [1, 2] },
      ],
    });
    const [first, second] = a.layers.map((r) => explainLayer(r));
    expect(first?.given).toBe("J = 30, K = 20, L = 3, M = N = 3, P = 2 (width), 1 (height), s = 1");
    expect(second?.given).toBe(
      'J = 32, K = 20, L = 2, M = N = 3, P = 0 ("valid"), s = 2 (width), 1 (height)',
    );
    expect(workingRecord(second as never).width).toBe(
      "1 + ⌊(J−M)/s⌋ = 1 + ⌊(32−3)/2⌋ = 1 + ⌊29/2⌋ = 15",
    );
    expect(workingRecord(second as never).height).toBe("1 + (K−N)/s = 1 + (20−3)/1 = 18");
  });

  it("shows width and height separately for rectangular inputs", () => {
    expect(lines([60, 84, 3], [{ type: "conv", filters: 4, kernel: [3, 5] }])).toEqual([
      "Weights per filter: 1 + M×N×L = 1 + 5×3×3 = 46",
      "Width: 1 + (J−M)/s = 1 + (84−5)/1 = 80",
      "Height: 1 + (K−N)/s = 1 + (60−3)/1 = 58",
      "Neurons in layer: 58×80×4 = 18,560",
      "Connections: 58×80×4×46 = 853,760",
      "Independent parameters: 4×46 = 184",
    ]);
  });

  it("divides by the groups (depthwise) and drops the bias", () => {
    const a = run({
      input: [10, 10, 32],
      layers: [
        { type: "conv", filters: 32, kernel: 3, groups: 32 },
        { type: "conv", filters: 8, kernel: 1, bias: false },
      ],
    });
    const dw = explainLayer(a.layers[0] as never);
    expect(dw.given).toBe("J = K = 10, L = 32, M = N = 3, P = 0, s = 1, g = 32 (depthwise)");
    expect(workingRecord(dw).weightsPerNeuron).toBe("1 + M×N×L/g = 1 + 3×3×32/32 = 10");
    expect(workingRecord(dw).parameters).toBe("32×10 = 320");
    expect(workingRecord(explainLayer(a.layers[1] as never)).weightsPerNeuron).toBe(
      "M×N×L = 1×1×32 = 32 (no bias)",
    );
  });

  it("sums a connection table's filters", () => {
    const w = workingRecord(
      explainLayer(
        run({
          input: [14, 14, 6],
          layers: [
            {
              type: "conv",
              filters: 3,
              kernel: 5,
              connections: [
                [0, 1, 2],
                [1, 2, 3],
                [0, 1, 2, 3, 4, 5],
              ],
            },
          ],
        }).layers[0] as never,
      ),
    );
    expect(w.weightsPerNeuron).toBe(
      "varies with the connection table: 2 filters read 3 maps: 1 + 5×5×3 = 76; 1 filter reads 6 maps: 1 + 5×5×6 = 151",
    );
    expect(w.connections).toBe("10×10×(2×76 + 1×151) = 30,300");
    expect(w.parameters).toBe("2×76 + 1×151 = 303");
  });

  it("pooling: ceil mode, and the window dropped in the padding", () => {
    expect(lines([56, 56, 16], [{ type: "maxpool", kernel: 3, stride: 2, ceil: true }])).toEqual([
      "Weights per neuron: none (pooling has no weights: each neuron takes the maximum of its 3×3 window)",
      "Width and height: 1 + ⌈(J−M)/s⌉ = 1 + ⌈(56−3)/2⌉ = 1 + ⌈53/2⌉ = 28",
      "Neurons in layer: 28×28×16 = 12,544",
      "Connections: 28×28×16×3×3 = 112,896 (each neuron reads its 3×3 window)",
      "Independent parameters: 0 (pooling has no weights)",
    ]);
    expect(
      lines([5, 5, 1], [{ type: "avgpool", kernel: 2, stride: 2, padding: 1, ceil: true }])[1],
    ).toBe(
      "Width and height: ⌈(J + 2P − D(M−1) − 1)/s⌉ + 1 = ⌈(5 + 2×1 − 1×(2−1) − 1)/2⌉ + 1 = ⌈5/2⌉ + 1 = 4; ceil mode drops the last window, which would start in the padding: 4 − 1 = 3",
    );
  });

  it("subsampling and global pooling", () => {
    expect(lines([28, 28, 6], [{ type: "subsample", kernel: 2 }]).slice(2)).toEqual([
      "Neurons in layer: 14×14×6 = 1,176",
      "Connections: 14×14×6×(2×2 + 1) = 5,880 (each neuron sums its 2×2 window, plus the bias)",
      "Independent parameters: 2×L = 2×6 = 12",
    ]);
    expect(lines([7, 7, 512], [{ type: "globalavgpool" }]).slice(1)).toEqual([
      "Neurons in layer: L = 512 (one per channel)",
      "Connections: 7×7×512 = 25,088 (each of the 512 neurons reads its whole 7×7 map)",
      "Independent parameters: 0 (pooling has no weights)",
    ]);
  });

  it("says why activation, dropout, flatten and batchnorm add no neurons", () => {
    const layers: LayerSpec[] = [
      { type: "conv", filters: 16, kernel: 5 },
      { type: "batchnorm" },
      { type: "activation", function: "relu" },
      { type: "dropout", rate: 0.5 },
      { type: "flatten" },
    ];
    expect(lines([24, 24, 1], layers, 1)).toEqual([
      "Weights per neuron: none (no neurons, so no weights per neuron)",
      "Width and height: J = 20 (unchanged: the shape passes through)",
      "Neurons in layer: 0 (batchnorm normalizes each value with its channel's statistics and rescales it (γ, β); the 20×20×16 values it works on are the outputs of the neurons of the layer before, counted there)",
      "Connections: 0 (no neurons of its own, so no edges into them)",
      "Independent parameters: 2C + 2C = 2×16 + 2×16 = 64 (trainable γ and β per channel; non-trainable running mean and variance per channel)",
    ]);
    expect(lines([24, 24, 1], layers, 2)[2]).toBe(
      "Neurons in layer: 0 (relu (activation) applies its function to each value in place; the 20×20×16 values it works on are the outputs of the neurons of the layer before, counted there)",
    );
    expect(lines([24, 24, 1], layers, 3)[4]).toBe("Independent parameters: 0 (no weights)");
    expect(lines([24, 24, 1], layers, 4)[1]).toBe(
      "Neurons in layer: 0 (flatten only reshapes the 20×20×16 values into a vector of 6400; it computes nothing, so it adds no neurons)",
    );
  });

  it("transposed convolution", () => {
    // per dimension, taps t = 0, 1, 2 of the 7 inputs land inside 14 outputs 6 + 7 + 7 = 20
    // times, so 20×20 = 400 (input position, tap) pairs; 441 taps minus 41 cropped by padding
    expect(
      lines(
        [7, 7, 16],
        [{ type: "convtranspose", filters: 8, kernel: 3, stride: 2, padding: 1, outputPadding: 1 }],
      ).slice(1),
    ).toEqual([
      "Width and height: (J−1)s − 2P + D(M−1) + P_out + 1 = (7−1)×2 − 2×1 + 1×(3−1) + 1 + 1 = 14",
      "Neurons in layer: 14×14×8 = 1,568",
      "Connections: 400×16×8 + 1,568 = 52,768 (400 input-position × kernel-tap pairs land inside the output, each feeding 16 input maps to 8 filters; plus one bias per neuron)",
      "Independent parameters: filters×(M×N×L + 1) = 8×(3×3×16 + 1) = 1,160",
    ]);
  });

  it("a block's working sums its children", () => {
    const a = run({
      input: [8, 8, 4],
      layers: [
        {
          type: "residual",
          body: [
            { type: "conv", filters: 4, kernel: 3, padding: 1 },
            { type: "activation", function: "relu" },
            { type: "conv", filters: 4, kernel: 3, padding: 1 },
          ],
        },
      ],
    });
    const rec = workingRecord(explainLayer(a.layers[0] as never));
    expect(rec.neurons).toBe("256 + 256 = 512 (the sum of its 3 layers; layers with 0 left out)");
    expect(rec.connections).toBe(
      "9,472 + 9,472 = 18,944 (the sum of its 3 layers; layers with 0 left out)",
    );
    expect(rec.parameters).toBe(
      "148 + 148 = 296 (the sum of its 3 layers; layers with 0 left out)",
    );
    expect(BigInt(18944)).toBe(a.layers[0]?.connections);
  });

  it("1-D and 3-D inputs", () => {
    expect(lines([100, 3], [{ type: "conv", filters: 2, kernel: 5, stride: 3 }])[1]).toBe(
      "Length: 1 + ⌊(J−M)/s⌋ = 1 + ⌊(100−5)/3⌋ = 1 + ⌊95/3⌋ = 32",
    );
    expect(lines([8, 16, 16, 3], [{ type: "conv", filters: 2, kernel: [2, 3, 3] }])[0]).toBe(
      "Weights per filter: 1 + M×N×U×L = 1 + 3×3×2×3 = 55",
    );
  });
});
