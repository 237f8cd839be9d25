import type { Dtype } from "../core/memory.js";
import type { Analysis } from "../core/types.js";
import { COLUMNS, type ColumnName, CSV_LABELS } from "./columns.js";
import { layerRows } from "./rows.js";

/** Quotes a CSV field when it needs it (RFC 4180). */
function field(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Where a CSV goes among others: its spec's name and whether it starts with the header. */
export interface CsvPart {
  /** Fills a first `spec` column, so that rows of several specs in one CSV can be told apart. */
  spec?: string;
  /** Whether to write the header line (default true; false for the second spec on). */
  header?: boolean;
}

/**
 * The analysis as CSV: a header, one line per layer (plain integers, a `path` column for
 * nesting; blocks deeper than `depth` collapsed), then a totals line. With `part.spec`, a first
 * `spec` column names the spec on every line.
 */
export function renderCsv(
  analysis: Analysis,
  columns: readonly ColumnName[],
  dtype: Dtype,
  depth?: number,
  part: CsvPart = {},
): string {
  const ctx = { dtype };
  const lead = part.spec === undefined ? [] : [part.spec];
  const lines: string[] = [];
  if (part.header !== false) {
    const titles = [CSV_LABELS.path, ...columns.map((c) => COLUMNS[c].title)];
    lines.push(
      (part.spec === undefined ? titles : [CSV_LABELS.spec, ...titles]).map(field).join(","),
    );
  }
  for (const row of layerRows(analysis, depth)) {
    const r = row.result;
    if (r === null) continue;
    const cells = columns.map((c) => {
      const col = COLUMNS[c];
      return col.raw ? col.raw(r, ctx) : col.cell(r, ctx);
    });
    lines.push([...lead, r.path, ...cells].map(field).join(","));
  }
  const totals = columns.map((c) => COLUMNS[c].rawTotal?.(analysis, ctx) ?? "");
  lines.push([...lead, CSV_LABELS.total, ...totals].map(field).join(","));
  return `${lines.join("\n")}\n`;
}
