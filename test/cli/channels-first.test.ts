import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { channelsLastOf } from "../../src/core/analyze.js";
import { run } from "../helpers/io.js";

const SPEC_224 =
  "input: [3, 224, 224] looks channels-first: cnncalc reads the channels last, so this is 3×224 with 224 channels; if you meant 224×224 with 3 channels, reorder the spec's input to [224, 224, 3] or give --input 224x224x3";
const OPTION_224 =
  "--input: 3x224x224 looks channels-first: cnncalc reads the channels last, so this is 3×224 with 224 channels; if you meant 224×224 with 3 channels, give --input 224x224x3";

/** A one-conv network in each spec format, with `input` as given (or none). */
const jsonSpec = (input?: string) =>
  `{${input === undefined ? "" : `"input": ${input}, `}"layers": [{"type": "conv", "filters": 4, "kernel": 3}]}`;
const textSpec = (input?: string) => `${input === undefined ? "" : `input ${input}\n`}conv 4 3x3\n`;

describe("an input that looks channels-first", () => {
  // every route the input takes: the JSON spec, the layer language, --input (over either)
  const ROUTES: [string, string[], Record<string, string>, string][] = [
    ["JSON input", ["net.json"], { "net.json": jsonSpec("[3, 224, 224]") }, SPEC_224],
    ["text input line", ["net.cnn"], { "net.cnn": textSpec("3x224x224") }, SPEC_224],
    [
      "--input over a JSON spec",
      ["net.json", "--input", "3x224x224"],
      { "net.json": jsonSpec() },
      OPTION_224,
    ],
    [
      "--input over a text spec",
      ["net.cnn", "--input", "3x224x224"],
      { "net.cnn": textSpec("224x224x3") },
      OPTION_224,
    ],
  ];

  it.each(ROUTES)("%s: a warning line in the table", async (_, args, files, message) => {
    const r = await run(args, files);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")).toContain(`warning: ${message} [channels-first]`);
  });

  it.each(ROUTES)("%s: a warning in --json", async (_, args, files, message) => {
    const r = await run([...args, "--json"], files);
    expect(r.code).toBe(0);
    const [where, ...rest] = message.split(": ");
    expect(JSON.parse(r.stdout).warnings).toEqual([
      { code: "channels-first", message: rest.join(": "), layer: where },
    ]);
  });

  it.each(ROUTES)("%s: an error under --strict", async (_, args, files, message) => {
    const r = await run([...args, "--strict"], files);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`error: ${message} (an error under --strict)`);
  });

  it("names the channel in the singular for one channel, and reads 1-D inputs too", async () => {
    const cases: [string, string][] = [
      [
        "1x28x28",
        "--input: 1x28x28 looks channels-first: cnncalc reads the channels last, so this is 1×28 with 28 channels; if you meant 28×28 with 1 channel, give --input 28x28x1",
      ],
      [
        "2x1000",
        "--input: 2x1000 looks channels-first: cnncalc reads the channels last, so this is length 2 with 1000 channels; if you meant length 1000 with 2 channels, give --input 1000x2",
      ],
    ];
    for (const [input, message] of cases) {
      const r = await run(["net.cnn", "--input", input, "--json"], { "net.cnn": "relu\n" });
      const [where, ...rest] = message.split(": ");
      expect(JSON.parse(r.stdout).warnings).toEqual([
        { code: "channels-first", message: rest.join(": "), layer: where },
      ]);
    }
  });

  it.each([
    // channels last, as cnncalc reads them
    [[224, 224, 3], undefined],
    [[84, 84, 4], undefined],
    [[28, 28, 1], undefined],
    [[32, 32, 3], undefined],
    [[1000, 2], undefined],
    [[10], undefined],
    // the first is small but so is another: not clearly channels first
    [[3, 8, 8], undefined],
    [[4, 12, 84], undefined],
    [[2, 100, 3], undefined],
    [[5, 224, 224], undefined],
    // channels first
    [
      [3, 224, 224],
      [224, 224, 3],
    ],
    [
      [1, 28, 28],
      [28, 28, 1],
    ],
    [
      [4, 84, 84],
      [84, 84, 4],
    ],
    [
      [1, 8, 8],
      [8, 8, 1],
    ],
    [
      [4, 16, 16],
      [16, 16, 4],
    ],
    [
      [2, 1000],
      [1000, 2],
    ],
    [
      [3, 16, 112, 112],
      [16, 112, 112, 3],
    ],
  ])("%j is read as channels-first: %j", (input, meant) => {
    expect(channelsLastOf(input)).toEqual(meant);
  });

  it("no shipped example triggers it", async () => {
    // every spec in examples/ (the answers files are not specs)
    const specs = readdirSync("examples").filter((f) => !f.includes(".answers."));
    expect(specs.length).toBeGreaterThan(10);
    for (const file of specs.map((f) => `examples/${f}`)) {
      const r = await run([file, "--json"]);
      expect(r.code, file).toBe(0);
      const codes = (JSON.parse(r.stdout).warnings as { code: string }[]).map((w) => w.code);
      expect(codes, file).not.toContain("channels-first");
    }
  });
});
