import type { LayerKind } from "../kind.js";
import { LEAF_TRAITS } from "../leaf-traits.js";
import type { LayerTraits } from "../traits.js";

/**
 * LayerScale (CaiT; ConvNeXt's γ before the residual add): each channel multiplied by a learned
 * scale. Like batchnorm it works in place: no neurons, no connections, no MACs (MACs count
 * weighted layers only); the activation count is the output's element count.
 */
export interface LayerScaleSpec {
  type: "layerscale";
  name?: string;
}

/** LayerScale: C trainable scales, one per channel. */
export const layerscale: LayerKind<LayerScaleSpec> = {
  analyze(_spec, input) {
    return { output: input, trainableParameters: BigInt(input.shape.channels) };
  },
};

/** A leaf working in place. */
export const layerscaleTraits: LayerTraits<LayerScaleSpec> = { ...LEAF_TRAITS, rescales: true };
