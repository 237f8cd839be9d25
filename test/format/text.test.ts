import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LAYER_TYPES } from "../../src/core/traits.js";
import { ACTIVATIONS } from "../../src/core/types.js";
import { specToJson } from "../../src/format/spec-json.js";
import { specToText } from "../../src/format/text.js";
import { parseJsonSpec } from "../../src/parse/spec.js";
import { parseTextSpec } from "../../src/parse/text.js";
import { byTier } from "../helpers/tier.js";

const int = (min: number, max: number) => fc.integer({ min, max });
const size = fc.oneof(int(1, 9), fc.array(int(1, 9), { minLength: 1, maxLength: 3 }));
const padding = fc.oneof(
  int(0, 3),
  fc.array(int(0, 3), { minLength: 1, maxLength: 3 }),
  fc.constantFrom("same", "valid"),
);
const pads = fc.oneof(
  int(0, 3),
  fc.array(int(0, 3), { minLength: 1, maxLength: 3 }),
  fc.array(fc.tuple(int(0, 3), int(0, 3)), { minLength: 1, maxLength: 3 }),
);
const activation = fc.constantFrom(...ACTIVATIONS, "swish", "rectifier", "identity");
const name = fc.string({ unit: "grapheme", maxLength: 12 });
/** The type names the generators below produce, to check every layer type has one. */
const GENERATED = new Set<string>();
const opt = <T extends Record<string, fc.Arbitrary<unknown>>>(
  type: string,
  fields: T,
  required: (keyof T & string)[] = [],
) => {
  GENERATED.add(type);
  return fc.record(
    { type: fc.constant(type), name, ...fields },
    {
      requiredKeys: ["type", ...required] as never,
    },
  );
};

const leaf = fc.oneof(
  opt(
    "conv",
    {
      filters: int(1, 64),
      kernel: size,
      stride: size,
      padding,
      dilation: size,
      groups: int(1, 4),
      bias: fc.boolean(),
      activation,
      connections: fc.array(fc.array(int(0, 5), { maxLength: 3 }), { maxLength: 3 }),
    },
    ["filters", "kernel"],
  ),
  opt(
    "convtranspose",
    {
      filters: int(1, 64),
      kernel: size,
      stride: size,
      padding: fc.oneof(int(0, 3), fc.constantFrom("same", "valid")),
      outputPadding: fc.oneof(int(0, 2), fc.array(int(0, 2), { minLength: 1, maxLength: 3 })),
      dilation: size,
      groups: int(1, 4),
      bias: fc.boolean(),
      activation,
    },
    ["filters", "kernel"],
  ),
  opt("maxpool", { kernel: size, stride: size, padding, ceil: fc.boolean() }, ["kernel"]),
  opt("avgpool", { kernel: size, stride: size, padding, ceil: fc.boolean() }, ["kernel"]),
  opt("subsample", { kernel: size, stride: size, activation }, ["kernel"]),
  opt("globalavgpool", { keepdims: fc.boolean() }),
  opt("globalmaxpool", { keepdims: fc.boolean() }),
  opt("adaptiveavgpool", { output: size }, ["output"]),
  opt("adaptivemaxpool", { output: size }, ["output"]),
  opt(
    "upsample",
    {
      scale: fc.oneof(
        fc.double({ min: 0.25, max: 4, noNaN: true }),
        fc.array(fc.double({ min: 0.25, max: 4, noNaN: true }), { minLength: 1, maxLength: 3 }),
      ),
      size,
      mode: fc.constantFrom("nearest", "linear", "bilinear", "trilinear"),
    },
    ["scale"],
  ),
  opt("upsample", { size, mode: fc.constantFrom("nearest", "linear") }, ["size"]),
  opt("pixelshuffle", { factor: int(1, 4) }, ["factor"]),
  opt("pixelunshuffle", { factor: int(1, 4) }, ["factor"]),
  opt("channelshuffle", { groups: int(1, 8) }, ["groups"]),
  opt("slice", { channels: fc.tuple(int(0, 64), int(1, 64)) }, ["channels"]),
  opt("zeropad", { padding: pads }, ["padding"]),
  opt("crop", { cropping: pads }, ["cropping"]),
  opt("dense", { units: int(1, 999), bias: fc.boolean(), activation }, ["units"]),
  opt("fc", { units: int(1, 999) }, ["units"]),
  opt("flatten", {}),
  opt("activation", { function: activation }, ["function"]),
  opt("dropout", { rate: fc.double({ min: 0, max: 1, noNaN: true }) }),
  opt("batchnorm", {}),
  opt("lrn", { size: int(1, 9) }),
  opt("layernorm", {
    over: fc.constantFrom("channels", "all"),
    affine: fc.boolean(),
    bias: fc.boolean(),
  }),
  opt("groupnorm", { groups: int(1, 32), affine: fc.boolean() }, ["groups"]),
  opt("instancenorm", { affine: fc.boolean(), trackRunningStats: fc.boolean() }),
  opt("layerscale", {}),
  opt("prelu", { shared: fc.boolean() }),
);

const { layer } = fc.letrec<{ layer: Record<string, unknown> }>((tie) => {
  const list = (min: number) =>
    fc.array(tie("layer") as fc.Arbitrary<Record<string, unknown>>, {
      minLength: min,
      maxLength: 3,
    });
  return {
    layer: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      opt("residual", { body: list(1), shortcut: list(0) }, ["body"]),
      opt("concat", { branches: fc.array(list(0), { minLength: 1, maxLength: 3 }) }, ["branches"]),
      opt("add", { branches: fc.array(list(0), { minLength: 1, maxLength: 3 }) }, ["branches"]),
      opt("multiply", { branches: fc.array(list(0), { minLength: 1, maxLength: 3 }) }, [
        "branches",
      ]),
      opt("denseblock", { repeat: int(1, 6), body: list(1) }, ["repeat", "body"]),
      opt("repeat", { times: int(1, 6), body: list(1) }, ["times", "body"]),
    ),
  };
});

const network = fc.record(
  {
    name,
    input: fc.array(int(1, 300), { minLength: 1, maxLength: 4 }),
    layers: fc.array(layer, { maxLength: 5 }),
  },
  { requiredKeys: ["layers"] },
);

describe("specToText and specToJson", () => {
  it("has a generator for every layer type", () => {
    for (const t of LAYER_TYPES) expect(GENERATED.has(t), t).toBe(true);
  });

  it("JSON -> text -> JSON gives the identical spec, blocks included", () => {
    fc.assert(
      fc.property(network, (raw) => {
        const fromJson = parseJsonSpec(JSON.stringify(raw)).spec;
        const text = specToText(fromJson);
        expect(parseTextSpec(text).spec).toStrictEqual(fromJson);
        expect(parseJsonSpec(specToJson(fromJson)).spec).toStrictEqual(fromJson);
      }),
      { numRuns: byTier(80, 200) },
    );
  });

  it("prints the DQN in the compact language", () => {
    const { spec } = parseJsonSpec(
      JSON.stringify({
        name: "DQN",
        input: [84, 84, 4],
        layers: [
          { type: "conv", filters: 16, kernel: 8, stride: 4, activation: "relu" },
          { type: "conv", filters: 32, kernel: [4, 4], stride: 2, activation: "relu" },
          { type: "dense", units: 256, activation: "relu" },
          { type: "dense", units: 18, bias: false },
          { type: "activation", function: "softmax" },
        ],
      }),
    );
    expect(specToText(spec)).toBe(`name "DQN"
input 84x84x4
conv 16 8 stride 4 relu
conv 32 4x4 stride 2 relu
dense 256 relu
dense 18 nobias
softmax
`);
  });

  it("prints blocks indented in braces", () => {
    const { spec } = parseTextSpec(
      "input 8x8x4\nresidual { conv 4 3x3 same } shortcut { conv 4 1x1 }\nconcat { branch { bn } branch { relu } }\nrepeat 2 { dropout 0.1 }",
    );
    expect(specToText(spec)).toBe(`input 8x8x4
residual {
  conv 4 3x3 pad same
} shortcut {
  conv 4 1x1
}
concat {
  branch {
    batchnorm
  }
  branch {
    relu
  }
}
repeat 2 {
  dropout 0.1
}
`);
  });

  it("prints any nesting depth without recursion", () => {
    const depth = 20_000;
    let inner: Record<string, unknown> = { type: "dense", units: 2 };
    for (let i = 0; i < depth; i++) inner = { type: "repeat", times: 1, body: [inner] };
    const spec = { input: [4], layers: [inner] } as never;
    const text = specToText(spec);
    expect(text.split("\n")).toHaveLength(2 * depth + 3);
    // compared as text: deep equality itself would recurse
    expect(specToText(parseTextSpec(text, { maxDepth: depth + 1 }).spec)).toBe(text);
    const json = specToJson(spec);
    expect(specToJson(parseJsonSpec(json, { maxDepth: 3 * depth }).spec)).toBe(json);
  });
});
