import Table from "cli-table3";
import {
  GAINS,
  HEALTHY,
  type InitAnalysis,
  type InitLayer,
  type InitScheme,
  SCHEME_RULES,
} from "../core/init.js";
import type { LayerResult } from "../core/types.js";
import { grouped } from "./numbers.js";
import type { Style } from "./style.js";

/** Significant digits of the real numbers (variances, factors, products) in the report. */
export const REAL_DIGITS = 4;

/** A real number to 4 significant digits: `0.007813`, `4`, `1.234e-12`. */
export function real(x: number): string {
  if (x === 0) return "0";
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "−∞";
  const abs = Math.abs(x);
  if (abs >= 1e-4 && abs < 1e6) return String(Number(x.toPrecision(REAL_DIGITS)));
  const [m, e] = x.toExponential(REAL_DIGITS - 1).split("e") as [string, string];
  return `${String(Number(m))}e${Number(e)}`;
}

/** A number given by its log10, to 4 significant digits, however large or small. */
export function realFromLog10(log: number): string {
  if (log === Number.NEGATIVE_INFINITY) return "0";
  if (Math.abs(log) < 300) return real(10 ** log);
  let e = Math.floor(log);
  let m = Number((10 ** (log - e)).toPrecision(REAL_DIGITS));
  if (m >= 10) {
    m /= 10;
    e += 1;
  }
  return `${m}e${e}`;
}

/** `he`, `normal:0.01`: the scheme as the user writes it. */
export function schemeName(s: InitScheme): string {
  switch (s.kind) {
    case "normal":
      return `normal:${s.std}`;
    case "uniform":
      return `uniform:${s.limit}`;
    default:
      return s.kind;
  }
}

/** The columns of the initialization report. */
export const INIT_HEADERS = [
  "#",
  "Layer",
  "Fan-in",
  "Fan-out n",
  "Var[w]",
  "G",
  "G·n·Var[w]",
  "Product to output",
  "Flag",
] as const;

function where(r: LayerResult): string {
  return r.path === `layers[${r.index - 1}]` ? String(r.index) : r.path;
}

/** A fan: exact with separators when whole (it is, except means over connection tables). */
function fanText(x: number): string {
  return Number.isInteger(x) ? grouped(x) : real(x);
}

/** One row of cells per weighted layer. */
export function initCells(l: InitLayer): string[] {
  return [
    where(l.result),
    l.result.name,
    fanText(l.fanIn),
    fanText(l.fanOut),
    real(l.variance),
    `${real(l.gain)} (${l.activation})`,
    real(l.factor),
    realFromLog10(l.productLog10),
    l.flag ?? "",
  ];
}

/** The lines under the initialization table: the rule, the result at the input, precision, notes. */
export function initNotes(init: InitAnalysis): string[] {
  const first = init.layers[0];
  const lines = [
    `Initialization ${schemeName(init.scheme)}: ${SCHEME_RULES[init.scheme.kind]}.`,
    "Factor per layer: G × n × Var[w] (n = fan-out; G = mean squared slope of its activation: ½ for ReLU, 1 for linear or tanh near 0).",
    `Product to output: the factors from that layer to the output multiplied, the gradient variance at the layer's input relative to the output's; outside [${HEALTHY.low}, ${HEALTHY.high}] it is flagged vanishing or exploding.`,
  ];
  if (first) {
    const flag = first.flag ? ` (${first.flag})` : " (healthy)";
    lines.push(
      `At the input: Var[∂/∂x] ≈ ${realFromLog10(first.productLog10)} × Var[∂/∂z]${flag}.`,
    );
  }
  const used = [...new Set(init.layers.map((l) => l.activation))];
  if (used.length > 0) {
    lines.push(`G: ${used.map((a) => `${a} ${real(GAINS[a].G)} (${GAINS[a].why})`).join("; ")}.`);
  }
  lines.push(
    `Variances, factors and products are real numbers (float64), shown to ${REAL_DIGITS} significant digits; fans are exact.`,
  );
  for (const n of init.notes) lines.push(`assumption: ${n.message} [${n.code}]`);
  return lines;
}

/** The initialization report as a terminal table and its notes. */
export function renderInitTable(init: InitAnalysis, style: Style): string {
  const table = new Table({
    head: INIT_HEADERS.map((h) => style.bold(h)),
    colAligns: ["right", "left", "right", "right", "right", "right", "right", "right", "left"],
    style: { head: [], border: [], "padding-left": 1, "padding-right": 1 },
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
  });
  for (const l of init.layers) {
    const cells = initCells(l);
    if (l.flag) cells[8] = style.warn(l.flag);
    table.push(cells);
  }
  const notes = initNotes(init).map((n) => (n.startsWith("assumption:") ? style.dim(n) : n));
  return `${style.bold(`Initialization: ${schemeName(init.scheme)}`)}\n${table.toString()}\n${notes.join("\n")}\n`;
}

/** The initialization report as a Markdown table and list. */
export function renderInitMarkdown(init: InitAnalysis): string {
  const esc = (s: string) => s.replaceAll("|", "\\|");
  const lines = [
    `**Initialization: ${schemeName(init.scheme)}**`,
    "",
    `| ${INIT_HEADERS.join(" | ")} |`,
    `|${INIT_HEADERS.map((_, i) => (i === 1 || i === 8 ? " --- |" : " ---: |")).join("")}`,
    ...init.layers.map((l) => `| ${initCells(l).map(esc).join(" | ")} |`),
    "",
    ...initNotes(init).map((n) => `- ${esc(n)}`),
  ];
  return `${lines.join("\n")}\n`;
}

/** A weighted layer's figures for the JSON output (`init` per layer). */
export function initLayerJson(l: InitLayer): Record<string, unknown> {
  const product = 10 ** l.productLog10;
  return {
    fanIn: l.fanIn,
    fanOut: l.fanOut,
    variance: l.variance,
    activation: l.activation,
    gain: l.gain,
    factor: l.factor,
    product: Number.isFinite(product) ? product : null,
    productLog10: Number.isFinite(l.productLog10) ? l.productLog10 : null,
    flag: l.flag,
  };
}
