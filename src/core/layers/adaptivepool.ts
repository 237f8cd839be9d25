import { product } from "../formulas.js";
import { adaptiveBinTotal, adaptiveLargestBin } from "../formulas-spatial.js";
import type { LeafKind, Outcome } from "../kind.js";
import { checkSafe, elementCount } from "../shape.js";
import type { Size, Window } from "../types.js";
import { uniform } from "../vectors.js";
import { applyWindow, expandSize, requireSpatial } from "../window.js";
import { ROUTING, untrackedField } from "./spatial-common.js";

export interface AdaptivePoolSpec {
  type: "adaptiveavgpool" | "adaptivemaxpool";
  name?: string;
  /** The output size: one for every spatial dimension, or one per dimension. */
  output: Size;
}

/**
 * The plain pooling window adaptive pooling equals when every output size divides its input
 * (kernel = stride = J/N, no padding, as PyTorch documents); null when some does not.
 */
export function adaptiveWindow(input: readonly number[], output: readonly number[]): Window | null {
  if (!input.every((J, i) => J % (output[i] as number) === 0)) return null;
  const kernel = input.map((J, i) => J / (output[i] as number));
  const zero = uniform(0, input.length);
  return {
    kernel,
    stride: kernel,
    dilation: uniform(1, input.length),
    padBefore: zero,
    padAfter: zero,
    effectiveKernel: kernel,
    ceil: false,
  };
}

/**
 * Adaptive max and average pooling (PyTorch's AdaptiveAvgPool2d): output bin i of J inputs to N
 * spans floor(i·J/N) to ceil((i+1)·J/N), so bins may differ in size and overlap. Like pooling:
 * no weights, no MACs, one neuron per output value, each connected to its bin in its own
 * channel; the bins of a dimension sum to J + N - gcd(J, N), and a bin's area is the product of
 * its lengths, so the connections are C × Π (J + N - gcd(J, N)), exactly. The receptive field is
 * the equal plain window's when every N divides its J; otherwise it is not tracked (windows of
 * varying size and step are no single window; the largest bin is `adaptiveLargestBin`).
 */
export const adaptivePool: LeafKind<AdaptivePoolSpec> = {
  analyze(spec, input, ctx): Outcome {
    requireSpatial(input.shape, ctx.path, spec.type);
    const rank = input.shape.dims.length;
    const outDims = expandSize(spec.output, rank, ctx.path, "output");
    const channels = input.shape.channels;
    const shape = { dims: outDims, channels };
    const neurons = elementCount(shape);
    checkSafe(neurons, ctx.path, "the output size");
    const binTotals = input.shape.dims.map((J, i) => adaptiveBinTotal(J, outDims[i] as number));
    const connections = product(binTotals, channels);
    const window = adaptiveWindow(input.shape.dims, outDims);
    if (window !== null) {
      return { output: { shape, rf: applyWindow(input.rf, window) }, window, neurons, connections };
    }
    const largest = input.shape.dims.map((J, i) => adaptiveLargestBin(J, outDims[i] as number));
    const rf = untrackedField(
      input,
      ctx,
      spec.type,
      `adaptive pooling of ${input.shape.dims.join("×")} to ${outDims.join("×")} (bins of varying size, the largest ${largest.join("×")}, at varying steps)`,
    );
    return { output: { shape, rf }, neurons, connections };
  },
};

/**
 * Adaptive pooling's traits: a pooling layer (init takes it as factor 1; `check` names it among
 * the pooling layers). Its window is carried only when the bins are equal, so it is not
 * `windowed` (which promises one).
 */
export const ADAPTIVE_POOL_TRAITS = { ...ROUTING, pooling: true, family: "pool" } as const;
