import { type Dtype, memory } from "../core/memory.js";
import type { Analysis, Counts, LayerResult } from "../core/types.js";
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

/**
 * A column of an exact count: grouped digits (or `show`) in tables, plain digits in CSV, and a
 * total computed by the same `get` from the analysis' totals.
 */
function countColumn(
  title: string,
  about: string,
  get: (x: Counts, c: ColumnContext) => bigint,
  show: (v: bigint) => string = grouped,
): Column {
  return {
    title,
    about,
    align: "right",
    cell: (r, c) => show(get(r, c)),
    raw: (r, c) => get(r, c).toString(),
    total: (a, c) => show(get(a.totals, c)),
    rawTotal: (a, c) => get(a.totals, c).toString(),
  };
}

const dims = (v: readonly number[] | undefined) => (v === undefined ? "" : v.join("×"));

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
  neurons: countColumn("Neurons", "(c) neurons: the product of the output shape", (x) => x.neurons),
  connections: countColumn(
    "Connections",
    "(d) incoming edges of every neuron, bias included",
    (x) => x.connections,
  ),
  parameters: countColumn(
    "Parameters",
    "(e) independent parameters (trainable + non-trainable)",
    (x) => x.trainableParameters + x.nonTrainableParameters,
  ),
  trainable: countColumn("Trainable", "trainable parameters", (x) => x.trainableParameters),
  nonTrainable: countColumn(
    "Non-trainable",
    "non-trainable parameters (the norms' running statistics)",
    (x) => x.nonTrainableParameters,
  ),
  macs: countColumn("MACs", "weight × input products summed, bias excluded", (x) => x.macs),
  flops: countColumn("FLOPs", "floating-point operations, 2 × MACs", (x) => 2n * x.macs),
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
  activationMemory: countColumn(
    "Activations",
    "output memory in bytes (--dtype)",
    (x, c) => memory(x, c.dtype).activationBytes,
    bytesText,
  ),
  parameterMemory: countColumn(
    "Param memory",
    "parameter memory in bytes (--dtype)",
    (x, c) => memory(x, c.dtype).parameterBytes,
    bytesText,
  ),
} as const satisfies Record<string, Column>;

export type ColumnName = keyof typeof COLUMN_DEFS;
export const COLUMNS: Readonly<Record<ColumnName, Column>> = COLUMN_DEFS;

/**
 * Fitting a table to the terminal: text columns are abbreviated first (never narrower than
 * `narrowest`), then columns are hidden in `hiddenFirst` order until the table fits. `layer`
 * is never hidden: a row without its layer's name means nothing.
 */
export const FIT = {
  narrowest: { layer: 10, type: 6 },
  hiddenFirst: [
    "start",
    "jump",
    "receptiveField",
    "parameterMemory",
    "activationMemory",
    "flops",
    "nonTrainable",
    "trainable",
    "connections",
    "weightsPerNeuron",
    "neurons",
    "macs",
    "index",
    "type",
    "output",
    "parameters",
  ],
} as const satisfies {
  narrowest: Partial<Record<ColumnName, number>>;
  hiddenFirst: readonly Exclude<ColumnName, "layer">[];
};

/** The label of the totals row in tables, Markdown and LaTeX. */
export const TOTAL_LABEL = "Total";

/** A table's columns around its totals row; null is the label's own column (no title). */
export interface TotalsLayout {
  columns: readonly (ColumnName | null)[];
  /** Which of `columns` holds the totals row's label. */
  labelAt: number;
}

/**
 * Where the totals row's label goes: in the layer column, else in the first column without a
 * total (but `#`); when every column has one, in a column of its own put first, so no total is hidden
 * under the label (`--columns parameters,macs` shows both totals).
 */
export function totalsLayout(columns: readonly ColumnName[]): TotalsLayout {
  const layer = columns.indexOf("layer");
  if (layer !== -1) return { columns, labelAt: layer };
  // never the narrow `#` column: "Total" there would widen it on every row
  const free = columns.findIndex((c) => c !== "index" && COLUMNS[c].total === undefined);
  if (free !== -1) return { columns, labelAt: free };
  return { columns: [null, ...columns], labelAt: 0 };
}

/** The columns `--summary` shows: those with a total, in order (the others would be empty). */
export function summedColumns(columns: readonly ColumnName[]): ColumnName[] {
  return columns.filter((c) => COLUMNS[c].total !== undefined);
}

/** CSV's own columns and row label, besides the columns above. */
export const CSV_LABELS = {
  /** First column when several specs share one CSV: the spec file, as given. */
  spec: "spec",
  /** Where a layer sits in the spec: `layers[5].body[0]`. */
  path: "path",
  /** The path cell of the totals line. */
  total: "total",
} as const;

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
