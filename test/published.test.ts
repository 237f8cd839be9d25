import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyze } from "../src/core/analyze.js";
import { shapeToArray } from "../src/core/shape.js";
import type { LayerResult, LayerSpec, NetworkSpec } from "../src/core/types.js";
import { parseJsonSpec } from "../src/parse/spec.js";
import { cli, example } from "./helpers.js";

const byName = (layers: readonly LayerResult[], name: string) => {
  const r = layers.find((l) => l.name === name);
  if (r === undefined) throw new Error(`no layer ${name}`);
  return r;
};

/** GMACs rounded to two decimals, the precision torchvision publishes its "GFLOPS" with. */
const gmacs = (macs: bigint) =>
  (Number(macs / 10_000_000n) + (macs % 10_000_000n >= 5_000_000n ? 1 : 0)) / 100;

describe("LeNet-5 (LeCun et al., 1998): the paper's per-layer figures", () => {
  const a = example("lenet5.json");
  it.each([
    // name, output, trainable parameters, connections (paper, section II.B)
    ["C1", [28, 28, 6], 156n, 122_304n],
    ["S2", [14, 14, 6], 12n, 5_880n],
    ["C3", [10, 10, 16], 1_516n, 151_600n],
    ["S4", [5, 5, 16], 32n, 2_000n],
    ["C5", [1, 1, 120], 48_120n, 48_120n],
    ["F6", [84], 10_164n, 10_164n],
  ] as const)("%s", (name, shape, params, connections) => {
    const r = byName(a.layers, name);
    expect(shapeToArray(r.outputShape)).toEqual(shape);
    expect(r.trainableParameters).toBe(params);
    expect(r.connections).toBe(connections);
  });

  it("C3 reads 60 of the 96 (S2 map, C3 map) pairs", () => {
    const c3 = byName(a.layers, "C3").spec as Extract<LayerSpec, { type: "conv" }>;
    expect(c3.connections?.flat().length).toBe(60);
  });

  it("prints the paper's numbers in the table", async () => {
    const { code, out } = await cli(["examples/lenet5.json"]);
    expect(code).toBe(0);
    for (const row of [
      /│ 1 │ C1 .*│ +28×28×6 │ +26 │ +4,704 │ +122,304 │ +156 │/,
      /│ 2 │ S2 .*│ +14×14×6 │ +2 │ +1,176 │ +5,880 │ +12 │/,
      /│ 3 │ C3 .*│ +10×10×16 │ +– │ +1,600 │ +151,600 │ +1,516 │/,
      /│ 4 │ S4 .*│ +5×5×16 │ +2 │ +400 │ +2,000 │ +32 │/,
      /│ 5 │ C5 .*│ +1×1×120 │ +401 │ +120 │ +48,120 │ +48,120 │/,
      /│ 6 │ F6 .*│ +84 │ +121 │ +84 │ +10,164 │ +10,164 │/,
    ]) {
      expect(out).toMatch(row);
    }
  });
});

describe("ResNet-18 at 224×224×3 (torchvision: 11,689,512 parameters, 1.81 GFLOPS)", () => {
  const a = example("resnet18.json");

  it("counts torchvision's trainable parameters and the 9,600 batchnorm statistics", () => {
    expect(a.totals.trainableParameters).toBe(11_689_512n);
    expect(a.totals.nonTrainableParameters).toBe(9_600n);
    expect(a.totals.parameters).toBe(11_699_112n);
  });

  it("reaches 7×7×512 before global pooling, one block per stage", () => {
    const stages = a.layers.filter((l) => /^layer\d$/.test(l.name));
    expect(stages.map((s) => shapeToArray(s.outputShape))).toEqual([
      [56, 56, 64],
      [28, 28, 128],
      [14, 14, 256],
      [7, 7, 512],
    ]);
    expect(a.layers[8]?.type).toBe("globalavgpool");
    expect(shapeToArray(a.layers[7]?.outputShape ?? { dims: [], channels: 0 })).toEqual([
      7, 7, 512,
    ]);
  });

  it("has 1.81 G multiply-accumulates, torchvision's published '1.81 GFLOPS' (which are MACs)", () => {
    expect(a.totals.macs).toBe(1_814_073_344n);
    expect(gmacs(a.totals.macs)).toBe(1.81);
  });

  it("--json gives the totals and the 7×7×512 output", async () => {
    const { code, out } = await cli(["examples/resnet18.json", "--json"]);
    expect(code).toBe(0);
    const j = JSON.parse(out);
    expect(j.totals.trainableParameters).toBe(11_689_512);
    expect(j.totals.nonTrainableParameters).toBe(9_600);
    expect(j.layers[7].outputShape).toEqual([7, 7, 512]);
    expect(j.layers[8].outputShape).toEqual([512]);
  });
});

describe("VGG16 (configuration D)", () => {
  const a = example("vgg16.json");
  it("has 138,357,544 parameters and 15.47 GMACs (torchvision: 15.47 GFLOPS)", () => {
    expect(a.totals.parameters).toBe(138_357_544n);
    expect(gmacs(a.totals.macs)).toBe(15.47);
  });

  it("has VGG16's per-layer output shapes and parameters (as in Keras' VGG16 summary)", () => {
    const rows = a.layers.map((l) => [
      l.name,
      shapeToArray(l.outputShape),
      Number(l.trainableParameters),
    ]);
    expect(rows.filter((r) => r[2] !== 0 || String(r[0]).startsWith("pool"))).toEqual([
      ["conv1_1", [224, 224, 64], 1_792],
      ["conv1_2", [224, 224, 64], 36_928],
      ["pool1", [112, 112, 64], 0],
      ["conv2_1", [112, 112, 128], 73_856],
      ["conv2_2", [112, 112, 128], 147_584],
      ["pool2", [56, 56, 128], 0],
      ["conv3_1", [56, 56, 256], 295_168],
      ["conv3_2", [56, 56, 256], 590_080],
      ["conv3_3", [56, 56, 256], 590_080],
      ["pool3", [28, 28, 256], 0],
      ["conv4_1", [28, 28, 512], 1_180_160],
      ["conv4_2", [28, 28, 512], 2_359_808],
      ["conv4_3", [28, 28, 512], 2_359_808],
      ["pool4", [14, 14, 512], 0],
      ["conv5_1", [14, 14, 512], 2_359_808],
      ["conv5_2", [14, 14, 512], 2_359_808],
      ["conv5_3", [14, 14, 512], 2_359_808],
      ["pool5", [7, 7, 512], 0],
      ["fc6", [4096], 102_764_544],
      ["fc7", [4096], 16_781_312],
      ["fc8", [1000], 4_097_000],
    ]);
  });
});

describe("DenseNet (torchvision layout)", () => {
  const text = readFileSync(new URL("../examples/densenet121.json", import.meta.url), "utf8");
  const spec = parseJsonSpec(text).spec;

  it("DenseNet-121 has torchvision's 7,978,856 trainable parameters", () => {
    const a = analyze(spec);
    expect(a.totals.trainableParameters).toBe(7_978_856n);
    expect(
      a.layers.filter((l) => l.type === "denseblock").map((l) => shapeToArray(l.outputShape)),
    ).toEqual([
      [56, 56, 256],
      [28, 28, 512],
      [14, 14, 1024],
      [7, 7, 1024],
    ]);
  });

  it("the same layout with blocks (6, 12, 32, 32) is DenseNet-169: 14,149,480 and 3.36 GFLOPS", () => {
    // torchvision publishes DenseNet-169's figures; rebuilding it checks the block arithmetic
    const copy = structuredClone(spec) as NetworkSpec;
    let channels = 64;
    let block = 0;
    for (const l of copy.layers) {
      if (l.type === "denseblock") {
        l.repeat = [6, 12, 32, 32][block++] as number;
        channels += l.repeat * 32;
      } else if (l.type === "repeat" && l.name?.startsWith("transition")) {
        channels /= 2;
        const c = l.body.find((x) => x.type === "conv");
        if (c?.type === "conv") c.filters = channels;
      }
    }
    const a = analyze(copy);
    expect(a.totals.trainableParameters).toBe(14_149_480n);
    expect(gmacs(a.totals.macs)).toBe(3.36);
  });
});

describe("GoogLeNet (torchvision layout, no auxiliary classifiers)", () => {
  const a = example("googlenet.json");
  it("has torchvision's 6,624,904 parameters and 1.50 GMACs (torchvision: 1.50 GFLOPS)", () => {
    expect(a.totals.trainableParameters).toBe(6_624_904n);
    expect(gmacs(a.totals.macs)).toBe(1.5);
  });

  it("has the paper's Inception output sizes (ceil-mode pooling)", () => {
    const incept = a.layers
      .filter((l) => l.type === "concat")
      .map((l) => [l.name, shapeToArray(l.outputShape)]);
    expect(incept).toEqual([
      ["inception3a", [28, 28, 256]],
      ["inception3b", [28, 28, 480]],
      ["inception4a", [14, 14, 512]],
      ["inception4b", [14, 14, 512]],
      ["inception4c", [14, 14, 512]],
      ["inception4d", [14, 14, 528]],
      ["inception4e", [14, 14, 832]],
      ["inception5a", [7, 7, 832]],
      ["inception5b", [7, 7, 1024]],
    ]);
  });
});

describe("MobileNetV2 (torchvision layout, depthwise convolutions)", () => {
  const a = example("mobilenetv2.json");
  it("has torchvision's 3,504,872 parameters and 0.30 GMACs (torchvision: 0.30 GFLOPS)", () => {
    expect(a.totals.trainableParameters).toBe(3_504_872n);
    expect(gmacs(a.totals.macs)).toBe(0.3);
  });
});

describe("Inception-v1 modules as in the paper (5×5 branches, no batchnorm)", () => {
  const a = example("inception-v1.json");
  it("concatenates the four branches to the paper's output sizes", () => {
    expect(a.layers.map((l) => [l.name, shapeToArray(l.outputShape)])).toEqual([
      ["inception3a", [28, 28, 256]],
      ["inception3b", [28, 28, 480]],
      ["maxpool3", [14, 14, 480]],
      ["inception4a", [14, 14, 512]],
    ]);
  });

  it("has MACs = output positions × the module's weights (biases excluded)", () => {
    // 3a on 28×28×192: 192·64 + 192·96 + 96·9·128 + 192·16 + 16·25·32 + 192·32 = 163,328 weights
    const w3a = 192 * 64 + 192 * 96 + 96 * 9 * 128 + 192 * 16 + 16 * 25 * 32 + 192 * 32;
    // 3b on 28×28×256, 4a on 14×14×480
    const w3b = 256 * 128 + 256 * 128 + 128 * 9 * 192 + 256 * 32 + 32 * 25 * 96 + 256 * 64;
    const w4a = 480 * 192 + 480 * 96 + 96 * 9 * 208 + 480 * 16 + 16 * 25 * 48 + 480 * 64;
    expect(w3a).toBe(163_328);
    expect(a.layers.map((l) => Number(l.macs))).toEqual([784 * w3a, 784 * w3b, 0, 196 * w4a]);
    expect(a.layers.map((l) => Number(l.macs))).toEqual([128_049_152, 304_267_264, 0, 73_608_192]);
    // with one bias per filter: 64 + 96 + 128 + 16 + 32 + 32 = 368
    expect(a.layers[0]?.trainableParameters).toBe(BigInt(w3a + 368));
  });
});
