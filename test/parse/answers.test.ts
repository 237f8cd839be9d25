import { describe, expect, it } from "vitest";
import { CnnError } from "../../src/core/errors.js";
import { parseAnswers, readAnswers } from "../../src/parse/answers.js";

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

describe("the tutorial's labels and headings", () => {
  const conv = (nth: number | "last" | null) => ({ kind: "role", role: "conv", nth });
  const dense = (nth: number | "last" | null) => ({ kind: "role", role: "dense", nth });
  const output = { kind: "role", role: "output", nth: null };
  const index = (...indices: number[]) => ({ kind: "index", indices });
  // text (a heading line, then the answer line), the layer, quantity, value read
  const cases: [string, unknown, string, bigint][] = [
    ["layer 1 (c) neurons 6400", index(1), "neurons", 6400n],
    ["layer 1 (a) 257", index(1), "weightsPerNeuron", 257n],
    ["first convolutional layer\n(a) weights per filter: 257", conv(1), "weightsPerNeuron", 257n],
    ["First Convolutional Layer:\n(b) width and height: 20", conv(1), "size", 20n],
    ["### Second Convolutional Layer:\nNeurons in layer: 2592", conv(2), "neurons", 2592n],
    ["second convolutional layer\nd. connections 666,144", conv(2), "connections", 666144n],
    ["conv layer 2\n(e) independent parameters 8224", conv(2), "parameters", 8224n],
    ["convolutional layer 1:\nc) neurons 6400", conv(1), "neurons", 6400n],
    ["fully connected layer neurons 256", dense(null), "neurons", 256n],
    [
      "Fully-Connected Layer:\nWeights per neuron: 1 + 2592 = 2593",
      dense(null),
      "weightsPerNeuron",
      2593n,
    ],
    ["output layer parameters 4,626", output, "parameters", 4626n],
    ["the output layer:\nConnections: 18 × 257 = 4626", output, "connections", 4626n],
    ["hidden layer\nneurons 256", { kind: "role", role: "hidden", nth: null }, "neurons", 256n],
    [
      "final hidden layer neurons 256",
      { kind: "role", role: "hidden", nth: "last" },
      "neurons",
      256n,
    ],
    ["first layer (c) 6400", { kind: "role", role: "layer", nth: 1 }, "neurons", 6400n],
    ["3rd layer\nneurons 256", { kind: "role", role: "layer", nth: 3 }, "neurons", 256n],
    ["second fully connected layer neurons 18", dense(2), "neurons", 18n],
    ["last conv layer\nneurons 2592", conv("last"), "neurons", 2592n],
    ["layer 2:\nneurons 2592", index(2), "neurons", 2592n],
    ["conv2:\nneurons 2592", { kind: "name", names: ["conv2"] }, "neurons", 2592n],
    ["- (c) Neurons in layer: $20 \\times 20 \\times 16 = 6400$", null, "neurons", 6400n],
  ];
  it.each(cases)("%j", (text, layer, quantity, value) => {
    // a line without its own layer takes the heading above, here a first line `layer 1`
    const sheet = readAnswers(layer === null ? `layer 1\n${text}` : text);
    expect(sheet.problems).toEqual([]);
    const [a] = sheet.answers;
    expect([a?.layer, a?.quantity, a?.value]).toEqual([
      layer ?? index(1),
      quantity,
      { kind: "count", value },
    ]);
  });

  it("reads two answers on one line, as the tutorial's solution writes them", () => {
    const cases: [string, [string, bigint][]][] = [
      [
        "Connections:  $20 \\times 20 \\times 16 \\times 257 = 1644800$ Independent parameters:  $16 \\times 257 = 4112$ ",
        [
          ["connections", 1644800n],
          ["parameters", 4112n],
        ],
      ],
      [
        "(c) neurons: 6400 (d) connections: 1,644,800",
        [
          ["neurons", 6400n],
          ["connections", 1644800n],
        ],
      ],
      ["connections into the neurons in this layer: 1644800", [["connections", 1644800n]]],
      ["layer 1 connections into the neurons in this layer: 1644800", [["connections", 1644800n]]],
    ];
    for (const [line, want] of cases) {
      const sheet = readAnswers(`layer 1\n${line}\n`);
      expect(sheet.problems).toEqual([]);
      expect(sheet.answers.map((a) => [a.quantity, (a.value as { value: bigint }).value])).toEqual(
        want,
      );
      expect(sheet.answers.every((a) => a.line === 2)).toBe(true);
    }
  });

  it("skips the givens the solution lists under a heading", () => {
    const sheet = readAnswers(
      "First Convolutional Layer:\n$$J = K = 84, L = 4, M = N = 8, P = 0, s = 4$$\nneurons 6400\n",
    );
    expect([sheet.problems, sheet.answers.length]).toEqual([[], 1]);
  });

  it("keeps the heading for the lines under it, and the latest layer named", () => {
    const sheet = readAnswers(
      "First Convolutional Layer:\nneurons 6400\n\n# a comment\nconnections 1644800\nlayer 4 neurons 18\nparameters 4626\n",
    );
    expect(sheet.answers.map((a) => [a.line, a.layerText, a.quantity])).toEqual([
      [2, "First Convolutional Layer", "neurons"],
      [5, "First Convolutional Layer", "connections"],
      [6, "4", "neurons"],
      [7, "4", "parameters"],
    ]);
  });
});

describe("lines that cannot be read are problems of the sheet, the rest is read", () => {
  const problemsOf = (text: string) =>
    readAnswers(text).problems.map((p) => [
      p.line,
      p.code,
      text.slice(p.span.start, p.span.end).trim(),
      p.hint ?? null,
    ]);
  const cases: [string, string, unknown[]][] = [
    [
      "a typo",
      "layer 1 neurons 6400\nlayer 2 neurns 2592\nlayer 3 neurons 256\n",
      [[2, "unknown-quantity", "neurns", "did you mean 'neurons'?"]],
    ],
    [
      "a typo under a heading",
      "output layer\nNeurns in layer: 18\n",
      [[2, "unknown-quantity", "Neurns in layer", "did you mean 'neurons'?"]],
    ],
    ["no layer and no heading", "neurons 6400\n", [[1, "missing-layer", "neurons", null]]],
    [
      "a heading that was not read",
      "Thrid convolutional layer\nneurons 6400\n",
      [
        [1, "missing-value", "", "did you mean 'Third convolutional layer'?"],
        [2, "missing-layer", "neurons", null],
      ],
    ],
    ["a heading without a quantity", "output layer 18\n", [[1, "missing-quantity", "", null]]],
    [
      "a bad number",
      "layer 1 neurons 6,40\nlayer 1 connections 1644800\n",
      [[1, "invalid-number", "6,40", null]],
    ],
    [
      "JSON entries",
      '[{"layer": 1, "quantity": "neurons", "value": 6400.5},\n {"layer": 1, "quantity": "connections", "value": 1644800}]',
      [[1, "invalid-number", "6400.5", null]],
    ],
  ];
  it.each(cases)("%s", (_name, text, problems) => {
    expect(problemsOf(text)).toEqual(problems);
  });

  it("still reads the good lines around a bad one", () => {
    const sheet = readAnswers("layer 1 neurons 6400\nlayer 2 neurns 2592\nlayer 3 neurons 256\n");
    expect(sheet.answers.map((a) => a.line)).toEqual([1, 3]);
  });

  it("throws only for a file that is not JSON; parseAnswers throws the first problem", () => {
    expect(fails("[1, 2")).toMatchObject({ code: "json-syntax" });
    expect(fails('{"1": 6400}')).toMatchObject({ code: "invalid-answers" });
  });
});
