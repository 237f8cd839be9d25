import type { Analysis, LayerResult, LayerSpec } from "../core/types.js";
import { COLUMNS } from "./columns.js";
import { layerRows } from "./rows.js";
import type { Style } from "./style.js";
import { type LayerWorking, shapeFactors } from "./working.js";
import { WORKINGS, type Working } from "./workings.js";

/*
 * `--explain`: the working behind every number, rendered as text or Markdown. Each type's
 * working is its entry in WORKINGS (workings.ts); the tutorial's notation is in working.ts.
 */

export { type LayerWorking, WORKING_KEYS, type WorkingKey, type WorkingLine } from "./working.js";

/** The working of one layer: its given values and one line per quantity. */
export function explainLayer(r: LayerResult): LayerWorking {
  // WORKINGS pairs each type with its working; TypeScript cannot follow that through the union
  return (WORKINGS[r.spec.type] as Working<LayerSpec>)(r, r.spec);
}

/** The working as `{ quantity: text }` for the JSON output. */
export function workingRecord(w: LayerWorking): Record<string, string> {
  const out: Record<string, string> = {};
  if (w.given !== null) out.given = w.given;
  for (const l of w.lines) out[l.key] = l.text;
  return out;
}

/**
 * The lines to display: consecutive dimension lines with the same text merge into one
 * ("Width and height: 1 + (J−M)/s = 1 + (84−8)/4 = 20").
 */
export function displayLines(w: LayerWorking): { label: string; text: string }[] {
  const out: { label: string; text: string; dims: string[] }[] = [];
  for (const l of w.lines) {
    const isDim = l.key === "width" || l.key === "height" || l.key === "depth";
    const prev = out[out.length - 1];
    if (isDim && prev && prev.dims.length > 0 && prev.text === l.text) {
      prev.dims.push(l.label.toLowerCase());
      continue;
    }
    out.push({ label: l.label, text: l.text, dims: isDim ? [l.label] : [] });
  }
  return out.map((o) => {
    if (o.dims.length < 2) return { label: o.label, text: o.text };
    const head = o.dims.slice(0, -1).join(", ");
    return { label: `${head} and ${o.dims[o.dims.length - 1]}`, text: o.text };
  });
}

/** The notation lines printed above the working. */
export const NOTATION = [
  "Notation (the tutorial's): J, K input width and height; L input channels; M, N kernel width and height;",
  "P padding; s stride; D dilation; g groups. Operands are written plain, results with thousands separators.",
] as const;

/** A layer's heading: `Layer 1: conv1 (conv relu), 84×84×4 → 20×20×16`; nested ones by path. */
export function workingHeading(r: LayerResult, nested: boolean): string {
  const where = nested ? r.path : `Layer ${r.index}`;
  const type = COLUMNS.type.cell(r, { dtype: "float32" });
  return `${where}: ${r.name} (${type}), ${shapeFactors(r.inputShape)} → ${shapeFactors(r.outputShape)}`;
}

/** The layers in display order with their working, blocks before their children. */
export function workedLayers(
  a: Analysis,
  depth?: number,
): { result: LayerResult; nested: boolean; working: LayerWorking }[] {
  const out: { result: LayerResult; nested: boolean; working: LayerWorking }[] = [];
  for (const row of layerRows(a, depth)) {
    if (row.result === null) continue;
    out.push({ result: row.result, nested: row.depth > 0, working: explainLayer(row.result) });
  }
  return out;
}

/** The working as text for a terminal or a report: one block per layer, indented lines. */
export function renderExplainText(a: Analysis, style: Style, depth?: number): string {
  const blocks = [NOTATION.map((l) => style.dim(l)).join("\n")];
  for (const { result, nested, working } of workedLayers(a, depth)) {
    const lines = [style.bold(workingHeading(result, nested))];
    if (working.given !== null) lines.push(`  ${style.dim(working.given)}`);
    for (const l of displayLines(working)) lines.push(`  ${l.label}: ${l.text}`);
    blocks.push(lines.join("\n"));
  }
  return `${blocks.join("\n\n")}\n`;
}

/** Escapes text for Markdown outside tables. */
function markdownText(s: string): string {
  return s.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
}

/** The working as Markdown: a heading line per layer and a list of its lines. */
export function renderExplainMarkdown(a: Analysis, depth?: number): string {
  const out = ["**Working**", "", markdownText(NOTATION.join(" "))];
  for (const { result, nested, working } of workedLayers(a, depth)) {
    out.push("", `**${markdownText(workingHeading(result, nested))}**`, "");
    if (working.given !== null) out.push(`- ${markdownText(working.given)}`);
    for (const l of displayLines(working)) out.push(`- ${markdownText(`${l.label}: ${l.text}`)}`);
  }
  return `${out.join("\n")}\n`;
}
