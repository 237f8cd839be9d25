import { describe, expect, it } from "vitest";
import { initAnalysis, schemeVariance } from "../../src/core/init.js";
import { example, run } from "../teach-helpers.js";

describe("initialization analysis", () => {
  it("computes the DQN under He by hand", () => {
    const init = initAnalysis(example("dqn.json"), { kind: "he" });
    // conv1: fan-in 8·8·4 = 256, fan-out 8·8·16 = 1024, Var 2/256, G ½: factor ½·1024·2/256 = 4
    // conv2: fan-in 4·4·16 = 256, fan-out 4·4·32 = 512: factor ½·512·2/256 = 2
    // dense1: fan-in 2592, fan-out 256: factor ½·256·2/2592 = 256/2592
    // dense2: fan-in 256, fan-out 18, linear: factor 1·18·2/256 = 36/256
    expect(init.layers.map((l) => [l.fanIn, l.fanOut, l.gain])).toEqual([
      [256, 1024, 0.5],
      [256, 512, 0.5],
      [2592, 256, 0.5],
      [256, 18, 1],
    ]);
    const factors = [4, 2, 256 / 2592, 36 / 256];
    init.layers.forEach((l, i) => {
      expect(l.factor).toBeCloseTo(factors[i] as number, 12);
    });
    // products from the output back: 36/256, then ×256/2592 = 36/2592, ×2 = 72/2592, ×4 = 1/9
    const products = [288 / 2592, 72 / 2592, 36 / 2592, 36 / 256];
    init.layers.forEach((l, i) => {
      expect(10 ** l.productLog10).toBeCloseTo(products[i] as number, 12);
      expect(l.flag).toBe("vanishing");
    });
    expect(init.notes.map((n) => n.code)).toEqual(["stride-ignored"]);
  });

  it("keeps a plain chain at 1 under He and explodes it under N(0, 1)", () => {
    const spec = {
      input: [16, 16, 16],
      layers: [
        {
          type: "repeat" as const,
          times: 10,
          body: [
            { type: "conv" as const, filters: 16, kernel: 3, padding: "same" as const },
            { type: "activation" as const, function: "relu" as const },
          ],
        },
      ],
    };
    const he = initAnalysis(run(spec), { kind: "he" });
    expect(he.layers).toHaveLength(10);
    for (const l of he.layers) {
      // fan-in = fan-out = 3·3·16 = 144; ½ · 144 · 2/144 = 1
      expect([l.activation, l.factor, l.flag]).toEqual(["relu", 1, null]);
    }
    const normal = initAnalysis(run(spec), { kind: "normal", std: 1 });
    // ½ · 144 · 1 = 72 per layer; 72^10 at the input
    expect(normal.layers[0]?.factor).toBe(72);
    expect(normal.layers[0]?.productLog10).toBeCloseTo(10 * Math.log10(72), 10);
    expect(normal.layers.map((l) => l.flag)).toEqual(Array(10).fill("exploding"));
  });

  it("says the product is one chain when the network has residual, concat or dense blocks", () => {
    const conv = { type: "conv" as const, filters: 4, kernel: 3, padding: "same" as const };
    const blocks = [
      { type: "residual" as const, body: [conv] },
      { type: "concat" as const, branches: [[conv], [conv]] },
      { type: "denseblock" as const, repeat: 2, body: [conv] },
    ];
    for (const block of blocks) {
      const init = initAnalysis(run({ input: [8, 8, 4], layers: [block] }), { kind: "he" });
      expect(init.notes.map((n) => n.code)).toEqual(["chain-only"]);
    }
    const plain = initAnalysis(run({ input: [8, 8, 4], layers: [conv] }), { kind: "he" });
    expect(plain.notes).toEqual([]);
  });

  it("gives each scheme its variance", () => {
    expect(schemeVariance({ kind: "he" }, 100, 50)).toBe(0.02);
    expect(schemeVariance({ kind: "glorot" }, 100, 50)).toBeCloseTo(2 / 150, 15);
    expect(schemeVariance({ kind: "lecun" }, 100, 50)).toBe(0.01);
    expect(schemeVariance({ kind: "normal", std: 0.1 }, 100, 50)).toBeCloseTo(0.01, 15);
    expect(schemeVariance({ kind: "uniform", limit: 0.3 }, 100, 50)).toBeCloseTo(0.03, 15);
  });
});

describe("layers that rescale in place are named as factor 1", () => {
  const conv = { type: "conv" as const, filters: 8, kernel: 3, padding: 1 };
  it.each([
    [[{ type: "batchnorm" as const }], ["batchnorm-ignored"], undefined],
    [
      [{ type: "layernorm" as const }, { type: "prelu" as const }],
      ["rescale-ignored"],
      "layernorm, prelu",
    ],
    [
      [{ type: "batchnorm" as const }, { type: "groupnorm" as const, groups: 2 }],
      ["batchnorm-ignored", "rescale-ignored"],
      "groupnorm",
    ],
    [[{ type: "activation" as const, function: "relu" as const }], [], undefined],
  ])("%j", (after, codes, named) => {
    const init = initAnalysis(run({ input: [8, 8, 8], layers: [conv, ...after] }), { kind: "he" });
    expect(init.notes.map((n) => n.code)).toEqual(codes);
    const note = init.notes.find((n) => n.code === "rescale-ignored");
    expect(
      note?.message.startsWith(`${named} rescale values in place`) ?? named === undefined,
    ).toBe(true);
  });
});
