import { type Dtype, memory } from "../core/memory.js";
import type { Analysis, LayerResult } from "../core/types.js";
import { bytesText, grouped } from "./numbers.js";
import { shapeCell } from "./shape.js";

/** What a column needs besides the layer: the dtype for memory columns. */
export interface ColumnContext {
  dtype: Dtype;
}

/** A per-layer column: its title, alignment, cell text and (if it sums) total text. */
export interface Column {
  title: string;
  /** A short explanation, for `--help` and the README. */
  about: string;
  align: "left" | "right";
  cell(r: LayerResult, c: ColumnContext): string;
  /** The cell as a plain machine value for CSV (no separators); defaults to cell(). */
  raw?(r: LayerResult, c: ColumnContext): string;
  total?(a: Analysis, c: ColumnContext): string;
  rawTotal?(a: Analysis, c: ColumnContext): string;
}

const dims = (v: number[] | undefined) => (v === undefined ? "" : v.join("×"));

/** Every column, keyed by the name `--columns` takes: the single source of titles. */
const COLUMN_DEFS = {
  index: {
    title: "#",
    about: "position among its siblings (1-based)",
    align: "right",
    cell: (r) => String(r.index),
  },
  layer: {
    title: "Layer",
    about: "name (default: type + running number)",
    align: "left",
    cell: (r) => r.name,
  },
  type: {
    title: "Type",
    about: "layer type and activation",
    align: "left",
    cell: (r) => {
      const act =
        "activation" in r.spec && typeof r.spec.activation === "string"
          ? ` ${r.spec.activation}`
          : "";
      const fn = r.spec.type === "activation" ? ` ${r.spec.function}` : "";
      return `${r.type}${act}${fn}`;
    },
  },
  output: {
    title: "Output",
    about: "output shape: height×width×channels, or units",
    align: "right",
    cell: (r) => shapeCell(r.outputShape),
  },
  weightsPerNeuron: {
    title: "Weights/neuron",
    about: "(a) incoming weights per neuron, bias included",
    align: "right",
    cell: (r) => (r.weightsPerNeuron === null ? "–" : grouped(r.weightsPerNeuron)),
    raw: (r) => (r.weightsPerNeuron === null ? "" : r.weightsPerNeuron.toString()),
  },
  neurons: {
    title: "Neurons",
    about: "(c) neurons: the product of the output shape",
    align: "right",
    cell: (r) => grouped(r.neurons),
    raw: (r) => r.neurons.toString(),
    total: (a) => grouped(a.totals.neurons),
    rawTotal: (a) => a.totals.neurons.toString(),
  },
  connections: {
    title: "Connections",
    about: "(d) incoming edges of every neuron, bias included",
    align: "right",
    cell: (r) => grouped(r.connections),
    raw: (r) => r.connections.toString(),
    total: (a) => grouped(a.totals.connections),
    rawTotal: (a) => a.totals.connections.toString(),
  },
  parameters: {
    title: "Parameters",
    about: "(e) independent parameters (trainable + non-trainable)",
    align: "right",
    cell: (r) => grouped(r.trainableParameters + r.nonTrainableParameters),
    raw: (r) => (r.trainableParameters + r.nonTrainableParameters).toString(),
    total: (a) => grouped(a.totals.parameters),
    rawTotal: (a) => a.totals.parameters.toString(),
  },
  trainable: {
    title: "Trainable",
    about: "trainable parameters",
    align: "right",
    cell: (r) => grouped(r.trainableParameters),
    raw: (r) => r.trainableParameters.toString(),
    total: (a) => grouped(a.totals.trainableParameters),
    rawTotal: (a) => a.totals.trainableParameters.toString(),
  },
  nonTrainable: {
    title: "Non-trainable",
    about: "non-trainable parameters (batchnorm running statistics)",
    align: "right",
    cell: (r) => grouped(r.nonTrainableParameters),
    raw: (r) => r.nonTrainableParameters.toString(),
    total: (a) => grouped(a.totals.nonTrainableParameters),
    rawTotal: (a) => a.totals.nonTrainableParameters.toString(),
  },
  macs: {
    title: "MACs",
    about: "multiply-accumulates, bias excluded",
    align: "right",
    cell: (r) => grouped(r.macs),
    raw: (r) => r.macs.toString(),
    total: (a) => grouped(a.totals.macs),
    rawTotal: (a) => a.totals.macs.toString(),
  },
  flops: {
    title: "FLOPs",
    about: "floating-point operations, 2 × MACs",
    align: "right",
    cell: (r) => grouped(2n * r.macs),
    raw: (r) => (2n * r.macs).toString(),
    total: (a) => grouped(2n * a.totals.macs),
    rawTotal: (a) => (2n * a.totals.macs).toString(),
  },
  receptiveField: {
    title: "RF",
    about:
      "receptive field size per dimension, in input pixels (– once outputs are flat, or after a transposed convolution)",
    align: "right",
    cell: (r) => (r.receptiveField === null ? "–" : dims(r.receptiveField.size)),
  },
  jump: {
    title: "Jump",
    about: "distance in input pixels between adjacent outputs (effective stride)",
    align: "right",
    cell: (r) => (r.receptiveField === null ? "–" : dims(r.receptiveField.jump)),
  },
  start: {
    title: "Start",
    about: "centre of the first output's receptive field, in input pixels",
    align: "right",
    cell: (r) => (r.receptiveField === null ? "–" : dims(r.receptiveField.start)),
  },
  activationMemory: {
    title: "Activations",
    about: "output memory in bytes (--dtype)",
    align: "right",
    cell: (r, c) => bytesText(memory(r, c.dtype).activationBytes),
    raw: (r, c) => memory(r, c.dtype).activationBytes.toString(),
    total: (a, c) => bytesText(memory(a.totals, c.dtype).activationBytes),
    rawTotal: (a, c) => memory(a.totals, c.dtype).activationBytes.toString(),
  },
  parameterMemory: {
    title: "Param memory",
    about: "parameter memory in bytes (--dtype)",
    align: "right",
    cell: (r, c) => bytesText(memory(r, c.dtype).parameterBytes),
    raw: (r, c) => memory(r, c.dtype).parameterBytes.toString(),
    total: (a, c) => bytesText(memory(a.totals, c.dtype).parameterBytes),
    rawTotal: (a, c) => memory(a.totals, c.dtype).parameterBytes.toString(),
  },
} as const satisfies Record<string, Column>;

export type ColumnName = keyof typeof COLUMN_DEFS;
export const COLUMNS: Readonly<Record<ColumnName, Column>> = COLUMN_DEFS;

/** The tutorial's five quantities, the default table. */
export const DEFAULT_COLUMNS: readonly ColumnName[] = [
  "index",
  "layer",
  "type",
  "output",
  "weightsPerNeuron",
  "neurons",
  "connections",
  "parameters",
];

/** Every column, for `--all`. */
export const ALL_COLUMNS = Object.keys(COLUMNS) as ColumnName[];
