import type { Analysis } from "../core/types.js";
import type { Style } from "./style.js";

/** The warnings and assumptions of an analysis as lines to print under a table. */
export function noteLines(analysis: Analysis, style: Style): string[] {
  const lines: string[] = [];
  for (const a of analysis.assumptions)
    lines.push(`${style.dim("assumption:")} ${a.message} [${a.code}]`);
  for (const w of analysis.warnings) {
    lines.push(
      `${style.warn("warning:")} ${w.layer === null ? "" : `${w.layer}: `}${w.message} [${w.code}]`,
    );
  }
  return lines;
}
