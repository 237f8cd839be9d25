import type { Context, Tensor } from "../kind.js";
import { LEAF_TRAITS } from "../leaf-traits.js";

/**
 * The traits of a layer that only moves, selects or resamples values: a leaf with no weights,
 * no initialization, no window of its own, named by no family in `check`'s headings.
 */
export const ROUTING = LEAF_TRAITS;

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
