import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzeSource } from "../../src/analyze-source.js";
import { byTier } from "../helpers/tier.js";

// print(model) texts broken at random (a character inserted, a stretch cut or copied elsewhere):
// whatever the reader makes of one, it is an analysis with exact counts or a located CnnError,
// never an exception of another kind (a stack trace) or a count that is not an integer.
const FIXTURES = ["smallnet", "stack_collapsed", "nested_sequential", "squeezenet1_0"].map((name) =>
  readFileSync(new URL(`../fixtures/torchprint/${name}.txt`, import.meta.url), "utf8"),
);
const PIECES = [
  "(",
  ")",
  ",",
  "=",
  " ",
  "\n",
  "0",
  "-1",
  "1e400",
  "None",
  "True",
  "(0-2): 3 x ",
  "Sequential(",
  "x",
  "'",
  "[",
  "]",
  "\t",
  "inf",
  "99999999999999999999",
  "(,)",
  "()",
  "#",
  "# input: 8x8x3\n",
];

describe("print(model) reader on broken texts", () => {
  const cases = byTier(150, 3000);
  it(`${cases} mutated fixtures: an analysis or a located error, never a crash`, () => {
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let located = 0;
    for (let i = 0; i < cases; i++) {
      let t = FIXTURES[rnd(FIXTURES.length)] as string;
      for (let k = 1 + rnd(3); k > 0; k--) {
        const at = rnd(t.length);
        const op = rnd(3);
        if (op === 0) t = t.slice(0, at) + PIECES[rnd(PIECES.length)] + t.slice(at);
        else if (op === 1) t = t.slice(0, at) + t.slice(at + 1 + rnd(20));
        else {
          const from = rnd(t.length);
          t = t.slice(0, at) + t.slice(from, from + rnd(40)) + t.slice(at);
        }
      }
      const r = analyzeSource(t, { input: [32, 32, 3], from: "pytorch" });
      if (r.ok) {
        expect(typeof r.analysis.totals.parameters, t).toBe("bigint");
      } else if (r.error.diagnostic.span !== undefined) located++;
    }
    // most broken texts are refused at a place in the text
    expect(located).toBeGreaterThan(cases / 4);
  });
});
