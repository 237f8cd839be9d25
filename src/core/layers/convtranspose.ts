import { fail } from "../errors.js";
import { effectiveKernel, product, transposedLength, transposedOutputLength } from "../formulas.js";
import type { LayerKind } from "../kind.js";
import { checkSafe, elementCount } from "../shape.js";
import type { ConvTransposeSpec, Window } from "../types.js";
import { expandSize, requireSpatial } from "../window.js";
import { checkGroups } from "./conv.js";

/**
 * Pairs (input position, kernel tap) whose output position i·s - P + t·D falls inside the output:
 * the edges of a transposed convolution along one dimension.
 */
function tapPairs(J: number, M: number, s: number, D: number, pad: number, out: number): bigint {
  let pairs = 0;
  for (let t = 0; t < M; t++) {
    // i·s + t·D - pad in [0, out)  <=>  i in [ceil((pad - tD)/s), floor((out - 1 + pad - tD)/s)]
    const lo = Math.max(0, Math.ceil((pad - t * D) / s));
    const hi = Math.min(J - 1, Math.floor((out - 1 + pad - t * D) / s));
    if (hi >= lo) pairs += hi - lo + 1;
  }
  return BigInt(pairs);
}

/** Transposed convolution ("deconvolution"), with outputPadding. */
export const convtranspose: LayerKind<ConvTransposeSpec> = {
  analyze(spec, input, ctx) {
    requireSpatial(input.shape, ctx.path, "convtranspose");
    const rank = input.shape.dims.length;
    const L = input.shape.channels;
    const groups = checkGroups(spec.groups ?? 1, L, spec.filters, ctx.path);
    const kernel = expandSize(spec.kernel, rank, ctx.path, "kernel");
    const stride = expandSize(spec.stride ?? 1, rank, ctx.path, "stride");
    const dilation = expandSize(spec.dilation ?? 1, rank, ctx.path, "dilation");
    const padding =
      typeof spec.padding === "string"
        ? kernel.map(() => spec.padding as "same" | "valid")
        : expandSize(spec.padding ?? 0, rank, ctx.path, "padding");
    const outputPadding =
      spec.outputPadding === undefined
        ? undefined
        : expandSize(spec.outputPadding, rank, ctx.path, "outputPadding");
    const outDims: number[] = [];
    const pads: number[] = [];
    let pairs = 1n;
    for (let i = 0; i < rank; i++) {
      const J = input.shape.dims[i] as number;
      const M = kernel[i] as number;
      const s = stride[i] as number;
      const D = dilation[i] as number;
      const op = outputPadding?.[i];
      if (op !== undefined && op >= Math.max(s, D)) {
        fail(
          "output-padding",
          `${ctx.path}.outputPadding`,
          `outputPadding must be smaller than the stride or the dilation; expected less than ${Math.max(s, D)}. Received: outputPadding=${op}`,
        );
      }
      const { length, pad } = transposedLength(J, M, s, D, padding[i] as number, op);
      // "same" without output padding trims the full output (J-1)s + eff to J·s, half before
      const full = transposedOutputLength(J, M, s, D, 0, 0);
      const before = pad >= 0 ? pad : Math.floor(Math.max(full - length, 0) / 2);
      if (length <= 0) {
        fail(
          "output-size",
          `${ctx.path}.padding`,
          `the padding removes the whole output; expected an output size of at least 1. Received: padding=${pad}, output size=${length}`,
        );
      }
      outDims.push(checkSafe(length, ctx.path, "the output size"));
      pads.push(before);
      pairs *= tapPairs(J, M, s, D, before, length);
    }
    const window: Window = {
      kernel,
      stride,
      dilation,
      padBefore: pads,
      padAfter: pads,
      effectiveKernel: kernel.map((M, i) => effectiveKernel(M, dilation[i] as number)),
      ceil: false,
    };
    const bias = spec.bias === false ? 0n : 1n;
    const perGroupIn = BigInt(L / groups);
    const filters = BigInt(spec.filters);
    const output = { dims: outDims, channels: spec.filters };
    const neurons = elementCount(output);
    const macs = pairs * perGroupIn * filters;
    if (input.rf !== null) {
      ctx.assume(
        "rf-transposed",
        `${ctx.path} (convtranspose): receptive fields are not tracked through a transposed convolution (each output reads a varying number of inputs); the layers after it show none`,
      );
    }
    return {
      // receptive fields through a transposed convolution are not a single window; not computed
      output: { shape: output, rf: null },
      window,
      weightsPerNeuron: null,
      neurons,
      connections: macs + bias * neurons,
      trainableParameters: filters * (product(kernel) * perGroupIn + bias),
      macs,
    };
  },
};
