import { describe, expect, it } from "vitest";
import { run } from "../helpers/io.js";

const KERNEL_100 = `{
  "input": [84, 84, 4],
  "layers": [
    { "type": "conv", "filters": 16, "kernel": 100, "stride": 4 }
  ]
}
`;

describe("cnncalc <spec> --json", () => {
  it("gives the tutorial's numbers under the documented keys", async () => {
    const r = await run(["examples/dqn.json", "--json"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(
      expect.arrayContaining(["name", "input", "layers", "totals", "warnings", "assumptions"]),
    );
    expect(out.input).toEqual([84, 84, 4]);
    const pick = (l: Record<string, unknown>) => [
      l.index,
      l.type,
      l.outputShape,
      l.weightsPerNeuron,
      l.neurons,
      l.connections,
      l.parameters,
      l.trainableParameters,
      l.nonTrainableParameters,
    ];
    expect(out.layers.map(pick)).toEqual([
      [1, "conv", [20, 20, 16], 257, 6400, 1644800, 4112, 4112, 0],
      [2, "conv", [9, 9, 32], 257, 2592, 666144, 8224, 8224, 0],
      [3, "dense", [256], 2593, 256, 663808, 663808, 663808, 0],
      [4, "dense", [18], 257, 18, 4626, 4626, 4626, 0],
    ]);
    expect(out.totals).toMatchObject({
      neurons: 9266,
      connections: 2979378,
      parameters: 680770,
      trainableParameters: 680770,
      nonTrainableParameters: 0,
    });
    expect(out.warnings).toEqual([]);
  });

  it("prints an array for several specs", async () => {
    const r = await run(["examples/dqn.json", "examples/dqn.json", "--format", "json"]);
    const out = JSON.parse(r.stdout);
    expect(out).toHaveLength(2);
    expect(out[1].file).toBe("examples/dqn.json");
    expect(out[1].totals.parameters).toBe(680770);
  });

  it("writes counts beyond 2^53 - 1 as exact decimal strings", async () => {
    const spec = JSON.stringify({
      input: [100000000],
      layers: [
        { type: "dense", units: 100000000 },
        { type: "dense", units: 100000000 },
      ],
    });
    const r = await run(["big.json", "--json"], { "big.json": spec });
    const out = JSON.parse(r.stdout);
    expect(out.layers[0].parameters).toBe("10000000100000000");
    expect(out.totals.parameters).toBe("20000000200000000");
    expect(out.layers[0].neurons).toBe(100000000);
  });
});

describe("table output", () => {
  it("has no escape codes when stdout is not a terminal", async () => {
    const r = await run(["examples/dqn.json"]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("\u001b");
    for (const s of [
      "20×20×16",
      "1,644,800",
      "4,112",
      "9×9×32",
      "666,144",
      "8,224",
      "2,593",
      "663,808",
      "4,626",
      "680,770",
    ]) {
      expect(r.stdout).toContain(s);
    }
  });

  it("honours FORCE_COLOR and NO_COLOR", async () => {
    expect((await run(["examples/dqn.json"], {}, { FORCE_COLOR: "1" })).stdout).toContain(
      "\u001b[",
    );
    expect(
      (await run(["examples/dqn.json", "--no-color"], {}, { FORCE_COLOR: "1" })).stdout,
    ).not.toContain("\u001b");
    expect((await run(["examples/dqn.json"], {}, { NO_COLOR: "1" })).stdout).not.toContain(
      "\u001b",
    );
  });

  it("--input gives or overrides the input shape", async () => {
    const spec = JSON.stringify({ layers: [{ type: "conv", filters: 2, kernel: 3 }] });
    const missing = await run(["n.json"], { "n.json": spec });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("the network has no input shape");
    const r = await run(["n.json", "--input", "10x12x3", "--json"], { "n.json": spec });
    expect(JSON.parse(r.stdout).layers[0].outputShape).toEqual([8, 10, 2]);
  });

  it("renders CSV and Markdown with the totals", async () => {
    const csv = await run(["examples/dqn.json", "-f", "csv"]);
    const lines = csv.stdout.trim().split("\n");
    expect(lines[0]).toBe("path,#,Layer,Type,Output,Weights/neuron,Neurons,Connections,Parameters");
    expect(lines[1]).toBe("layers[0],1,conv1,conv relu,20×20×16,257,6400,1644800,4112");
    expect(lines.at(-1)).toBe("total,,,,,,9266,2979378,680770");
    const md = await run(["examples/dqn.json", "-f", "markdown"]);
    expect(md.stdout).toContain(
      "| 1 | conv1 | conv relu | 20×20×16 | 257 | 6,400 | 1,644,800 | 4,112 |",
    );
    expect(md.stdout).toContain("| **Total** |");
  });
});

describe("errors", () => {
  it("a kernel larger than the input exits 1 with one reason naming layers[0], no stack trace", async () => {
    const r = await run(["bad.json"], { "bad.json": KERNEL_100 });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const first = r.stderr.split("\n")[0];
    expect(first).toBe(
      "bad.json:4:48: error: layers[0].kernel: kernel 100 is larger than the padded input 84 (input 84 + padding 0 + 0) along rows; expected a kernel of at most 84. Received: kernel=100, input=84",
    );
    expect(r.stderr.split("\n").slice(1, 3)).toEqual([
      '4 |     { "type": "conv", "filters": 16, "kernel": 100, "stride": 4 }',
      "  |                                                ^^^",
    ]);
    expect(r.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it("an unknown key is an error with a suggestion", async () => {
    const spec =
      '{"input": [84, 84, 4], "layers": [{"type": "conv", "filters": 16, "kernel": 8, "strde": 4}]}';
    const r = await run(["t.json"], { "t.json": spec });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("t.json:1:80: error: layers[0].strde: unknown key 'strde'");
    expect(r.stderr).toContain("hint: did you mean 'stride'?");
  });

  it("usage errors exit 2 with one line", async () => {
    const missing = await run(["no-such-file.json"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      "no-such-file.json: error: cannot read 'no-such-file.json': no such file\n",
    );
    const dir = await run(["examples"]);
    expect(dir.code).toBe(2);
    expect(dir.stderr).toBe("examples: error: 'examples' is a directory; expected a spec file\n");
    const fmt = await run(["examples/dqn.json", "--format", "yaml"]);
    expect(fmt.code).toBe(2);
    expect(fmt.stderr).toContain(
      "error: option '-f, --format <format>' argument 'yaml' is invalid. Allowed choices are table, json, csv, markdown, latex, svg.",
    );
    const opt = await run(["examples/dqn.json", "--strde"]);
    expect(opt.code).toBe(2);
    expect(opt.stderr).toContain("unknown option '--strde'");
    const bare = await run([]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe("");
    expect(bare.stderr).toBe(
      [
        "Usage: cnncalc [options] [command] <spec...>",
        "       cnncalc check [options] <spec> <answers>",
        "       cnncalc convert [options] <file>",
        "",
        "error: no spec file given; for example: cnncalc examples/dqn.json",
        "Run 'cnncalc --help' for every option and more examples.",
        "",
      ].join("\n"),
    );
    const shape = await run(["examples/dqn.json", "--input", "84x0x4"]);
    expect(shape.code).toBe(2);
    expect(shape.stderr).toContain("expected a shape such as 84x84x4");
  });

  it("--strict turns a warning into an error (exit 1)", async () => {
    const spec = JSON.stringify({
      input: [84, 84, 4],
      layers: [{ type: "conv", filters: 16, kernel: 8, stride: 3 }],
    });
    const loose = await run(["w.json"], { "w.json": spec });
    expect(loose.code).toBe(0);
    expect(loose.stdout).toContain(
      "warning: layers[0]: the last input row and the last input column are never covered by a window",
    );
    const strict = await run(["w.json", "--strict"], { "w.json": spec });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain("(an error under --strict)");
  });

  it("--help and --version exit 0", async () => {
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: cnncalc [options] [command] <spec...>");
    expect(help.stdout).toContain("$ cnncalc examples/dqn.json --json");
    expect((await run(["--version"])).code).toBe(0);
  });
});

describe("--summary and --depth in every report format", () => {
  it("CSV, Markdown and LaTeX show only the totals under --summary", async () => {
    const csv = await run(["examples/dqn.json", "-f", "csv", "--summary"]);
    expect(csv.stdout.trim().split("\n")).toEqual([
      "path,#,Layer,Type,Output,Weights/neuron,Neurons,Connections,Parameters",
      "total,,,,,,9266,2979378,680770",
    ]);
    const md = await run(["examples/dqn.json", "-f", "markdown", "--summary"]);
    expect(md.stdout).not.toContain("| conv1 |");
    expect(md.stdout).toContain("| **Total** |");
    const tex = await run(["examples/dqn.json", "-f", "latex", "--summary"]);
    expect(tex.stdout).not.toContain("conv1");
    expect(tex.stdout).toContain("\\textbf{680,770}");
  });

  it("CSV collapses blocks deeper than --depth", async () => {
    const all = await run(["examples/resnet18.json", "-f", "csv"]);
    const top = await run(["examples/resnet18.json", "-f", "csv", "--depth", "1"]);
    // header + 10 top-level rows + totals; the totals are the same
    expect(top.stdout.trim().split("\n")).toHaveLength(12);
    expect(all.stdout.trim().split("\n").length).toBeGreaterThan(12);
    expect(top.stdout.trim().split("\n").at(-1)).toBe(all.stdout.trim().split("\n").at(-1));
  });

  it("a two-number input is read as 1-D, and says so", async () => {
    const r = await run(["examples/dqn.json", "--input", "84x84", "--json"]);
    expect(JSON.parse(r.stdout).assumptions[0]).toEqual({
      code: "input-1d",
      message:
        "the input [84, 84] is read as 1-D: length 84 with 84 channels; an image of 84×84 with one channel is [84, 84, 1]",
    });
  });
});
