import { fail } from "../errors.js";
import type { Context, Outcome, Tensor } from "../kind.js";
import type { LayerTraits } from "../traits.js";
import type { ReceptiveField } from "../types.js";
import { counted } from "../words.js";

/**
 * A layer kind written against its own spec type, before that type joins the LayerSpec union:
 * the same shape as `LayerKind<S>` (kind.ts), so once S is in the union the kind is assignable
 * to `LayerKind<S>` and drops into KINDS as it is.
 */
export interface SpecKind<S extends { type: string }> {
  analyze(spec: S, input: Tensor, ctx: Context): Outcome;
}

/**
 * The traits of a layer that only moves, selects or resamples values: a leaf with no weights,
 * no initialization, no window of its own, named by no family in `check`'s headings.
 */
export const ROUTING = {
  children: null,
  weighted: false,
  initialized: false,
  pooling: false,
  parallel: false,
  windowed: false,
  family: null,
} as const satisfies LayerTraits;

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

/**
 * A receptive field that is no single window (each output reads a varying number or position of
 * inputs): not tracked, like a transposed convolution's, with one assumption saying so.
 */
export function untrackedField(input: Tensor, ctx: Context, type: string, why: string): null {
  if (input.rf !== null) {
    ctx.assume(
      "rf-resampled",
      `${ctx.path} (${type}): receptive fields are not tracked through ${why}; the layers after it show none`,
    );
  }
  return null;
}
