import type { AnswerQuantity, AnswerValue, Graded, Status } from "../core/check.js";
import { score } from "../core/check.js";
import type { Analysis } from "../core/types.js";
import { displayLines, explainLayer, type WorkingKey } from "./explain.js";
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

const STATUS_TEXT: Readonly<Record<Status, string>> = {
  right: "✓ right",
  wrong: "✗ wrong",
  "no-layer": "✗ no such layer",
  "not-applicable": "✗ no such quantity",
};

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

/** The quantity's name for this layer: a conv's weights are per filter, as in the tutorial. */
function quantityLabel(g: Graded): string {
  const perFilter = g.result?.type === "conv" || g.result?.type === "convtranspose";
  return g.answer.quantity === "weightsPerNeuron" && perFilter
    ? "weights per filter"
    : QUANTITY_LABELS[g.answer.quantity];
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

/** The report of `cnncalc check` as text: one line per answer, the working under wrong ones. */
export function renderCheck(
  a: Analysis,
  graded: readonly Graded[],
  files: { spec: string; answers: string },
  style: Style,
): string {
  const lines = [
    `${style.bold(`Checking ${files.answers}`)} ${style.dim(`against ${a.name ?? files.spec}`)}`,
    "",
  ];
  for (const g of graded) {
    const mark =
      g.status === "right" ? style.good(STATUS_TEXT.right) : style.error(STATUS_TEXT[g.status]);
    const head = `${mark}  line ${g.answer.line}: ${layerLabel(g)} ${quantityLabel(g)} = ${valueText(g.answer.value)}`;
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
  }
  const s = score(graded);
  lines.push(
    "",
    `Score: ${style.bold(`${s.right}/${s.total}`)} right${s.right === s.total ? "" : `, ${s.total - s.right} to look at again`}`,
  );
  return `${lines.join("\n")}\n`;
}

function jsonValue(v: AnswerValue): number | string | number[] {
  return v.kind === "count" ? jsonCount(v.value) : v.values;
}

/** The report of `cnncalc check` as a JSON value for scripts. */
export function checkJson(
  a: Analysis,
  graded: readonly Graded[],
  files: { spec: string; answers: string },
): Record<string, unknown> {
  const s = score(graded);
  return {
    spec: files.spec,
    name: a.name,
    answers: files.answers,
    score: { right: s.right, total: s.total },
    results: graded.map((g) => ({
      line: g.answer.line,
      layer: g.answer.layerText,
      quantity: g.answer.quantity,
      answer: jsonValue(g.answer.value),
      status: g.status,
      expected: g.expected === null ? null : jsonValue(g.expected),
      resolved:
        g.result === null
          ? null
          : { index: g.result.index, path: g.result.path, name: g.result.name },
      reason: g.reason,
      working: g.status === "right" ? [] : answerWorking(g),
    })),
  };
}
