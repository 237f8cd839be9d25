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
    expect(score(g)).toEqual({ right: 2, total: 3 });
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
    expect(score(g)).toEqual({ right: 1, total: 4 });
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
