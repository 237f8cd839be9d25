import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { run } from "../helpers/io.js";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const PAPER = read("examples/dqn-paper.txt");
const TUTORIAL = read("test/fixtures/dqn-tutorial.txt");
const COMPACT = read("examples/dqn.cnn");

const TABLE_ROWS = [
  "│ 1 │ conv1  │ conv relu  │ 20×20×16 │            257 │   6,400 │   1,644,800 │      4,112 │",
  "│ 2 │ conv2  │ conv relu  │   9×9×32 │            257 │   2,592 │     666,144 │      8,224 │",
  "│ 3 │ dense1 │ dense relu │      256 │          2,593 │     256 │     663,808 │    663,808 │",
  "│ 4 │ dense2 │ dense      │       18 │            257 │      18 │       4,626 │      4,626 │",
  "│   │ Total  │            │          │                │   9,266 │   2,979,378 │    680,770 │",
];

describe("cnncalc on text and prose", () => {
  it("a compact file with a typo fails on line 2 with a caret and a suggestion", async () => {
    const r = await run(["net.cnn"], { "net.cnn": "input 84x84x4\nconv 16 8x8 strde 4\nfc 18\n" });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(
      r.stderr,
    ).toBe(`net.cnn:2:13: error: unknown option 'strde' for conv; expected one of: name, filters, kernel, stride, pad, dilation, groups, bias, activation, connections, or an activation (relu, tanh, ...)
2 | conv 16 8x8 strde 4
  |             ^^^^^
hint: did you mean 'stride'?
`);
  });

  it("points an analysis error back into the text", async () => {
    const r = await run(["big.cnn"], { "big.cnn": "input 84x84x4\nconv 16 100x100 stride 4\n" });
    expect(r.code).toBe(1);
    expect(
      r.stderr,
    ).toBe(`big.cnn:2:9: error: layers[0].kernel: kernel 100 is larger than the padded input 84 (input 84 + padding 0 + 0) along rows; expected a kernel of at most 84. Received: kernel=100, input=84
2 | conv 16 100x100 stride 4
  |         ^^^^^^^
`);
  });

  it.each([
    ["examples/dqn.cnn", COMPACT],
    ["examples/dqn-paper.txt", PAPER],
    ["dqn.md", PAPER],
  ])("%s prints the tutorial's table", async (file, text) => {
    const r = await run([file], { [file]: text });
    expect(r.code).toBe(0);
    for (const row of TABLE_ROWS) expect(r.stdout).toContain(row);
  });

  it("prints the 18-outputs assumption under the paper's table", async () => {
    const r = await run(["examples/dqn-paper.txt"], { "examples/dqn-paper.txt": PAPER });
    expect(r.stdout).toContain(
      "assumption: the text gives the number of outputs as a range, 4 to 18; assumed 18, the largest (use --outputs N for another) [outputs-range]\n",
    );
    expect(r.stdout).toContain(
      "assumption: no padding is mentioned for layers[0], layers[1]; assumed 0 [padding-zero]\n",
    );
  });

  it("reads the tutorial file's paragraph from stdin, with its repair warnings", async () => {
    const r = await run(["-"], { "-": TUTORIAL });
    expect(r.code).toBe(0);
    for (const row of TABLE_ROWS) expect(r.stdout).toContain(row);
    expect(r.stdout).toContain(
      `warning: layers[0]: read '16.8 \\times 8' (line 1, column 117) as 16 filters of 8 × 8: the text looks like a PDF extraction that merged "16 8 × 8"; check it against the paper [merged-number]`,
    );
    const json = JSON.parse((await run(["-", "--json"], { "-": TUTORIAL })).stdout);
    expect(json.totals.parameters).toBe(680770);
    expect(json.layers.map((l: { parameters: number }) => l.parameters)).toEqual([
      4112, 8224, 663808, 4626,
    ]);
    expect(json.assumptions.map((a: { code: string }) => a.code)).toEqual([
      "outputs-range",
      "padding-zero",
      "implied-flatten",
    ]);
    expect(json.warnings.map((w: { code: string }) => w.code)).toEqual([
      "merged-number",
      "merged-number",
    ]);
  });

  it("--strict turns the repair warning into an error", async () => {
    const r = await run(["-", "--strict"], { "-": TUTORIAL });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("(an error under --strict)");
  });

  it("--outputs overrides the range and --from overrides detection", async () => {
    const r = await run(["p.txt", "--outputs", "4", "--json"], { "p.txt": PAPER });
    const json = JSON.parse(r.stdout);
    expect(json.layers[3].outputShape).toEqual([4]);
    expect(json.totals.parameters).toBe(676144 + 1028);
    const forced = await run(["p.cnn", "--from", "prose"], { "p.cnn": PAPER });
    expect(forced.code).toBe(0);
    const wrong = await run(["p.txt", "--from", "text"], { "p.txt": PAPER });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^p\.txt:1:1: error: unknown layer type 'We'/);
  });

  it("prose without an input needs --input", async () => {
    const text = "The first hidden layer convolves 16 8 × 8 filters with stride 4.";
    const r = await run(["p.txt"], { "p.txt": text });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the network has no input shape");
    const ok = await run(["p.txt", "--input", "84x84x4"], { "p.txt": text });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(
      /│ 1 │ conv1 │ conv +│ 20×20×16 │ +257 │ +6,400 │ +1,644,800 │ +4,112 │/,
    );
  });

  it("--show-layers prints the layers read, before the table", async () => {
    const r = await run(["dqn.txt", "--show-layers"], { "dqn.txt": PAPER });
    expect(
      r.stdout.startsWith(`# layers read from dqn.txt
input 84x84x4
conv 16 8x8 stride 4 relu
conv 32 4x4 stride 2 relu
dense 256 relu
dense 18

dqn.txt (input 84×84×4)
`),
    ).toBe(true);
    const json = await run(["dqn.txt", "--show-layers", "--json"], { "dqn.txt": PAPER });
    expect(JSON.parse(json.stdout).totals.parameters).toBe(680770);
    expect(json.stderr).toContain("conv 16 8x8 stride 4 relu\n");
  });
});
