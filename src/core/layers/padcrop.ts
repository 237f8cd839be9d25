import { fail } from "../errors.js";
import type { Outcome } from "../kind.js";
import { checkSafe, DIMENSION_NOUNS } from "../shape.js";
import { shared } from "../vectors.js";
import { requireSpatial } from "../window.js";
import { expandPads, type PadSize, ROUTING, type SpecKind, shiftField } from "./spatial-common.js";

export interface ZeroPadSpec {
  type: "zeropad";
  name?: string;
  /** Keras ZeroPadding2D: `1`, `[1, 2]` (per dimension) or `[[1, 1], [2, 2]]` (before, after). */
  padding: PadSize;
}

export interface CropSpec {
  type: "crop";
  name?: string;
  /** Keras Cropping2D: `1`, `[1, 2]` (per dimension) or `[[1, 1], [2, 2]]` (before, after). */
  cropping: PadSize;
}

/**
 * Zero padding as a layer (Keras ZeroPadding2D): each dimension grows by before + after. It only
 * moves values: no neurons, connections, MACs or parameters; its activations are its output
 * values. The receptive field keeps its size and jump; its start moves back by before × jump.
 */
export const zeropad: SpecKind<ZeroPadSpec> = {
  analyze(spec, input, ctx): Outcome {
    requireSpatial(input.shape, ctx.path, "zeropad");
    const pads = expandPads(spec.padding, input.shape.dims.length, ctx.path, "padding");
    const dims = shared(
      input.shape.dims.map((J, i) => {
        const [b, a] = pads[i] as [number, number];
        return checkSafe(J + b + a, ctx.path, "the output size");
      }),
    );
    const rf = shiftField(
      input.rf,
      pads.map(([b]) => -b),
    );
    return { output: { shape: { dims, channels: input.shape.channels }, rf } };
  },
};

/**
 * Cropping (Keras Cropping2D): each dimension shrinks by before + after, which must leave at
 * least one. It only selects values: no neurons, connections, MACs or parameters. The receptive
 * field keeps its size and jump; its start moves on by before × jump.
 */
export const crop: SpecKind<CropSpec> = {
  analyze(spec, input, ctx): Outcome {
    requireSpatial(input.shape, ctx.path, "crop");
    const rank = input.shape.dims.length;
    const cuts = expandPads(spec.cropping, rank, ctx.path, "cropping");
    const dims = shared(
      input.shape.dims.map((J, i) => {
        const [b, a] = cuts[i] as [number, number];
        if (J - b - a < 1) {
          const noun = DIMENSION_NOUNS[rank]?.[i] ?? `values along dimension ${i + 1}`;
          fail(
            "output-size",
            `${ctx.path}.cropping`,
            `cropping ${b} + ${a} leaves none of the ${J} ${noun}; expected at most ${J - 1} in total. Received: cropping=[${b}, ${a}], input=${J}`,
          );
        }
        return J - b - a;
      }),
    );
    const rf = shiftField(
      input.rf,
      cuts.map(([b]) => b),
    );
    return { output: { shape: { dims, channels: input.shape.channels }, rf } };
  },
};

/** Its traits: a routing leaf (no weights, no window, no family). */
export const PADCROP_TRAITS = ROUTING;
