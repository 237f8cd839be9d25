import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { run } from "../helpers/io.js";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const DQN_JSON = read("examples/dqn.json");
const TUTORIAL = read("test/fixtures/dqn-tutorial.txt");

describe("cnncalc convert", () => {
  it("turns JSON into the compact language by default", async () => {
    const r = await run(["convert", "dqn.json"], { "dqn.json": DQN_JSON });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`name "DQN (Mnih et al., 2013)"
input 84x84x4
conv 16 8 stride 4 relu
conv 32 4 stride 2 relu
dense 256 relu
dense 18
`);
  });

  it("turns the compact language back into the same JSON spec", async () => {
    const text = (await run(["convert", "dqn.json", "--to", "text"], { "dqn.json": DQN_JSON }))
      .stdout;
    const r = await run(["convert", "dqn.cnn", "--to", "json"], { "dqn.cnn": text });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`{
  "name": "DQN (Mnih et al., 2013)",
  "input": [84, 84, 4],
  "layers": [
    { "type": "conv", "filters": 16, "kernel": 8, "stride": 4, "activation": "relu" },
    { "type": "conv", "filters": 32, "kernel": 4, "stride": 2, "activation": "relu" },
    { "type": "dense", "units": 256, "activation": "relu" },
    { "type": "dense", "units": 18 }
  ]
}
`);
    const { $schema: _, ...original } = JSON.parse(DQN_JSON);
    expect(JSON.parse(r.stdout)).toStrictEqual(original);
  });

  it("reads prose into JSON, with what it assumed and repaired on stderr", async () => {
    const r = await run(["convert", "-"], { "-": TUTORIAL });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).layers[0]).toStrictEqual({
      type: "conv",
      filters: 16,
      kernel: [8, 8],
      stride: 4,
      activation: "relu",
    });
    expect(r.stderr).toContain(
      "assumption: the text gives the number of outputs as a range, 4 to 18",
    );
    expect(r.stderr).toContain(
      `<stdin>:1:117: warning: read '16.8 \\times 8' (line 1, column 117) as 16 filters of 8 × 8`,
    );
    expect(r.stderr).toMatch(/warning: .*check it against the paper \[merged-number\]\n/);
    expect(r.stderr).toContain(
      "\n  |                                                   ^^^^^^^^^^^^^\n",
    );
  });

  it("writes to a file with -o", async () => {
    const r = await run(["convert", "dqn.json", "-o", "dqn.cnn"], { "dqn.json": DQN_JSON });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.written.get("dqn.cnn")).toContain("conv 16 8 stride 4 relu\n");
  });

  it("fails on a bad spec with the caret display and exit 1, on a bad --to with exit 2", async () => {
    const r = await run(["convert", "net.cnn"], {
      "net.cnn": "input 84x84x4\nconv 16 8x8 strde 4\n",
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("net.cnn:2:13: error: unknown option 'strde' for conv");
    expect(r.stderr).toContain("hint: did you mean 'stride'?");
    const usage = await run(["convert", "dqn.json", "--to", "yaml"], { "dqn.json": DQN_JSON });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Allowed choices are json, text");
    const missing = await run(["convert", "nope.json"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("nope.json: error: cannot read 'nope.json': no such file\n");
  });
});
