import { describe, expect, it } from "vitest";
import { analyzeSource } from "../../src/analyze-source.js";
import { shapeToArray } from "../../src/core/shape.js";
import { displayLines, explainLayer } from "../../src/format/explain.js";
import { parseJsonSpec } from "../../src/parse/spec.js";
import { parseTextSpec } from "../../src/parse/text.js";

/* The resampling and routing layers ("spatial" group) in the readers: the layer language's forms, the frameworks' names, and errors located at the key. */

/** The diagnostic a parse or an analysis gives, with the text its span covers. */
function errorOf(text: string) {
  const result = analyzeSource(text);
  if (result.ok) throw new Error("expected an error");
  const d = result.error.diagnostic;
  return {
    code: d.code,
    path: d.path,
    message: d.message,
    at: d.span ? text.slice(d.span.start, d.span.end) : undefined,
  };
}

describe("the layer language", () => {
  it.each([
    ["adaptiveavgpool 7x7", { type: "adaptiveavgpool", output: [7, 7] }],
    ["AdaptiveMaxPool2d output_size 1", { type: "adaptivemaxpool", output: 1 }],
    ["globalavgpool keepdims", { type: "globalavgpool", keepdims: true }],
    ["gmp keepdims false", { type: "globalmaxpool", keepdims: false }],
    ["upsample 2", { type: "upsample", scale: 2 }],
    ["upsample 1.5x2", { type: "upsample", scale: [1.5, 2] }],
    ["upsample size 14x14 mode linear", { type: "upsample", size: [14, 14], mode: "linear" }],
    [
      "UpSampling2D scale_factor 2 interpolation bilinear",
      { type: "upsample", scale: 2, mode: "linear" },
    ],
    ["upsample 2 mode nearest", { type: "upsample", scale: 2, mode: "nearest" }],
    ["pixelshuffle 2", { type: "pixelshuffle", factor: 2 }],
    ["DepthToSpace upscale_factor 2", { type: "pixelshuffle", factor: 2 }],
    ["pixelunshuffle 2", { type: "pixelunshuffle", factor: 2 }],
    ["space_to_depth downscale_factor 4", { type: "pixelunshuffle", factor: 4 }],
    ["channelshuffle 2", { type: "channelshuffle", groups: 2 }],
    ["slice channels [0, 58]", { type: "slice", channels: [0, 58] }],
    ["slice [58, 116]", { type: "slice", channels: [58, 116] }],
    ["zeropad 1x2", { type: "zeropad", padding: [1, 2] }],
    [
      "ZeroPadding2D [[1, 0], [2, 1]]",
      {
        type: "zeropad",
        padding: [
          [1, 0],
          [2, 1],
        ],
      },
    ],
    ["crop 4", { type: "crop", cropping: 4 }],
    [
      "Cropping2D cropping [[0, 1], [1, 0]]",
      {
        type: "crop",
        cropping: [
          [0, 1],
          [1, 0],
        ],
      },
    ],
  ])("%s", (line, layer) => {
    const { spec } = parseTextSpec(`input 28x28x116\n${line}\n`);
    expect(spec.layers).toEqual([layer]);
    // the same layer in JSON reads the same
    expect(parseJsonSpec(JSON.stringify({ input: [28, 28, 116], layers: [layer] })).spec).toEqual(
      spec,
    );
  });

  it.each([
    ["upsample 2", [56, 56, 116]],
    ["upsample size 14x30", [14, 30, 116]],
    ["upsample 1.5", [42, 42, 116]],
    ["adaptiveavgpool 5", [5, 5, 116]],
    ["pixelshuffle 2", [56, 56, 29]],
    ["pixelunshuffle 2", [14, 14, 464]],
    ["channelshuffle 2", [28, 28, 116]],
    ["slice [0, 58]", [28, 28, 58]],
    ["zeropad [[1, 0], [2, 1]]", [29, 31, 116]],
    ["crop 4", [20, 20, 116]],
    ["globalmaxpool keepdims", [1, 1, 116]],
    ["globalmaxpool", [116]],
  ])("input 28x28x116, %s: %j", (line, shape) => {
    const result = analyzeSource(`input 28x28x116\n${line}\n`);
    if (!result.ok) throw result.error;
    expect(shapeToArray(result.analysis.output)).toEqual(shape);
  });

  it("prints each of them back as it reads them (convert)", () => {
    const text =
      "input 28x28x116\nadaptiveavgpool 7x7\nupsample 2 mode linear\nupsample size 14x14\npixelunshuffle 2\npixelshuffle 2\nchannelshuffle 2\nslice [0, 58]\nzeropad [[1, 0], [2, 1]]\ncrop 1x2\nglobalavgpool keepdims\n";
    const result = analyzeSource(text);
    if (!result.ok) throw result.error;
    expect(result.parsed.spec.layers.map((l) => l.type)).toEqual([
      "adaptiveavgpool",
      "upsample",
      "upsample",
      "pixelunshuffle",
      "pixelshuffle",
      "channelshuffle",
      "slice",
      "zeropad",
      "crop",
      "globalavgpool",
    ]);
  });
});

describe("errors name the key, say what was expected and what was received, and point at it", () => {
  it.each([
    [
      '{"input": [8, 8, 3], "layers": [{"type": "upsample", "scale": 2, "size": 16}]}',
      {
        code: "invalid-value",
        path: "layers[0].size",
        message:
          "upsample takes a scale or a size, not both; expected exactly one. Received: scale=2, size=16",
        at: "16",
      },
    ],
    [
      '{"input": [8, 8, 3], "layers": [{"type": "upsample"}]}',
      {
        code: "missing-key",
        path: "layers[0].scale",
        message:
          "missing 'scale'; upsample needs a scale factor or a target size; expected exactly one of scale and size",
      },
    ],
    [
      "input 8x8x3\nupsample 2 mode bicubic\n",
      {
        code: "invalid-value",
        path: "layers[0].mode",
        message:
          'expected nearest or linear (bilinear and trilinear mean linear); received "bicubic"',
        at: "bicubic",
      },
    ],
    [
      "input 8x8x3\nupsample 0.1\n",
      {
        code: "output-size",
        path: "layers[0].scale",
        message:
          "scale 0.1 leaves no output along rows: floor(8 × 0.1) = 0; expected an output size of at least 1. Received: scale=0.1, input=8",
        at: "0.1",
      },
    ],
    [
      "input 8x8x6\npixelshuffle 2\n",
      {
        code: "not-divisible",
        path: "layers[0].factor",
        message:
          "channels 6 are not divisible by factor² = 4; expected a multiple of 4 channels. Received: factor=2, channels=6",
        at: "2",
      },
    ],
    [
      "input 7x8x3\npixelunshuffle 2\n",
      {
        code: "not-divisible",
        path: "layers[0].factor",
        message:
          "rows 7 are not divisible by factor 2; expected every spatial size to be a multiple of 2. Received: factor=2, input=7×8",
        at: "2",
      },
    ],
    [
      "input 8x8x10\nchannelshuffle 4\n",
      {
        code: "groups-mismatch",
        path: "layers[0].groups",
        message:
          "groups must divide the input channels; expected a divisor of 10. Received: groups=4, channels=10",
        at: "4",
      },
    ],
    [
      "input 8x8x16\nslice [8, 20]\n",
      {
        code: "channel-range",
        path: "layers[0].channels",
        message:
          "the channel range must lie within the input's 16 channels and be non-empty; expected 0 ≤ start < end ≤ 16. Received: channels=[8, 20]",
        at: "[8, 20]",
      },
    ],
    [
      "input 8x8x3\ncrop [[4, 4], [0, 0]]\n",
      {
        code: "output-size",
        path: "layers[0].cropping",
        message:
          "cropping 4 + 4 leaves none of the 8 rows; expected at most 7 in total. Received: cropping=[4, 4], input=8",
        at: "[[4, 4], [0, 0]]",
      },
    ],
    [
      "input 8x8x3\nzeropad 1x2x3\n",
      {
        code: "rank-mismatch",
        path: "layers[0].padding",
        message:
          "padding has 3 values but the input has 2 spatial dimensions; expected one size, 2 sizes or 2 [before, after] pairs. Received: padding=[1, 2, 3]",
        at: "1x2x3",
      },
    ],
    [
      "input 8x8x3\nadaptiveavgpool 0\n",
      {
        code: "invalid-value",
        path: "layers[0].output",
        message: "expected a positive integer; received 0",
        at: "0",
      },
    ],
    [
      "input 16x3\nupsampling2d 2\n",
      {
        code: "rank-mismatch",
      },
    ],
  ])("%s", (text, expected) => {
    expect(errorOf(text)).toMatchObject(expected);
  });
});

describe("--explain", () => {
  it.each([
    [
      "adaptiveavgpool 5",
      "Connections: L×Π(J + N − gcd(J, N)) = 3×(14 + 5 − 1)×(14 + 5 − 1) = 3×18×18 = 972",
    ],
    ["adaptivemaxpool 7", "Connections: 7×7×3×2×2 = 588 (each neuron reads its 2×2 window)"],
    ["upsample 1.5", "Width and height: floor(14×1.5) = 21"],
    [
      "pixelunshuffle 2",
      "Neurons in layer: 0 (pixelunshuffle only moves values from space into channels; channels: 3×2² = 12;",
    ],
    ["zeropad [[1, 0], [2, 1]]", "Width: 14 + 2 + 1 = 17"],
    ["crop [[1, 0], [2, 1]]", "Height: 14 − 1 − 0 = 13"],
    [
      "globalavgpool keepdims",
      "Neurons in layer: L = 3 (one per channel, kept as 1×1×3 (keepdims))",
    ],
  ])("%s", (line, shown) => {
    const result = analyzeSource(`input 14x14x3\n${line}\n`);
    if (!result.ok) throw result.error;
    const layer = result.analysis.layers[0];
    if (layer === undefined) throw new Error("no layer");
    const w = explainLayer(layer);
    const text = [w.given, ...displayLines(w).map((l) => `${l.label}: ${l.text}`)].join("\n");
    expect(text).toContain(shown);
  });
});

describe("a framework's key that means another thing than cnncalc's", () => {
  it("refuses Keras' UpSampling2D size (a factor), naming scale, instead of reading a target size", () => {
    const text = '{"input": [16, 16, 8], "layers": [{"type": "UpSampling2D", "size": [2, 2]}]}';
    expect(errorOf(text)).toEqual({
      code: "invalid-value",
      path: "layers[0].size",
      message: `Keras' UpSampling2D 'size' is a scale factor; expected "scale" for a factor (cnncalc's "size" is the target size, as PyTorch's, with "type": "upsample"). Received: type=UpSampling2D, size=[2,2]`,
      at: "[2, 2]",
    });
  });

  it.each([
    ['{"type": "UpSampling2D", "scale": 2}', [32, 32, 8]],
    ['{"type": "upsample", "size": [2, 2]}', [2, 2, 8]],
  ])("reads %s", (layer, shape) => {
    const r = analyzeSource(`{"input": [16, 16, 8], "layers": [${layer}]}`);
    expect(r.ok && shapeToArray(r.analysis.output)).toEqual(shape);
  });
});
