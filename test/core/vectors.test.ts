/*
 * The shared small vectors and the float fast path of exact products: both are speed measures
 * (bench/results.md), so these tests pin down that they change no value.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/core/analyze.js";
import { product } from "../../src/core/formulas.js";
import { elementCount } from "../../src/core/shape.js";
import { shared, uniform } from "../../src/core/vectors.js";
import { parseJsonSpec } from "../../src/parse/spec.js";

describe("shared vectors", () => {
  it("hands out one frozen array per small uniform vector", () => {
    expect(uniform(3, 2)).toEqual([3, 3]);
    expect(uniform(3, 2)).toBe(uniform(3, 2));
    expect(uniform(3, 3)).not.toBe(uniform(3, 2));
    expect(Object.isFrozen(uniform(1, 2))).toBe(true);
    expect(() => {
      (uniform(1, 2) as number[])[0] = 5;
    }).toThrow(TypeError);
    expect(uniform(1, 2)).toEqual([1, 1]);
  });

  it("gives fresh arrays for large or unusual values", () => {
    expect(uniform(5000, 2)).toEqual([5000, 5000]);
    expect(uniform(5000, 2)).not.toBe(uniform(5000, 2));
    expect(uniform(0.5, 2)).toEqual([0.5, 0.5]);
    expect(Object.isFrozen(uniform(-1, 1))).toBe(false);
    // -0 is not shared: a Map would take it for 0 and hand [-0, -0] to every later 0
    expect(Object.is(uniform(-0, 2)[0], -0)).toBe(true);
    expect(Object.is(uniform(0, 2)[0], 0)).toBe(true);
  });

  it("shares a uniform list and keeps any other as it is", () => {
    expect(shared([7, 7])).toBe(uniform(7, 2));
    const mixed = [3, 1];
    expect(shared(mixed)).toBe(mixed);
    const empty: number[] = [];
    expect(shared(empty)).toBe(empty);
  });

  it("keeps two layers' windows apart in the analysis", () => {
    const { spec } = parseJsonSpec(
      JSON.stringify({
        input: [32, 32, 3],
        layers: [
          { type: "conv", filters: 8, kernel: 3, padding: 1 },
          { type: "conv", filters: 8, kernel: [3, 1], padding: "same" },
          { type: "maxpool", kernel: 2 },
        ],
      }),
    );
    const [a, b, c] = analyze(spec).layers;
    expect(a?.window?.kernel).toEqual([3, 3]);
    expect(b?.window?.kernel).toEqual([3, 1]);
    expect(b?.window?.padBefore).toEqual([1, 0]);
    expect(c?.window?.stride).toEqual([2, 2]);
    expect(c?.outputShape.dims).toEqual([16, 16]);
    expect(c?.receptiveField?.jump).toEqual([2, 2]);
  });
});

describe("exact products", () => {
  const exact = (values: readonly number[]) => values.reduce((p, v) => p * BigInt(v), 1n);

  it("agree with bigint arithmetic around 2^53", () => {
    expect(product([2 ** 26, 2 ** 27 - 1])).toBe(exact([2 ** 26, 2 ** 27 - 1]));
    expect(product([2 ** 26, 2 ** 27])).toBe(2n ** 53n);
    expect(product([2 ** 26 + 1, 2 ** 27 + 3])).toBe(exact([2 ** 26 + 1, 2 ** 27 + 3]));
    expect(product([94906267, 94906267])).toBe(94906267n * 94906267n); // just past 2^53
    expect(product([3, 0, 2 ** 52])).toBe(0n);
    expect(product([])).toBe(1n);
    expect(product([5n, 3])).toBe(15n);
    // a factor that is not an integer is refused as before (BigInt throws), never rounded
    expect(() => product([0.5, 4])).toThrow(RangeError);
    expect(product([2 ** 60, 0])).toBe(0n);
    expect(elementCount({ dims: [2 ** 20, 2 ** 20], channels: 2 ** 13 + 1 })).toBe(
      exact([2 ** 20, 2 ** 20, 2 ** 13 + 1]),
    );
  });

  it("agree with bigint arithmetic on random positive integers", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), { maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 70_000 }), { maxLength: 4 }),
        (big, small) => {
          for (const values of [big, small, [...small, ...big]]) {
            expect(product(values)).toBe(exact(values));
            const [channels = 1, ...dims] = values;
            expect(elementCount({ dims, channels })).toBe(exact(values));
          }
        },
      ),
      { seed: 20261127, numRuns: 2000 },
    );
  });
});
