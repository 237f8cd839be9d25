import { type Dtype, inputBytes, memory } from "../core/memory.js";
import type { Analysis } from "../core/types.js";
import { noteLines } from "./notes.js";
import { bytesText, grouped } from "./numbers.js";
import { shapeCell } from "./shape.js";
import type { Style } from "./style.js";

/*
 * The lines around a table (title, totals, notes), apart from the table drawing so that a page
 * in a browser can use them without cli-table3 (which needs Node's os and tty).
 */

/** The heading line of a network: its name and input. */
export function titleLine(analysis: Analysis, style: Style): string {
  const name = analysis.name ?? "network";
  return `${style.bold(name)} ${style.dim(`(input ${shapeCell(analysis.input)})`)}`;
}

/** The lines under a table: parameter split, output shape, then assumptions and warnings. */
export function summaryLines(analysis: Analysis, style: Style): string[] {
  const t = analysis.totals;
  return [
    `Parameters: ${style.bold(grouped(t.parameters))} (trainable ${grouped(t.trainableParameters)}, non-trainable ${grouped(t.nonTrainableParameters)})`,
    `Output: ${shapeCell(analysis.output)}`,
    ...noteLines(analysis, style),
  ];
}

/** torchinfo-style memory totals: input + activations + parameters = estimated total. */
export function memoryLine(analysis: Analysis, dtype: Dtype): string {
  const input = inputBytes(analysis.input, dtype);
  const { activationBytes, parameterBytes } = memory(analysis.totals, dtype);
  const total = input + activationBytes + parameterBytes;
  return `Memory (${dtype}): input ${bytesText(input)} + activations ${bytesText(activationBytes)} + parameters ${bytesText(parameterBytes)} = estimated total ${bytesText(total)}`;
}
