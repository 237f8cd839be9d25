import { describe, expect, it } from "vitest";
import { DEFAULT_COLUMNS } from "../../src/format/columns.js";
import { escapeLatex, renderLatex } from "../../src/format/latex.js";
import { example, run } from "../teach-helpers.js";

describe("LaTeX output", () => {
  it("escapes TeX's special characters and cnncalc's symbols", () => {
    expect(escapeLatex("a_b & 50% $x #1 {y} ~ ^ \\")).toBe(
      "a\\_b \\& 50\\% \\$x \\#1 \\{y\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{}",
    );
    expect(escapeLatex("1 + (84−8)/4 = 20×20 ⌊77/4⌋")).toBe(
      "1 + (84\\ensuremath{-}8)/4 = 20\\ensuremath{\\times}20 \\ensuremath{\\lfloor}77/4\\ensuremath{\\rfloor}",
    );
  });

  it("renders a booktabs table with escaped names", () => {
    const a = run({
      name: "net_1 & co",
      input: [8, 8, 3],
      layers: [{ type: "conv", name: "conv_a", filters: 4, kernel: 3 }],
    });
    const tex = renderLatex(a, { columns: DEFAULT_COLUMNS, dtype: "float32" });
    expect(tex).toContain(
      "\\caption{net\\_1 \\& co, input 8\\ensuremath{\\times}8\\ensuremath{\\times}3}",
    );
    expect(tex).toContain(
      "\\toprule\n    \\# & Layer & Type & Output & Weights/neuron & Neurons & Connections & Parameters \\\\\n    \\midrule",
    );
    expect(tex).toContain(
      "    1 & conv\\_a & conv & 6\\ensuremath{\\times}6\\ensuremath{\\times}4 & 28 & 144 & 4,032 & 112 \\\\",
    );
    expect(tex).toContain("\\bottomrule");
  });

  it("adds the working with --explain", () => {
    const tex = renderLatex(example("dqn.json"), {
      columns: DEFAULT_COLUMNS,
      dtype: "float32",
      explain: true,
    });
    expect(tex).toContain(
      "  \\item Width and height: 1 + (J\\ensuremath{-}M)/s = 1 + (84\\ensuremath{-}8)/4 = 20",
    );
    expect(tex).toContain("  \\item Weights per neuron: 1 + 2592 = 2593");
  });
});
