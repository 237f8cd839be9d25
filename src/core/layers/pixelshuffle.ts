import { fail } from "../errors.js";
import type { LeafKind, Outcome } from "../kind.js";
import { checkSafe, DIMENSION_NOUNS } from "../shape.js";
import type { Window } from "../types.js";
import { uniform } from "../vectors.js";
import { applyWindow, dimsText, requireSpatial } from "../window.js";
import { ROUTING, untrackedField } from "./spatial-common.js";

export interface PixelShuffleSpec {
  type: "pixelshuffle";
  name?: string;
  /** The upscale factor r: [H, W, C] → [H·r, W·r, C/r²]. */
  factor: number;
}

export interface PixelUnshuffleSpec {
  type: "pixelunshuffle";
  name?: string;
  /** The downscale factor r: [H, W, C] → [H/r, W/r, C·r²]. */
  factor: number;
}

/** `factor`, `factor²`, `factor³`: the factor to the power of the rank, for messages. */
function factorPower(rank: number): string {
  return `factor${["", "", "²", "³"][rank] ?? `^${rank}`}`;
}

/**
 * Pixel shuffle (PyTorch PixelShuffle, TensorFlow depth_to_space), rank-general: every spatial
 * dimension times r, the channels divided by r^n for rank n. It only moves values: no neurons,
 * connections, MACs or parameters (as passthrough.ts); its activations are its output values.
 * An output position reads one input position (a step of 1/r), so its receptive field is not
 * tracked unless r = 1.
 */
export const pixelshuffle: LeafKind<PixelShuffleSpec> = {
  analyze(spec, input, ctx): Outcome {
    requireSpatial(input.shape, ctx.path, "pixelshuffle");
    const r = spec.factor;
    const rank = input.shape.dims.length;
    const C = input.shape.channels;
    const block = r ** rank;
    if (C % block !== 0) {
      fail(
        "not-divisible",
        `${ctx.path}.factor`,
        `channels ${C} are not divisible by ${factorPower(rank)} = ${block}; expected a multiple of ${block} channels. Received: factor=${r}, channels=${C}`,
      );
    }
    const dims = input.shape.dims.map((J) => checkSafe(J * r, ctx.path, "the output size"));
    const rf =
      r === 1
        ? input.rf
        : untrackedField(
            input,
            ctx,
            "pixelshuffle",
            `a pixel shuffle (an output steps 1/${r} of an input)`,
          );
    return { output: { shape: { dims, channels: C / block }, rf } };
  },
};

/**
 * Pixel unshuffle (PyTorch PixelUnshuffle, TensorFlow space_to_depth), the inverse: every
 * spatial dimension divided by r, the channels times r^n. It only moves values (no neurons,
 * connections, MACs or parameters); an output position gathers an r×r block of input positions,
 * so its receptive field is that of a window of kernel r and stride r.
 */
export const pixelunshuffle: LeafKind<PixelUnshuffleSpec> = {
  analyze(spec, input, ctx): Outcome {
    requireSpatial(input.shape, ctx.path, "pixelunshuffle");
    const r = spec.factor;
    const rank = input.shape.dims.length;
    const bad = input.shape.dims.findIndex((J) => J % r !== 0);
    if (bad !== -1) {
      const J = input.shape.dims[bad] as number;
      const noun = DIMENSION_NOUNS[rank]?.[bad] ?? `values along dimension ${bad + 1}`;
      fail(
        "not-divisible",
        `${ctx.path}.factor`,
        `${noun} ${J} are not divisible by factor ${r}; expected every spatial size to be a multiple of ${r}. Received: factor=${r}, input=${dimsText(input.shape.dims)}`,
      );
    }
    const channels = checkSafe(input.shape.channels * r ** rank, ctx.path, "the output channels");
    const kernel = uniform(r, rank);
    const zero = uniform(0, rank);
    const window: Window = {
      kernel,
      stride: kernel,
      dilation: uniform(1, rank),
      padBefore: zero,
      padAfter: zero,
      effectiveKernel: kernel,
      ceil: false,
    };
    const dims = input.shape.dims.map((J) => J / r);
    return { output: { shape: { dims, channels }, rf: applyWindow(input.rf, window) } };
  },
};

/** Its traits: a routing leaf (no weights, no window, no family). */
export const PIXELSHUFFLE_TRAITS = ROUTING;
