import type { LayerResult, Shape, Window } from "../core/types.js";
import { counted } from "../core/words.js";
import { grouped } from "./numbers.js";
import { shapeCell } from "./shape.js";

/*
 * The working behind every number, in the tutorial's notation: J, K input width and height (T
 * depth), L input channels, M, N kernel width and height (U depth), P padding, s stride,
 * D dilation, g groups. Results come from the LayerResult; the formatter only writes out the
 * arithmetic that leads to them. Operands are written plain (`20×20×16×257`, `1 + 2592`) and
 * results with separators (`= 1,644,800`), except weights per neuron, which is written plain
 * like the tutorial (`1 + 2592 = 2593`) because it is the factor of the lines below it.
 */

export const T = "×";
export const MINUS = "−";

/** The keys of the working, in the tutorial's order (a) to (e); one per spatial dimension. */
export const WORKING_KEYS = [
  "weightsPerNeuron",
  "width",
  "height",
  "depth",
  "length",
  "neurons",
  "connections",
  "parameters",
] as const;
export type WorkingKey = (typeof WORKING_KEYS)[number];

/** One line of working: which quantity, its label and the arithmetic. */
export interface WorkingLine {
  key: WorkingKey;
  label: string;
  text: string;
}

/** A layer's working: the values given (the tutorial's `J = K = 84, ...` line) and the lines. */
export interface LayerWorking {
  given: string | null;
  lines: WorkingLine[];
}

export type DimKey = "width" | "height" | "depth" | "length";

/** A spatial dimension's name and letters; listed width first, as the tutorial reads them. */
export interface DimInfo {
  key: DimKey;
  label: string;
  /** Index into `Shape.dims` (which runs depth, height, width). */
  at: number;
  J: string;
  M: string;
}

export const DIMS: Readonly<Record<number, readonly DimInfo[]>> = {
  1: [{ key: "length", label: "Length", at: 0, J: "J", M: "M" }],
  2: [
    { key: "width", label: "Width", at: 1, J: "J", M: "M" },
    { key: "height", label: "Height", at: 0, J: "K", M: "N" },
  ],
  3: [
    { key: "width", label: "Width", at: 2, J: "J", M: "M" },
    { key: "height", label: "Height", at: 1, J: "K", M: "N" },
    { key: "depth", label: "Depth", at: 0, J: "T", M: "U" },
  ],
};

export const LABELS = {
  weightsPerFilter: "Weights per filter",
  weightsPerNeuron: "Weights per neuron",
  neurons: "Neurons in layer",
  connections: "Connections",
  parameters: "Independent parameters",
} as const;

export function dimsOf(rank: number): readonly DimInfo[] {
  return DIMS[rank] ?? [];
}

/** Products of operands, written plain: `20×20×16`. */
export function times(values: readonly (number | bigint | string)[]): string {
  return values.map(String).join(T);
}

/** Output factors in the table's order (height×width×channels): `20×20×16`. */
export function shapeFactors(shape: Shape): string {
  return shapeCell(shape, T);
}

/** Whether all dimensions of a window are alike, so one formula with J and M serves them all. */
export function squareWindow(input: Shape, w: Window): boolean {
  const same = (xs: readonly number[]) => xs.every((x) => x === xs[0]);
  return (
    same(input.dims) &&
    same(w.kernel) &&
    same(w.stride) &&
    same(w.dilation) &&
    same(w.padBefore) &&
    same(w.padAfter)
  );
}

/** The letters for each dimension: the width's J and M for all when the window is square. */
export function letters(rank: number, square: boolean): readonly DimInfo[] {
  const dims = dimsOf(rank);
  const first = dims[0];
  if (!square || first === undefined) return dims;
  return dims.map((d) => ({ ...d, J: first.J, M: first.M }));
}

/** `J = K = 84` for equal values, `J = 84, K = 60` otherwise (equal ones grouped). */
export function givenPairs(names: readonly string[], values: readonly number[]): string {
  const groups = new Map<number, string[]>();
  names.forEach((n, i) => {
    const v = values[i] as number;
    groups.set(v, [...(groups.get(v) ?? []), n]);
  });
  return [...groups.entries()].map(([v, ns]) => `${ns.join(" = ")} = ${v}`).join(", ");
}

/** `s = 4`, or per dimension `s = 1 (width), 2 (height)` when they differ. */
export function givenPerDim(
  symbol: string,
  values: readonly number[],
  dims: readonly DimInfo[],
): string {
  if (values.every((v) => v === values[0])) return `${symbol} = ${values[0]}`;
  return `${symbol} = ${dims.map((d, i) => `${values[i]} (${d.key})`).join(", ")}`;
}

/** The padding part of the given line, with the resolved before/after of "same". */
export function givenPadding(w: Window, dims: readonly DimInfo[], named: unknown): string {
  const before = dims.map((d) => w.padBefore[d.at] as number);
  const after = dims.map((d) => w.padAfter[d.at] as number);
  const symmetric = before.every((b, i) => b === after[i]);
  const rule = named === "same" ? ' ("same")' : named === "valid" ? ' ("valid")' : "";
  if (symmetric) return `${givenPerDim("P", before, dims)}${rule}`;
  const pairs = dims.map((_, i) => `${before[i]} before, ${after[i]} after`);
  const text = pairs.every((p) => p === pairs[0])
    ? `P₁ = ${before[0]}, P₂ = ${after[0]}`
    : `P₁, P₂ = ${dims.map((d, i) => `${pairs[i]} (${d.key})`).join("; ")}`;
  const why = named === "same" ? "; the odd padding pixel goes after, TensorFlow's rule" : "";
  return `${text}${rule ? ` (${named === "same" ? '"same"' : '"valid"'}${why})` : ""}`;
}

/** The given line of a sliding-window layer, like the tutorial's `J = K = 84, L = 4, ...`. */
export function windowGiven(r: LayerResult, w: Window, extra: readonly string[]): string {
  const rank = r.inputShape.dims.length;
  const square = squareWindow(r.inputShape, w);
  const dims = letters(rank, false);
  const parts = [
    givenPairs(
      dims.map((d) => d.J),
      dims.map((d) => r.inputShape.dims[d.at] as number),
    ),
    `L = ${r.inputShape.channels}`,
    givenPairs(
      dims.map((d) => d.M),
      dims.map((d) => w.kernel[d.at] as number),
    ),
    givenPadding(w, dims, "padding" in r.spec ? r.spec.padding : undefined),
    givenPerDim(
      "s",
      dims.map((d) => w.stride[d.at] as number),
      dims,
    ),
  ];
  if (w.dilation.some((d) => d !== 1)) {
    parts.push(
      givenPerDim(
        "D",
        dims.map((d) => w.dilation[d.at] as number),
        dims,
      ),
    );
  }
  parts.push(...extra);
  if (rank === 3 && !square) parts.push("T, U: input and kernel depth");
  return parts.join(", ");
}

/** Kernel factors in the letters' order: `M×N` and `8×8`. */
export function kernelFactors(rank: number, w: Window): { symbols: string; values: string } {
  const dims = dimsOf(rank);
  return {
    symbols: times(dims.map((d) => d.M)),
    values: times(dims.map((d) => w.kernel[d.at] as number)),
  };
}

/**
 * One dimension's output size: the tutorial's `1 + (J−M)/s` without padding and dilation,
 * otherwise `(J + 2P − D(M−1) − 1)/s + 1`; floor (or ceil mode's ceiling) brackets only when
 * the division is not exact.
 */
export function windowDimText(
  J: number,
  M: number,
  s: number,
  D: number,
  pb: number,
  pa: number,
  ceil: boolean,
  out: number,
  sym: { J: string; M: string },
): string {
  const span = J + pb + pa - D * (M - 1) - 1;
  const exact = span % s === 0;
  const [open, close] = exact ? ["", ""] : ceil ? ["⌈", "⌉"] : ["⌊", "⌋"];
  const rounded = exact ? span / s : ceil ? Math.ceil(span / s) : Math.floor(span / s);
  // ceil mode drops a last window that would start inside the right padding
  const dropped = rounded + 1 !== out;
  const tail = dropped
    ? ` = ${rounded + 1}; ceil mode drops the last window, which would start in the padding: ${rounded + 1} ${MINUS} 1 = ${out}`
    : ` = ${out}`;
  if (pb === 0 && pa === 0 && D === 1) {
    const symbolic = `1 + ${open}(${sym.J}${MINUS}${sym.M})/s${close}`;
    const values = `1 + ${open}(${J}${MINUS}${M})/${s}${close}`;
    const step = exact ? "" : ` = 1 + ${open}${span}/${s}${close}`;
    return `${symbolic} = ${values}${step}${tail}`;
  }
  const padSym = pb === pa ? "2P" : "P₁ + P₂";
  const padVal = pb === pa ? `2${T}${pb}` : `${pb} + ${pa}`;
  const symbolic = `${open}(${sym.J} + ${padSym} ${MINUS} D(${sym.M}${MINUS}1) ${MINUS} 1)/s${close} + 1`;
  const values = `${open}(${J} + ${padVal} ${MINUS} ${D}${T}(${M}${MINUS}1) ${MINUS} 1)/${s}${close} + 1`;
  return `${symbolic} = ${values} = ${open}${span}/${s}${close} + 1${tail}`;
}

/** The output-size lines of a sliding-window layer, width first. */
export function windowDimLines(r: LayerResult, w: Window): WorkingLine[] {
  const rank = r.inputShape.dims.length;
  const dims = letters(rank, squareWindow(r.inputShape, w));
  return dims.map((d) => ({
    key: d.key,
    label: d.label,
    text: windowDimText(
      r.inputShape.dims[d.at] as number,
      w.kernel[d.at] as number,
      w.stride[d.at] as number,
      w.dilation[d.at] as number,
      w.padBefore[d.at] as number,
      w.padAfter[d.at] as number,
      w.ceil,
      r.outputShape.dims[d.at] as number,
      d,
    ),
  }));
}

/**
 * Output-size lines of a layer without a window: `J = 20 (unchanged ...)` for one that keeps
 * its input's size, the bare size with the reason for a block.
 */
export function keptDimLines(r: LayerResult, why: string, kept: boolean): WorkingLine[] {
  const dims = letters(r.outputShape.dims.length, new Set(r.outputShape.dims).size === 1);
  return dims.map((d) => ({
    key: d.key,
    label: d.label,
    text: kept
      ? `${d.J} = ${r.outputShape.dims[d.at]} (${why})`
      : `${r.outputShape.dims[d.at]} (${why})`,
  }));
}

export function line(key: WorkingKey, label: string, text: string): WorkingLine {
  return { key, label, text };
}

export function parametersLine(text: string): WorkingLine {
  return line("parameters", LABELS.parameters, text);
}

/** `6,400 + 3,200 = 9,600`: a block's count as the sum of its children's non-zero counts. */
export function sumText(
  children: readonly LayerResult[],
  pick: (c: LayerResult) => bigint,
): string {
  const terms = children.map(pick).filter((v) => v !== 0n);
  const total = terms.reduce((a, b) => a + b, 0n);
  const n = children.length;
  const of = `the sum of its ${counted(n, "layer")}`;
  const omitted = terms.length < n ? "; layers with 0 left out" : "";
  if (terms.length === 0) return `0 (${of})`;
  if (terms.length === 1) return `${grouped(total)} (${of}${omitted})`;
  return `${terms.map(grouped).join(" + ")} = ${grouped(total)} (${of}${omitted})`;
}
