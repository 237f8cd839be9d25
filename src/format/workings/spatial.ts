import { gcd } from "../../core/formulas-spatial.js";
import { expandPads } from "../../core/layers/padcrop.js";
import type { PadSize, SpatialSpec, SpatialType, UpsampleSpec } from "../../core/layers/spatial.js";
import { elementCount } from "../../core/shape.js";
import type { LayerResult } from "../../core/types.js";
import { plural } from "../../core/words.js";
import { grouped } from "../numbers.js";
import {
  dimsOf,
  LABELS,
  type LayerWorking,
  line,
  parametersLine,
  shapeFactors,
  T,
  type WorkingLine,
} from "../working.js";
import { poolWorking, type Working } from "../workings.js";

/*
 * The working (`--explain`) of the resampling and routing layer types ("spatial" group); the
 * WORKINGS table of workings.ts spreads SPATIAL_WORKINGS.
 *
 * Counting convention of the group (docs/columns.md): upsampling, pixel shuffle and unshuffle,
 * channel shuffle, slice, zero padding and cropping only move, select or repeat values, with no
 * weights: like flatten or dropout they add no neurons, connections, MACs or parameters.
 * Adaptive pooling counts like pooling: one neuron per output value, connected to its bin.
 */

/** One output-size line per spatial dimension, each with its own arithmetic. */
function dimLines(r: LayerResult, text: (J: number, out: number, at: number) => string) {
  return dimsOf(r.outputShape.dims.length).map(
    (d): WorkingLine => ({
      key: d.key,
      label: d.label,
      text: text(r.inputShape.dims[d.at] as number, r.outputShape.dims[d.at] as number, d.at),
    }),
  );
}

/**
 * A layer that only moves, selects or repeats values: no neurons (the values are the outputs of
 * the layer before, counted there), its output sizes worked out per dimension.
 */
function routingWorking(
  r: LayerResult,
  does: string,
  dim: (J: number, out: number, at: number) => string,
  channels?: string,
): LayerWorking {
  const count = elementCount(r.inputShape);
  const values = `${shapeFactors(r.inputShape)} ${plural(count, "value")}`;
  const lines: WorkingLine[] = [
    line(
      "weightsPerNeuron",
      LABELS.weightsPerNeuron,
      "none (no neurons, so no weights per neuron)",
    ),
    ...dimLines(r, dim),
    line(
      "neurons",
      LABELS.neurons,
      `0 (${r.type} ${does}${channels === undefined ? "" : `; channels: ${channels}`}; the ${values} it works on are the outputs of the layer before, counted there)`,
    ),
    line("connections", LABELS.connections, "0 (no neurons of its own, so no edges into them)"),
    parametersLine("0 (no weights)"),
  ];
  return { given: `Input: ${shapeFactors(r.inputShape)}`, lines };
}

/** Adaptive pooling: PyTorch's bins (floor(i·J/N) to ceil((i+1)·J/N)), summing to J + N − gcd. */
function adaptiveWorking(r: LayerResult, what: string): LayerWorking {
  if (r.window !== undefined) {
    const w = poolWorking(r, r.window, what);
    const bins = r.window.kernel.join(T);
    return {
      ...w,
      given: `${w.given} (adaptive to ${r.outputShape.dims.join(T)}: every output size divides its input, so the bins are equal ${bins} windows at stride ${bins})`,
    };
  }
  const C = r.inputShape.channels;
  const totals = r.inputShape.dims.map((J, i) => {
    const N = r.outputShape.dims[i] as number;
    return J + N - gcd(J, N);
  });
  return {
    given: `Input: ${shapeFactors(r.inputShape)}, output ${r.outputShape.dims.join(T)} (adaptive: bin i of J inputs to N spans floor(i·J/N) to ceil((i+1)·J/N))`,
    lines: [
      line(
        "weightsPerNeuron",
        LABELS.weightsPerNeuron,
        `none (pooling has no weights: each neuron ${what} its bin)`,
      ),
      ...dimLines(r, (J, N) => `${N} (the given output size, from ${J})`),
      line("neurons", LABELS.neurons, `${shapeFactors(r.outputShape)} = ${grouped(r.neurons)}`),
      line(
        "connections",
        LABELS.connections,
        `L${T}Π(J + N − gcd(J, N)) = ${C}${T}${r.inputShape.dims
          .map((J, i) => {
            const N = r.outputShape.dims[i] as number;
            return `(${J} + ${N} − ${gcd(J, N)})`;
          })
          .join(
            T,
          )} = ${C}${T}${totals.join(T)} = ${grouped(r.connections)} (each neuron reads its bin; the bins along a dimension overlap and sum to J + N − gcd(J, N))`,
      ),
      parametersLine("0 (pooling has no weights)"),
    ],
  };
}

/** How an upsampling's output size along one dimension came about. */
function upsampleDim(spec: UpsampleSpec, J: number, out: number, at: number): string {
  if (spec.size !== undefined) return `${out} (the given size, from ${J})`;
  const scale = Array.isArray(spec.scale) ? (spec.scale[at] ?? spec.scale[0]) : spec.scale;
  return `floor(${J}${T}${scale}) = ${out}`;
}

/** `J + before + after = out` (zero padding) or `J − before − after = out` (cropping). */
function padDims(r: LayerResult, value: PadSize, field: string, sign: "+" | "−") {
  const pads = expandPads(value, r.inputShape.dims.length, r.path, field);
  return (J: number, out: number, at: number) => {
    const [b, a] = pads[at] as [number, number];
    return `${J} ${sign} ${b} ${sign} ${a} = ${out}`;
  };
}

/** `2²`: a factor to the power of the rank, as the messages write it. */
function power(factor: number, rank: number): string {
  return `${factor}${["", "", "²", "³"][rank] ?? `^${rank}`}`;
}

/** Each of the group's workings (`--explain`). */
export const SPATIAL_WORKINGS: {
  readonly [K in SpatialType]: Working<Extract<SpatialSpec, { type: K }>>;
} = {
  adaptiveavgpool: (r) => adaptiveWorking(r, "averages"),
  adaptivemaxpool: (r) => adaptiveWorking(r, "takes the maximum of"),
  upsample: (r, spec) =>
    routingWorking(
      r,
      spec.mode === "linear"
        ? "interpolates between neighbouring values (linear) by fixed coefficients, which are not parameters"
        : "repeats each value (nearest), a fixed rule with no weights",
      (J, out, at) => upsampleDim(spec, J, out, at),
    ),
  pixelshuffle: (r, spec) =>
    routingWorking(
      r,
      "only moves values from channels into space",
      (J, out) => `${J}${T}${spec.factor} = ${out}`,
      `${r.inputShape.channels} / ${power(spec.factor, r.inputShape.dims.length)} = ${r.outputShape.channels}`,
    ),
  pixelunshuffle: (r, spec) =>
    routingWorking(
      r,
      "only moves values from space into channels",
      (J, out) => `${J} / ${spec.factor} = ${out}`,
      `${r.inputShape.channels}${T}${power(spec.factor, r.inputShape.dims.length)} = ${r.outputShape.channels}`,
    ),
  channelshuffle: (r, spec) =>
    routingWorking(
      r,
      `only reorders the channels (${spec.groups} groups interleaved)`,
      (J) => `${J} (unchanged)`,
    ),
  slice: (r, spec) =>
    routingWorking(
      r,
      `only selects channels ${spec.channels[0]} to ${spec.channels[1] - 1}`,
      (J) => `${J} (unchanged)`,
      `${spec.channels[1]} − ${spec.channels[0]} = ${r.outputShape.channels}`,
    ),
  zeropad: (r, spec) =>
    routingWorking(
      r,
      "only adds zeros before and after the values",
      padDims(r, spec.padding, "padding", "+"),
    ),
  crop: (r, spec) =>
    routingWorking(
      r,
      "only drops values before and after",
      padDims(r, spec.cropping, "cropping", "−"),
    ),
};
