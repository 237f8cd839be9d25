import { describe, expect, it } from "vitest";
import { analyze } from "../../src/core/analyze.js";
import { CnnError } from "../../src/core/errors.js";
import { LAYER_TYPES } from "../../src/core/traits.js";

/** The list of type names messages give, from the registry. */
const TYPES = LAYER_TYPES.join(", ");

import { formatDiagnostic } from "../../src/format/diagnostic.js";
import { PLAIN } from "../../src/format/style.js";
import { parseTextSpec } from "../../src/parse/text.js";

const DQN = `# DQN, Mnih et al. 2013
input 84x84x4
conv 16 8x8 stride 4 relu
conv 32 4x4 stride 2 relu
fc 256 relu
fc 18
`;

/** The formatted error of a text that must fail. */
function errorOf(source: string, file = "net.cnn"): string {
  try {
    parseTextSpec(source);
  } catch (e) {
    if (e instanceof CnnError) return formatDiagnostic(e.diagnostic, PLAIN, { file, source });
    throw e;
  }
  throw new Error("expected a parse error");
}

function layer(line: string): unknown {
  return parseTextSpec(line).spec.layers[0];
}

describe("compact layer language", () => {
  it("reads the tutorial's DQN and gives its numbers", () => {
    const { spec } = parseTextSpec(DQN);
    expect(spec.input).toEqual([84, 84, 4]);
    const a = analyze(spec);
    const rows = a.layers.map((r) => [
      r.outputShape.dims.join("x"),
      r.weightsPerNeuron,
      r.neurons,
      r.connections,
      r.trainableParameters,
    ]);
    expect(rows).toEqual([
      ["20x20", 257n, 6400n, 1644800n, 4112n],
      ["9x9", 257n, 2592n, 666144n, 8224n],
      ["", 2593n, 256n, 663808n, 663808n],
      ["", 257n, 18n, 4626n, 4626n],
    ]);
    expect(a.totals.parameters).toBe(680770n);
  });

  const DQN_CONV = { type: "conv", filters: 16, kernel: [8, 8], stride: 4, activation: "relu" };
  it.each([
    ["conv 16 8x8 stride 4 relu", DQN_CONV],
    ["CONV 16 8 x 8 STRIDE 4 ReLU", DQN_CONV],
    ["input 84x84x4\nConv2D 16 8×8 strides 4 Relu", DQN_CONV],
    ["conv 16 8X8 stride 4 relu   # trailing comment", DQN_CONV],
    ["conv 16 8 × 8 stride 4 relu", DQN_CONV],
    ["conv filters 16 kernel 8x8 stride 4 activation relu", DQN_CONV],
    ["conv kernel_size 8x8 16 act ReLU stride 4", DQN_CONV],
    ["conv 16 8 stride 4", { type: "conv", filters: 16, kernel: 8, stride: 4 }],
    [
      "conv 64 3x3 pad 1 nobias",
      { type: "conv", filters: 64, kernel: [3, 3], padding: 1, bias: false },
    ],
    ["conv 64 3x3 padding same", { type: "conv", filters: 64, kernel: [3, 3], padding: "same" }],
    ["conv 64 3x3 valid", { type: "conv", filters: 64, kernel: [3, 3], padding: "valid" }],
    ["conv 64 3x3 pad 1x2", { type: "conv", filters: 64, kernel: [3, 3], padding: [1, 2] }],
    [
      "conv 8 3x3 dilation 2 groups 2 bias false",
      { type: "conv", filters: 8, kernel: [3, 3], dilation: 2, groups: 2, bias: false },
    ],
    ["conv 8 [3] stride [4, 2]", { type: "conv", filters: 8, kernel: [3], stride: [4, 2] }],
    [
      "conv 4 5x5 connections [[0, 1, 2], [1 2 3]]",
      {
        type: "conv",
        filters: 4,
        kernel: [5, 5],
        connections: [
          [0, 1, 2],
          [1, 2, 3],
        ],
      },
    ],
    [
      'conv 16 8x8 name "first conv"',
      { type: "conv", filters: 16, kernel: [8, 8], name: "first conv" },
    ],
    [
      "deconv 16 4x4 stride 2 output_padding 1 tanh",
      {
        type: "convtranspose",
        filters: 16,
        kernel: [4, 4],
        stride: 2,
        outputPadding: 1,
        activation: "tanh",
      },
    ],
    ["fc 10", { type: "dense", units: 10 }],
    ["dense 10 softmax", { type: "dense", units: 10, activation: "softmax" }],
    ["linear 10 nobias", { type: "dense", units: 10, bias: false }],
    ["Dense 10 activation Swish", { type: "dense", units: 10, activation: "silu" }],
    ["maxpool 2x2 stride 2", { type: "maxpool", kernel: [2, 2], stride: 2 }],
    ["Max_Pool 3 stride 2 ceil", { type: "maxpool", kernel: 3, stride: 2, ceil: true }],
    ["avgpool 2 pad 1 ceil false", { type: "avgpool", kernel: 2, padding: 1, ceil: false }],
    ["subsample 2 sigmoid", { type: "subsample", kernel: 2, activation: "sigmoid" }],
    ["gap", { type: "globalavgpool" }],
    ["GlobalMaxPool", { type: "globalmaxpool" }],
    ["flatten", { type: "flatten" }],
    ["bn", { type: "batchnorm" }],
    ["BatchNorm", { type: "batchnorm" }],
    ["relu", { type: "activation", function: "relu" }],
    ["ReLU", { type: "activation", function: "relu" }],
    ["activation tanh", { type: "activation", function: "tanh" }],
    ["act leaky_relu", { type: "activation", function: "leakyrelu" }],
    ['softmax name "probs"', { type: "activation", function: "softmax", name: "probs" }],
    ["dropout 0.5", { type: "dropout", rate: 0.5 }],
    ["dropout rate 0.25", { type: "dropout", rate: 0.25 }],
    ["dropout", { type: "dropout" }],
    ["lrn 5", { type: "lrn", size: 5 }],
    ["lrn size 5", { type: "lrn", size: 5 }],
  ])("%s", (line, expected) => {
    expect(layer(line)).toStrictEqual(expected);
  });

  it("reads blocks nested in braces, on separate lines or one", () => {
    const { spec } = parseTextSpec(`input 32x32x64
residual name "r1" {
  conv 64 3x3 pad 1 relu
  bn
} shortcut {
  conv 64 1x1 nobias
}
concat { branch { conv 16 1x1 } branch { maxpool 3 stride 1 same; conv 16 1x1 } }
denseblock 4 { bn; relu; conv 12 3x3 same }
repeat 2 {
  residual { conv 64 3x3 same }
}
`);
    expect(spec.layers).toStrictEqual([
      {
        type: "residual",
        name: "r1",
        body: [
          { type: "conv", filters: 64, kernel: [3, 3], padding: 1, activation: "relu" },
          { type: "batchnorm" },
        ],
        shortcut: [{ type: "conv", filters: 64, kernel: [1, 1], bias: false }],
      },
      {
        type: "concat",
        branches: [
          [{ type: "conv", filters: 16, kernel: [1, 1] }],
          [
            { type: "maxpool", kernel: 3, stride: 1, padding: "same" },
            { type: "conv", filters: 16, kernel: [1, 1] },
          ],
        ],
      },
      {
        type: "denseblock",
        repeat: 4,
        body: [
          { type: "batchnorm" },
          { type: "activation", function: "relu" },
          { type: "conv", filters: 12, kernel: [3, 3], padding: "same" },
        ],
      },
      {
        type: "repeat",
        times: 2,
        body: [
          {
            type: "residual",
            body: [{ type: "conv", filters: 64, kernel: [3, 3], padding: "same" }],
          },
        ],
      },
    ]);
  });

  it("reads the network's name and input in their forms", () => {
    expect(parseTextSpec('name "DQN"\ninput 84 x 84 x 4\nfc 1').spec).toStrictEqual({
      name: "DQN",
      input: [84, 84, 4],
      layers: [{ type: "dense", units: 1 }],
    });
    expect(parseTextSpec("name My net (v2)\ninput [100]\nfc 1").spec).toStrictEqual({
      name: "My net (v2)",
      input: [100],
      layers: [{ type: "dense", units: 1 }],
    });
    expect(parseTextSpec("input 100\nfc 1").spec.input).toEqual([100]);
    expect(parseTextSpec("name DQN (Mnih et al., 2013) # comment\nfc 1").spec.name).toBe(
      "DQN (Mnih et al., 2013)",
    );
  });

  it("locates every layer and option in the text", () => {
    const source = `input 84x84x4
conv 16 8x8 stride 4 relu
residual {
  conv 32 3x5 pad 1
}
`;
    const { locate } = parseTextSpec(source);
    const at = (path: string) => {
      const s = locate(path);
      return s && source.slice(s.start, s.end);
    };
    expect(at("layers[0]")).toBe("conv 16 8x8 stride 4 relu");
    expect(at("layers[0].kernel")).toBe("8x8");
    expect(at("layers[0].kernel[1]")).toBe("8");
    expect(at("layers[0].stride")).toBe("4");
    expect(at("layers[0].activation")).toBe("relu");
    expect(at("layers[1].body[0].padding")).toBe("1");
    expect(at("layers[1].body[0]#2.kernel[1]")).toBe("5");
    expect(at("layers[1].body[0].dilation")).toBe("conv 32 3x5 pad 1");
    expect(at("input")).toBe("84x84x4");
    expect(at("input[2]")).toBe("4");
    expect(at("--input")).toBeUndefined();
  });

  it("reports errors like a compiler, with the line, a caret and a hint", () => {
    expect(errorOf("input 84x84x4\nconv 16 8x8 strde 4\n")).toBe(
      `net.cnn:2:13: error: unknown option 'strde' for conv; expected one of: name, filters, kernel, stride, pad, dilation, groups, bias, activation, connections, or an activation (relu, tanh, ...)
2 | conv 16 8x8 strde 4
  |             ^^^^^
hint: did you mean 'stride'?`,
    );
    expect(errorOf("cnv 16 3x3")).toBe(
      `net.cnn:1:1: error: unknown layer type 'cnv'; expected one of: ${TYPES} (or an activation such as relu)
1 | cnv 16 3x3
  | ^^^
hint: did you mean 'conv'?`,
    );
    expect(errorOf("input 8x8x1\nresidual {\n  conv 1 3x3 same\n")).toBe(
      `net.cnn:2:1: error: unterminated block 'residual {'; expected '}' before the end of the file
2 | residual {
  | ^^^^^^^^`,
    );
    expect(errorOf("fc 10\n}\n")).toBe(
      `net.cnn:2:1: error: unexpected '}'; no block is open here
2 | }
  | ^`,
    );
    expect(errorOf("conv 16 8x8 stride 0")).toBe(
      `net.cnn:1:20: error: layers[0].stride: expected a positive integer; received 0
1 | conv 16 8x8 stride 0
  |                    ^`,
    );
    expect(errorOf("conv 16")).toBe(
      `net.cnn:1:1: error: layers[0].kernel: missing 'kernel'; expected a positive integer or a list of 1 to 3 positive integers
1 | conv 16
  | ^^^^^^^
hint: write: conv FILTERS KERNEL [stride N] [pad N] [dilation N] [groups N] [nobias] [relu|tanh|...] [connections [[0, 1], ...]]`,
    );
    expect(errorOf("conv 16 3x3 activation relux")).toBe(
      `net.cnn:1:24: error: layers[0].activation: expected an activation: relu, relu6, leakyrelu, elu, gelu, silu, hardswish, tanh, sigmoid, softmax, linear; received "relux"
1 | conv 16 3x3 activation relux
  |                        ^^^^^
hint: did you mean 'relu'?`,
    );
    expect(errorOf("conv 16 3x3 stride 1 stride 2")).toBe(
      `net.cnn:1:22: error: 'stride' is given twice in this conv layer; expected it once
1 | conv 16 3x3 stride 1 stride 2
  |                      ^^^^^^`,
    );
    expect(errorOf("conv 16 3x3 4")).toBe(
      `net.cnn:1:13: error: unexpected value '4'; conv takes FILTERS KERNEL, then options such as stride, pad, dilation, groups
1 | conv 16 3x3 4
  |             ^
hint: write: conv FILTERS KERNEL [stride N] [pad N] [dilation N] [groups N] [nobias] [relu|tanh|...] [connections [[0, 1], ...]]`,
    );
    expect(errorOf("conv 16 3x3 {\n}")).toBe(
      `net.cnn:1:13: error: conv is not a block; expected the end of the line; received '{'
1 | conv 16 3x3 {
  |             ^
hint: blocks are: residual, concat, denseblock N, repeat N`,
    );
    expect(errorOf("repeat 2\nconv 1 1")).toBe(
      `net.cnn:1:1: error: expected '{' after 'repeat 2' to open its body; received the end of the line
1 | repeat 2
  | ^^^^^^^^
hint: write: repeat TIMES { ... }`,
    );
    expect(errorOf("fc 10\nshortcut {\n}")).toBe(
      `net.cnn:2:1: error: 'shortcut { ... }' must follow a residual block's closing '}'; expected it right after 'residual { ... }'
2 | shortcut {
  | ^^^^^^^^`,
    );
    expect(errorOf("concat {\n  conv 1 1\n}")).toBe(
      `net.cnn:2:3: error: a concat block holds branches; expected 'branch {'; received 'conv'
2 |   conv 1 1
  |   ^^^^`,
    );
    expect(errorOf('conv 1 1 name "abc')).toBe(
      `net.cnn:1:15: error: unterminated string; expected a closing '"' before the end of the file
1 | conv 1 1 name "abc
  |               ^^^^`,
    );
    expect(errorOf('conv 1 1 name "a\\qb"')).toBe(
      `net.cnn:1:17: error: invalid escape '\\q' in a string; expected one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX
1 | conv 1 1 name "a\\qb"
  |                 ^^`,
    );
    expect(errorOf('name "DQN\tnet"').split("\n")[0]).toBe(
      "net.cnn:1:10: error: invalid string: it holds the control character U+0009; expected it written as an escape such as \\t",
    );
    expect(errorOf('name "a\\u00e9\\u12"').split("\n")[0]).toBe(
      "net.cnn:1:14: error: invalid escape '\\u12' in a string; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
    );
    expect(errorOf(`conv 1 1 connections ${"[".repeat(100_000)}`)).toBe(
      `net.cnn:1:30: error: lists nest deeper than 8 levels; expected numbers or lists of numbers
1 | conv 1 1 connections ${"[".repeat(79)}
  |                              ^`,
    );
    expect(errorOf("conv 16 8x8, stride 4")).toBe(
      `net.cnn:1:12: error: unexpected ','; expected an option or a value
1 | conv 16 8x8, stride 4
  |            ^`,
    );
    expect(errorOf("repeat 2 {\n}")).toBe(
      `net.cnn:1:10: error: layers[0].body: expected at least one layer in the body; received []
1 | repeat 2 {
  |          ^`,
    );
  });

  it("reads deep nesting without recursion and refuses nesting past the limit", () => {
    const depth = 20_000;
    const source = `input 4\n${"repeat 1 {\n".repeat(depth)}fc 2\n${"}\n".repeat(depth)}`;
    const { spec, locate } = parseTextSpec(source, { maxDepth: depth + 1 });
    let node = spec.layers[0];
    let levels = 0;
    while (node?.type === "repeat") {
      levels++;
      node = node.body[0];
    }
    expect(levels).toBe(depth);
    expect(node).toStrictEqual({ type: "dense", units: 2 });
    const path = `layers[0]${".body[0]".repeat(depth)}.units`;
    const span = locate(path);
    expect(span && source.slice(span.start, span.end)).toBe("2");
    expect(() => parseTextSpec(source, { maxDepth: 100 })).toThrow(/deeper than 100 levels/);
  });

  it("reads a large file in linear time", () => {
    const lines = 20_000;
    const source = `input 32x32x3\n${"conv 8 3x3 same relu # a comment\n".repeat(lines)}`;
    const t0 = performance.now();
    const { spec } = parseTextSpec(source);
    expect(spec.layers).toHaveLength(lines);
    // generous: a quadratic reader would take minutes here
    expect(performance.now() - t0).toBeLessThan(10_000);
  });
});

describe("type names with a dimensionality", () => {
  it("checks conv1d / conv2d / conv3d against the declared input", () => {
    expect((layer("input 100x4\nconv1d 8 5") as { type: string }).type).toBe("conv");
    expect(errorOf("input 28x28x1\nconv1d 6 5")).toContain(
      "error: 'conv1d' names a 1-D layer, but the input is 2-D (28×28×1); expected 'conv' (the dimensionality comes from the input) or a 1-D input",
    );
    expect(errorOf("conv2d 6 5")).toContain("no input line comes before it");
  });
});
