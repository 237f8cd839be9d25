import type { LayerKind } from "../kind.js";
import { elementCount } from "../shape.js";
import type { DenseSpec } from "../types.js";
import { shapeText } from "../window.js";
import { counted } from "../words.js";

/** Fully connected layer; a spatial input is flattened first (an implied flatten). */
export const dense: LayerKind<DenseSpec> = {
  analyze(spec, input, ctx) {
    const inputs = elementCount(input.shape);
    const flat = input.shape.dims.length > 0;
    if (flat) {
      ctx.assume(
        "implied-flatten",
        `${ctx.path} (dense) reads its ${shapeText(input.shape)} input flattened to ${counted(inputs, "value")}`,
      );
    }
    const weightsPerNeuron = inputs + (spec.bias === false ? 0n : 1n);
    const neurons = BigInt(spec.units);
    const connections = neurons * weightsPerNeuron;
    return {
      output: { shape: { dims: [], channels: spec.units }, rf: null },
      ...(flat ? { flattenedFrom: input.shape } : {}),
      weightsPerNeuron,
      neurons,
      connections,
      trainableParameters: connections,
      macs: neurons * inputs,
    };
  },
};
