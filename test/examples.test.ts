import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyze } from "../src/core/analyze.js";
import { parseJsonSpec } from "../src/parse/spec.js";
import { readRepoFile, run } from "./helpers/io.js";

const load = (file: string) => analyze(parseJsonSpec(readRepoFile(`examples/${file}`)).spec);
const shape = (r: { outputShape: { dims: readonly number[]; channels: number } }) => [
  ...r.outputShape.dims,
  r.outputShape.channels,
];

describe("examples with published figures", () => {
  it("lenet-cifar.json: the PyTorch tutorial's net has 62,006 parameters", () => {
    const a = load("lenet-cifar.json");
    expect(a.layers.map((r) => r.trainableParameters)).toEqual([
      456n,
      0n,
      2416n,
      0n,
      0n,
      48120n,
      10164n,
      850n,
    ]);
    expect(a.totals.parameters).toBe(62006n);
    expect(a.layers.map(shape)).toEqual([
      [28, 28, 6],
      [14, 14, 6],
      [10, 10, 16],
      [5, 5, 16],
      [400],
      [120],
      [84],
      [10],
    ]);
  });

  it("vgg11.json: torchvision's vgg11 has 132,863,336 parameters", () => {
    const a = load("vgg11.json");
    expect(a.totals.parameters).toBe(132863336n);
    const convs = a.layers.filter((r) => r.type === "conv");
    expect(convs.map((r) => shape(r))).toEqual([
      [224, 224, 64],
      [112, 112, 128],
      [56, 56, 256],
      [56, 56, 256],
      [28, 28, 512],
      [28, 28, 512],
      [14, 14, 512],
      [14, 14, 512],
    ]);
    expect(a.layers.find((r) => r.type === "flatten")?.outputShape.channels).toBe(25088);
  });
});

describe("resnet50.json", () => {
  it("torchvision's resnet50: 25,557,032 parameters, 53,120 batchnorm statistics, 4.09 G MACs", () => {
    const a = load("resnet50.json");
    expect(a.totals.trainableParameters).toBe(25557032n);
    expect(a.totals.nonTrainableParameters).toBe(53120n);
    expect(a.totals.macs).toBe(4089184256n);
    expect(a.layers.map((r) => r.name).slice(4, 8)).toEqual([
      "layer1",
      "layer2",
      "layer3",
      "layer4",
    ]);
    expect(shape(a.layers[7] as (typeof a.layers)[number])).toEqual([7, 7, 2048]);
  });
});

describe("every example runs cleanly through the CLI", () => {
  const files = readdirSync(new URL("../examples/", import.meta.url)).filter((f) =>
    f.endsWith(".json"),
  );
  it.each(files)("%s", async (file) => {
    const r = await run([`examples/${file}`, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).totals.parameters).toBeGreaterThan(0);
  });
});

describe("every example spec runs clean under --strict", () => {
  // answers files are for `cnncalc check`, not specs
  const specs = readdirSync(new URL("../examples/", import.meta.url)).filter(
    (f) => !f.includes(".answers."),
  );
  it("finds the specs", () => {
    expect(specs).toEqual(expect.arrayContaining(["resnet18.json", "dqn.cnn", "dqn-paper.txt"]));
  });
  it.each(specs)("%s", async (file) => {
    const r = await run([`examples/${file}`, "--strict"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("warning:");
  });
});
