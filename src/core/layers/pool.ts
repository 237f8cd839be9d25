import { product } from "../formulas.js";
import type { LayerKind } from "../kind.js";
import { elementCount } from "../shape.js";
import type { PoolSpec, SubsampleSpec } from "../types.js";
import { requireSpatial, resolveWindow, windowOutput } from "../window.js";

/** Max and average pooling: no weights; each neuron is connected to its window. */
export const pool: LayerKind<PoolSpec> = {
  analyze(spec, input, ctx) {
    requireSpatial(input.shape, ctx.path, spec.type);
    const { window, outDims } = resolveWindow(spec, input.shape, ctx, "kernel");
    // PyTorch refuses this: some windows would then lie wholly in the padding (one warning)
    const over = window.kernel.findIndex(
      (k, i) =>
        Math.max(window.padBefore[i] as number, window.padAfter[i] as number) > Math.floor(k / 2),
    );
    if (over !== -1) {
      const k = window.kernel[over] as number;
      const pad = Math.max(window.padBefore[over] as number, window.padAfter[over] as number);
      ctx.warn(
        "pool-padding",
        `padding ${pad} is more than half the pooling window ${k}: some windows lie wholly in the padding; expected a padding of at most ${Math.floor(k / 2)} (PyTorch refuses more)`,
      );
    }
    const output = windowOutput(input, window, outDims, input.shape.channels);
    const neurons = elementCount(output.shape);
    return { output, window, neurons, connections: neurons * product(window.kernel) };
  },
};

/**
 * LeNet-5's trainable subsampling: each map has one coefficient and one bias (2 parameters per
 * map); each neuron sums its window, so it has window area + 1 connections (bias included).
 */
export const subsample: LayerKind<SubsampleSpec> = {
  analyze(spec, input, ctx) {
    requireSpatial(input.shape, ctx.path, "subsample");
    const { window, outDims } = resolveWindow(spec, input.shape, ctx, "kernel");
    const output = windowOutput(input, window, outDims, input.shape.channels);
    const neurons = elementCount(output.shape);
    return {
      output,
      window,
      weightsPerNeuron: 2n,
      neurons,
      connections: neurons * (product(window.kernel) + 1n),
      trainableParameters: 2n * BigInt(input.shape.channels),
      macs: neurons,
    };
  },
};
