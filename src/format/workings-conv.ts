import { transposedLength } from "../core/formulas.js";
import type { ConvSpec, ConvTransposeSpec, LayerResult, Window } from "../core/types.js";
import { counted, plural } from "../core/words.js";
import { grouped } from "./numbers.js";
import {
  kernelFactors,
  LABELS,
  type LayerWorking,
  letters,
  line,
  MINUS,
  parametersLine,
  shapeFactors,
  squareWindow,
  T,
  times,
  type WorkingLine,
  windowDimLines,
  windowGiven,
} from "./working.js";

/* The working of convolutions and transposed convolutions (`--explain`), in working.ts' notation. */

/** Groups a connection table's filters by how many maps they read: [[maps, filters], ...]. */
function tableGroups(table: readonly (readonly number[])[]): [maps: number, filters: number][] {
  const counts = new Map<number, number>();
  for (const maps of table) counts.set(maps.length, (counts.get(maps.length) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => a[0] - b[0]);
}

export function convWorking(r: LayerResult, spec: ConvSpec, w: Window): LayerWorking {
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

export function convTransposeWorking(
  r: LayerResult,
  spec: ConvTransposeSpec,
  w: Window,
): LayerWorking {
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
