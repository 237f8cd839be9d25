import { describe, expect, it } from "vitest";
import { detectFormat } from "../../src/parse/index.js";
import { readRepoFile, run } from "../helpers/io.js";

// Text that is not a network must fail with a pointed error, never become a made-up network.
describe("text that is not a network", () => {
  it("an answers file read as a spec is an error at its first line, not a network", async () => {
    const answers = readRepoFile("examples/dqn.answers.txt");
    expect(detectFormat(answers, "dqn.answers.txt")).toBe("text");
    const r = await run(["a.txt", "--input", "84x84x4"], { "a.txt": answers });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("a.txt:3:1: error: unknown layer type 'layer'");
  });

  it("prose numbering layers is not read as a count of units", async () => {
    const r = await run(["-", "--input", "84x84x4"], { "-": "Layer 1 has 6400 neurons.\n" });
    // "6400 neurons" is a count; "layer 1" is not
    expect(JSON.stringify(r.stderr + r.stdout)).not.toContain("dense 1");
    const r2 = await run(["-", "--input", "84x84x4", "--show-layers"], {
      "-": "The layer 1 neurons are fully connected.\n",
    });
    expect(r2.code).toBe(1);
    expect(r2.stdout).toBe("");
  });

  it("a paragraph with no layer is an error", async () => {
    const r = await run(["-"], { "-": "hello world. This is a sentence." });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error: found no layer in the text");
  });
});
