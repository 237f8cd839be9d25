import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/core/analyze.js";
import { CnnError } from "../../src/core/errors.js";
import type { LayerSpec } from "../../src/core/types.js";

interface Win {
  k: number;
  s: number;
  d: number;
  p: number;
}

/**
 * The input interval (pixel indices, padding included) that output `o` of the last window reads,
 * found by walking back through every layer: output o of a window reads o·s - p ... o·s - p + (k-1)d.
 */
function interval(wins: readonly Win[], o: number): [number, number] {
  let a = o;
  let b = o;
  for (let i = wins.length - 1; i >= 0; i--) {
    const w = wins[i] as Win;
    a = a * w.s - w.p;
    b = b * w.s - w.p + (w.k - 1) * w.d;
  }
  return [a, b];
}

describe("receptive field, jump and start from first principles", () => {
  it("match the intervals each output reads, through conv and pooling chains (1-D and 2-D)", () => {
    const win = fc.record({
      k: fc.integer({ min: 1, max: 5 }),
      s: fc.integer({ min: 1, max: 3 }),
      d: fc.integer({ min: 1, max: 3 }),
      p: fc.integer({ min: 0, max: 2 }),
      pool: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 200 }),
        fc.array(win, { minLength: 1, maxLength: 6 }),
        (L, raws) => {
          const wins: Win[] = [];
          const layers: LayerSpec[] = [];
          for (const r of raws) {
            const spec: LayerSpec = r.pool
              ? {
                  type: "maxpool",
                  kernel: r.k,
                  stride: r.s,
                  padding: Math.min(r.p, Math.floor(r.k / 2)),
                }
              : { type: "conv", filters: 2, kernel: r.k, stride: r.s, dilation: r.d, padding: r.p };
            try {
              analyze({ input: [L, L, 1], layers: [...layers, spec] });
            } catch (e) {
              if (e instanceof CnnError) continue;
              throw e;
            }
            layers.push(spec);
            wins.push(r.pool ? { k: r.k, s: r.s, d: 1, p: Math.min(r.p, Math.floor(r.k / 2)) } : r);
          }
          fc.pre(layers.length > 0);
          const a = analyze({ input: [L, L, 1], layers });
          a.layers.forEach((res, i) => {
            const upTo = wins.slice(0, i + 1);
            const [lo, hi] = interval(upTo, 0);
            const [lo1, hi1] = interval(upTo, 1);
            const rf = res.receptiveField;
            expect(rf?.size).toEqual([hi - lo + 1, hi - lo + 1]);
            expect(rf?.start).toEqual([(lo + hi + 1) / 2, (lo + hi + 1) / 2]);
            expect(rf?.jump).toEqual([lo1 - lo, hi1 - hi]);
          });
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe("receptive field objects", () => {
  it("keep one key order (size, start, jump) wherever they are made", async () => {
    const { readFileSync } = await import("node:fs");
    const { parseJsonSpec } = await import("../../src/parse/spec.js");
    for (const example of ["resnet18", "googlenet", "densenet121", "dqn"]) {
      const text = readFileSync(new URL(`../../examples/${example}.json`, import.meta.url), "utf8");
      const a = analyze(parseJsonSpec(text).spec);
      const stack = [...a.layers];
      let seen = 0;
      for (let r = stack.pop(); r !== undefined; r = stack.pop()) {
        if (r.receptiveField !== null) {
          expect(Object.keys(r.receptiveField)).toEqual(["size", "start", "jump"]);
          seen++;
        }
        for (const list of [r.layers, r.shortcut, ...(r.branches ?? [])])
          if (list) stack.push(...list);
      }
      expect(seen).toBeGreaterThan(1);
    }
  });
});
