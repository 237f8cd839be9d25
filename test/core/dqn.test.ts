import { describe, expect, it } from "vitest";
import { analyze } from "../../src/core/analyze.js";
import { parseJsonSpec } from "../../src/parse/spec.js";
import { readRepoFile } from "../helpers/io.js";

// Question 1 of the COMP9444 week 5 tutorial, every number as the sample solution gives it.
const TUTORIAL = [
  {
    type: "conv",
    output: [20, 20, 16],
    weightsPerNeuron: 257n,
    neurons: 6400n,
    connections: 1644800n,
    parameters: 4112n,
  },
  {
    type: "conv",
    output: [9, 9, 32],
    weightsPerNeuron: 257n,
    neurons: 2592n,
    connections: 666144n,
    parameters: 8224n,
  },
  {
    type: "dense",
    output: [256],
    weightsPerNeuron: 2593n,
    neurons: 256n,
    connections: 663808n,
    parameters: 663808n,
  },
  {
    type: "dense",
    output: [18],
    weightsPerNeuron: 257n,
    neurons: 18n,
    connections: 4626n,
    parameters: 4626n,
  },
];

describe("the tutorial's DQN (examples/dqn.json) through the library", () => {
  const analysis = analyze(parseJsonSpec(readRepoFile("examples/dqn.json")).spec);

  it.each(TUTORIAL.map((t, i) => ({ ...t, layer: i + 1 })))("layer $layer ($type)", (t) => {
    const r = analysis.layers[t.layer - 1];
    expect(r?.type).toBe(t.type);
    expect([...(r?.outputShape.dims ?? []), r?.outputShape.channels]).toEqual(t.output);
    expect(r?.weightsPerNeuron).toBe(t.weightsPerNeuron);
    expect(r?.neurons).toBe(t.neurons);
    expect(r?.connections).toBe(t.connections);
    expect((r?.trainableParameters ?? 0n) + (r?.nonTrainableParameters ?? 0n)).toBe(t.parameters);
  });

  it("totals 680,770 parameters, all trainable", () => {
    expect(analysis.layers).toHaveLength(4);
    expect(analysis.totals.parameters).toBe(680770n);
    expect(analysis.totals.trainableParameters).toBe(680770n);
    expect(analysis.totals.nonTrainableParameters).toBe(0n);
    expect(analysis.totals.neurons).toBe(6400n + 2592n + 256n + 18n);
    expect(analysis.totals.connections).toBe(1644800n + 666144n + 663808n + 4626n);
  });

  it("has no warnings (every stride tiles its input) and states the implied flatten", () => {
    expect(analysis.warnings).toEqual([]);
    expect(analysis.assumptions.map((a) => a.code)).toEqual(["implied-flatten"]);
  });
});
