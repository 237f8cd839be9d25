import type { Dtype } from "../core/memory.js";
import type { Analysis } from "../core/types.js";
import { COLUMNS, type ColumnName } from "./columns.js";
import { layerRows } from "./rows.js";

/** Quotes a CSV field when it needs it (RFC 4180). */
function field(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * The analysis as CSV: a header, one line per layer (plain integers, a `path` column for
 * nesting; blocks deeper than `depth` collapsed), then a totals line.
 */
export function renderCsv(
  analysis: Analysis,
  columns: readonly ColumnName[],
  dtype: Dtype,
  depth?: number,
): string {
  const ctx = { dtype };
  const lines = [["path", ...columns.map((c) => COLUMNS[c].title)].map(field).join(",")];
  for (const row of layerRows(analysis, depth)) {
    const r = row.result;
    if (r === null) continue;
    const cells = columns.map((c) => {
      const col = COLUMNS[c];
      return col.raw ? col.raw(r, ctx) : col.cell(r, ctx);
    });
    lines.push([r.path, ...cells].map(field).join(","));
  }
  const totals = columns.map((c) => COLUMNS[c].rawTotal?.(analysis, ctx) ?? "");
  lines.push(["total", ...totals].map(field).join(","));
  return `${lines.join("\n")}\n`;
}
