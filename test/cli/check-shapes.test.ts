import { describe, expect, it } from "vitest";
import { run } from "../helpers/io.js";

// Answers about shapes: a flat output is a number, and "width and height" may come in either order.
describe("check: shapes", () => {
  it("takes a dense layer's output written as a number", async () => {
    const r = await run(["check", "examples/dqn.json", "a.txt"], {
      "a.txt": "layer 4 output 18\nlayer 3 output 256\nlayer 3 output 255\n",
    });
    expect(r.stdout).toContain("✓ right  line 1: layer 4 (dense2) output shape = 18");
    expect(r.stdout).toContain("✓ right  line 2: layer 3 (dense1) output shape = 256");
    expect(r.stdout).toContain(
      "✗ wrong  line 3: layer 3 (dense1) output shape = 255; the right value is 256",
    );
    expect(r.code).toBe(1);
  });

  it("reads a width and height pair width first, and accepts it the other way round", async () => {
    const r = await run(["check", "x.cnn", "a.txt"], {
      "x.cnn": "input 5x4x1\nconv 1 1x1\n",
      "a.txt": "layer 1 width and height 4x5\nlayer 1 size 5x4\nlayer 1 width and height 4x4\n",
    });
    expect(r.stdout).toContain("✓ right  line 1: layer 1 (conv1) width and height = 4×5");
    expect(r.stdout).toContain("✓ right  line 2: layer 1 (conv1) width and height = 5×4");
    expect(r.stdout).toContain(
      "✗ wrong  line 3: layer 1 (conv1) width and height = 4×4; the right value is 4×5 (width and height differ: width×height)",
    );
  });
});
