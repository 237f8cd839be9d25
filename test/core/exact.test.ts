/*
 * Counts at and beyond 2^53 - 1: exact bigints in the core, a decimal string in the JSON output
 * once a value is no longer a safe integer, and a clear error for sizes (dims) beyond it.
 */
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/core/analyze.js";
import { analysisJson } from "../../src/format/json.js";
import { jsonCount } from "../../src/format/numbers.js";
import { parseJsonSpec } from "../../src/parse/spec.js";
import { runCli } from "../fuzz/harness.js";

const MAX = 9007199254740991n; // 2^53 - 1

function run(spec: unknown) {
  return analyze(parseJsonSpec(JSON.stringify(spec)).spec);
}

describe("jsonCount: the documented rule", () => {
  it("keeps safe integers as numbers and writes larger ones as exact decimal strings", () => {
    expect(jsonCount(MAX)).toBe(9007199254740991);
    expect(jsonCount(MAX + 1n)).toBe("9007199254740992");
    expect(jsonCount(-MAX)).toBe(-9007199254740991);
    expect(jsonCount(-MAX - 1n)).toBe("-9007199254740992");
    expect(jsonCount(10n ** 30n)).toBe("1000000000000000000000000000000");
  });
});

describe("huge counts stay exact", () => {
  it("a 3-D convolution with 1.5e16 connections", () => {
    // 2048^3 positions × 1024 filters, each neuron 3·3·3·64 + 1 = 1729 weights
    const a = run({
      input: [2048, 2048, 2048, 64],
      layers: [{ type: "conv", filters: 1024, kernel: 3, padding: 1 }],
    });
    const conv = a.layers[0];
    expect(conv?.weightsPerNeuron).toBe(1729n);
    expect(conv?.neurons).toBe(8796093022208n);
    expect(conv?.connections).toBe(15208444835397632n);
    expect(conv?.connections).toBeGreaterThan(MAX);
    const json = analysisJson(a, { dtype: "float32" });
    const layer = (json.layers as Record<string, unknown>[])[0];
    expect(layer?.connections).toBe("15208444835397632");
    expect(layer?.neurons).toBe(8796093022208);
    expect((json.totals as Record<string, unknown>).connections).toBe("15208444835397632");
  });

  it("a dense layer with exactly 2^53 - 1 parameters is a JSON number, with 2^53 a string", () => {
    // 1416003655831 units × (6360 inputs + bias) = 2^53 - 1
    const at = run({ input: [6360], layers: [{ type: "dense", units: 1416003655831 }] });
    expect(at.totals.parameters).toBe(MAX);
    const atJson = analysisJson(at, { dtype: "float32" }).totals as Record<string, unknown>;
    expect(atJson.parameters).toBe(9007199254740991);
    // 2^40 units × (8191 inputs + bias) = 2^53
    const past = run({ input: [8191], layers: [{ type: "dense", units: 2 ** 40 }] });
    expect(past.totals.parameters).toBe(MAX + 1n);
    const pastJson = analysisJson(past, { dtype: "float32" }).totals as Record<string, unknown>;
    expect(pastJson.parameters).toBe("9007199254740992");
    // float32 bytes of those parameters: 4 × 2^53
    expect(pastJson.parameterBytes).toBe("36028797018963968");
  });

  it("a dense layer of 2^28 units on 2^26 inputs: 2^54 + 2^28 parameters", () => {
    const a = run({ input: [2 ** 26], layers: [{ type: "dense", units: 2 ** 28 }] });
    expect(a.layers[0]?.trainableParameters).toBe(18014398777917440n);
  });

  it("the CLI prints the exact value in the table and the JSON string", async () => {
    const spec = JSON.stringify({ input: [8191], layers: [{ type: "dense", units: 2 ** 40 }] });
    const table = await runCli(["n.json"], { "n.json": spec });
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("9,007,199,254,740,992");
    const json = await runCli(["n.json", "--json"], { "n.json": spec });
    expect(JSON.parse(json.stdout).totals.parameters).toBe("9007199254740992");
    expect(json.stdout).toContain('"parameters": "9007199254740992"');
  });
});

describe("sizes beyond 2^53 - 1 are clear errors", () => {
  it("refuses an integer literal that JSON numbers cannot hold exactly", async () => {
    const r = await runCli(["n.json"], {
      "n.json": '{"input": [9007199254740993, 1, 1], "layers": [{"type": "flatten"}]}',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^n\.json:1:12: error: the number 9007199254740993 is beyond the exact range of numbers cnncalc reads; expected an integer of at most 2\^53 - 1/,
    );
  });

  it("refuses 1e400 (it would read as Infinity)", async () => {
    const r = await runCli(["n.json"], {
      "n.json": '{"input": [8, 8, 1], "layers": [{"type": "dense", "units": 1e400}]}',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error: the number 1e400 is beyond the exact range");
  });

  it("refuses a flatten whose size passes 2^53 - 1", async () => {
    const r = await runCli(["n.json"], {
      "n.json": JSON.stringify({
        input: [2 ** 20, 2 ** 20, 2 ** 14],
        layers: [{ type: "flatten" }],
      }),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "error: layers[0]: the flattened size is 18014398509481984, beyond the exact integer range (2^53 - 1); expected a smaller network",
    );
  });

  it("shows an oversized size exactly, not rounded to a float", async () => {
    // 100000001² = 10000000200000001, which a float rounds to 10000000200000000
    for (const layer of ["conv 1 1x1", "flatten"]) {
      const r = await runCli(["n.cnn"], { "n.cnn": `input 100000001x100000001x1\n${layer}\n` });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(" is 10000000200000001, beyond the exact integer range");
    }
  });

  it("refuses a conv output of more than 2^53 - 1 positions", async () => {
    const r = await runCli(["n.json"], {
      "n.json": JSON.stringify({
        input: [2 ** 27, 2 ** 27, 1],
        layers: [{ type: "conv", filters: 1, kernel: 1 }],
      }),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error: layers[0]: the output size is 18014398509481984");
  });

  it("refuses an input size that is not a safe integer, in the spec or on the command line", async () => {
    const spec = await runCli(["n.json"], {
      "n.json": '{"input": [1e300, 1, 1], "layers": [{"type": "flatten"}]}',
    });
    expect(spec.code).toBe(1);
    expect(spec.stderr).toContain("n.json:1:12: error: the number 1e300 is beyond the exact range");
    const flag = await runCli(["n.json", "--input", "9007199254740993x1x1"], {
      "n.json": '{"layers": [{"type": "flatten"}]}',
    });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe(
      "error: option '--input <shape>' argument '9007199254740993x1x1' is invalid. expected a shape such as 84x84x4 (1 to 4 positive integers); received '9007199254740993x1x1'\n",
    );
  });
});
