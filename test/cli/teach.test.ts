import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cli } from "../teach-helpers.js";

describe("cnncalc --explain", () => {
  it("shows the tutorial's working for DQN", async () => {
    const r = await cli(["examples/dqn.json", "--explain"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("  Width and height: 1 + (J−M)/s = 1 + (84−8)/4 = 20\n");
    expect(r.stdout).toContain("  Weights per neuron: 1 + 2592 = 2593\n");
    expect(r.stdout).not.toContain("\u001b");
  });

  it("puts the working in the JSON output", async () => {
    const r = await cli(["examples/dqn.json", "--json", "--explain"]);
    const json = JSON.parse(r.stdout);
    expect(json.layers[0].working.connections).toBe("20×20×16×257 = 1,644,800");
    expect(json.layers[2].working.weightsPerNeuron).toBe("1 + 2592 = 2593");
    expect(json.layers[0].connections).toBe(1644800);
  });

  it("adds the initialization to the JSON output", async () => {
    const r = await cli(["examples/dqn.json", "--json", "--init", "he"]);
    const json = JSON.parse(r.stdout);
    expect(json.layers[0].init).toMatchObject({
      fanIn: 256,
      fanOut: 1024,
      factor: 4,
      flag: "vanishing",
    });
    expect(json.init.scheme).toBe("he");
    expect(json.init.inputProduct).toBeCloseTo(1 / 9, 12);
  });

  it("adds the working to Markdown and the initialization table", async () => {
    const r = await cli(["examples/dqn.json", "-f", "markdown", "--explain", "--init", "he"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "| 1 | conv1 | 256 | 1,024 | 0.007813 | 0.5 (relu) | 4 | 0.1111 | vanishing |",
    );
    expect(r.stdout).toContain(
      "**Layer 1: conv1 (conv relu), 84×84×4 → 20×20×16**\n\n- J = K = 84",
    );
    expect(r.stdout).toContain("- Weights per neuron: 1 + 2592 = 2593\n");
  });

  it("rejects a bad scheme and --explain with CSV", async () => {
    const bad = await cli(["examples/dqn.json", "--init", "hee"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      "expected he, glorot, lecun, normal:STD or uniform:A with a positive number (did you mean 'he'?); received 'hee'",
    );
    const csv = await cli(["examples/dqn.json", "-f", "csv", "--explain"]);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toContain("--explain has no CSV form");
  });
});

describe("cnncalc check", () => {
  it("exits 0 when every answer is right", async () => {
    const r = await cli(["check", "examples/dqn.json", "examples/dqn.answers.txt"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Score: 18/18 right\n");
    const json = await cli([
      "check",
      "examples/dqn.json",
      "test/fixtures/teach/dqn.answers.json",
      "--json",
    ]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).score).toEqual({ right: 18, wrong: 0, notRead: 0, total: 18 });
  });

  it("shows a wrong connections answer with the right value and its working, exits 1", async () => {
    const r = await cli(["check", "examples/dqn.json", "examples/dqn-wrong.answers.txt"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "✗ wrong  line 6: layer 1 (conv1) connections = 1,644,000; the right value is 1,644,800\n      Connections: 20×20×16×257 = 1,644,800\n",
    );
    expect(r.stdout).toContain("Score: 17/18 right, 1 wrong\n");
  });

  it("reports an answer for a missing layer and counts it", async () => {
    const r = await cli(["check", "examples/dqn.json", "a.txt"], {
      "a.txt": "layer 1 neurons 6400\nlayer 5 neurons 10\n",
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "✗ no such layer  line 2: layer 5 neurons = 10: the network has 4 layers; there is no layer 5",
    );
    expect(r.stdout).toContain("Score: 1/2 right");
  });

  it("takes --json given before the subcommand", async () => {
    const r = await cli(["--json", "check", "examples/dqn.json", "examples/dqn.answers.txt"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).score).toEqual({ right: 18, wrong: 0, notRead: 0, total: 18 });
  });

  it("gives JSON for scripts", async () => {
    const r = await cli(["check", "examples/dqn.json", "a.txt", "--json"], {
      "a.txt": "conv1 connections 1,644,000\n",
    });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).results).toEqual([
      {
        line: 1,
        layer: "conv1",
        quantity: "connections",
        answer: 1644000,
        status: "wrong",
        expected: 1644800,
        resolved: { index: 1, path: "layers[0]", name: "conv1" },
        reason: null,
        working: ["Connections: 20×20×16×257 = 1,644,800"],
        likely: null,
        problem: null,
      },
    ]);
  });

  it("marks every other line when one cannot be read, and lists it with its line (exit 1)", async () => {
    const r = await cli(["check", "examples/dqn.json", "a.txt"], {
      "a.txt":
        "layer 1 neurons 6400\nlayer 2 neurns 2592\nlayer 3 neurons 256\nlayer 4 connections 4,000\n",
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(
      [
        "✓ right  line 1: layer 1 (conv1) neurons = 6,400",
        "✗ not read  line 2: layer 2 neurns 2592",
        "      unknown quantity 'neurns'; expected one of: weights per neuron, width, height, size, output, neurons, connections, parameters",
        "      hint: did you mean 'neurons'?",
        "✓ right  line 3: layer 3 (dense1) neurons = 256",
        "✗ wrong  line 4: layer 4 (dense2) connections = 4,000; the right value is 4,626",
        "      Connections: 18×257 = 4,626",
        "",
        "Score: 2/4 right, 1 wrong, 1 not read",
        "",
      ].join("\n"),
    );
    const json = await cli(["check", "examples/dqn.json", "a.txt", "--json"], {
      "a.txt": "layer 1 neurons 6400\nlayer 2 neurns 2592\n",
    });
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.score).toEqual({ right: 1, wrong: 0, notRead: 1, total: 2 });
    expect(report.results[1]).toEqual({
      line: 2,
      layer: null,
      quantity: null,
      answer: null,
      status: "not-read",
      expected: null,
      resolved: null,
      reason: null,
      working: [],
      likely: null,
      problem: {
        code: "unknown-quantity",
        message:
          "unknown quantity 'neurns'; expected one of: weights per neuron, width, height, size, output, neurons, connections, parameters",
        column: 9,
        hint: "did you mean 'neurons'?",
      },
    });
  });

  it("exits 1 for a file with every line read and right but one not read", async () => {
    const r = await cli(["check", "examples/dqn.json", "a.txt"], {
      "a.txt": "layer 1 neurons 6400\nlayer 1 neurons 6.4e3\n",
    });
    expect([r.code, r.stdout.trim().split("\n").pop()]).toEqual([
      1,
      "Score: 1/2 right, 1 not read",
    ]);
  });

  it("shows a file with no answer read as one compiler error (exit 1); an unreadable one exits 2", async () => {
    const r = await cli(["check", "examples/dqn.json", "a.txt"], {
      "a.txt": "layer 2 neurns 2592\nneurons 18\n",
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      [
        "a.txt:1:9: error: unknown quantity 'neurns'; expected one of: weights per neuron, width, height, size, output, neurons, connections, parameters",
        "1 | layer 2 neurns 2592",
        "  |         ^^^^^^",
        "hint: did you mean 'neurons'?",
        "note: none of the 2 lines with text could be read, so nothing was marked; this is the first",
        "",
      ].join("\n"),
    );
    const missing = await cli(["check", "examples/dqn.json", "nope.txt"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read 'nope.txt'");
  });

  it("marks the tutorial's sample solution to question 1, word for word, all right (exit 0)", async () => {
    for (const spec of ["examples/dqn.json", "examples/dqn-paper.txt", "examples/dqn.cnn"]) {
      const r = await cli(["check", spec, "test/fixtures/teach/dqn-tutorial.answers.txt"]);
      expect([spec, r.code, r.stderr]).toEqual([spec, 0, ""]);
      expect(r.stdout).toContain(
        "✓ right  line 8: First Convolutional Layer (conv1) weights per filter = 257\n",
      );
      expect(r.stdout).toContain(
        "✓ right  line 27: Fully Connected Layer (dense1) weights per neuron = 2,593\n",
      );
      expect(r.stdout).toContain(
        "✓ right  line 39: Output Layer (dense2) independent parameters = 4,626\n",
      );
      expect(r.stdout).toContain("\nScore: 18/18 right\n");
    }
  });

  it("reads the spec as the main command does and prints its assumptions", async () => {
    const r = await cli(["check", "examples/dqn-paper.txt", "examples/dqn.answers.txt"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "\nassumption: the text gives the number of outputs as a range, 4 to 18; assumed 18, the largest (use --outputs N for another) [outputs-range]\n",
    );
    const json = JSON.parse(
      (await cli(["check", "examples/dqn-paper.txt", "examples/dqn.answers.txt", "--json"])).stdout,
    );
    expect(json.assumptions.map((a: { code: string }) => a.code)).toEqual([
      "outputs-range",
      "padding-zero",
      "implied-flatten",
    ]);
  });

  it("honours --outputs, --from and --input, after check or before it", async () => {
    const cases: [string[], number, string][] = [
      [
        ["check", "examples/dqn-paper.txt", "examples/dqn.answers.txt", "--outputs", "4"],
        1,
        "Score: 15/18 right, 3 wrong",
      ],
      [
        ["--outputs", "4", "check", "examples/dqn-paper.txt", "examples/dqn.answers.txt"],
        1,
        "Score: 15/18 right, 3 wrong",
      ],
      [
        ["check", "examples/dqn-paper.txt", "examples/dqn.answers.txt", "--outputs", "18"],
        0,
        "Score: 18/18 right",
      ],
      [["check", "-", "examples/dqn.answers.txt", "--from", "text"], 0, "Score: 18/18 right"],
      [
        ["check", "examples/dqn.json", "examples/dqn.answers.txt", "--input", "88x88x4"],
        1,
        "Score: 15/18 right, 3 wrong",
      ],
    ];
    for (const [args, code, last] of cases) {
      const r = await cli(args, { "-": readFileSync("examples/dqn.cnn", "utf8") });
      expect([args.join(" "), r.code, r.stdout.trim().split("\n").pop()]).toEqual([
        args.join(" "),
        code,
        last,
      ]);
    }
    const four = await cli(["check", "examples/dqn-paper.txt", "a.txt", "--outputs", "4"], {
      "a.txt": "output layer neurons 4\n",
    });
    expect(four.code).toBe(0);
    expect(four.stdout).not.toContain("[outputs-range]");
  });

  it("says which layer an answer probably meant when an explicit flatten shifts the numbers", async () => {
    const spec =
      "input 84x84x4\nconv 16 8x8 stride 4 relu\nconv 32 4x4 stride 2 relu\nflatten\ndense 256 relu\ndense 18\n";
    const r = await cli(["check", "net.cnn", "a.txt"], {
      "net.cnn": spec,
      "a.txt": "layer 3 neurons 256\nlayer 4 neurons 18\n",
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "✗ wrong  line 1: layer 3 (flatten1) neurons = 256; the right value is 0\n      Neurons in layer: 0 (flatten only reshapes the 9×9×32 values into a vector of 2592; it computes nothing, so it adds no neurons)\n      hint: layer 3 is flatten1, a flatten layer with no neurons or parameters; you probably meant layer 4 (dense1), whose neurons are 256\n",
    );
    expect(r.stdout).toContain(
      "      hint: layers without neurons (a flatten, an activation) count in the numbering, so layer 4 is dense1; you probably meant layer 5 (dense2), whose neurons are 18\n",
    );
    expect(r.stdout).toContain("Score: 0/2 right, 2 wrong\n");
    const json = JSON.parse(
      (
        await cli(["check", "net.cnn", "a.txt", "--json"], {
          "net.cnn": spec,
          "a.txt": "layer 3 neurons 256\n",
        })
      ).stdout,
    );
    expect(json.results[0]).toMatchObject({
      status: "wrong",
      expected: 0,
      likely: { index: 4, path: "layers[3]", name: "dense1" },
    });
  });

  it("names every spec format in --help, in lines of at most 80 columns", async () => {
    const r = await cli(["check", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /JSON, the layer language \(\.cnn\) or prose\s+\(\.txt\); - reads standard input/,
    );
    for (const word of ["--from", "--outputs", "--input", "--max-depth"])
      expect(r.stdout).toContain(word);
    expect(r.stdout.split("\n").filter((l) => l.length > 80)).toEqual([]);
  });
});
