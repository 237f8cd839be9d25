import type { LayerKind } from "../kind.js";
import { checkSafe, elementCount } from "../shape.js";
import type { ActivationSpec, BatchNormSpec, DropoutSpec, FlattenSpec, LrnSpec } from "../types.js";

/*
 * Layers that transform values in place or only route them: no neurons and no connections of
 * their own, so conv + activation + batchnorm counts one set of neurons.
 */

/** Flatten: a view of the same values as a vector. */
export const flatten: LayerKind<FlattenSpec> = {
  analyze(_spec, input, ctx) {
    const units = checkSafe(elementCount(input.shape), ctx.path, "the flattened size");
    return { output: { shape: { dims: [], channels: units }, rf: null }, activations: 0n };
  },
};

/** An activation function applied element-wise. */
export const activation: LayerKind<ActivationSpec> = {
  analyze(_spec, input) {
    return { output: input };
  },
};

/** Dropout: identity at inference. */
export const dropout: LayerKind<DropoutSpec> = {
  analyze(_spec, input) {
    return { output: input };
  },
};

/** Local response normalization (AlexNet): no parameters. */
export const lrn: LayerKind<LrnSpec> = {
  analyze(_spec, input) {
    return { output: input };
  },
};

/**
 * Batch normalization: γ and β trainable (each unless turned off), running mean and variance
 * not (Keras' count).
 */
export const batchnorm: LayerKind<BatchNormSpec> = {
  analyze(spec, input) {
    const c = BigInt(input.shape.channels);
    const learned = (spec.gamma === false ? 0n : 1n) + (spec.beta === false ? 0n : 1n);
    return { output: input, trainableParameters: learned * c, nonTrainableParameters: 2n * c };
  },
};
