import { describe, expect, it } from "vitest";
import { scaledLength } from "../../src/core/formulas-spatial.js";
import { pixelshuffle, pixelunshuffle } from "../../src/core/layers/pixelshuffle.js";
import { type UpsampleSpec, upsample } from "../../src/core/layers/upsample.js";
import { shapeToArray } from "../../src/core/shape.js";
import { context, failure, tensor } from "./spatial-helpers.js";

/** No neurons, connections, MACs or parameters: the counts a routing layer leaves at zero. */
function expectNoCounts(out: object): void {
  for (const k of ["neurons", "connections", "macs", "trainableParameters", "activations"]) {
    expect((out as Record<string, unknown>)[k], k).toBeUndefined();
  }
}

describe("upsample (PyTorch nn.Upsample: floor(J·scale), or the given size)", () => {
  it.each([
    // [input, spec fields, output]
    [[7, 7, 3], { scale: 2 }, [14, 14, 3]],
    [[7, 7, 3], { scale: 1.5 }, [10, 10, 3]],
    [[5, 9, 2], { scale: [2, 1.5] }, [10, 13, 2]],
    [[10, 10, 1], { scale: 0.5 }, [5, 5, 1]],
    [[3, 3, 1], { scale: 0.5 }, [1, 1, 1]],
    [[16, 4], { scale: 3, mode: "linear" }, [48, 4]],
    [[4, 4, 4, 8], { scale: 2, mode: "linear" }, [8, 8, 8, 8]],
    [[7, 7, 3], { size: 20 }, [20, 20, 3]],
    [[7, 7, 3], { size: [5, 9], mode: "linear" }, [5, 9, 3]],
    [[7, 7, 3], { size: [4] }, [4, 4, 3]],
  ] as [number[], Omit<UpsampleSpec, "type">, number[]][])(
    "%j with %j gives %j",
    (input, fields, shape) => {
      const out = upsample.analyze({ type: "upsample", ...fields }, tensor(input), context().ctx);
      expect(shapeToArray(out.output.shape)).toEqual(shape);
      expectNoCounts(out);
    },
  );

  it("floors in double precision, as PyTorch does", () => {
    expect(scaledLength(7, 1.5)).toBe(10);
    expect(scaledLength(5, 1.5)).toBe(7);
    expect(scaledLength(3, 1 / 3)).toBe(1);
    // 100 × 1.15 is 114.99999999999999 in doubles: PyTorch also gives 114
    expect(scaledLength(100, 1.15)).toBe(114);
  });

  it("keeps the receptive field at the same size and drops it (with a note) otherwise", () => {
    const same = context();
    const kept = upsample.analyze({ type: "upsample", scale: 1 }, tensor([8, 8, 1]), same.ctx);
    expect(kept.output.rf).toEqual(tensor([8, 8, 1]).rf);
    expect(same.assumptions).toEqual([]);
    const { ctx, assumptions } = context("layers[2]");
    const out = upsample.analyze(
      { type: "upsample", scale: 2, mode: "linear" },
      tensor([8, 8, 1]),
      ctx,
    );
    expect(out.output.rf).toBeNull();
    expect(assumptions).toEqual([
      {
        code: "rf-resampled",
        message:
          "layers[2] (upsample): receptive fields are not tracked through linear upsampling (an output steps 1/scale of an input); the layers after it show none",
      },
    ]);
  });

  it.each([
    [
      [8, 8, 3],
      { scale: [2, 1.5], size: 16 },
      {
        code: "invalid-value",
        path: "layers[0].size",
        message:
          "upsample takes a scale or a size, not both; expected exactly one. Received: scale=[2, 1.5], size=16",
      },
    ],
    [
      [8, 8, 3],
      {},
      {
        code: "missing-key",
        path: "layers[0].scale",
        message:
          "missing 'scale'; upsample needs a scale factor or a target size; expected exactly one of scale and size",
      },
    ],
    [
      [8, 8, 3],
      { scale: [2, 2, 2] },
      {
        code: "rank-mismatch",
        path: "layers[0].scale",
        message:
          "scale has 3 values but the input has 2 spatial dimensions; expected 1 or 2 values. Received: scale=[2, 2, 2]",
      },
    ],
    [
      [8, 3, 3],
      { scale: [1, 0.25] },
      {
        code: "output-size",
        path: "layers[0].scale",
        message:
          "scale 0.25 leaves no output along columns: floor(3 × 0.25) = 0; expected an output size of at least 1. Received: scale=0.25, input=3",
      },
    ],
    [[36], { scale: 2 }, { code: "needs-spatial-input", path: "layers[0]" }],
  ] as [number[], Omit<UpsampleSpec, "type">, object][])("%j with %j fails", (input, fields, d) => {
    expect(
      failure(() =>
        upsample.analyze({ type: "upsample", ...fields }, tensor(input), context().ctx),
      ),
    ).toMatchObject(d);
  });
});

describe("pixelshuffle and pixelunshuffle (rank n: channels ÷ or × factor^n)", () => {
  it.each([
    // [input, factor, shuffled]
    [[8, 8, 16], 2, [16, 16, 4]],
    [[8, 8, 36], 3, [24, 24, 4]],
    [[32, 32, 12], 2, [64, 64, 3]],
    [[10, 6], 3, [30, 2]],
    [[4, 4, 4, 16], 2, [8, 8, 8, 2]],
    [[5, 7, 9], 1, [5, 7, 9]],
  ])("%j by %i gives %j, and back", (input, factor, shape) => {
    const up = pixelshuffle.analyze({ type: "pixelshuffle", factor }, tensor(input), context().ctx);
    expect(shapeToArray(up.output.shape)).toEqual(shape);
    expectNoCounts(up);
    const down = pixelunshuffle.analyze(
      { type: "pixelunshuffle", factor },
      tensor(shape),
      context().ctx,
    );
    expect(shapeToArray(down.output.shape)).toEqual(input);
    expectNoCounts(down);
  });

  it("unshuffles like a window of kernel and stride r; shuffles with no tracked field", () => {
    const down = pixelunshuffle.analyze(
      { type: "pixelunshuffle", factor: 2 },
      tensor([8, 8, 3]),
      context().ctx,
    );
    expect(down.output.rf).toEqual({ size: [2, 2], start: [1, 1], jump: [2, 2] });
    const { ctx, assumptions } = context();
    const up = pixelshuffle.analyze({ type: "pixelshuffle", factor: 2 }, tensor([8, 8, 4]), ctx);
    expect(up.output.rf).toBeNull();
    expect(assumptions.map((a) => a.code)).toEqual(["rf-resampled"]);
  });

  it.each([
    [
      [8, 8, 18],
      2,
      "channels 18 are not divisible by factor² = 4; expected a multiple of 4 channels. Received: factor=2, channels=18",
    ],
    [
      [8, 8, 16],
      3,
      "channels 16 are not divisible by factor² = 9; expected a multiple of 9 channels. Received: factor=3, channels=16",
    ],
    [
      [8, 5],
      2,
      "channels 5 are not divisible by factor = 2; expected a multiple of 2 channels. Received: factor=2, channels=5",
    ],
    [
      [4, 4, 4, 12],
      2,
      "channels 12 are not divisible by factor³ = 8; expected a multiple of 8 channels. Received: factor=2, channels=12",
    ],
  ])("pixelshuffle of %j by %i fails", (input, factor, message) => {
    expect(
      failure(() =>
        pixelshuffle.analyze({ type: "pixelshuffle", factor }, tensor(input), context().ctx),
      ),
    ).toEqual({ code: "not-divisible", path: "layers[0].factor", message });
  });

  it.each([
    [
      [7, 8, 3],
      2,
      "rows 7 are not divisible by factor 2; expected every spatial size to be a multiple of 2. Received: factor=2, input=7×8",
    ],
    [
      [6, 8, 3],
      3,
      "columns 8 are not divisible by factor 3; expected every spatial size to be a multiple of 3. Received: factor=3, input=6×8",
    ],
    [
      [9, 2],
      2,
      "positions 9 are not divisible by factor 2; expected every spatial size to be a multiple of 2. Received: factor=2, input=9",
    ],
  ])("pixelunshuffle of %j by %i fails", (input, factor, message) => {
    expect(
      failure(() =>
        pixelunshuffle.analyze({ type: "pixelunshuffle", factor }, tensor(input), context().ctx),
      ),
    ).toEqual({ code: "not-divisible", path: "layers[0].factor", message });
  });
});
