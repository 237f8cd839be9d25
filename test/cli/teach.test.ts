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
    expect(JSON.parse(json.stdout).score).toEqual({ right: 18, total: 18 });
  });

  it("shows a wrong connections answer with the right value and its working, exits 1", async () => {
    const r = await cli(["check", "examples/dqn.json", "examples/dqn-wrong.answers.txt"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "✗ wrong  line 6: layer 1 (conv1) connections = 1,644,000; the right value is 1,644,800\n      Connections: 20×20×16×257 = 1,644,800\n",
    );
    expect(r.stdout).toContain("Score: 17/18 right, 1 to look at again\n");
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
    expect(JSON.parse(r.stdout).score).toEqual({ right: 18, total: 18 });
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
      },
    ]);
  });

  it("shows a bad answers file with line and caret (exit 1), an unreadable one exits 2", async () => {
    const r = await cli(["check", "examples/dqn.json", "a.txt"], {
      "a.txt": "layer 1 neurons 6400\nlayer 2 neurns 2592\n",
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "a.txt:2:9: error: unknown quantity 'neurns'; expected one of: weights per neuron, width, height, size, output, neurons, connections, parameters\n2 | layer 2 neurns 2592\n  |         ^^^^^^\nhint: did you mean 'neurons'?\n",
    );
    const missing = await cli(["check", "examples/dqn.json", "nope.txt"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read 'nope.txt'");
  });
});
