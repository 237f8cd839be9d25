import { describe, expect, it } from "vitest";
import { channelshuffle, slice } from "../../src/core/layers/channels.js";
import { crop, expandPads, type PadSize, zeropad } from "../../src/core/layers/padcrop.js";
import { shapeToArray } from "../../src/core/shape.js";
import { context, failure, tensor } from "./spatial-helpers.js";

describe("padding and cropping forms (Keras ZeroPadding2D / Cropping2D)", () => {
  it.each([
    [
      1,
      2,
      [
        [1, 1],
        [1, 1],
      ],
    ],
    [
      [1, 2],
      2,
      [
        [1, 1],
        [2, 2],
      ],
    ],
    [
      [
        [1, 0],
        [2, 3],
      ],
      2,
      [
        [1, 0],
        [2, 3],
      ],
    ],
    [
      [3],
      3,
      [
        [3, 3],
        [3, 3],
        [3, 3],
      ],
    ],
    [2, 1, [[2, 2]]],
    [[1, 2], 1, [[1, 2]]],
    [[[0, 4]], 1, [[0, 4]]],
  ] as [PadSize, number, [number, number][]][])("%j in rank %i is %j", (value, rank, pads) => {
    expect(expandPads(value, rank, "layers[0]", "padding")).toEqual(pads);
  });

  it("fails on the wrong number of sizes, showing what it received", () => {
    expect(failure(() => expandPads([1, 2, 3], 2, "layers[1]", "cropping"))).toEqual({
      code: "rank-mismatch",
      path: "layers[1].cropping",
      message:
        "cropping has 3 values but the input has 2 spatial dimensions; expected one size, 2 sizes or 2 [before, after] pairs. Received: cropping=[1, 2, 3]",
    });
    expect(failure(() => expandPads([[1, 1]], 2, "layers[1]", "padding"))).toMatchObject({
      code: "rank-mismatch",
      message:
        "padding has 1 value but the input has 2 spatial dimensions; expected one size, 2 sizes or 2 [before, after] pairs. Received: padding=[[1, 1]]",
    });
  });
});

describe("zeropad and crop", () => {
  it.each([
    // [input, padding, padded shape, receptive field start]
    [[28, 28, 1], 2, [32, 32, 1], [-1.5, -1.5]],
    [
      [28, 28, 1],
      [1, 2],
      [30, 32, 1],
      [-0.5, -1.5],
    ],
    [
      [28, 28, 1],
      [
        [1, 0],
        [0, 3],
      ],
      [29, 31, 1],
      [-0.5, 0.5],
    ],
    [[100, 4], [3, 0], [103, 4], [-2.5]],
    [[4, 4, 4, 2], 1, [6, 6, 6, 2], [-0.5, -0.5, -0.5]],
  ] as [number[], PadSize, number[], number[]][])(
    "%j padded by %j gives %j",
    (input, padding, shape, start) => {
      const out = zeropad.analyze({ type: "zeropad", padding }, tensor(input), context().ctx);
      expect(shapeToArray(out.output.shape)).toEqual(shape);
      expect(out.output.rf?.start).toEqual(start);
      expect(out.output.rf?.size).toEqual(start.map(() => 1));
      expect(out.neurons ?? 0n).toBe(0n);
      expect(out.connections ?? 0n).toBe(0n);
      // cropping the same amounts gives the input back, field and all
      const back = crop.analyze({ type: "crop", cropping: padding }, out.output, context().ctx);
      expect(shapeToArray(back.output.shape)).toEqual(input);
      expect(back.output.rf).toEqual(tensor(input).rf);
    },
  );

  it.each([
    [
      [7, 7, 3],
      4,
      "cropping 4 + 4 leaves none of the 7 rows; expected at most 6 in total. Received: cropping=[4, 4], input=7",
    ],
    [
      [7, 5, 3],
      [
        [0, 0],
        [1, 4],
      ],
      "cropping 1 + 4 leaves none of the 5 columns; expected at most 4 in total. Received: cropping=[1, 4], input=5",
    ],
    [
      [5, 3],
      [2, 3],
      "cropping 2 + 3 leaves none of the 5 positions; expected at most 4 in total. Received: cropping=[2, 3], input=5",
    ],
  ] as [number[], PadSize, string][])("cropping %j by %j fails", (input, cropping, message) => {
    expect(
      failure(() => crop.analyze({ type: "crop", cropping }, tensor(input), context().ctx)),
    ).toEqual({ code: "output-size", path: "layers[0].cropping", message });
  });

  it("needs a spatial input", () => {
    expect(
      failure(() => zeropad.analyze({ type: "zeropad", padding: 1 }, tensor([10]), context().ctx)),
    ).toMatchObject({ code: "needs-spatial-input" });
  });
});

describe("channelshuffle and slice", () => {
  it("a channel shuffle keeps the shape and the field", () => {
    const input = tensor([28, 28, 116]);
    const out = channelshuffle.analyze({ type: "channelshuffle", groups: 2 }, input, context().ctx);
    expect(out.output).toEqual(input);
    expect(out.neurons ?? 0n).toBe(0n);
  });

  it("groups must divide the channels", () => {
    expect(
      failure(() =>
        channelshuffle.analyze(
          { type: "channelshuffle", groups: 3 },
          tensor([8, 8, 16]),
          context().ctx,
        ),
      ),
    ).toEqual({
      code: "groups-mismatch",
      path: "layers[0].groups",
      message:
        "groups must divide the input channels; expected a divisor of 16. Received: groups=3, channels=16",
    });
  });

  it.each([
    [
      [28, 28, 116],
      [0, 58],
      [28, 28, 58],
    ],
    [
      [28, 28, 116],
      [58, 116],
      [28, 28, 58],
    ],
    [
      [10, 10, 3],
      [2, 3],
      [10, 10, 1],
    ],
    [[64], [0, 10], [10]],
  ] as [number[], [number, number], number[]][])(
    "%j sliced %j gives %j",
    (input, channels, shape) => {
      const t = tensor(input);
      const out = slice.analyze({ type: "slice", channels }, t, context().ctx);
      expect(shapeToArray(out.output.shape)).toEqual(shape);
      expect(out.output.rf).toEqual(t.rf);
      expect(out.connections ?? 0n).toBe(0n);
    },
  );

  it.each([[[-1, 4]], [[4, 4]], [[5, 3]], [[0, 17]]] as [[number, number]][])(
    "the range %j fails on 16 channels",
    (channels) => {
      expect(
        failure(() =>
          slice.analyze({ type: "slice", channels }, tensor([8, 8, 16]), context().ctx),
        ),
      ).toEqual({
        code: "channel-range",
        path: "layers[0].channels",
        message: `the channel range must lie within the input's 16 channels and be non-empty; expected 0 ≤ start < end ≤ 16. Received: channels=[${channels[0]}, ${channels[1]}]`,
      });
    },
  );
});
