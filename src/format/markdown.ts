import type { Dtype } from "../core/memory.js";
import type { Analysis } from "../core/types.js";
import { COLUMNS, type ColumnName } from "./columns.js";
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
  const head = `| ${columns.map((c) => COLUMNS[c].title).join(" | ")} |`;
  const rule = `|${columns.map((c) => (COLUMNS[c].align === "right" ? " ---: |" : " --- |")).join("")}`;
  const lines = [`**${cell(analysis.name ?? "network")}**`, "", head, rule];
  for (const row of layerRows(analysis, depth)) {
    const r = row.result;
    const indent = indentFor(row.depth, "\u00a0\u00a0");
    const cells = columns.map((c) => {
      if (r === null) return c === "layer" ? `${indent}*${row.heading}*` : "";
      const text = COLUMNS[c].cell(r, ctx);
      return c === "layer" ? `${indent}${text}` : text;
    });
    lines.push(`| ${cells.map(cell).join(" | ")} |`);
  }
  const labelAt = columns[0] === "index" && columns.length > 1 ? 1 : 0;
  const totals = columns.map((c, i) => {
    const col = COLUMNS[c];
    if (i === labelAt) return "**Total**";
    return col.total ? `**${col.total(analysis, ctx)}**` : "";
  });
  lines.push(`| ${totals.join(" | ")} |`, "");
  for (const l of summaryLines(analysis, PLAIN)) lines.push(`- ${cell(l)}`);
  return `${lines.join("\n")}\n`;
}
