import { fail } from "../errors.js";
import type { LeafKind, Outcome } from "../kind.js";
import { checkSafe, DIMENSION_NOUNS } from "../shape.js";
import type { ReceptiveField } from "../types.js";
import { shared } from "../vectors.js";
import { requireSpatial } from "../window.js";
import { counted } from "../words.js";
import { ROUTING } from "./spatial-common.js";

/** Padding or cropping: one size, one per dimension, or `[before, after]` per dimension. */
export type PadSize = number | number[] | [number, number][];

/**
 * Expands a padding or cropping to `[before, after]` per dimension, in Keras' ZeroPadding2D /
 * Cropping2D forms: `1` (every side), `[1, 2]` (symmetric per dimension), `[[1, 1], [2, 2]]`
 * (before and after per dimension). In 1-D, two numbers are before and after (ZeroPadding1D's
 * `(1, 2)`), since one per dimension would be a single number.
 */
export function expandPads(
  value: PadSize,
  rank: number,
  path: string,
  field: string,
): [before: number, after: number][] {
  if (typeof value === "number") return Array.from({ length: rank }, () => [value, value]);
  const shown = JSON.stringify(value).replaceAll(",", ", ");
  const pairs = value.every((v) => Array.isArray(v));
  if (!pairs && rank === 1 && value.length === 2) {
    return [[value[0] as number, value[1] as number]];
  }
  if (value.length === 1 && !pairs) {
    const v = value[0] as number;
    return Array.from({ length: rank }, () => [v, v]);
  }
  if (value.length !== rank) {
    fail(
      "rank-mismatch",
      `${path}.${field}`,
      `${field} has ${counted(value.length, "value")} but the input has ${counted(rank, "spatial dimension")}; expected one size, ${rank === 1 ? "[before, after]" : `${rank} sizes or ${rank} [before, after] pairs`}. Received: ${field}=${shown}`,
    );
  }
  return value.map((v) => (typeof v === "number" ? [v, v] : [v[0], v[1]]));
}

/**
 * The receptive field of a tensor whose positions moved by `offsets` input positions of the
 * previous tensor (zero padding moves them by -before, cropping by +before): the sizes and jumps
 * stay, the starts move by offset × jump.
 */
export function shiftField(
  rf: ReceptiveField | null,
  offsets: readonly number[],
): ReceptiveField | null {
  if (rf === null || offsets.every((o) => o === 0)) return rf;
  return {
    size: rf.size,
    start: rf.start.map((s, i) => s + (offsets[i] as number) * (rf.jump[i] as number)),
    jump: rf.jump,
  };
}

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
export const zeropad: LeafKind<ZeroPadSpec> = {
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
export const crop: LeafKind<CropSpec> = {
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
