import type { LayerKind } from "../kind.js";
import { LEAF_TRAITS } from "../leaf-traits.js";
import type { LayerTraits } from "../traits.js";

/**
 * PReLU: max(0, x) + a·min(0, x) with a learned slope a per channel, or one slope for all
 * channels when `shared`. `shared: false` (the default) is `nn.PReLU(num_parameters=C)` and
 * Keras' `PReLU(shared_axes=[1, 2])`; `shared: true` is PyTorch's default `nn.PReLU()`. Keras'
 * default PReLU (no shared axes: one slope per element, H·W·C) is not modelled.
 * An activation: no neurons, no connections, no MACs; the activation count is the output's.
 */
export interface PReluSpec {
  type: "prelu";
  name?: string;
  /** One slope shared by every channel (default false: one per channel). */
  shared?: boolean;
}

/** PReLU: C trainable slopes, or 1 when shared. */
export const prelu: LayerKind<PReluSpec> = {
  analyze(spec, input) {
    return {
      output: input,
      trainableParameters: spec.shared === true ? 1n : BigInt(input.shape.channels),
    };
  },
};

/** A leaf working in place. */
export const preluTraits: LayerTraits<PReluSpec> = { ...LEAF_TRAITS, rescales: true };
