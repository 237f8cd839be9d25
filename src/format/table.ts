import Table from "cli-table3";
import { type Dtype, inputBytes, memory } from "../core/memory.js";
import type { Analysis } from "../core/types.js";
import { COLUMNS, type ColumnName, summedColumns, TOTAL_LABEL, totalsLayout } from "./columns.js";
import { noteLines } from "./notes.js";
import { bytesText, grouped } from "./numbers.js";
import { indentFor, layerRows } from "./rows.js";
import { shapeCell } from "./shape.js";
import type { Style } from "./style.js";

/** Options of the table renderer. */
export interface TableOptions {
  columns: readonly ColumnName[];
  style: Style;
  dtype: Dtype;
  /** Levels of nesting shown, as torchinfo's depth (1: top level only, blocks collapsed). */
  depth?: number;
  /** Only the title, totals and notes, without per-layer rows. */
  summary?: boolean;
  /** Longest table drawn by cli-table3 (default CLI_TABLE_MAX_ROWS; for tests). */
  cliTableMaxRows?: number;
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

/** Columns whose presence asks for the memory totals line. */
const MEMORY_COLUMNS: ReadonlySet<ColumnName> = new Set(["activationMemory", "parameterMemory"]);

/** torchinfo-style memory totals: input + activations + parameters = estimated total. */
export function memoryLine(analysis: Analysis, dtype: Dtype): string {
  const input = inputBytes(analysis.input, dtype);
  const { activationBytes, parameterBytes } = memory(analysis.totals, dtype);
  const total = input + activationBytes + parameterBytes;
  return `Memory (${dtype}): input ${bytesText(input)} + activations ${bytesText(activationBytes)} + parameters ${bytesText(parameterBytes)} = estimated total ${bytesText(total)}`;
}

/** Tables with more rows than this are drawn by drawLongTable instead of cli-table3. */
export const CLI_TABLE_MAX_ROWS = 1000;

type Align = "left" | "right";

/** Draws a table with cli-table3: the layout of every table cnncalc prints. */
export function drawCliTable(head: string[], rows: string[][], aligns: Align[]): string {
  const table = new Table({
    head,
    colAligns: aligns,
    // no colour codes from cli-table3 itself: emphasis comes only from `style`
    style: { head: [], border: [], "padding-left": 1, "padding-right": 1 },
    // one line per layer: no rules between rows
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
  });
  for (const row of rows) table.push(row);
  return table.toString();
}

// ESC [ ... m: the colour codes chalk writes
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
const MARK = /^[\p{Mn}\p{Me}]$/u;

/** Combining marks, zero-width spaces and joiners, variation selectors: no column of their own. */
function isZeroWidth(ch: string): boolean {
  const c = ch.codePointAt(0) as number;
  return (c >= 0x200b && c <= 0x200f) || (c >= 0xfe00 && c <= 0xfe0f) || MARK.test(ch);
}
const WIDE =
  /[\p{Extended_Pictographic}\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;

// printable ASCII and Latin-1 (× included), one column each; © and ® are pictographs, so not here
const NARROW = /^[\x20-\x7e\xa0-\xa8\xaa-\xad\xaf-\xff]*$/;

/** Terminal columns a cell takes: colour codes none, wide East Asian and emoji two, marks none. */
export function displayWidth(text: string): number {
  // most cells (counts, shapes, names) are narrow: one test instead of one per character
  if (NARROW.test(text)) return text.length;
  let width = 0;
  for (const ch of text.replace(ANSI, "")) {
    if (isZeroWidth(ch)) continue;
    width += WIDE.test(ch) ? 2 : 1;
  }
  return width;
}

/**
 * Draws the same layout as drawCliTable in one linear pass. cli-table3's layout is quadratic in
 * the rows (every cell is checked against all cells above it for spans) and costs ~0.1 ms per
 * cell: minutes for a 100,000-layer table. A test checks both give the same text.
 */
export function drawLongTable(head: string[], rows: string[][], aligns: Align[]): string {
  const widths = aligns.map(() => 0);
  const measure = (row: string[]) =>
    row.forEach((cell, c) => {
      widths[c] = Math.max(widths[c] as number, displayWidth(cell));
    });
  if (head.length > 0) measure(head);
  for (const row of rows) measure(row);
  const rule = (l: string, m: string, r: string) =>
    `${l}${widths.map((w) => "─".repeat(w + 2)).join(m)}${r}`;
  // pieces are joined every few thousand lines: a line built with += would be a tree of a dozen
  // string objects, and 100,000 such trees kept the garbage collector busy for half the run
  const chunks: string[] = [];
  let parts: string[] = [rule("┌", "┬", "┐")];
  const spaces = widths.map(() => [] as string[]);
  const fillFor = (c: number, n: number) => ((spaces[c] as string[])[n] ??= " ".repeat(n));
  const line = (row: string[]) => {
    parts.push("\n│");
    for (let c = 0; c < row.length; c++) {
      const cell = row[c] as string;
      const fill = fillFor(c, (widths[c] as number) - displayWidth(cell));
      if (aligns[c] === "right") parts.push(" ", fill, cell, " │");
      else parts.push(" ", cell, fill, " │");
    }
    if (parts.length > 40_000) {
      chunks.push(parts.join(""));
      parts = [];
    }
  };
  if (head.length > 0) line(head);
  for (const row of rows) line(row);
  parts.push("\n", rule("└", "┴", "┘"));
  chunks.push(parts.join(""));
  return chunks.join("");
}

/**
 * Renders an analysis as a per-layer table with a totals row (cli-table3); under `summary` only
 * the totals row, of the columns that have one.
 */
export function renderTable(analysis: Analysis, options: TableOptions): string {
  const { style } = options;
  const ctx = { dtype: options.dtype };
  const lines = [titleLine(analysis, style)];
  const shown = options.summary ? summedColumns(options.columns) : options.columns;
  if (shown.length > 0) {
    const { columns, labelAt } = totalsLayout(shown);
    const head = columns.map((c) => (c === null ? "" : style.bold(COLUMNS[c].title)));
    const rows: string[][] = [];
    for (const row of options.summary ? [] : layerRows(analysis, options.depth)) {
      const indent = indentFor(row.depth, "  ");
      const r = row.result;
      if (r === null) {
        rows.push(columns.map((c) => (c === "layer" ? style.dim(`${indent}${row.heading}`) : "")));
        continue;
      }
      const cells = columns.map((c) => {
        if (c === null) return "";
        const text = COLUMNS[c].cell(r, ctx);
        return c === "layer" ? `${indent}${text}` : text;
      });
      rows.push(row.expanded ? cells.map((s) => style.dim(s)) : cells);
    }
    rows.push(
      columns.map((c, i) => {
        if (i === labelAt) return style.bold(TOTAL_LABEL);
        const total = c === null ? undefined : COLUMNS[c].total;
        return total ? style.bold(total(analysis, ctx)) : "";
      }),
    );
    const aligns = columns.map((c) => (c === null ? "left" : COLUMNS[c].align));
    const draw =
      rows.length > (options.cliTableMaxRows ?? CLI_TABLE_MAX_ROWS) ? drawLongTable : drawCliTable;
    lines.push(draw(head, rows, aligns));
  }
  const summary = summaryLines(analysis, style);
  if (options.columns.some((c) => MEMORY_COLUMNS.has(c))) {
    summary.splice(1, 0, memoryLine(analysis, options.dtype));
  }
  // a loop, not push(...): a huge network may have more notes than a call takes arguments
  for (const line of summary) lines.push(line);
  return lines.join("\n");
}
