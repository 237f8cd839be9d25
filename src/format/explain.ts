import { children as childResults } from "../core/check.js";
import { transposedLength } from "../core/formulas.js";
import { elementCount } from "../core/shape.js";
import type { Analysis, ConvSpec, LayerResult, Shape, Window } from "../core/types.js";
import { counted, plural } from "../core/words.js";
import { COLUMNS } from "./columns.js";
import { grouped } from "./numbers.js";
import { layerRows } from "./rows.js";
import { shapeCell } from "./shape.js";
import type { Style } from "./style.js";

/*
 * The working behind every number, in the tutorial's notation: J, K input width and height (T
 * depth), L input channels, M, N kernel width and height (U depth), P padding, s stride,
 * D dilation, g groups. Results come from the LayerResult; the formatter only writes out the
 * arithmetic that leads to them. Operands are written plain (`20×20×16×257`, `1 + 2592`) and
 * results with separators (`= 1,644,800`), except weights per neuron, which is written plain
 * like the tutorial (`1 + 2592 = 2593`) because it is the factor of the lines below it.
 */

const T = "×";
const MINUS = "−";

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

type DimKey = "width" | "height" | "depth" | "length";

/** A spatial dimension's name and letters; listed width first, as the tutorial reads them. */
interface DimInfo {
  key: DimKey;
  label: string;
  /** Index into `Shape.dims` (which runs depth, height, width). */
  at: number;
  J: string;
  M: string;
}

const DIMS: Readonly<Record<number, readonly DimInfo[]>> = {
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

const LABELS = {
  weightsPerFilter: "Weights per filter",
  weightsPerNeuron: "Weights per neuron",
  neurons: "Neurons in layer",
  connections: "Connections",
  parameters: "Independent parameters",
} as const;

/** What a layer that adds no neurons does to its values, for saying why it has none. */
const IN_PLACE: Readonly<Record<string, string>> = {
  activation: "applies its function to each value in place",
  dropout: "zeroes values at random while training and passes them unchanged at inference",
  batchnorm: "normalizes each value with its channel's statistics and rescales it (γ, β)",
  lrn: "normalizes each value across neighbouring channels",
  flatten: "only reshapes the values into a vector",
};

function dimsOf(rank: number): readonly DimInfo[] {
  return DIMS[rank] ?? [];
}

/** Products of operands, written plain: `20×20×16`. */
function times(values: readonly (number | bigint | string)[]): string {
  return values.map(String).join(T);
}

/** Output factors in the table's order (height×width×channels): `20×20×16`. */
function shapeFactors(shape: Shape): string {
  return shapeCell(shape, T);
}

/** Whether all dimensions of a window are alike, so one formula with J and M serves them all. */
function squareWindow(input: Shape, w: Window): boolean {
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
function letters(rank: number, square: boolean): readonly DimInfo[] {
  const dims = dimsOf(rank);
  const first = dims[0];
  if (!square || first === undefined) return dims;
  return dims.map((d) => ({ ...d, J: first.J, M: first.M }));
}

/** `J = K = 84` for equal values, `J = 84, K = 60` otherwise (equal ones grouped). */
function givenPairs(names: readonly string[], values: readonly number[]): string {
  const groups = new Map<number, string[]>();
  names.forEach((n, i) => {
    const v = values[i] as number;
    groups.set(v, [...(groups.get(v) ?? []), n]);
  });
  return [...groups.entries()].map(([v, ns]) => `${ns.join(" = ")} = ${v}`).join(", ");
}

/** `s = 4`, or per dimension `s = 1 (width), 2 (height)` when they differ. */
function givenPerDim(symbol: string, values: readonly number[], dims: readonly DimInfo[]): string {
  if (values.every((v) => v === values[0])) return `${symbol} = ${values[0]}`;
  return `${symbol} = ${dims.map((d, i) => `${values[i]} (${d.key})`).join(", ")}`;
}

/** The padding part of the given line, with the resolved before/after of "same". */
function givenPadding(w: Window, dims: readonly DimInfo[], named: unknown): string {
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
function windowGiven(r: LayerResult, w: Window, extra: readonly string[]): string {
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
function kernelFactors(rank: number, w: Window): { symbols: string; values: string } {
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
function windowDimText(
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
function windowDimLines(r: LayerResult, w: Window): WorkingLine[] {
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
function keptDimLines(r: LayerResult, why: string, kept: boolean): WorkingLine[] {
  const dims = letters(r.outputShape.dims.length, new Set(r.outputShape.dims).size === 1);
  return dims.map((d) => ({
    key: d.key,
    label: d.label,
    text: kept
      ? `${d.J} = ${r.outputShape.dims[d.at]} (${why})`
      : `${r.outputShape.dims[d.at]} (${why})`,
  }));
}

function line(key: WorkingKey, label: string, text: string): WorkingLine {
  return { key, label, text };
}

function parametersLine(text: string): WorkingLine {
  return line("parameters", LABELS.parameters, text);
}

/** Groups a connection table's filters by how many maps they read: [[maps, filters], ...]. */
function tableGroups(table: readonly (readonly number[])[]): [maps: number, filters: number][] {
  const counts = new Map<number, number>();
  for (const maps of table) counts.set(maps.length, (counts.get(maps.length) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => a[0] - b[0]);
}

function convWorking(r: LayerResult, spec: ConvSpec, w: Window): LayerWorking {
  const rank = r.inputShape.dims.length;
  const L = r.inputShape.channels;
  const g = spec.groups ?? 1;
  const bias = spec.bias !== false;
  const k = kernelFactors(rank, w);
  const extra: string[] = [];
  if (g !== 1) extra.push(`g = ${g}${g === L && g === spec.filters ? " (depthwise)" : ""}`);
  const given = windowGiven(r, w, extra);
  const neurons = shapeFactors(r.outputShape);
  const positions = times(r.outputShape.dims);
  const one = bias ? "1 + " : "";
  const noBias = bias ? "" : " (no bias)";
  const lines: WorkingLine[] = [];
  const params = r.trainableParameters + r.nonTrainableParameters;
  if (spec.connections !== undefined) {
    const groups = tableGroups(spec.connections);
    const perCount = (maps: number) => `${one}${k.values}${T}${maps}`;
    const weightOf = (maps: number) => {
      let area = 1;
      for (const v of w.kernel) area *= v;
      return area * maps + (bias ? 1 : 0);
    };
    const sumText = groups.map(([maps, n]) => `${n}${T}${weightOf(maps)}`).join(" + ");
    if (r.weightsPerNeuron !== null) {
      const maps = groups[0]?.[0] ?? 0;
      lines.push(
        line(
          "weightsPerNeuron",
          LABELS.weightsPerFilter,
          `${one}${k.symbols}${T}(maps read) = ${perCount(maps)} = ${r.weightsPerNeuron}${noBias} (each filter reads ${maps} of the ${L} input maps)`,
        ),
      );
    } else {
      const parts = groups.map(
        ([maps, n]) =>
          `${counted(n, "filter")} ${n === 1 ? "reads" : "read"} ${counted(maps, "map")}: ${perCount(maps)} = ${weightOf(maps)}`,
      );
      lines.push(
        line(
          "weightsPerNeuron",
          LABELS.weightsPerFilter,
          `varies with the connection table${noBias}: ${parts.join("; ")}`,
        ),
      );
    }
    lines.push(...windowDimLines(r, w));
    lines.push(line("neurons", LABELS.neurons, `${neurons} = ${grouped(r.neurons)}`));
    const uniform = r.weightsPerNeuron !== null;
    lines.push(
      line(
        "connections",
        LABELS.connections,
        uniform
          ? `${neurons}${T}${r.weightsPerNeuron} = ${grouped(r.connections)}`
          : `${positions}${T}(${sumText}) = ${grouped(r.connections)}`,
      ),
    );
    lines.push(
      parametersLine(
        uniform
          ? `${spec.filters}${T}${r.weightsPerNeuron} = ${grouped(params)}`
          : `${sumText} = ${grouped(params)}`,
      ),
    );
    return { given, lines };
  }
  const perGroup = g === 1 ? "" : "/g";
  const perGroupVal = g === 1 ? "" : `/${g}`;
  lines.push(
    line(
      "weightsPerNeuron",
      LABELS.weightsPerFilter,
      `${one}${k.symbols}${T}L${perGroup} = ${one}${k.values}${T}${L}${perGroupVal} = ${r.weightsPerNeuron}${noBias}`,
    ),
  );
  lines.push(...windowDimLines(r, w));
  lines.push(line("neurons", LABELS.neurons, `${neurons} = ${grouped(r.neurons)}`));
  lines.push(
    line(
      "connections",
      LABELS.connections,
      `${neurons}${T}${r.weightsPerNeuron} = ${grouped(r.connections)}`,
    ),
  );
  lines.push(parametersLine(`${spec.filters}${T}${r.weightsPerNeuron} = ${grouped(params)}`));
  return { given, lines };
}

/** The output size of a transposed convolution along one dimension, as the core computes it. */
function transposedDimText(
  J: number,
  M: number,
  s: number,
  D: number,
  pad: number,
  named: unknown,
  outputPadding: number | undefined,
  out: number,
  sym: { J: string; M: string },
): string {
  // which formula the core applied (named padding, unless an output padding is given)
  const { rule } = transposedLength(
    J,
    M,
    s,
    D,
    typeof named === "string" ? (named as "same" | "valid") : pad,
    outputPadding,
  );
  if (rule === "same") {
    return `${sym.J}${T}s = ${J}${T}${s} = ${out} ("same")`;
  }
  if (rule === "valid") {
    return `${sym.J}${T}s + max(D(${sym.M}${MINUS}1) + 1 ${MINUS} s, 0) = ${J}${T}${s} + max(${D}${T}(${M}${MINUS}1) + 1 ${MINUS} ${s}, 0) = ${out} ("valid")`;
  }
  const op = outputPadding ?? 0;
  return `(${sym.J}${MINUS}1)s ${MINUS} 2P + D(${sym.M}${MINUS}1) + P_out + 1 = (${J}${MINUS}1)${T}${s} ${MINUS} 2${T}${pad} + ${D}${T}(${M}${MINUS}1) + ${op} + 1 = ${out}`;
}

function convTransposeWorking(r: LayerResult, w: Window): LayerWorking {
  const spec = r.spec;
  if (spec.type !== "convtranspose") throw new Error("convTransposeWorking needs a convtranspose");
  const rank = r.inputShape.dims.length;
  const L = r.inputShape.channels;
  const g = spec.groups ?? 1;
  const bias = spec.bias !== false;
  const k = kernelFactors(rank, w);
  const square = squareWindow(r.inputShape, w);
  const dims = letters(rank, square);
  const op =
    spec.outputPadding === undefined
      ? undefined
      : typeof spec.outputPadding === "number"
        ? dims.map(() => spec.outputPadding as number)
        : dims.map((d) =>
            (spec.outputPadding as number[]).length === 1
              ? ((spec.outputPadding as number[])[0] as number)
              : ((spec.outputPadding as number[])[d.at] as number),
          );
  const extra: string[] = [];
  if (g !== 1) extra.push(`g = ${g}`);
  if (op !== undefined)
    extra.push(`P_out = ${op.every((v) => v === op[0]) ? op[0] : op.join(", ")}`);
  const given = windowGiven(r, w, extra);
  const perGroupIn = BigInt(L / g);
  const filters = BigInt(spec.filters);
  const pairs = r.macs / (perGroupIn * filters);
  const perGroup = g === 1 ? "" : "/g";
  const perGroupVal = g === 1 ? "" : `/${g}`;
  const neurons = shapeFactors(r.outputShape);
  const params = r.trainableParameters + r.nonTrainableParameters;
  const b = bias ? " + 1" : "";
  const lines: WorkingLine[] = [
    line(
      "weightsPerNeuron",
      LABELS.weightsPerFilter,
      "varies by position: in a transposed convolution, output neurons near the edges (and between strided taps) receive fewer kernel taps",
    ),
    ...dims.map((d, i) => ({
      key: d.key,
      label: d.label,
      text: transposedDimText(
        r.inputShape.dims[d.at] as number,
        w.kernel[d.at] as number,
        w.stride[d.at] as number,
        w.dilation[d.at] as number,
        w.padBefore[d.at] as number,
        spec.padding,
        op?.[i],
        r.outputShape.dims[d.at] as number,
        d,
      ),
    })),
    line("neurons", LABELS.neurons, `${neurons} = ${grouped(r.neurons)}`),
    line(
      "connections",
      LABELS.connections,
      `${pairs}${T}${L}${perGroupVal}${T}${spec.filters}${bias ? ` + ${grouped(r.neurons)}` : ""} = ${grouped(r.connections)} (${counted(pairs, "input-position × kernel-tap pair")} ${pairs === 1n ? "lands" : "land"} inside the output, each feeding ${L}${perGroupVal} input ${plural(L / g, "map")} to ${counted(spec.filters, "filter")}${bias ? "; plus one bias per neuron" : ""})`,
    ),
    parametersLine(
      `filters${T}(${k.symbols}${T}L${perGroup}${bias ? " + 1" : ""}) = ${spec.filters}${T}(${k.values}${T}${L}${perGroupVal}${b}) = ${grouped(params)}`,
    ),
  ];
  return { given, lines };
}

function poolWorking(r: LayerResult, w: Window): LayerWorking {
  const rank = r.inputShape.dims.length;
  const k = kernelFactors(rank, w);
  const what =
    r.type === "maxpool"
      ? "takes the maximum of"
      : r.type === "avgpool"
        ? "averages"
        : "sums, scales and biases";
  const neurons = shapeFactors(r.outputShape);
  const extra = w.ceil ? ["ceil mode"] : [];
  const given = windowGiven(r, w, extra);
  const params = r.trainableParameters + r.nonTrainableParameters;
  if (r.type === "subsample") {
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

function denseWorking(r: LayerResult): LayerWorking {
  const spec = r.spec;
  if (spec.type !== "dense") throw new Error("denseWorking needs a dense layer");
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

function globalPoolWorking(r: LayerResult): LayerWorking {
  const what = r.type === "globalmaxpool" ? "the maximum" : "the average";
  const map = times(r.inputShape.dims);
  return {
    given: `Input: ${shapeFactors(r.inputShape)}, L = ${r.inputShape.channels}`,
    lines: [
      line(
        "weightsPerNeuron",
        LABELS.weightsPerNeuron,
        `none (global pooling has no weights: each neuron takes ${what} of its whole ${map} map)`,
      ),
      line("neurons", LABELS.neurons, `L = ${grouped(r.neurons)} (one per channel)`),
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
function inPlaceWorking(r: LayerResult): LayerWorking {
  const name =
    r.spec.type === "activation" ? `${r.spec.function} (activation)` : (r.type as string);
  const does = IN_PLACE[r.type] ?? "passes its values on";
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
  if (r.type === "flatten") {
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
  if (r.type === "batchnorm") {
    const C = r.inputShape.channels;
    lines.push(
      parametersLine(
        `2C + 2C = 2${T}${C} + 2${T}${C} = ${grouped(params)} (trainable γ and β per channel; non-trainable running mean and variance per channel)`,
      ),
    );
  } else {
    lines.push(parametersLine("0 (no weights)"));
  }
  return { given: `Input: ${values}`, lines };
}

/** `6,400 + 3,200 = 9,600`: a block's count as the sum of its children's non-zero counts. */
function sumText(children: readonly LayerResult[], pick: (c: LayerResult) => bigint): string {
  const terms = children.map(pick).filter((v) => v !== 0n);
  const total = terms.reduce((a, b) => a + b, 0n);
  const n = children.length;
  const of = `the sum of its ${counted(n, "layer")}`;
  const omitted = terms.length < n ? "; layers with 0 left out" : "";
  if (terms.length === 0) return `0 (${of})`;
  if (terms.length === 1) return `${grouped(total)} (${of}${omitted})`;
  return `${terms.map(grouped).join(" + ")} = ${grouped(total)} (${of}${omitted})`;
}

const BLOCK_OUTPUT: Readonly<Record<string, string>> = {
  residual: "the body's output, added to the shortcut's",
  concat: "the branches' common size; their channels are concatenated",
  denseblock: "kept by every repetition; channels grow by concatenation",
  repeat: "the last repetition's output",
};

function blockWorking(r: LayerResult): LayerWorking {
  const children = childResults(r);
  const given =
    r.spec.type === "concat" && r.branches
      ? `Channels: ${r.branches.map((b) => b[b.length - 1]?.outputShape.channels ?? r.inputShape.channels).join(" + ")} = ${r.outputShape.channels}`
      : `Output: ${shapeFactors(r.outputShape)}`;
  return {
    given,
    lines: [
      line("weightsPerNeuron", LABELS.weightsPerNeuron, "none (a block: see its layers)"),
      ...keptDimLines(r, BLOCK_OUTPUT[r.type] ?? "its layers' output", false),
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

/** The working of one layer: its given values and one line per quantity. */
export function explainLayer(r: LayerResult): LayerWorking {
  const spec = r.spec;
  switch (spec.type) {
    case "conv":
      return convWorking(r, spec, windowOf(r));
    case "convtranspose":
      return convTransposeWorking(r, windowOf(r));
    case "maxpool":
    case "avgpool":
    case "subsample":
      return poolWorking(r, windowOf(r));
    case "globalavgpool":
    case "globalmaxpool":
      return globalPoolWorking(r);
    case "dense":
      return denseWorking(r);
    case "flatten":
    case "activation":
    case "dropout":
    case "batchnorm":
    case "lrn":
      return inPlaceWorking(r);
    case "residual":
    case "concat":
    case "denseblock":
    case "repeat":
      return blockWorking(r);
    default: {
      const never: never = spec;
      throw new Error(`no working for layer type ${String((never as { type: string }).type)}`);
    }
  }
}

/** The working as `{ quantity: text }` for the JSON output. */
export function workingRecord(w: LayerWorking): Record<string, string> {
  const out: Record<string, string> = {};
  if (w.given !== null) out.given = w.given;
  for (const l of w.lines) out[l.key] = l.text;
  return out;
}

/**
 * The lines to display: consecutive dimension lines with the same text merge into one
 * ("Width and height: 1 + (J−M)/s = 1 + (84−8)/4 = 20").
 */
export function displayLines(w: LayerWorking): { label: string; text: string }[] {
  const out: { label: string; text: string; dims: string[] }[] = [];
  for (const l of w.lines) {
    const isDim = l.key === "width" || l.key === "height" || l.key === "depth";
    const prev = out[out.length - 1];
    if (isDim && prev && prev.dims.length > 0 && prev.text === l.text) {
      prev.dims.push(l.label.toLowerCase());
      continue;
    }
    out.push({ label: l.label, text: l.text, dims: isDim ? [l.label] : [] });
  }
  return out.map((o) => {
    if (o.dims.length < 2) return { label: o.label, text: o.text };
    const head = o.dims.slice(0, -1).join(", ");
    return { label: `${head} and ${o.dims[o.dims.length - 1]}`, text: o.text };
  });
}

/** The notation lines printed above the working. */
export const NOTATION = [
  "Notation (the tutorial's): J, K input width and height; L input channels; M, N kernel width and height;",
  "P padding; s stride; D dilation; g groups. Operands are written plain, results with thousands separators.",
] as const;

/** A layer's heading: `Layer 1: conv1 (conv relu), 84×84×4 → 20×20×16`; nested ones by path. */
export function workingHeading(r: LayerResult, nested: boolean): string {
  const where = nested ? r.path : `Layer ${r.index}`;
  const type = COLUMNS.type.cell(r, { dtype: "float32" });
  return `${where}: ${r.name} (${type}), ${shapeFactors(r.inputShape)} → ${shapeFactors(r.outputShape)}`;
}

/** The layers in display order with their working, blocks before their children. */
export function workedLayers(
  a: Analysis,
  depth?: number,
): { result: LayerResult; nested: boolean; working: LayerWorking }[] {
  const out: { result: LayerResult; nested: boolean; working: LayerWorking }[] = [];
  for (const row of layerRows(a, depth)) {
    if (row.result === null) continue;
    out.push({ result: row.result, nested: row.depth > 0, working: explainLayer(row.result) });
  }
  return out;
}

/** The working as text for a terminal or a report: one block per layer, indented lines. */
export function renderExplainText(a: Analysis, style: Style, depth?: number): string {
  const blocks = [NOTATION.map((l) => style.dim(l)).join("\n")];
  for (const { result, nested, working } of workedLayers(a, depth)) {
    const lines = [style.bold(workingHeading(result, nested))];
    if (working.given !== null) lines.push(`  ${style.dim(working.given)}`);
    for (const l of displayLines(working)) lines.push(`  ${l.label}: ${l.text}`);
    blocks.push(lines.join("\n"));
  }
  return `${blocks.join("\n\n")}\n`;
}

/** Escapes text for Markdown outside tables. */
function markdownText(s: string): string {
  return s.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
}

/** The working as Markdown: a heading line per layer and a list of its lines. */
export function renderExplainMarkdown(a: Analysis, depth?: number): string {
  const out = ["**Working**", "", markdownText(NOTATION.join(" "))];
  for (const { result, nested, working } of workedLayers(a, depth)) {
    out.push("", `**${markdownText(workingHeading(result, nested))}**`, "");
    if (working.given !== null) out.push(`- ${markdownText(working.given)}`);
    for (const l of displayLines(working)) out.push(`- ${markdownText(`${l.label}: ${l.text}`)}`);
  }
  return `${out.join("\n")}\n`;
}
