import { describe, expect, it } from "vitest";
import { gradeAnswers, score } from "../../src/core/check.js";
import { parseAnswers } from "../../src/parse/answers.js";
import { example, run } from "../teach-helpers.js";

describe("grading answers", () => {
  const dqn = example("dqn.json");

  it("marks right and wrong answers and gives the right value", () => {
    const g = gradeAnswers(
      dqn,
      parseAnswers("layer 1 neurons 6400\nconv2 connections 666,000\nfc1 weights 2593\n"),
    );
    expect(g.map((x) => [x.status, x.expected])).toEqual([
      ["right", { kind: "count", value: 6400n }],
      ["wrong", { kind: "count", value: 666144n }],
      ["right", { kind: "count", value: 2593n }],
    ]);
    expect(score(g)).toEqual({ right: 2, wrong: 1, notRead: 0, total: 3 });
  });

  it("reports layers and quantities that do not exist, counting them as not right", () => {
    const g = gradeAnswers(
      dqn,
      parseAnswers("layer 9 neurons 1\nconv7 neurons 1\nlayer 3 width 1\nlayer 1 size 20\n"),
    );
    expect(g.map((x) => [x.status, x.reason])).toEqual([
      ["no-layer", "the network has 4 layers; there is no layer 9"],
      ["no-layer", "no layer is named 'conv7'; the layers are conv1, conv2, dense1, dense2"],
      ["not-applicable", "the output is a flat vector of 256 values"],
      ["right", null],
    ]);
    expect(score(g)).toEqual({ right: 1, wrong: 3, notRead: 0, total: 4 });
    expect(score(g, 2)).toEqual({ right: 1, wrong: 3, notRead: 2, total: 6 });
  });

  it("grades nested layers, shapes and weightless layers", () => {
    const a = run({
      input: [8, 8, 3],
      layers: [
        { type: "conv", filters: 4, kernel: 3 },
        { type: "residual", body: [{ type: "conv", filters: 4, kernel: 3, padding: 1 }] },
        { type: "maxpool", kernel: 2 },
      ],
    });
    const g = gradeAnswers(
      a,
      parseAnswers("2.1 parameters 148\n2 weights 1\n3 weights 0\n3 output 3x3x4\n1 output 6x6\n"),
    );
    expect(g.map((x) => x.status)).toEqual(["right", "not-applicable", "right", "right", "right"]);
  });
});

describe("grading answers taken from the analysis itself", () => {
  const a = run({
    input: [32, 32, 3],
    layers: [
      { type: "conv", filters: 16, kernel: 5, padding: 2, activation: "relu" },
      { type: "maxpool", kernel: 2 },
      { type: "batchnorm" },
      {
        type: "residual",
        body: [
          { type: "conv", filters: 16, kernel: 3, padding: "same", activation: "relu" },
          { type: "conv", filters: 16, kernel: 3, padding: "same" },
        ],
      },
      { type: "flatten" },
      { type: "dense", units: 1000 },
    ],
  });
  const separators = [",", " ", "_", "'"];
  const group = (v: bigint, sep: string) => v.toString().replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  const lines: string[] = [];
  const wrong: string[] = [];
  a.layers.forEach((r, i) => {
    const values: [string, bigint][] = [
      ["neurons", r.neurons],
      ["connections", r.connections],
      ["parameters", r.trainableParameters + r.nonTrainableParameters],
    ];
    if (r.weightsPerNeuron !== null) values.push(["weights per neuron", r.weightsPerNeuron]);
    values.forEach(([q, v], k) => {
      const sep = separators[(i + k) % separators.length] as string;
      lines.push(`layer ${i + 1} ${q} ${group(v, sep)}`);
      wrong.push(`${r.name} ${q} ${v + 1n}`);
    });
  });

  it("marks every true value right, in any separator style", () => {
    const g = gradeAnswers(a, parseAnswers(lines.join("\n")));
    expect(g.filter((x) => x.status !== "right")).toEqual([]);
    expect(g.length).toBe(lines.length);
  });

  it("marks every value off by one wrong, with the true value", () => {
    const g = gradeAnswers(a, parseAnswers(wrong.join("\n")));
    expect(g.every((x) => x.status === "wrong")).toBe(true);
    for (const x of g) {
      const given = x.answer.value.kind === "count" ? x.answer.value.value : -1n;
      expect(x.expected).toEqual({ kind: "count", value: given - 1n });
    }
  });
});

describe("layers named by role, as the tutorial's headings do", () => {
  const dqn = example("dqn.json");
  // conv, pool, conv, flatten, dense, dense, dense: two hidden dense layers before the output
  const net = run({
    input: [16, 16, 1],
    layers: [
      { type: "conv", filters: 4, kernel: 3 },
      { type: "maxpool", kernel: 2 },
      { type: "conv", filters: 8, kernel: 3 },
      { type: "flatten" },
      { type: "dense", units: 20 },
      { type: "dense", units: 10 },
      { type: "dense", units: 3 },
    ],
  });
  const cases: [string, string, string | null][] = [
    ["first convolutional layer", "conv1", null],
    ["second convolutional layer", "conv2", null],
    ["conv layer 2", "conv2", null],
    ["first pooling layer", "maxpool1", null],
    ["fully connected layer", "dense1", null],
    ["second fully connected layer", "dense2", null],
    ["last fully connected layer", "dense3", null],
    ["hidden layer", "dense2", null],
    ["first hidden layer", "conv1", null],
    ["final hidden layer", "dense2", null],
    ["output layer", "dense3", null],
    ["third layer", "conv2", null],
    ["first layer", "conv1", null],
    ["last layer", "dense3", null],
    ["third convolutional layer", "", "the network has 2 convolutional layers; there is no 3rd"],
  ];
  it.each(cases)("%s is %s", (heading, name, reason) => {
    const [g] = gradeAnswers(net, parseAnswers(`${heading}\nneurons 1\n`));
    if (reason === null) expect(g?.result?.name).toBe(name);
    else expect([g?.status, g?.reason]).toEqual(["no-layer", reason]);
  });

  it("reads DQN's headings like the tutorial", () => {
    const heads = ["first convolutional layer", "second convolutional layer"];
    const more = ["fully connected layer", "output layer", "hidden layer"];
    const g = gradeAnswers(
      dqn,
      parseAnswers([...heads, ...more].map((h) => `${h} neurons 1`).join("\n")),
    );
    expect(g.map((x) => x.result?.name)).toEqual(["conv1", "conv2", "dense1", "dense2", "dense1"]);
  });
});

describe("a layer with no neurons named by index", () => {
  const net = run({
    input: [84, 84, 4],
    layers: [
      { type: "conv", filters: 16, kernel: 8, stride: 4 },
      { type: "conv", filters: 32, kernel: 4, stride: 2 },
      { type: "flatten" },
      { type: "dense", units: 256 },
      { type: "dense", units: 18 },
    ],
  });
  const cases: [string, string, string | null][] = [
    ["layer 3 neurons 256", "wrong", "dense1"],
    ["layer 3 parameters 663,808", "wrong", "dense1"],
    ["layer 3 width and height 9", "not-applicable", "conv2"],
    ["layer 3 neurons 5", "wrong", null],
    ["layer 4 neurons 18", "wrong", "dense2"],
    ["layer 4 neurons 5", "wrong", null],
    ["layer 2 neurons 6400", "wrong", null],
  ];
  it.each(cases)("%s: %s, likely %s", (line, status, likely) => {
    const [g] = gradeAnswers(net, parseAnswers(line));
    expect([g?.status, g?.likely?.name ?? null]).toEqual([status, likely]);
  });
});
