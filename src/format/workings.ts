import { elementCount } from "../core/shape.js";
import { resultChildren } from "../core/traits.js";
import type { DenseSpec, LayerResult, LayerSpec, LayerType, Window } from "../core/types.js";
import { plural } from "../core/words.js";
import { grouped } from "./numbers.js";
import {
  keptDimLines,
  kernelFactors,
  LABELS,
  type LayerWorking,
  line,
  parametersLine,
  shapeFactors,
  sumText,
  T,
  times,
  type WorkingLine,
  windowDimLines,
  windowGiven,
} from "./working.js";
import { MERGES_WORKINGS, NORMS_WORKINGS } from "./workings/norms.js";
import { SPATIAL_WORKINGS } from "./workings/spatial.js";
import { convTransposeWorking, convWorking } from "./workings-conv.js";

/*
 * The working of each layer type (`--explain`): one entry per type in WORKINGS, a mapped type so
 * a new layer type does not compile until it has its working. The notation helpers are in
 * working.ts, the rendering in explain.ts.
 */

/** How a layer without neurons of its own is explained. */
export interface InPlace {
  /** How the layer is named in the sentence (default: its type). */
  name?: string;
  /** It only reshapes (flatten): no output-size lines. */
  reshape?: boolean;
  /** The parameters line when it has parameters (batchnorm). */
  parameters?: (r: LayerResult, params: bigint) => string;
}

/** LeNet-5's subsampling: a pooling window with one trainable coefficient and bias per map. */
function subsampleWorking(r: LayerResult, w: Window): LayerWorking {
  const rank = r.inputShape.dims.length;
  const k = kernelFactors(rank, w);
  const neurons = shapeFactors(r.outputShape);
  const extra = w.ceil ? ["ceil mode"] : [];
  const given = windowGiven(r, w, extra);
  const params = r.trainableParameters + r.nonTrainableParameters;
  return {
    given,
    lines: [
      line(
        "weightsPerNeuron",
        LABELS.weightsPerNeuron,
        `1 + 1 = ${r.weightsPerNeuron} (one trainable coefficient and one bias per map, shared by its neurons)`,
      ),
      ...windowDimLines(r, w),
      line("neurons", LABELS.neurons, `${neurons} = ${grouped(r.neurons)}`),
      line(
        "connections",
        LABELS.connections,
        `${neurons}${T}(${k.values} + 1) = ${grouped(r.connections)} (each neuron sums its ${k.values} window, plus the bias)`,
      ),
      parametersLine(`2${T}L = 2${T}${r.inputShape.channels} = ${grouped(params)}`),
    ],
  };
}

/** Max and average pooling; `what` says what a neuron does with its window. */
export function poolWorking(r: LayerResult, w: Window, what: string): LayerWorking {
  const rank = r.inputShape.dims.length;
  const k = kernelFactors(rank, w);
  const neurons = shapeFactors(r.outputShape);
  const extra = w.ceil ? ["ceil mode"] : [];
  const given = windowGiven(r, w, extra);
  return {
    given,
    lines: [
      line(
        "weightsPerNeuron",
        LABELS.weightsPerNeuron,
        `none (pooling has no weights: each neuron ${what} its ${k.values} window)`,
      ),
      ...windowDimLines(r, w),
      line("neurons", LABELS.neurons, `${neurons} = ${grouped(r.neurons)}`),
      line(
        "connections",
        LABELS.connections,
        `${neurons}${T}${k.values} = ${grouped(r.connections)} (each neuron reads its ${k.values} window)`,
      ),
      parametersLine("0 (pooling has no weights)"),
    ],
  };
}

function denseWorking(r: LayerResult, spec: DenseSpec): LayerWorking {
  const inputs = elementCount(r.inputShape);
  const from = r.flattenedFrom ? ` (the ${shapeFactors(r.flattenedFrom)} input, flattened)` : "";
  const bias = spec.bias !== false;
  const params = r.trainableParameters + r.nonTrainableParameters;
  return {
    given: `Inputs: ${inputs}${from}`,
    lines: [
      line(
        "weightsPerNeuron",
        LABELS.weightsPerNeuron,
        bias ? `1 + ${inputs} = ${r.weightsPerNeuron}` : `${inputs} (no bias)`,
      ),
      line("neurons", LABELS.neurons, `${r.neurons}`),
      line(
        "connections",
        LABELS.connections,
        `${r.neurons}${T}${r.weightsPerNeuron} = ${grouped(r.connections)}`,
      ),
      parametersLine(`${r.neurons}${T}${r.weightsPerNeuron} = ${grouped(params)}`),
    ],
  };
}

/** Global pooling; `what` is what each neuron takes of its whole map. */
function globalPoolWorking(r: LayerResult, what: string): LayerWorking {
  const map = times(r.inputShape.dims);
  return {
    given: `Input: ${shapeFactors(r.inputShape)}, L = ${r.inputShape.channels}`,
    lines: [
      line(
        "weightsPerNeuron",
        LABELS.weightsPerNeuron,
        `none (global pooling has no weights: each neuron takes ${what} of its whole ${map} map)`,
      ),
      line(
        "neurons",
        LABELS.neurons,
        `L = ${grouped(r.neurons)} (one per channel${r.outputShape.dims.length > 0 ? `, kept as ${shapeFactors(r.outputShape)} (keepdims)` : ""})`,
      ),
      line(
        "connections",
        LABELS.connections,
        `${shapeFactors(r.inputShape)} = ${grouped(r.connections)} (${r.inputShape.channels === 1 ? "the one neuron" : `each of the ${r.inputShape.channels} neurons`} reads its whole ${map} map)`,
      ),
      parametersLine("0 (pooling has no weights)"),
    ],
  };
}

/** Layers that transform values in place or only route them: no neurons, and the reason why. */
export function inPlaceWorking(r: LayerResult, does: string, how: InPlace = {}): LayerWorking {
  const name = how.name ?? r.type;
  const count = elementCount(r.inputShape);
  const values = shapeFactors(r.inputShape);
  const valuesNoun = `${values} ${plural(count, "value")}`;
  const are = count === 1n ? "is the output of a neuron" : "are the outputs of the neurons";
  const why = `${name} ${does}; the ${valuesNoun} it works on ${are} of the layer before, counted there`;
  const params = r.trainableParameters + r.nonTrainableParameters;
  const lines: WorkingLine[] = [
    line(
      "weightsPerNeuron",
      LABELS.weightsPerNeuron,
      "none (no neurons, so no weights per neuron)",
    ),
  ];
  if (how.reshape === true) {
    lines.push(
      line(
        "neurons",
        LABELS.neurons,
        `0 (flatten only reshapes the ${valuesNoun} into a vector of ${r.outputShape.channels}; it computes nothing, so it adds no neurons)`,
      ),
    );
  } else {
    lines.push(...keptDimLines(r, "unchanged: the shape passes through", true));
    lines.push(line("neurons", LABELS.neurons, `0 (${why})`));
  }
  lines.push(
    line("connections", LABELS.connections, "0 (no neurons of its own, so no edges into them)"),
  );
  lines.push(parametersLine(how.parameters?.(r, params) ?? "0 (no weights)"));
  return { given: `Input: ${values}`, lines };
}

/** A block: its output and its counts as sums of its children's; `given` replaces `Output: ...`. */
export function blockWorking(r: LayerResult, output: string, given?: string): LayerWorking {
  const children = resultChildren(r);
  return {
    given: given ?? `Output: ${shapeFactors(r.outputShape)}`,
    lines: [
      line("weightsPerNeuron", LABELS.weightsPerNeuron, "none (a block: see its layers)"),
      ...keptDimLines(r, output, false),
      line(
        "neurons",
        LABELS.neurons,
        sumText(children, (c) => c.neurons),
      ),
      line(
        "connections",
        LABELS.connections,
        sumText(children, (c) => c.connections),
      ),
      parametersLine(sumText(children, (c) => c.trainableParameters + c.nonTrainableParameters)),
    ],
  };
}

/** The resolved window every sliding-window result carries. */
function windowOf(r: LayerResult): Window {
  if (r.window === undefined) throw new Error(`${r.path}: a ${r.type} result without its window`);
  return r.window;
}

/** One layer type's working, given its result and its spec. */
export type Working<S extends LayerSpec> = (r: LayerResult, spec: S) => LayerWorking;

/** Every layer type's working (`--explain`). */
export const WORKINGS: { readonly [K in LayerType]: Working<Extract<LayerSpec, { type: K }>> } = {
  conv: (r, spec) => convWorking(r, spec, windowOf(r)),
  convtranspose: (r, spec) => convTransposeWorking(r, spec, windowOf(r)),
  maxpool: (r) => poolWorking(r, windowOf(r), "takes the maximum of"),
  avgpool: (r) => poolWorking(r, windowOf(r), "averages"),
  subsample: (r) => subsampleWorking(r, windowOf(r)),
  globalavgpool: (r) => globalPoolWorking(r, "the average"),
  globalmaxpool: (r) => globalPoolWorking(r, "the maximum"),
  ...SPATIAL_WORKINGS,
  dense: denseWorking,
  flatten: (r) => inPlaceWorking(r, "only reshapes the values into a vector", { reshape: true }),
  activation: (r, spec) =>
    inPlaceWorking(r, "applies its function to each value in place", {
      name: `${spec.function} (activation)`,
    }),
  dropout: (r) =>
    inPlaceWorking(
      r,
      "zeroes values at random while training and passes them unchanged at inference",
    ),
  batchnorm: (r, spec) =>
    inPlaceWorking(
      r,
      "normalizes each value with its channel's statistics and rescales it (γ, β)",
      {
        parameters: (x, params) => {
          const C = x.inputShape.channels;
          const learned = [spec.gamma === false ? "" : "γ", spec.beta === false ? "" : "β"].filter(
            (p) => p !== "",
          );
          const stats = "non-trainable running mean and variance per channel";
          if (learned.length === 0)
            return `2C = 2${T}${C} = ${grouped(params)} (no γ or β; ${stats})`;
          const k = learned.length === 2 ? "2C" : "C";
          const kx = learned.length === 2 ? `2${T}${C}` : `${C}`;
          return `${k} + 2C = ${kx} + 2${T}${C} = ${grouped(params)} (trainable ${learned.join(" and ")} per channel; ${stats})`;
        },
      },
    ),
  lrn: (r) => inPlaceWorking(r, "normalizes each value across neighbouring channels"),
  ...NORMS_WORKINGS,
  residual: (r) => blockWorking(r, "the body's output, added to the shortcut's"),
  concat: (r) =>
    blockWorking(
      r,
      "the branches' common size; their channels are concatenated",
      r.branches
        ? `Channels: ${r.branches.map((b) => b[b.length - 1]?.outputShape.channels ?? r.inputShape.channels).join(" + ")} = ${r.outputShape.channels}`
        : undefined,
    ),
  ...MERGES_WORKINGS,
  denseblock: (r) => blockWorking(r, "kept by every repetition; channels grow by concatenation"),
  repeat: (r) => blockWorking(r, "the last repetition's output"),
};
