import Table from "cli-table3";
import type { Dtype } from "../core/memory.js";
import type { Analysis } from "../core/types.js";
import { COLUMNS, type ColumnName, summedColumns, TOTAL_LABEL, totalsLayout } from "./columns.js";
import { hiddenNote, planFit } from "./fit.js";
import { indentFor, layerRows } from "./rows.js";
import { memoryLine, summaryLines, titleLine } from "./summary.js";
import { abbreviate, displayWidth, wrapLine } from "./width.js";

export { memoryLine, summaryLines, titleLine } from "./summary.js";
export { displayWidth };

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
  /** Terminal columns to fit in (a terminal's width); undefined: never cut (piped output). */
  width?: number;
  /** Longest table drawn by cli-table3 (default CLI_TABLE_MAX_ROWS; for tests). */
  cliTableMaxRows?: number;
}

/** Columns whose presence asks for the memory totals line. */
const MEMORY_COLUMNS: ReadonlySet<ColumnName> = new Set(["activationMemory", "parameterMemory"]);

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

/** How a row is emphasised: as it is, dimmed (a block shown with its children) or in bold. */
type Look = "plain" | "dim" | "bold";

/** A row of plain cells and its emphasis, styled only after the fitting cut it. */
interface PlainRow {
  cells: string[];
  look: Look;
  /** Only this cell is dimmed (a branch heading); the others are empty. */
  dimAt?: number;
}

/**
 * Renders an analysis as a per-layer table with a totals row (cli-table3); under `summary` only
 * the totals row, of the columns that have one. With `width`, the table and its lines fit in
 * that many terminal columns (see planFit).
 */
export function renderTable(analysis: Analysis, options: TableOptions): string {
  const { style, width } = options;
  const ctx = { dtype: options.dtype };
  const lines = [titleLine(analysis, style)];
  const notes: string[] = [];
  const shown = options.summary ? summedColumns(options.columns) : options.columns;
  if (shown.length > 0) {
    const { columns, labelAt } = totalsLayout(shown);
    const head = columns.map((c) => (c === null ? "" : COLUMNS[c].title));
    const rows: PlainRow[] = [];
    for (const row of options.summary ? [] : layerRows(analysis, options.depth)) {
      const indent = indentFor(row.depth, "  ");
      const r = row.result;
      if (r === null) {
        const at = columns.indexOf("layer");
        rows.push({
          cells: columns.map((c) => (c === "layer" ? `${indent}${row.heading}` : "")),
          look: "plain",
          ...(at === -1 ? {} : { dimAt: at }),
        });
        continue;
      }
      const cells = columns.map((c) => {
        if (c === null) return "";
        const text = COLUMNS[c].cell(r, ctx);
        return c === "layer" ? `${indent}${text}` : text;
      });
      rows.push({ cells, look: row.expanded ? "dim" : "plain" });
    }
    rows.push({
      cells: columns.map((c, i) => {
        if (i === labelAt) return TOTAL_LABEL;
        const total = c === null ? undefined : COLUMNS[c].total;
        return total ? total(analysis, ctx) : "";
      }),
      look: "bold",
    });
    let keep = columns.map((_, i) => i);
    let caps: number[] | undefined;
    if (width !== undefined) {
      const widest = head.map(displayWidth);
      for (const row of rows) {
        row.cells.forEach((cell, i) => {
          widest[i] = Math.max(widest[i] as number, displayWidth(cell));
        });
      }
      const plan = planFit(
        columns.map((name, i) => ({ name, width: widest[i] as number, keep: i === labelAt })),
        width,
      );
      keep = keep.filter((i) => !plan.hidden.includes(i));
      caps = plan.caps;
      if (plan.hidden.length > 0) {
        const names = plan.hidden
          .map((i) => columns[i])
          .filter((c) => c !== null && c !== undefined);
        notes.push(hiddenNote(names, width, style));
      }
    }
    const cut = (cell: string, i: number) =>
      caps === undefined ? cell : abbreviate(cell, caps[i] as number);
    const look = (text: string, l: Look) =>
      l === "bold" ? style.bold(text) : l === "dim" ? style.dim(text) : text;
    const drawn = rows.map((row) =>
      keep.map((i) => {
        const text = cut(row.cells[i] as string, i);
        return row.dimAt === i ? style.dim(text) : look(text, row.look);
      }),
    );
    const aligns = keep.map((i) => {
      const c = columns[i];
      return c === null || c === undefined ? "left" : COLUMNS[c].align;
    });
    const draw =
      drawn.length > (options.cliTableMaxRows ?? CLI_TABLE_MAX_ROWS) ? drawLongTable : drawCliTable;
    lines.push(
      draw(
        keep.map((i) => style.bold(cut(head[i] as string, i))),
        drawn,
        aligns,
      ),
    );
  }
  const summary = summaryLines(analysis, style);
  if (options.columns.some((c) => MEMORY_COLUMNS.has(c))) {
    summary.splice(1, 0, memoryLine(analysis, options.dtype));
  }
  // a loop, not push(...): a huge network may have more notes than a call takes arguments
  for (const line of notes) lines.push(line);
  for (const line of summary) lines.push(line);
  if (width === undefined) return lines.join("\n");
  // the title and the notes wrap; table lines already fit (or cannot)
  const table = lines.length - summary.length - notes.length;
  return lines.flatMap((l, i) => (i > 0 && i < table ? [l] : wrapLine(l, width))).join("\n");
}
