import Table from "cli-table3";
import type { Dtype } from "../core/memory.js";
import type { Analysis } from "../core/types.js";
import { COLUMNS, type ColumnName } from "./columns.js";
import { noteLines } from "./notes.js";
import { grouped } from "./numbers.js";
import { indentFor, layerRows } from "./rows.js";
import { shapeCell } from "./shape.js";
import type { Style } from "./style.js";

/** Options of the table renderer. */
export interface TableOptions {
  columns: readonly ColumnName[];
  style: Style;
  dtype: Dtype;
  /** Blocks deeper than this are shown collapsed (0: top level only). */
  depth?: number;
  /** Only the title, totals and notes, without per-layer rows. */
  summary?: boolean;
}

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

/** Renders an analysis as a per-layer table with a totals row (cli-table3). */
export function renderTable(analysis: Analysis, options: TableOptions): string {
  const { style, columns } = options;
  const ctx = { dtype: options.dtype };
  const lines = [titleLine(analysis, style)];
  if (!options.summary) {
    const table = new Table({
      head: columns.map((c) => style.bold(COLUMNS[c].title)),
      colAligns: columns.map((c) => COLUMNS[c].align),
      // no colour codes from cli-table3 itself: emphasis comes only from `style`
      style: { head: [], border: [], "padding-left": 1, "padding-right": 1 },
      // one line per layer: no rules between rows
      chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
    });
    for (const row of layerRows(analysis, options.depth)) {
      const indent = indentFor(row.depth, "  ");
      const r = row.result;
      if (r === null) {
        table.push(columns.map((c) => (c === "layer" ? style.dim(`${indent}${row.heading}`) : "")));
        continue;
      }
      const cells = columns.map((c) => {
        const text = COLUMNS[c].cell(r, ctx);
        return c === "layer" ? `${indent}${text}` : text;
      });
      table.push(row.expanded ? cells.map((s) => style.dim(s)) : cells);
    }
    const labelAt = columns[0] === "index" && columns.length > 1 ? 1 : 0;
    table.push(
      columns.map((c, i) => {
        const col = COLUMNS[c];
        if (i === labelAt) return style.bold("Total");
        return col.total ? style.bold(col.total(analysis, ctx)) : "";
      }),
    );
    lines.push(table.toString());
  }
  lines.push(...summaryLines(analysis, style));
  return lines.join("\n");
}
