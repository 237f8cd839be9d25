import { describe, expect, it } from "vitest";
import { broadcast, broadcastShape } from "../../src/core/broadcast.js";
import { shapeFromArray, shapeToArray } from "../../src/core/shape.js";
import type { Shape } from "../../src/core/types.js";

/** A shape written `7x7x64` (channels last; `64` is flat). */
const shape = (text: string) => shapeFromArray(text.split("x").map(Number));
const text = (s: Shape | null) => (s === null ? null : shapeToArray(s).join("x"));

/** NumPy's result of broadcasting two shapes (np.broadcast_shapes), or null when it raises. */
const CASES: [string, string, string | null][] = [
  ["7x7x64", "7x7x64", "7x7x64"],
  ["7x7x64", "1x1x64", "7x7x64"], // a squeeze-and-excitation gate kept 1×1
  ["1x1x64", "7x7x64", "7x7x64"],
  ["7x7x64", "64", "7x7x64"], // a flat gate: [64] is read as [1, 1, 64]
  ["64", "7x7x64", "7x7x64"],
  ["7x7x64", "7x7x1", "7x7x64"], // a spatial attention map (CBAM)
  ["7x1x64", "1x7x64", "7x7x64"], // both broadcast
  ["7x7x64", "1", "7x7x64"], // a scalar
  ["7x64", "7x7x64", "7x7x64"], // NumPy aligns from the right, whatever the rank
  ["1x1x1x8", "4x5x6x8", "4x5x6x8"],
  ["64", "64", "64"],
  ["1", "10", "10"],
  ["7x7x64", "7x7x32", null],
  ["7x7x64", "5x5x64", null],
  ["7x7x64", "32", null],
  ["28x28x64", "7x7x64", null],
];

describe("broadcasting channels-last shapes", () => {
  it.each(CASES)("%s with %s", (a, b, expected) => {
    expect(text(broadcastShape(shape(a), shape(b)))).toBe(expected);
    // the rule is symmetric
    expect(text(broadcastShape(shape(b), shape(a)))).toBe(expected);
  });

  it("names the first dimension that does not fit, from the channels", () => {
    expect(broadcast(shape("7x7x64"), shape("7x7x32"))).toEqual({
      fits: false,
      axis: "channels",
      sizes: [64, 32],
    });
    expect(broadcast(shape("7x7x64"), shape("7x5x64"))).toEqual({
      fits: false,
      axis: "columns",
      sizes: [7, 5],
    });
    expect(broadcast(shape("28x28x64"), shape("7x1x64"))).toEqual({
      fits: false,
      axis: "rows",
      sizes: [28, 7],
    });
    expect(broadcast(shape("4x5x6x8"), shape("3x5x6x8"))).toEqual({
      fits: false,
      axis: "slices",
      sizes: [4, 3],
    });
    expect(broadcast(shape("9x64"), shape("8x64"))).toEqual({
      fits: false,
      axis: "positions",
      sizes: [9, 8],
    });
  });

  it("keeps a flat result flat", () => {
    expect(broadcastShape(shape("64"), shape("1"))).toEqual({
      dims: [],
      channels: 64,
    });
  });
});
