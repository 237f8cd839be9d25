import { describe, expect, it } from "vitest";
import { CnnError } from "../../src/core/errors.js";
import { parseAnswers } from "../../src/parse/answers.js";

function fails(text: string): { code: string; message: string; at: string; hint?: string } {
  try {
    parseAnswers(text);
  } catch (e) {
    if (!(e instanceof CnnError)) throw e;
    const d = e.diagnostic;
    return {
      code: d.code,
      message: d.message,
      at: d.span ? text.slice(d.span.start, d.span.end) : "",
      ...(d.hint ? { hint: d.hint } : {}),
    };
  }
  throw new Error("expected a failure");
}

describe("answers in plain lines", () => {
  it("reads layers by index or name, quantities by alias, numbers with separators", () => {
    const a = parseAnswers(
      [
        "# comment",
        "layer 1 neurons 6400",
        "conv2 connections 666,144",
        "1 connections 1 644 800",
        "layer1 parameters: 4_112",
        "fc1 (a) = 2593",
        "layer 3.1 width and height 20",
        "L2 output 9x9x32",
        "layer 2 size 9 × 9   // trailing comment",
        "layer 1 weight per filter (including bias): 257",
        "layer 1 width and height of layer: 20",
        "layer 4 number of neurons in this layer 18",
        "",
      ].join("\n"),
    );
    expect(a.map((x) => [x.line, x.layer, x.quantity, x.value])).toEqual([
      [2, { kind: "index", indices: [1] }, "neurons", { kind: "count", value: 6400n }],
      [3, { kind: "name", names: ["conv2"] }, "connections", { kind: "count", value: 666144n }],
      [4, { kind: "index", indices: [1] }, "connections", { kind: "count", value: 1644800n }],
      [5, { kind: "index", indices: [1] }, "parameters", { kind: "count", value: 4112n }],
      [
        6,
        { kind: "name", names: ["fc1", "dense1"] },
        "weightsPerNeuron",
        { kind: "count", value: 2593n },
      ],
      [7, { kind: "index", indices: [3, 1] }, "size", { kind: "count", value: 20n }],
      [8, { kind: "index", indices: [2] }, "output", { kind: "sizes", values: [9, 9, 32] }],
      [9, { kind: "index", indices: [2] }, "size", { kind: "sizes", values: [9, 9] }],
      [10, { kind: "index", indices: [1] }, "weightsPerNeuron", { kind: "count", value: 257n }],
      [11, { kind: "index", indices: [1] }, "size", { kind: "count", value: 20n }],
      [12, { kind: "index", indices: [4] }, "neurons", { kind: "count", value: 18n }],
    ]);
  });

  it("points at an unknown quantity and suggests one", () => {
    expect(fails("layer 1 neurons 6400\nlayer 2 neurns 2592\n")).toEqual({
      code: "unknown-quantity",
      message:
        "unknown quantity 'neurns'; expected one of: weights per neuron, width, height, size, output, neurons, connections, parameters",
      at: "neurns",
      hint: "did you mean 'neurons'?",
    });
  });

  it("rejects badly grouped and decimal numbers", () => {
    expect(fails("layer 1 neurons 6,40")).toMatchObject({ code: "invalid-number", at: "6,40" });
    expect(fails("layer 1 neurons 6400.5")).toMatchObject({ code: "invalid-number", at: "6400.5" });
  });

  it("needs a value, a quantity and some answer", () => {
    expect(fails("layer 1 neurons")).toMatchObject({ code: "missing-value" });
    expect(fails("conv1 6400")).toMatchObject({ code: "missing-quantity" });
    expect(fails("# nothing\n")).toMatchObject({ code: "no-answers" });
  });
});

describe("names a plain object inherits", () => {
  it("are unknown quantities and plain names, not a crash", () => {
    for (const word of ["constructor", "toString", "__proto__"]) {
      const f = fails(`layer 1 ${word} 257`);
      expect(f.code).toBe("unknown-quantity");
      expect(f.at).toBe(word);
    }
    const [a] = parseAnswers("constructor1 neurons 5");
    expect(a?.layer).toEqual({ kind: "name", names: ["constructor1"] });
  });
});

describe("answers in JSON", () => {
  it("reads a list and an object of layers", () => {
    const list = parseAnswers('[{"layer": 1, "quantity": "neurons", "value": 6400}]');
    expect(list[0]).toMatchObject({ line: 1, quantity: "neurons", value: { value: 6400n } });
    const obj = parseAnswers('{\n  "conv2": { "connections": "666,144", "output": [9, 9, 32] }\n}');
    expect(obj.map((x) => [x.line, x.layerText, x.quantity, x.value])).toEqual([
      [2, "conv2", "connections", { kind: "count", value: 666144n }],
      [2, "conv2", "output", { kind: "sizes", values: [9, 9, 32] }],
    ]);
  });

  it("reports bad values and keys with their place", () => {
    expect(fails('[{"layer": 1, "quantity": "neurons", "value": 6400.5}]')).toMatchObject({
      code: "invalid-number",
      at: "6400.5",
    });
    expect(fails('[{"layer": 1, "quantty": "neurons", "value": 1}]')).toMatchObject({
      code: "unknown-key",
      at: '"quantty"',
      hint: "did you mean 'quantity'?",
    });
    // the JSON reader refuses an integer it cannot hold exactly, before any answer is read
    expect(fails('{"1": {"neurons": 9007199254740993}}')).toMatchObject({ code: "number-range" });
  });
});
