import { describe, expect, it } from "vitest";
import { CnnError } from "../../src/core/errors.js";
import { LAYER_TYPES, TYPE_ALIASES, TYPE_WORDS } from "../../src/parse/names.js";
import { parseJsonSpec } from "../../src/parse/spec.js";
import { parseTextSpec } from "../../src/parse/text.js";

const json = (layer: string, input = "[8, 8, 3]") => `{"input": ${input}, "layers": [${layer}]}`;

/** The diagnostic a parse throws, with the text its span covers. */
function errorOf(parse: () => unknown, text: string) {
  try {
    parse();
  } catch (e) {
    expect(e).toBeInstanceOf(CnnError);
    const d = (e as CnnError).diagnostic;
    return {
      code: d.code,
      path: d.path,
      message: d.message,
      hint: d.hint,
      at: d.span ? text.slice(d.span.start, d.span.end) : undefined,
    };
  }
  throw new Error("expected an error");
}
const jsonError = (text: string) => errorOf(() => parseJsonSpec(text), text);
const textError = (text: string) => errorOf(() => parseTextSpec(text), text);

const TYPES = `expected one of: ${LAYER_TYPES.join(", ")}`;

describe("JSON reads names in any case, as the text language does", () => {
  it.each([
    ['{"type": "Conv", "filters": 4, "kernel": 3}', { type: "conv", filters: 4, kernel: 3 }],
    ['{"type": "DENSE", "units": 2}', { type: "dense", units: 2 }],
    ['{"type": "Max_Pool", "kernel": 2}', { type: "maxpool", kernel: 2 }],
    [
      '{"type": "conv", "filters": 4, "kernel": 3, "padding": "SAME"}',
      { type: "conv", filters: 4, kernel: 3, padding: "same" },
    ],
    [
      '{"type": "conv", "filters": 4, "kernel": 3, "padding": "Valid", "activation": "ReLU"}',
      { type: "conv", filters: 4, kernel: 3, padding: "valid", activation: "relu" },
    ],
    [
      '{"type": "Activation", "function": "Leaky_ReLU"}',
      { type: "activation", function: "leakyrelu" },
    ],
    [
      '{"type": "dense", "units": 2, "activation": "Swish"}',
      { type: "dense", units: 2, activation: "silu" },
    ],
  ])("%s", (layer, expected) => {
    expect(parseJsonSpec(json(layer)).spec.layers[0]).toEqual(expected);
  });

  it("still refuses an unknown word, showing it as written", () => {
    expect(
      jsonError(json('{"type": "conv", "filters": 4, "kernel": 3, "padding": "FULL"}')),
    ).toMatchObject({
      code: "invalid-value",
      path: "layers[0].padding",
      message:
        'expected a non-negative integer, a list of 1 to 3 of them, "valid" or "same"; received "FULL"',
    });
  });
});

describe("framework spellings", () => {
  // names that are aliases: read as the cnncalc type, in JSON and in the text language alike
  it.each([
    ["Conv2d", "conv", "filters", "4 3", '"filters": 4, "kernel": 3'],
    ["conv2d", "conv", "filters", "4 3", '"filters": 4, "kernel": 3'],
    ["Conv2D", "conv", "filters", "4 3", '"filters": 4, "kernel": 3'],
    ["Linear", "dense", "units", "10", '"units": 10'],
    ["BatchNorm2d", "batchnorm", undefined, "", ""],
    ["BatchNormalization", "batchnorm", undefined, "", ""],
    ["MaxPool2d", "maxpool", "kernel", "2", '"kernel": 2'],
    ["MaxPooling2D", "maxpool", "kernel", "2", '"kernel": 2'],
    ["GlobalAveragePooling2D", "globalavgpool", undefined, "", ""],
    ["ConvTranspose2d", "convtranspose", "filters", "4 3", '"filters": 4, "kernel": 3'],
    ["LayerNorm", "layernorm", undefined, "", ""],
    ["LayerNormalization", "layernorm", undefined, "", ""],
    ["GroupNorm", "groupnorm", "groups", "4", '"groups": 4'],
    ["InstanceNorm2d", "instancenorm", undefined, "", ""],
    ["PReLU", "prelu", undefined, "", ""],
  ])("%s is read as %s", (name, type, _key, textArgs, jsonFields) => {
    const fromJson = parseJsonSpec(
      json(`{"type": "${name}"${jsonFields ? `, ${jsonFields}` : ""}}`),
    ).spec;
    const fromText = parseTextSpec(`input 8x8x3\n${name} ${textArgs}\n`).spec;
    expect(fromJson.layers[0]?.type).toBe(type);
    expect(fromText.layers).toEqual(fromJson.layers);
  });

  it("one alias table serves both readers", () => {
    for (const [alias, type] of Object.entries(TYPE_ALIASES))
      expect(TYPE_WORDS.get(alias)).toBe(type);
  });

  it.each([
    [
      "Linear with PyTorch's keys",
      '{"type": "Linear", "in_features": 192, "out_features": 10}',
      "layers[0].in_features",
      "unknown key 'in_features'; expected one of: type, name, units, bias, activation",
      "'Linear' is read as dense, whose keys differ: leave out 'in_features' (cnncalc takes it from the layer's input); write \"units\": 10 for 'out_features'",
    ],
    [
      "Conv2d with PyTorch's keys",
      '{"type": "Conv2d", "in_channels": 3, "out_channels": 16, "kernel_size": 3}',
      "layers[0].in_channels",
      "unknown key 'in_channels'; expected one of: type, name, filters, kernel, stride, padding, dilation, groups, bias, activation, connections",
      "'Conv2d' is read as conv, whose keys differ: leave out 'in_channels' (cnncalc takes it from the layer's input); write \"filters\": 16 for 'out_channels'; write \"kernel\": 3 for 'kernel_size'",
    ],
    [
      "MaxPool2d with kernel_size",
      '{"type": "MaxPool2d", "kernel_size": 2}',
      "layers[0].kernel_size",
      "unknown key 'kernel_size'; expected one of: type, name, kernel, stride, padding, ceil",
      "'MaxPool2d' is read as maxpool, whose keys differ: write \"kernel\": 2 for 'kernel_size'",
    ],
    [
      "BatchNorm2d with num_features",
      '{"type": "BatchNorm2d", "num_features": 3}',
      "layers[0].num_features",
      "unknown key 'num_features'; expected one of: type, name, gamma, beta",
      "'BatchNorm2d' is read as batchnorm, whose keys differ: leave out 'num_features' (cnncalc takes it from the layer's input)",
    ],
    [
      "Keras's strides on conv",
      '{"type": "conv", "filters": 4, "kernel": 3, "strides": 2}',
      "layers[0].strides",
      "unknown key 'strides'; expected one of: type, name, filters, kernel, stride, padding, dilation, groups, bias, activation, connections",
      "write \"stride\": 2 for 'strides'",
    ],
    [
      "a key in another case",
      '{"type": "dense", "Units": 3}',
      "layers[0].Units",
      "unknown key 'Units'; expected one of: type, name, units, bias, activation",
      "write \"units\": 3 for 'Units'",
    ],
  ])("JSON: %s names the right keys", (_, layer, path, message, hint) => {
    expect(jsonError(json(layer))).toMatchObject({ code: "unknown-key", path, message, hint });
  });

  // names that are not aliases: an error whose hint says how cnncalc writes it
  it.each([
    [
      "DepthwiseConv2D",
      `unknown layer type 'DepthwiseConv2D'; ${TYPES}`,
      'a depthwise convolution is a conv with one group per input channel: {"type": "conv", "filters": C, "kernel": 3, "groups": C} for C input channels',
      "a depthwise convolution is a conv with one group per input channel: conv C 3x3 groups C, for C input channels",
    ],
    [
      "SeparableConv2D",
      `unknown layer type 'SeparableConv2D'; ${TYPES}`,
      'a separable convolution is a depthwise conv then a 1×1 conv: {"type": "conv", "filters": C, "kernel": 3, "groups": C}, then {"type": "conv", "filters": N, "kernel": 1}, for C input channels',
      "a separable convolution is a depthwise conv then a 1×1 conv: conv C 3x3 groups C, then conv N 1x1, for C input channels",
    ],
    [
      "Concatenate",
      `unknown layer type 'Concatenate'; ${TYPES}`,
      'cnncalc writes a concatenation with its branches: {"type": "concat", "branches": [[...], [...]]}',
      "cnncalc writes a concatenation with its branches: concat { branch { ... } branch { ... } }",
    ],
  ])("%s: the error says how to write it", (name, message, jsonHint, textHint) => {
    expect(jsonError(json(`{"type": "${name}"}`))).toMatchObject({
      code: "unknown-type",
      path: "layers[0].type",
      message,
      hint: jsonHint,
      at: `"${name}"`,
    });
    expect(textError(`input 8x8x3\n${name}\n`)).toMatchObject({
      code: "unknown-type",
      message: `${message} (or an activation such as relu)`,
      hint: textHint,
      at: name,
    });
  });

  it("ReLU as a JSON type is pointed to the activation layer (the text language reads it as one)", () => {
    expect(jsonError(json('{"type": "ReLU"}'))).toMatchObject({
      code: "unknown-type",
      message: `unknown layer type 'ReLU'; ${TYPES}`,
      hint: 'relu is an activation: write {"type": "activation", "function": "relu"}, or "activation": "relu" on the layer before',
    });
    expect(parseTextSpec("input 8x8x3\nReLU\n").spec.layers).toEqual([
      { type: "activation", function: "relu" },
    ]);
  });

  it.each([
    ["LayerNorm elementwise_affine false", { type: "layernorm", affine: false }],
    ["GroupNorm num_groups 8", { type: "groupnorm", groups: 8 }],
    ["InstanceNorm2d track_running_stats", { type: "instancenorm", trackRunningStats: true }],
    ["PReLU", { type: "prelu" }],
    [
      "Add { branch { } branch { relu } }",
      { type: "add", branches: [[], [{ type: "activation", function: "relu" }]] },
    ],
    ["Multiply { branch { } }", { type: "multiply", branches: [[]] }],
  ])("the text language reads %s with PyTorch's keys", (line, layer) => {
    expect(parseTextSpec(`input 8x8x16\n${line}\n`).spec.layers).toEqual([layer]);
  });

  it("the text language takes frameworks' keys for the ones cnncalc has, and says to leave out the rest", () => {
    expect(parseTextSpec("input 8x8x3\nLinear out_features 10\n").spec.layers).toEqual([
      { type: "dense", units: 10 },
    ]);
    expect(textError("input 8x8x3\nLinear in_features 192 out_features 10\n")).toMatchObject({
      code: "unknown-option",
      hint: "leave out 'in_features' and its value (cnncalc takes it from the layer's input)",
      at: "in_features",
    });
  });

  it("a name with a dimensionality must agree with the spec's input, in JSON as in text", () => {
    expect(jsonError(json('{"type": "Conv1d", "filters": 4, "kernel": 3}'))).toMatchObject({
      code: "rank-mismatch",
      path: "layers[0].type",
      message:
        "'Conv1d' names a 1-D layer, but the input is 2-D (8×8×3); expected \"conv\" (the dimensionality comes from the input) or a 1-D input",
    });
    expect(
      parseJsonSpec(json('{"type": "Conv1d", "filters": 4, "kernel": 3}', "[100, 2]")).spec
        .layers[0],
    ).toEqual({
      type: "conv",
      filters: 4,
      kernel: 3,
    });
  });
});
