import { describe, expect, it } from "vitest";
import { CnnError } from "../../src/core/errors.js";
import { windowOutputLength } from "../../src/core/formulas.js";
import { shapeToArray } from "../../src/core/shape.js";
import { run } from "../helpers.js";

/**
 * PyTorch's documented pooling output size (MaxPool2d / AvgPool2d docs and
 * `pooling_output_shape`): floor or ceil of (L + 2p - d(k-1) - 1)/s, plus 1; in ceil mode a last
 * window that would start in the right padding is dropped ("sliding windows that would start in
 * the right padded region are ignored"). Keras has no ceil mode, hence this table.
 */
function pytorchPoolLength(L: number, k: number, s: number, p: number, d: number, ceil: boolean) {
  const x = (L + 2 * p - d * (k - 1) - 1) / s;
  let out = (ceil ? Math.ceil(x) : Math.floor(x)) + 1;
  if (ceil && (out - 1) * s >= L + p) out -= 1;
  return out;
}

// [L, kernel, stride, padding, floor mode, ceil mode]: worked by hand
const CASES = [
  [112, 3, 2, 0, 55, 56], // GoogLeNet maxpool1
  [56, 3, 2, 0, 27, 28], // GoogLeNet maxpool2
  [28, 3, 2, 0, 13, 14], // GoogLeNet maxpool3
  [14, 2, 2, 0, 7, 7], // GoogLeNet maxpool4: exact tiling, both modes agree
  [5, 2, 2, 1, 3, 3], // ceil would add a window starting in the right padding: dropped
  [6, 3, 2, 1, 3, 4], // the extra ceil window starts inside the input: kept
  [8, 3, 3, 1, 3, 3], // (8+2-3)/3 = 7/3 rounds up to 3, but its window would start at 9 >= 8+1
  [7, 3, 3, 1, 3, 3], // (7+2-3)/3 = 2 exactly
  [13, 3, 2, 1, 7, 7],
  [11, 4, 3, 0, 3, 4], // (11-4)/3 = 7/3: a last partial window inside the input
] as const;

describe("ceil mode pooling, against PyTorch's formula", () => {
  it.each(CASES)("L=%i k=%i s=%i p=%i: floor %i, ceil %i", (L, k, s, p, floor, ceil) => {
    expect(pytorchPoolLength(L, k, s, p, 1, false)).toBe(floor);
    expect(pytorchPoolLength(L, k, s, p, 1, true)).toBe(ceil);
    expect(windowOutputLength(L, k, s, 1, p, p, false)).toBe(floor);
    expect(windowOutputLength(L, k, s, 1, p, p, true)).toBe(ceil);
    const a = run([L, L, 2], [{ type: "maxpool", kernel: k, stride: s, padding: p, ceil: true }]);
    expect(shapeToArray(a.output)).toEqual([ceil, ceil, 2]);
    // ceil mode covers every input, so it never warns about uncovered rows
    expect(a.warnings).toEqual([]);
  });

  it("agrees with the formula on every small case", () => {
    for (let L = 1; L <= 20; L++)
      for (let k = 1; k <= Math.min(L, 5); k++)
        for (let s = 1; s <= 4; s++)
          for (let p = 0; p <= Math.floor(k / 2); p++) {
            expect(windowOutputLength(L, k, s, 1, p, p, true), `${L} ${k} ${s} ${p}`).toBe(
              pytorchPoolLength(L, k, s, p, 1, true),
            );
          }
  });

  it("refuses ceil mode with 'same' padding", () => {
    expect(() =>
      run([8, 8, 1], [{ type: "maxpool", kernel: 2, padding: "same", ceil: true }]),
    ).toThrow(CnnError);
  });
});
