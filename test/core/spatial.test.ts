import { describe, expect, it } from "vitest";
import type { LeafKind, Tensor } from "../../src/core/kind.js";
import { SPATIAL_KINDS, type SpatialSpec } from "../../src/core/layers/spatial.js";
import { shapeToArray } from "../../src/core/shape.js";
import { context, tensor } from "./spatial-helpers.js";

/** Runs layers in turn through SPATIAL_KINDS, as the analysis will once they are wired. */
function chain(input: number[], layers: SpatialSpec[]): { shapes: number[][]; output: Tensor } {
  let x = tensor(input);
  const shapes: number[][] = [];
  layers.forEach((spec, i) => {
    const kind = SPATIAL_KINDS[spec.type] as LeafKind<SpatialSpec>;
    x = kind.analyze(spec, x, context(`layers[${i}]`).ctx).output;
    shapes.push(shapeToArray(x.shape));
  });
  return { shapes, output: x };
}

describe("the new kinds in sequence", () => {
  it("ESPCN's tail: pixel shuffle by 3 to 3 channels", () => {
    expect(chain([17, 17, 27], [{ type: "pixelshuffle", factor: 3 }]).shapes).toEqual([
      [51, 51, 3],
    ]);
  });

  it("ShuffleNet v2's split and shuffle", () => {
    const { shapes } = chain(
      [28, 28, 116],
      [
        { type: "channelshuffle", groups: 2 },
        { type: "slice", channels: [58, 116] },
      ],
    );
    expect(shapes).toEqual([
      [28, 28, 116],
      [28, 28, 58],
    ]);
  });

  it("a U-Net skip: upsample by 2, crop the encoder's 64×64 to 56×56, pad back", () => {
    const { shapes, output } = chain(
      [64, 64, 128],
      [
        { type: "crop", cropping: 4 },
        {
          type: "zeropad",
          padding: [
            [4, 4],
            [4, 4],
          ],
        },
        { type: "upsample", scale: 2 },
      ],
    );
    expect(shapes).toEqual([
      [56, 56, 128],
      [64, 64, 128],
      [128, 128, 128],
    ]);
    expect(output.rf).toBeNull();
  });

  it("adaptive pooling after unshuffle, to ResNet's 1×1", () => {
    const { shapes, output } = chain(
      [224, 224, 3],
      [
        { type: "pixelunshuffle", factor: 4 },
        { type: "adaptiveavgpool", output: 1 },
      ],
    );
    expect(shapes).toEqual([
      [56, 56, 48],
      [1, 1, 48],
    ]);
    // 4×4 blocks, then one 56-block window: the whole 224 input
    expect(output.rf?.size).toEqual([224, 224]);
  });
});
