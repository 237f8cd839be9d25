import type { AnswerProblem, AnswerQuantity, AnswerValue, Graded, Status } from "../core/check.js";
import { score } from "../core/check.js";
import type { Analysis, LayerResult } from "../core/types.js";
import { lineCol } from "./diagnostic.js";
import { displayLines, explainLayer, type WorkingKey } from "./explain.js";
import { notesJson } from "./json.js";
import { noteLines } from "./notes.js";
import { grouped, jsonCount } from "./numbers.js";
import type { Style } from "./style.js";

/** How each quantity is named in the report. */
const QUANTITY_LABELS: Readonly<Record<AnswerQuantity, string>> = {
  weightsPerNeuron: "weights per neuron",
  width: "width",
  height: "height",
  depth: "depth",
  length: "length",
  size: "width and height",
  output: "output shape",
  neurons: "neurons",
  connections: "connections",
  parameters: "independent parameters",
};

/** The working lines that show each quantity. */
const WORKING_FOR: Readonly<Record<AnswerQuantity, readonly WorkingKey[]>> = {
  weightsPerNeuron: ["weightsPerNeuron"],
  width: ["width"],
  height: ["height"],
  depth: ["depth"],
  length: ["length"],
  size: ["width", "height", "depth", "length"],
  output: ["width", "height", "depth", "length", "neurons"],
  neurons: ["neurons"],
  connections: ["connections"],
  parameters: ["parameters"],
};

/** The verdict of a report line: a graded answer's status, or a line that could not be read. */
export type LineStatus = Status | "not-read";

const STATUS_TEXT: Readonly<Record<LineStatus, string>> = {
  right: "✓ right",
  wrong: "✗ wrong",
  "no-layer": "✗ no such layer",
  "not-applicable": "✗ no such quantity",
  "not-read": "✗ not read",
};

/** Whether a quantity's name takes "is" or "are", for "whose neurons are 256". */
const VERB: Readonly<Record<AnswerQuantity, "is" | "are">> = {
  weightsPerNeuron: "are",
  width: "is",
  height: "is",
  depth: "is",
  length: "is",
  size: "are",
  output: "is",
  neurons: "are",
  connections: "are",
  parameters: "are",
};

/** An answers file as checked: the graded answers, the lines not read, and the file's text. */
export interface CheckedSheet {
  graded: readonly Graded[];
  problems: readonly AnswerProblem[];
  /** The answers file's text, for quoting a line that was not read. */
  source: string;
}

/** An answer value as text: `1,644,800` or `20×20×16`. */
export function valueText(v: AnswerValue): string {
  return v.kind === "count" ? grouped(v.value) : v.values.join("×");
}

/** The working lines behind a graded answer's right value (empty when there is no layer). */
export function answerWorking(g: Graded): string[] {
  if (g.result === null) return [];
  const keys = WORKING_FOR[g.answer.quantity];
  const w = explainLayer(g.result);
  const lines = w.lines.filter((l) => keys.includes(l.key));
  return displayLines({ given: null, lines }).map((l) => `${l.label}: ${l.text}`);
}

/** The quantity's name for a layer: a conv's weights are per filter, as in the tutorial. */
function quantityLabel(q: AnswerQuantity, r: LayerResult | null): string {
  const perFilter = r?.type === "conv" || r?.type === "convtranspose";
  return q === "weightsPerNeuron" && perFilter ? "weights per filter" : QUANTITY_LABELS[q];
}

/** How a report names a layer by place: `4`, or `3.2` inside a block, or its path. */
function layerNumber(r: LayerResult, g: Graded): string {
  if (g.answer.layer.kind === "index") {
    return [...g.answer.layer.indices.slice(0, -1), r.index].join(".");
  }
  return r.path === `layers[${r.index - 1}]` ? String(r.index) : r.path;
}

/**
 * The hint for a wrong answer when another layer's right value is the answer: "layer 3 is
 * flatten1, a flatten layer with no neurons or parameters; you probably meant layer 4 (dense1),
 * whose neurons are 256".
 */
export function likelyHint(g: Graded): string | null {
  const r = g.result;
  const meant = g.likely;
  if (r === null || meant === null) return null;
  const params = r.trainableParameters + r.nonTrainableParameters;
  const q = g.answer.quantity;
  const what =
    r.neurons === 0n
      ? `layer ${layerNumber(r, g)} is ${r.name}, a ${r.type} layer with no neurons${params === 0n ? " or parameters" : ""}`
      : `layers without neurons (a flatten, an activation) count in the numbering, so layer ${layerNumber(r, g)} is ${r.name}`;
  return `${what}; you probably meant layer ${layerNumber(meant, g)} (${meant.name}), whose ${quantityLabel(q, meant)} ${VERB[q]} ${valueText(g.answer.value)}`;
}

function layerLabel(g: Graded): string {
  const r = g.result;
  const written = /^\d/.test(g.answer.layerText)
    ? `layer ${g.answer.layerText}`
    : g.answer.layerText;
  if (r === null) return written;
  return r.name.toLowerCase() === g.answer.layerText.toLowerCase()
    ? `${written} (layer ${r.path === `layers[${r.index - 1}]` ? r.index : r.path})`
    : `${written} (${r.name})`;
}

/** The report lines of a line that could not be read: the line, the reason, the suggestion. */
function problemLines(p: AnswerProblem, source: string, style: Style): string[] {
  const at = lineCol(source, p.span.start);
  const text = source.slice(at.lineStart, at.lineEnd).trim();
  const lines = [`${style.error(STATUS_TEXT["not-read"])}  line ${p.line}: ${text}`];
  lines.push(`      ${p.message}`);
  if (p.hint) lines.push(`      ${style.dim("hint:")} ${p.hint}`);
  return lines;
}

/** The report lines of one graded answer. */
function gradedLines(g: Graded, style: Style): string[] {
  const mark =
    g.status === "right" ? style.good(STATUS_TEXT.right) : style.error(STATUS_TEXT[g.status]);
  const head = `${mark}  line ${g.answer.line}: ${layerLabel(g)} ${quantityLabel(g.answer.quantity, g.result)} = ${valueText(g.answer.value)}`;
  const lines: string[] = [];
  switch (g.status) {
    case "right":
      lines.push(g.reason ? `${head} ${style.dim(`(${g.reason})`)}` : head);
      break;
    case "wrong": {
      const expected = g.expected === null ? "" : valueText(g.expected);
      const note = g.reason ? ` (${g.reason})` : "";
      lines.push(`${head}; the right value is ${style.bold(expected)}${note}`);
      for (const w of answerWorking(g)) lines.push(`      ${w}`);
      break;
    }
    case "no-layer":
    case "not-applicable":
      lines.push(`${head}: ${g.reason ?? ""}`);
      break;
    default: {
      const never: never = g.status;
      return never;
    }
  }
  const hint = likelyHint(g);
  if (hint !== null) lines.push(`      ${style.dim("hint:")} ${hint}`);
  return lines;
}

/** The score line's words: "Score: 17/19 right, 1 wrong, 1 not read", leaving out the zeros. */
export function scoreText(s: ReturnType<typeof score>, style: Style): string {
  const parts = [`${style.bold(`${s.right}/${s.total}`)} right`];
  if (s.wrong > 0) parts.push(`${s.wrong} wrong`);
  if (s.notRead > 0) parts.push(`${s.notRead} not read`);
  return `Score: ${parts.join(", ")}`;
}

/**
 * The report of `cnncalc check` as text: the spec's assumptions and warnings (as under the main
 * command's table), then one entry per line of the answers file in order, graded or not read,
 * with the working under wrong answers, then the score.
 */
export function renderCheck(
  a: Analysis,
  sheet: CheckedSheet,
  files: { spec: string; answers: string },
  style: Style,
): string {
  const lines = [
    `${style.bold(`Checking ${files.answers}`)} ${style.dim(`against ${a.name ?? files.spec}`)}`,
  ];
  const notes = noteLines(a, style);
  if (notes.length > 0) lines.push(...notes);
  lines.push("");
  const entries: { line: number; lines: string[] }[] = [
    ...sheet.graded.map((g) => ({ line: g.answer.line, lines: gradedLines(g, style) })),
    ...sheet.problems.map((p) => ({ line: p.line, lines: problemLines(p, sheet.source, style) })),
  ];
  // stable: JSON answers on one line keep their order
  entries.sort((x, y) => x.line - y.line);
  for (const e of entries) lines.push(...e.lines);
  lines.push("", scoreText(score(sheet.graded, sheet.problems.length), style));
  return `${lines.join("\n")}\n`;
}

function jsonValue(v: AnswerValue): number | string | number[] {
  return v.kind === "count" ? jsonCount(v.value) : v.values;
}

const resolvedJson = (r: LayerResult | null) =>
  r === null ? null : { index: r.index, path: r.path, name: r.name };

/**
 * The report of `cnncalc check` as a JSON value for scripts: one result per line in order, each
 * with the same keys; a line not read has status `not-read` and its problem.
 */
export function checkJson(
  a: Analysis,
  sheet: CheckedSheet,
  files: { spec: string; answers: string },
): Record<string, unknown> {
  const s = score(sheet.graded, sheet.problems.length);
  const results: { line: number; entry: Record<string, unknown> }[] = [
    ...sheet.graded.map((g) => ({
      line: g.answer.line,
      entry: {
        line: g.answer.line,
        layer: g.answer.layerText,
        quantity: g.answer.quantity,
        answer: jsonValue(g.answer.value),
        status: g.status as LineStatus,
        expected: g.expected === null ? null : jsonValue(g.expected),
        resolved: resolvedJson(g.result),
        reason: g.reason,
        working: g.status === "right" ? [] : answerWorking(g),
        likely: g.likely === null ? null : { ...resolvedJson(g.likely), hint: likelyHint(g) },
        problem: null,
      },
    })),
    ...sheet.problems.map((p) => ({
      line: p.line,
      entry: {
        line: p.line,
        layer: null,
        quantity: null,
        answer: null,
        status: "not-read" as LineStatus,
        expected: null,
        resolved: null,
        reason: null,
        working: [],
        likely: null,
        problem: {
          code: p.code,
          message: p.message,
          column: lineCol(sheet.source, p.span.start).col,
          hint: p.hint ?? null,
        },
      },
    })),
  ];
  results.sort((x, y) => x.line - y.line);
  return {
    spec: files.spec,
    name: a.name,
    answers: files.answers,
    score: s,
    results: results.map((r) => r.entry),
    ...notesJson(a),
  };
}
