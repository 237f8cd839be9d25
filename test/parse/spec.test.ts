import { describe, expect, it } from "vitest";
import { CnnError } from "../../src/core/errors.js";
import { LAYER_TYPES } from "../../src/core/traits.js";
import { parseJsonSpec } from "../../src/parse/spec.js";

/** The list of type names messages give, from the registry. */
const TYPES = LAYER_TYPES.join(", ");

function errorOf(text: string) {
  try {
    parseJsonSpec(text);
  } catch (e) {
    expect(e).toBeInstanceOf(CnnError);
    const d = (e as CnnError).diagnostic;
    return { ...d, at: d.span ? text.slice(d.span.start, d.span.end) : undefined };
  }
  throw new Error("expected an error");
}

const spec = (layer: string, input = "[84, 84, 4]") => `{"input": ${input}, "layers": [${layer}]}`;

describe("spec validation", () => {
  it("accepts the object form of the input and normalises aliases", () => {
    const { spec: s } = parseJsonSpec(
      '{"input": {"height": 32, "width": 16, "channels": 3}, "layers": [{"type": "fc", "units": 3, "activation": "swish"}]}',
    );
    expect(s.input).toEqual([32, 16, 3]);
    expect(s.layers[0]).toEqual({ type: "dense", units: 3, activation: "silu" });
  });

  it("reads type names a plain object inherits as unknown types, not as a crash", () => {
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      const e = errorOf(spec(`{"type": "${name}"}`));
      expect(e.code).toBe("unknown-type");
      expect(e.message).toMatch(new RegExp(`^unknown layer type '${name}'`));
    }
  });

  it("normalises type aliases to the canonical type names", () => {
    const { spec: s } = parseJsonSpec(
      spec('{"type": "conv", "filters": 1, "kernel": 1}, {"type": "fc", "units": 2}'),
    );
    expect(s.layers.map((l) => l.type)).toEqual(["conv", "dense"]);
  });

  it.each([
    [
      spec('{"type": "conv", "filters": 16, "kernel": 8, "strde": 4}'),
      "layers[0].strde",
      "unknown key 'strde'; expected one of: type, name, filters, kernel, stride, padding, dilation, groups, bias, activation, connections",
      "did you mean 'stride'?",
      '"strde"',
    ],
    [
      spec('{"type": "covn", "filters": 16, "kernel": 8}'),
      "layers[0].type",
      `unknown layer type 'covn'; expected one of: ${TYPES}`,
      "did you mean 'conv'?",
      '"covn"',
    ],
    [
      spec('{"type": "conv", "filters": 16, "kernel": 8, "activation": "rleu"}'),
      "layers[0].activation",
      'expected an activation: relu, relu6, leakyrelu, elu, gelu, silu, hardswish, tanh, sigmoid, softmax, linear; received "rleu"',
      "did you mean 'relu'?",
      '"rleu"',
    ],
    [
      spec('{"type": "conv", "filters": 4, "kernel": "3x3"}'),
      "layers[0].kernel",
      'expected a positive integer or a list of 1 to 3 positive integers; received "3x3"',
      undefined,
      '"3x3"',
    ],
    [
      spec('{"type": "conv", "filters": 0, "kernel": 8}'),
      "layers[0].filters",
      "expected a positive integer; received 0",
      undefined,
      "0",
    ],
    [
      spec('{"type": "conv", "filters": 2.5, "kernel": 8}'),
      "layers[0].filters",
      "expected a positive integer; received 2.5",
      undefined,
      "2.5",
    ],
    [
      spec('{"type": "conv", "filters": "16", "kernel": 8}'),
      "layers[0].filters",
      'expected a positive integer; received "16"',
      undefined,
      '"16"',
    ],
    [
      spec('{"type": "conv", "filters": 1e308, "kernel": 8}'),
      undefined,
      "the number 1e308 is beyond the exact range of numbers cnncalc reads; expected an integer of at most 2^53 - 1 (9007199254740991)",
      undefined,
      "1e308",
    ],
    [
      spec('{"type": "conv", "kernel": 8}'),
      "layers[0].filters",
      "missing 'filters'; expected a positive integer",
      undefined,
      '{"type": "conv", "kernel": 8}',
    ],
    [
      spec('{"type": "conv", "filters": 4, "kernel": [3, 0]}'),
      "layers[0].kernel[1]",
      "expected a positive integer; received 0",
      undefined,
      "0",
    ],
    [
      spec('{"type": "maxpool", "kernel": 2, "padding": "full"}'),
      "layers[0].padding",
      'expected a non-negative integer, a list of 1 to 3 of them, "valid" or "same"; received "full"',
      undefined,
      '"full"',
    ],
    [
      spec('{"filters": 4}'),
      "layers[0]",
      `missing 'type'; expected a layer type: ${TYPES}`,
      undefined,
      '{"filters": 4}',
    ],
    [
      spec("3"),
      "layers[0]",
      'expected a layer object such as {"type": "conv", ...}; received 3',
      undefined,
      "3",
    ],
    [
      '{"input": [84, 84, 4], "layer": []}',
      "layer",
      "unknown key 'layer'; expected one of: $schema, name, input, layers",
      "did you mean 'layers'?",
      '"layer"',
    ],
    [
      "[1, 2]",
      "",
      'expected a JSON object with "input" and "layers"; received [1,2]',
      undefined,
      "[1, 2]",
    ],
    [
      spec('{"type": "dense", "units": 4}', "[84, -1]"),
      "input[1]",
      "expected a positive integer; received -1",
      undefined,
      "-1",
    ],
    [
      spec('{"type": "conv", "filters": 4, "kernel": []}'),
      "layers[0].kernel",
      "expected a list of 1 to 3 values; received []",
      undefined,
      "[]",
    ],
    [
      spec('{"type": "dense", "units": 4}', "[]"),
      "input",
      "expected a list of 1 to 4 values; received []",
      undefined,
      "[]",
    ],
    [
      '{"$schema": 5, "input": [4], "layers": []}',
      "$schema",
      "expected a string (the URL of the JSON Schema); received 5",
      undefined,
      "5",
    ],
  ])("%s", (text, path, message, hint, at) => {
    const d = errorOf(text);
    expect(d.path).toBe(path);
    expect(d.message).toBe(message);
    expect(d.hint).toBe(hint);
    expect(d.at).toBe(at);
  });

  it("validates nested blocks with their paths", () => {
    const d = errorOf(
      spec(
        '{"type": "residual", "body": [{"type": "conv", "filters": 4, "kernel": 3, "padding": 1}, {"type": "conv", "filters": -4, "kernel": 3}]}',
      ),
    );
    expect(d.path).toBe("layers[0].body[1].filters");
    expect(d.at).toBe("-4");
  });

  it("reports the first layer with a problem, in the file's order, when there are several", () => {
    const bad = (n: number) => `{"type": "conv", "filters": -${n}, "kernel": 3}`;
    const ok = '{"type": "batchnorm"}';
    const cases: [string, string][] = [
      // a block's body before its shortcut, both before the next layer
      [
        `{"type": "residual", "body": [${ok}, ${bad(1)}], "shortcut": [${bad(2)}]}, ${bad(3)}`,
        "-1",
      ],
      [`{"type": "residual", "body": [${ok}], "shortcut": [${bad(2)}]}, ${bad(3)}`, "-2"],
      [`{"type": "residual", "shortcut": [${bad(1)}], "body": [${bad(2)}]}`, "-1"],
      // branches in order, and a layer's children before the layers after it
      [`{"type": "concat", "branches": [[${ok}], [${bad(1)}], [${bad(2)}]]}, ${bad(3)}`, "-1"],
      [
        `{"type": "repeat", "times": 2, "body": [{"type": "residual", "body": [${bad(1)}]}]}, ${bad(2)}`,
        "-1",
      ],
      [`${ok}, ${bad(1)}, {"type": "residual", "body": [${bad(2)}]}`, "-1"],
    ];
    for (const [layers, at] of cases) expect(errorOf(spec(layers)).at, layers).toBe(at);
  });

  it("reads a spec nested 3,000 blocks deep", () => {
    let layers = '{"type": "batchnorm"}';
    for (let i = 0; i < 3000; i++) layers = `{"type": "residual", "body": [${layers}]}`;
    const { spec: s } = parseJsonSpec(spec(layers));
    let depth = 0;
    for (let l = s.layers[0]; l?.type === "residual"; l = l.body[0]) depth++;
    expect(depth).toBe(3000);
  });
});
