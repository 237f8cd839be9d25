import type { Outcome, Tensor } from "../kind.js";
import { elementCount } from "../shape.js";
import { uniform } from "../vectors.js";
import { requireSpatial } from "../window.js";
import type { SpecKind } from "./spatial-common.js";

/** Global pooling with Keras' `keepdims`: the spec `GlobalPoolSpec` becomes once wired. */
export interface GlobalPoolKeepdimsSpec {
  type: "globalavgpool" | "globalmaxpool";
  name?: string;
  /** Keep each spatial dimension as 1 (`[1, 1, C]`) instead of a flat `[C]`; default false. */
  keepdims?: boolean;
}

/**
 * Global pooling: one neuron per channel, connected to every position of its map (as pool.ts's
 * `globalPool`). With keepdims the output is `[1, ..., 1, C]`, the same values in the same
 * number, so every count is unchanged; the receptive field is null either way, since every
 * output depends on the whole input.
 */
export const globalPoolKeepdims: SpecKind<GlobalPoolKeepdimsSpec> = {
  analyze(spec, input, ctx): Outcome {
    requireSpatial(input.shape, ctx.path, spec.type);
    const channels = input.shape.channels;
    const dims = spec.keepdims === true ? uniform(1, input.shape.dims.length) : [];
    const output: Tensor = { shape: { dims, channels }, rf: null };
    return { output, neurons: BigInt(channels), connections: elementCount(input.shape) };
  },
};
