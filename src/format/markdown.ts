import type { Dtype } from "../core/memory.js";
import type { Analysis } from "../core/types.js";
import { COLUMNS, type ColumnName, TOTAL_LABEL, totalsLayout } from "./columns.js";
import { indentFor, layerRows } from "./rows.js";
import { PLAIN } from "./style.js";
import { summaryLines } from "./table.js";

/** Escapes text for a Markdown table cell. */
function cell(s: string): string {
  return s.replaceAll("|", "\\|");
}

/** The analysis as a GitHub-flavoured Markdown table with a bold totals row and the notes. */
export function renderMarkdown(
  analysis: Analysis,
  columns: readonly ColumnName[],
  dtype: Dtype,
  depth?: number,
): string {
  const ctx = { dtype };
  const { columns: cols, labelAt } = totalsLayout(columns);
  const title = (c: ColumnName | null) => (c === null ? "" : COLUMNS[c].title);
  const right = (c: ColumnName | null) => c !== null && COLUMNS[c].align === "right";
  const head = `| ${cols.map(title).join(" | ")} |`;
  const rule = `|${cols.map((c) => (right(c) ? " ---: |" : " --- |")).join("")}`;
  const lines = [`**${cell(analysis.name ?? "network")}**`, "", head, rule];
  for (const row of layerRows(analysis, depth)) {
    const r = row.result;
    const indent = indentFor(row.depth, "\u00a0\u00a0");
    const cells = cols.map((c) => {
      if (r === null) return c === "layer" ? `${indent}*${row.heading}*` : "";
      if (c === null) return "";
      const text = COLUMNS[c].cell(r, ctx);
      return c === "layer" ? `${indent}${text}` : text;
    });
    lines.push(`| ${cells.map(cell).join(" | ")} |`);
  }
  const totals = cols.map((c, i) => {
    if (i === labelAt) return `**${TOTAL_LABEL}**`;
    const total = c === null ? undefined : COLUMNS[c].total;
    return total ? `**${total(analysis, ctx)}**` : "";
  });
  lines.push(`| ${totals.join(" | ")} |`, "");
  for (const l of summaryLines(analysis, PLAIN)) lines.push(`- ${cell(l)}`);
  return `${lines.join("\n")}\n`;
}
