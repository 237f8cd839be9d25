import type { Diagnostic } from "../core/errors.js";
import type { Style } from "./style.js";

/** 1-based line and column of an offset in a text. */
export function lineCol(
  source: string,
  offset: number,
): { line: number; col: number; lineStart: number; lineEnd: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, source.length);
  for (let i = source.indexOf("\n"); i !== -1 && i < end; i = source.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  let lineEnd = source.indexOf("\n", lineStart);
  if (lineEnd === -1) lineEnd = source.length;
  if (lineEnd > lineStart && source[lineEnd - 1] === "\r") lineEnd--;
  return { line, col: end - lineStart + 1, lineStart, lineEnd };
}

const MAX_SHOWN = 100;

/**
 * A diagnostic as text, like a compiler's: `file:line:col: error: path: message`, then the line
 * with a caret under the span, then the hint. Without a source it is the first line alone.
 */
export function formatDiagnostic(
  d: Diagnostic,
  style: Style,
  where: { file?: string; source?: string } = {},
  severity = "error",
): string {
  const label = severity === "error" ? style.error(`${severity}:`) : style.warn(`${severity}:`);
  const place = d.path ? `${d.path}: ` : "";
  const file = where.file ?? "";
  const lines: string[] = [];
  if (d.span && where.source !== undefined) {
    const src = where.source;
    const { line, col, lineStart, lineEnd } = lineCol(src, d.span.start);
    lines.push(`${style.bold(`${file}:${line}:${col}:`)} ${label} ${place}${d.message}`);
    let from = lineStart;
    let text = src.slice(lineStart, lineEnd);
    // very long lines (minified JSON): show a window around the caret
    if (text.length > MAX_SHOWN) {
      from = Math.max(lineStart, d.span.start - MAX_SHOWN / 2);
      text = src.slice(from, Math.min(lineEnd, from + MAX_SHOWN));
    }
    const gutter = String(line);
    const pad = " ".repeat(gutter.length);
    const caretAt = d.span.start - from;
    const width = Math.max(1, Math.min(d.span.end, from + text.length) - d.span.start);
    lines.push(`${style.dim(`${gutter} |`)} ${text.replaceAll("\t", " ")}`);
    lines.push(
      `${style.dim(`${pad} |`)} ${" ".repeat(Math.max(0, caretAt))}${style.error("^".repeat(width))}`,
    );
  } else {
    lines.push(`${file ? `${style.bold(`${file}:`)} ` : ""}${label} ${place}${d.message}`);
  }
  if (d.hint) lines.push(`${style.dim("hint:")} ${d.hint}`);
  return lines.join("\n");
}
