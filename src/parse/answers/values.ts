import type { AnswerProblem, AnswerQuantity, AnswerValue, LayerRef } from "../../core/check.js";
import type { ErrorCode, Span } from "../../core/errors.js";
import { didYouMean, entryOf, TYPE_ALIASES } from "../names.js";

/* Quantities, values and layer references: the words of one answer. */

/** Every spelling of a quantity an answer may use (lower case, words separated by one space). */
export const QUANTITY_ALIASES: Readonly<Record<string, AnswerQuantity>> = {
  a: "weightsPerNeuron",
  weights: "weightsPerNeuron",
  weight: "weightsPerNeuron",
  "weights per neuron": "weightsPerNeuron",
  "weight per neuron": "weightsPerNeuron",
  "weights per filter": "weightsPerNeuron",
  "weight per filter": "weightsPerNeuron",
  "weights per unit": "weightsPerNeuron",
  "weights per kernel": "weightsPerNeuron",
  weightsperneuron: "weightsPerNeuron",
  width: "width",
  "output width": "width",
  height: "height",
  "output height": "height",
  depth: "depth",
  "output depth": "depth",
  length: "length",
  "output length": "length",
  b: "size",
  size: "size",
  "output size": "size",
  "width and height": "size",
  "height and width": "size",
  "width height": "size",
  "height width": "size",
  output: "output",
  shape: "output",
  "output shape": "output",
  c: "neurons",
  neurons: "neurons",
  "neurons in layer": "neurons",
  "neurons in this layer": "neurons",
  units: "neurons",
  d: "connections",
  connections: "connections",
  "connections into the neurons": "connections",
  edges: "connections",
  e: "parameters",
  parameters: "parameters",
  params: "parameters",
  "independent parameters": "parameters",
};

/** A problem found while reading, before it is tied to its line. */
export type Problem = Omit<AnswerProblem, "line">;

/** A problem at a span, with an optional hint. */
export function bad(code: ErrorCode, message: string, span: Span, hint?: string): Problem {
  return hint === undefined ? { code, message, span } : { code, message, span, hint };
}

/** Whether a reader returned a problem instead of a value. */
export function isProblem<T>(x: T | Problem): x is Problem {
  return typeof x === "object" && x !== null && "message" in x && "span" in x;
}

/** The quantities, as messages list them. */
export const QUANTITY_LIST =
  "weights per neuron, width, height, size, output, neurons, connections, parameters";

/** Normalises quantity words: lower case, no brackets or trailing `:`/`=`, single spaces. */
function normalQuantity(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[()[\]:=]/g, " ")
      .replace(/[-_/&,]+/g, " ")
      .replace(/\band\b/g, " and ")
      .replace(/\s+/g, " ")
      .trim()
      // the tutorial's own wording: "weight per filter (including bias)", "neurons in this layer"
      .replace(/ (?:including|incl|with) bias$/, "")
      .replace(/ (?:of|in|into) (?:the |this )?layer$/, "")
      .replace(/^(?:the )?number of /, "")
  );
}

/** The quantity of some normalised words, trying them without `and` too. */
function quantityOfKey(key: string): AnswerQuantity | undefined {
  return entryOf(QUANTITY_ALIASES, key) ?? entryOf(QUANTITY_ALIASES, key.replace(/ and /g, " "));
}

/**
 * The quantity named by some words, or a problem pointing at them. A tutorial label before the
 * words (`(c) neurons`, `a. weights per filter`) is dropped: the words say more than the label.
 */
export function quantityOf(text: string, span: Span): AnswerQuantity | Problem {
  const key = normalQuantity(text);
  const labelled = /^[a-e]\.? (.+)$/.exec(key);
  const q =
    (labelled ? quantityOfKey(normalQuantity(labelled[1] as string)) : undefined) ??
    quantityOfKey(key);
  if (q !== undefined) return q;
  const hint = didYouMean(labelled ? (labelled[1] as string) : key, Object.keys(QUANTITY_ALIASES));
  return bad(
    key === "" ? "missing-quantity" : "unknown-quantity",
    key === ""
      ? `missing the quantity; expected one of: ${QUANTITY_LIST}`
      : `unknown quantity '${text.trim()}'; expected one of: ${QUANTITY_LIST}`,
    span,
    hint,
  );
}

const GROUPED = /^\d{1,3}(?:[,_' \u00a0\u2009\u202f]\d{3})+$/;
/** Sizes such as `20x20x16`. */
export const SIZES = /^\d+(?:\s*[x×X*]\s*\d+)+$/;

/** Reads a count with optional thousands separators (`1,644,800`, `1 644 800`, `1_644_800`). */
export function parseValue(text: string, span: Span): AnswerValue | Problem {
  const t = text.trim();
  if (/^\d+$/.test(t) || GROUPED.test(t)) {
    return { kind: "count", value: BigInt(t.replace(/\D/g, "")) };
  }
  if (SIZES.test(t)) {
    return { kind: "sizes", values: t.split(/\s*[x×X*]\s*/).map(Number) };
  }
  return bad(
    "invalid-number",
    `expected a whole number (digits, optionally grouped in threes by commas, spaces or underscores, e.g. 1,644,800) or sizes such as 20x20x16; received '${t}'`,
    span,
  );
}

/** Reads a layer reference: `1`, `3.1`, `conv2`, `fc1` (also tried as `dense1`), `layers[2]`. */
export function parseLayerRef(text: string): LayerRef {
  const t = text.trim();
  if (/^\d+(?:\.\d+)*$/.test(t)) return { kind: "index", indices: t.split(".").map(Number) };
  if (/^layers\[/.test(t)) return { kind: "path", path: t };
  const names = [t];
  const m = /^([a-z]+)(\d+)$/i.exec(t);
  const alias = m ? entryOf(TYPE_ALIASES, (m[1] as string).toLowerCase()) : undefined;
  if (m && alias) names.push(`${alias}${m[2]}`);
  return { kind: "name", names };
}
