import type { LayerKind, Outcome, Tensor } from "../kind.js";
import { elementCount } from "../shape.js";
import type { GlobalPoolSpec } from "../types.js";
import { uniform } from "../vectors.js";
import { requireSpatial } from "../window.js";

/**
 * Global pooling: one neuron per channel, connected to every position of its map. With keepdims
 * the output is `[1, ..., 1, C]`, the same values in the same number, so every count is unchanged; the receptive field is null either way, since every
 * output depends on the whole input.
 */
export const globalPool: LayerKind<GlobalPoolSpec> = {
  analyze(spec, input, ctx): Outcome {
    requireSpatial(input.shape, ctx.path, spec.type);
    const channels = input.shape.channels;
    const dims = spec.keepdims === true ? uniform(1, input.shape.dims.length) : [];
    const output: Tensor = { shape: { dims, channels }, rf: null };
    return { output, neurons: BigInt(channels), connections: elementCount(input.shape) };
  },
};
