import { describe, expect, it } from "vitest";
import { readText } from "../../src/cli/io.js";
import { counted, plural } from "../../src/core/words.js";
import { run } from "../helpers/io.js";

const ANY_SPEC =
  'a spec: a JSON object with "input" and "layers", layer lines such as "input 84x84x4" and "conv 16 8x8 stride 4", or a paper\'s prose';

describe("an empty input", () => {
  it.each([
    [
      "empty standard input",
      ["-"],
      { "-": "" },
      `<stdin>: error: empty input: there is no text; expected ${ANY_SPEC}`,
    ],
    [
      "standard input of spaces and newlines",
      ["-"],
      { "-": "  \n\t\n" },
      `<stdin>: error: empty input: there is only whitespace; expected ${ANY_SPEC}`,
    ],
    [
      "an empty .cnn file",
      ["net.cnn"],
      { "net.cnn": "" },
      'net.cnn: error: empty input: there is no text; expected layer lines such as "input 84x84x4" and "conv 16 8x8 stride 4"',
    ],
    [
      "a blank .json file",
      ["net.json"],
      { "net.json": "\n\n" },
      'net.json: error: empty input: there is only whitespace; expected a JSON object with "input" and "layers"',
    ],
    [
      "an empty .txt file",
      ["paper.txt"],
      { "paper.txt": "" },
      `paper.txt: error: empty input: there is no text; expected ${ANY_SPEC}`,
    ],
    [
      "empty standard input read as prose",
      ["-", "--from", "prose"],
      { "-": "" },
      '<stdin>: error: empty input: there is no text; expected sentences such as "The first hidden layer convolves 16 8 × 8 filters with stride 4"',
    ],
    [
      "convert of an empty file",
      ["convert", "net.cnn"],
      { "net.cnn": " " },
      'net.cnn: error: empty input: there is only whitespace; expected layer lines such as "input 84x84x4" and "conv 16 8x8 stride 4"',
    ],
  ])("%s: one line, code empty-input, exit 1", async (_, args, files, line) => {
    const r = await run(args, files);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`${line}\n`);
  });

  it("is an error entry in --json with several files", async () => {
    const r = await run(["-", "ok.cnn", "--json"], { "-": "", "ok.cnn": "input 4\ndense 2\n" });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)[0]).toEqual({
      file: "<stdin>",
      error: {
        code: "empty-input",
        message: `empty input: there is no text; expected ${ANY_SPEC}`,
        path: null,
        line: null,
        column: null,
      },
    });
  });
});

describe("standard input named twice", () => {
  it.each([
    [["-", "-"], 2],
    [["-", "examples/dqn.json", "-", "-"], 3],
  ])("cnncalc %j is a usage error", async (args, times) => {
    const r = await run(args, { "-": "input 4\ndense 2\n" });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      `error: standard input ('-') is named ${times} times; expected it once, as it can be read only once\n`,
    );
  });
});

describe("one is singular", () => {
  it.each([
    [0, "0 channels"],
    [1, "1 channel"],
    [2, "2 channels"],
    [1n, "1 channel"],
    [10n, "10 channels"],
  ])("counted(%s, 'channel') is %s", (n, text) => {
    expect(counted(n, "channel")).toBe(text);
  });

  it("takes irregular plurals", () => {
    expect(plural(1, "branch", "branches")).toBe("branch");
    expect(plural(3, "branch", "branches")).toBe("branches");
  });

  // every message that counts something, at a count of one
  it.each([
    [
      "the 1-D input assumption",
      ["net.cnn"],
      "input 28x1\nrelu\n",
      "assumption: the input [28, 1] is read as 1-D: length 28 with 1 channel; an image of 28×1 with one channel is [28, 1, 1] [input-1d]",
    ],
    [
      "a conv after a one-unit dense layer",
      ["net.cnn"],
      "input 8x8x3\ndense 1\nconv 1 3x3\n",
      "net.cnn:3:1: error: layers[1]: conv needs a spatial input (height × width × channels); received a flat vector of 1 value",
    ],
    [
      "a connection table for one filter",
      ["net.cnn"],
      "input 8x8x2\nconv 1 3x3 connections [[0], [1]]\n",
      "net.cnn:2:24: error: layers[0].connections: the connection table needs one list per filter; expected 1 list. Received: 2",
    ],
    [
      "a dense layer on a 1×1×1 input",
      ["net.cnn"],
      "input 1x1x1\ndense 2\n",
      "assumption: layers[0] (dense) reads its 1×1×1 input flattened to 1 value [implied-flatten]",
    ],
    [
      "JSON deeper than --max-depth 1",
      ["net.json", "--max-depth", "1"],
      '{"input": [4], "layers": [{"type": "relu"}]}',
      "net.json:1:11: error: the JSON nests deeper than 1 level; expected at most 1 (raise it with --max-depth)",
    ],
    [
      "blocks deeper than --max-depth 1",
      ["net.cnn", "--max-depth", "1"],
      "input 4\nrepeat 1 {\n  repeat 1 {\n    relu\n  }\n}\n",
      "net.cnn:3:12: error: blocks nest deeper than 1 level; expected fewer (raise the limit with --max-depth)",
    ],
    [
      "a merged number of one filter in prose",
      ["paper.txt"],
      "The input is 84 × 84 × 4. The first hidden layer convolves 1.8 × 8 filters with stride 4 and no padding. The output layer is a fully-connected linear layer with 4 outputs.\n",
      "warning: layers[0]: read '1.8 × 8' (line 1, column 60) as 1 filter of 8 × 8: the text looks like a PDF extraction that merged \"1 8 × 8\"; check it against the paper [merged-number]",
    ],
    [
      "the working of a one-filter transposed convolution",
      ["net.cnn", "--explain"],
      "input 4x4x1\nconvtranspose 1 3x3 stride 2\n",
      "  Connections: 144×1×1 + 81 = 225 (144 input-position × kernel-tap pairs land inside the output, each feeding 1 input map to 1 filter; plus one bias per neuron)",
    ],
    [
      "the working of a global pool over one channel",
      ["net.cnn", "--explain"],
      "input 9x9x1\nglobalavgpool\n",
      "  Connections: 9×9×1 = 81 (the one neuron reads its whole 9×9 map)",
    ],
    [
      "the working of an activation on one value",
      ["net.cnn", "--explain"],
      "input 1\nrelu\n",
      "  Neurons in layer: 0 (relu (activation) applies its function to each value in place; the 1 value it works on is the output of a neuron of the layer before, counted there)",
    ],
  ])("%s", async (_, args, text, line) => {
    const file = args[0] as string;
    const r = await run(args, { [file]: text });
    expect(`${r.stdout}${r.stderr}`.split("\n")).toContain(line);
  });

  it("a size limit of one byte, on a stream of unknown size", async () => {
    await expect(readText("/dev/zero", 1)).rejects.toThrow(
      "'/dev/zero' is larger than 1 byte; expected a smaller spec (raise the limit with --max-size)",
    );
  });

  it("a graded answer about a one-unit output", async () => {
    const r = await run(["check", "net.cnn", "answers.txt"], {
      "net.cnn": "input 8x8x3\ndense 1\n",
      "answers.txt": "layer 1 width 1\n",
    });
    expect(r.stdout).toContain(
      "✗ no such quantity  line 1: layer 1 (dense1) width = 1: the output is a flat vector of 1 value",
    );
  });
});
