import { analyzeSource, readSource, sourceFormat } from "../analyze-source.js";
import { gradeAnswers, score } from "../core/check.js";
import { CnnError } from "../core/errors.js";
import type { Analysis } from "../core/types.js";
import { type LineStatus, renderCheck, scoreText } from "../format/check.js";
import { COLUMNS, DEFAULT_COLUMNS, TOTAL_LABEL, totalsLayout } from "../format/columns.js";
import { formatDiagnostic, lineCol } from "../format/diagnostic.js";
import { renderExplainText } from "../format/explain.js";
import { layerRows } from "../format/rows.js";
import { PLAIN, type Style } from "../format/style.js";
import { summaryLines, titleLine } from "../format/summary.js";
import { specToText } from "../format/text.js";
import { readAnswers } from "../parse/answers.js";
import { type InputFormat, loadReader } from "../parse/index.js";
import { escapeHtml, hasMarks, MARKED, toHtml } from "./html.js";

/*
 * What the page shows for a spec and an answers text, as HTML strings: pure (no DOM), so the
 * page's work per keystroke is this plus setting innerHTML. The same pipeline and renderers as
 * the CLI: analyzeSource (format detection, parse, analyse), the table's columns and rows,
 * summaryLines, the --explain text, formatDiagnostic, and `cnncalc check`'s grading and report.
 */

/** The names the page gives its two texts in diagnostics (`spec:3:7: error: ...`). */
export const FILES = { spec: "spec", answers: "answers" } as const;

/** A located error: its diagnostic as the CLI prints it, and its 1-based line in the text. */
export interface ShownError {
  html: string;
  line: number | null;
}

/** The answers marked: the report, each line's verdict and the score. */
export interface ShownCheck {
  html: string;
  /** Verdict by 1-based line of the answers text (lines without an answer are absent). */
  marks: Map<number, LineStatus>;
  /** The score line of the report, as text: `Score: 17/18 right, 1 wrong`. */
  score: string;
}

/** The page's results for one spec text. */
export interface PlaygroundView {
  /** The format the spec was read as (detected as by the CLI). */
  format: InputFormat;
  /** The analysis, for the deferred diagram; null when the spec failed. */
  analysis: Analysis | null;
  /** The spec's error, or null. */
  error: ShownError | null;
  /** The per-layer `<table>` (its caption the title line), and the lines under it. */
  table: TableParts | null;
  summary: string[];
  /** The --explain working, when asked for (null: not computed). */
  working: string | null;
  /** The answers marked, or an error reading them; null when the answers box is empty. */
  check: ShownCheck | ShownError | null;
}

const styleFor = (...texts: string[]): Style => (texts.some(hasMarks) ? PLAIN : MARKED);

/** Rendered text as HTML: emphasis as spans under MARKED, plain escaped text otherwise. */
const htmlOf = (text: string, style: Style) => (style === MARKED ? toHtml(text) : escapeHtml(text));

/** A CnnError as the CLI's diagnostic, with the line it points at. */
function shownError(e: CnnError, file: string, source: string, style: Style): ShownError {
  const d = e.diagnostic;
  return {
    html: htmlOf(formatDiagnostic(d, style, { file, source }), style),
    line: d.span ? lineCol(source, d.span.start).line : null,
  };
}

/**
 * The per-layer table as HTML, in parts: `head` (up to `<tbody>`), one string per `<tr>` of the
 * body, and `foot` (the totals). Parts let the page replace only the rows a keystroke changed.
 */
export interface TableParts {
  head: string;
  rows: string[];
  foot: string;
}

/** The whole table of TableParts as one HTML string. */
export function joinTable(t: TableParts): string {
  return `${t.head}${t.rows.join("")}${t.foot}`;
}

/** The per-layer table: the CLI's default columns, its rows and totals row, the title as caption. */
export function tableHtml(a: Analysis, depth?: number, style: Style = PLAIN): TableParts {
  const ctx = { dtype: "float32" } as const;
  const { columns, labelAt } = totalsLayout(DEFAULT_COLUMNS);
  const align = (c: (typeof columns)[number]) =>
    c !== null && COLUMNS[c].align === "right" ? ' class="num"' : "";
  const titles = columns.map(
    (c) => `<th scope="col"${align(c)}>${c === null ? "" : escapeHtml(COLUMNS[c].title)}</th>`,
  );
  const head = `<table class="layers"><caption>${htmlOf(titleLine(a, style), style)}</caption><thead><tr>${titles.join("")}</tr></thead><tbody>`;
  const rows: string[] = [];
  for (const row of layerRows(a, depth)) {
    const r = row.result;
    const pad = row.depth > 0 ? ` style="padding-left:${0.4 + row.depth}em"` : "";
    if (r === null) {
      const cells = columns.map((c) =>
        c === "layer" ? `<td class="branch"${pad}>${escapeHtml(row.heading)}</td>` : "<td></td>",
      );
      rows.push(`<tr class="heading">${cells.join("")}</tr>`);
      continue;
    }
    const cells = columns.map((c) => {
      if (c === null) return "<td></td>";
      const text = escapeHtml(COLUMNS[c].cell(r, ctx));
      return c === "layer" ? `<th scope="row"${pad}>${text}</th>` : `<td${align(c)}>${text}</td>`;
    });
    rows.push(`<tr${row.expanded ? ' class="block"' : ""}>${cells.join("")}</tr>`);
  }
  const totals = columns.map((c, i) => {
    if (i === labelAt) return `<th scope="row">${TOTAL_LABEL}</th>`;
    const total = c === null ? undefined : COLUMNS[c].total;
    return `<td${align(c)}>${total ? escapeHtml(total(a, ctx)) : ""}</td>`;
  });
  return { head, rows, foot: `</tbody><tfoot><tr>${totals.join("")}</tr></tfoot></table>` };
}

/** The answers graded against an analysis as `cnncalc check` does, or the answers' error. */
export function checkAnswers(a: Analysis, specText: string, text: string): ShownCheck | ShownError {
  const style = styleFor(specText, text);
  try {
    const { answers, problems } = readAnswers(text);
    const graded = gradeAnswers(a, answers);
    const marks = new Map<number, LineStatus>();
    for (const g of graded) {
      // several JSON answers on one line: the line is right only if all of them are
      const was = marks.get(g.answer.line);
      marks.set(g.answer.line, was !== undefined && was !== "right" ? was : g.status);
    }
    for (const p of problems) marks.set(p.line, "not-read");
    const report = renderCheck(a, { graded, problems, source: text }, FILES, style);
    const scored = scoreText(score(graded, problems.length), PLAIN);
    return { html: htmlOf(report, style), marks, score: scored };
  } catch (e) {
    if (!(e instanceof CnnError)) throw e;
    return shownError(e, FILES.answers, text, style);
  }
}

/** The --explain working as HTML. */
export function workingHtml(a: Analysis, specText: string, depth?: number): string {
  const style = styleFor(specText);
  return htmlOf(renderExplainText(a, style, depth), style);
}

/** What computeView renders besides the table, totals, errors and marks. */
export interface ViewOptions {
  /** Levels of nesting shown, as the CLI's --depth. */
  depth?: number;
  /** Render the --explain working too (the longest text: only when it is on screen). */
  working?: boolean;
}

/** Everything the page shows for a spec (and answers) text. */
export function computeView(
  specText: string,
  answersText: string,
  options: ViewOptions = {},
): PlaygroundView {
  const { depth } = options;
  const style = styleFor(specText);
  const r = analyzeSource(specText);
  const answers = answersText.trim() === "" ? null : answersText;
  if (!r.ok) {
    return {
      format: r.format,
      analysis: null,
      error: shownError(r.error, FILES.spec, specText, style),
      table: null,
      summary: [],
      working: null,
      check: null,
    };
  }
  const a = r.analysis;
  return {
    format: r.format,
    analysis: a,
    error: null,
    table: tableHtml(a, depth, style),
    summary: summaryLines(a, style).map((l) => htmlOf(l, style)),
    working: options.working ? workingHtml(a, specText, depth) : null,
    check: answers === null ? null : checkAnswers(a, specText, answers),
  };
}

/** Whether a check result is the answers' error rather than a marked sheet. */
export function isCheckError(c: ShownCheck | ShownError): c is ShownError {
  return !("marks" in c);
}

/** A file opened in the page: the text to put in the Spec box (absent on failure), and a note. */
export interface OpenedFile {
  text?: string;
  note: string;
}

/**
 * A file the user opens: a text spec (JSON, the layer language, prose, a Keras model.json,
 * PyTorch's print) as it is; a binary model (ONNX, a Keras 3 `.keras`) read and written in the
 * layer language, as `cnncalc convert` writes it, so that the box, the link and the answers work
 * on it like on any spec. The ONNX reader is loaded only for an ONNX file.
 */
export async function openFile(bytes: Uint8Array, file: string): Promise<OpenedFile> {
  await loadReader(sourceFormat(bytes, { file }));
  const read = readSource(bytes, { file });
  if (!read.ok) return { note: `${file}: ${read.error.message}` };
  if (read.text !== undefined) return { text: read.text, note: `Opened ${file}.` };
  const notes = read.parsed.assumptions.map((a) => ` ${a.message}.`).join("");
  return {
    text: specToText(read.parsed.spec),
    note: `Read ${file} (${read.format}) and wrote it in the layer language, as cnncalc convert does.${notes}`,
  };
}
