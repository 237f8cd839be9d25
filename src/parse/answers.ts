import type { Answer, AnswerQuantity, AnswerValue, LayerRef } from "../core/check.js";
import { CnnError, type Span } from "../core/errors.js";
import { type JsonSourceMap, parseJson } from "./json.js";
import { didYouMean, entryOf, TYPE_ALIASES } from "./names.js";

/*
 * The answers file of `cnncalc check`: plain lines (`layer 1 neurons 6400`,
 * `conv2 connections 666,144`) or JSON. Problems are CnnErrors with a span, so the CLI shows
 * the line and a caret.
 */

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

function bad(code: string, message: string, span: Span, hint?: string): CnnError {
  return new CnnError(hint === undefined ? { code, message, span } : { code, message, span, hint });
}

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

/** The quantity named by some words, or an error pointing at them. */
export function quantityOf(text: string, span: Span): AnswerQuantity {
  const key = normalQuantity(text);
  const q = entryOf(QUANTITY_ALIASES, key) ?? entryOf(QUANTITY_ALIASES, key.replace(/ and /g, " "));
  if (q !== undefined) return q;
  const hint = didYouMean(key, Object.keys(QUANTITY_ALIASES));
  throw bad(
    key === "" ? "missing-quantity" : "unknown-quantity",
    key === ""
      ? "missing the quantity; expected one of: weights per neuron, width, height, size, output, neurons, connections, parameters"
      : `unknown quantity '${text.trim()}'; expected one of: weights per neuron, width, height, size, output, neurons, connections, parameters`,
    span,
    hint,
  );
}

const GROUPED = /^\d{1,3}(?:[,_' \u00a0\u2009\u202f]\d{3})+$/;
const SIZES = /^\d+(?:\s*[x×X*]\s*\d+)+$/;

/** Reads a count with optional thousands separators (`1,644,800`, `1 644 800`, `1_644_800`). */
export function parseValue(text: string, span: Span): AnswerValue {
  const t = text.trim();
  if (/^\d+$/.test(t) || GROUPED.test(t)) {
    return { kind: "count", value: BigInt(t.replace(/\D/g, "")) };
  }
  if (SIZES.test(t)) {
    return { kind: "sizes", values: t.split(/\s*[x×X*]\s*/).map(Number) };
  }
  throw bad(
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

const SPACE_GROUP = /^\d{3}$/;

/** Splits a line into words with their offsets. */
function words(line: string, base: number): { text: string; start: number; end: number }[] {
  const out: { text: string; start: number; end: number }[] = [];
  for (const m of line.matchAll(/\S+/g)) {
    const start = base + (m.index as number);
    out.push({ text: m[0], start, end: start + m[0].length });
  }
  return out;
}

/** Parses one non-empty answer line (comment already removed). */
function parseLine(line: string, lineStart: number, lineNo: number): Answer {
  const ws = words(line, lineStart);
  const last = ws[ws.length - 1] as { text: string; start: number; end: number };
  // the value: the last word, joined with the words before it when they are space-grouped
  // digits (`1 644 800`) or a size written with spaces (`20 x 20`)
  let first = ws.length - 1;
  const isSizes = (from: number) =>
    SIZES.test(
      ws
        .slice(from)
        .map((w) => w.text)
        .join(" "),
    );
  while (first > 0) {
    const prev = ws[first - 1] as { text: string };
    const cur = ws[first] as { text: string };
    if (/^\d{1,3}$/.test(prev.text) && SPACE_GROUP.test(cur.text) && first - 1 > 0) {
      first--;
      continue;
    }
    if (first - 1 > 0 && (isSizes(first - 1) || /^[x×X*]$/.test(prev.text))) {
      first--;
      continue;
    }
    break;
  }
  let valueWords = ws.slice(first);
  // `layer 1 width 20 400` style grouping must leave the layer and quantity words alone
  while (valueWords.length > 1 && !/\d/.test((valueWords[0] as { text: string }).text)) {
    valueWords = valueWords.slice(1);
    first++;
  }
  const valueSpan = { start: (ws[first] as { start: number }).start, end: last.end };
  const valueText = line.slice(valueSpan.start - lineStart, valueSpan.end - lineStart);
  if (!/\d/.test(valueText)) {
    throw bad(
      "missing-value",
      `expected a number at the end of the line, as in 'layer 1 neurons 6400'; received '${line.trim()}'`,
      { start: last.end, end: last.end + 1 },
    );
  }
  let head = ws.slice(0, first);
  if (head.length === 0) {
    throw bad(
      "missing-layer",
      `expected a layer and a quantity before the value, as in 'layer 1 neurons 6400'; received '${line.trim()}'`,
      valueSpan,
    );
  }
  // `layer 1`, `layer conv1`, `layer1`, `L1`, or just `1` / `conv1`
  let layerWord = head[0] as { text: string; start: number; end: number };
  let layerText = layerWord.text;
  const glued = /^(?:layer|l)[-_#]?(\d+(?:\.\d+)*)$/i.exec(layerText);
  if (/^layer$/i.test(layerText)) {
    if (head.length < 2) {
      throw bad("missing-layer", "expected a layer index or name after 'layer'", {
        start: layerWord.end,
        end: layerWord.end + 1,
      });
    }
    layerWord = head[1] as { text: string; start: number; end: number };
    layerText = layerWord.text;
    head = head.slice(2);
  } else {
    head = head.slice(1);
    if (glued) layerText = glued[1] as string;
  }
  layerText = layerText.replace(/[:,]$/, "").replace(/^#/, "");
  if (head.length === 0) {
    throw bad(
      "missing-quantity",
      "missing the quantity; expected one of: weights per neuron, width, height, size, output, neurons, connections, parameters",
      { start: layerWord.end, end: layerWord.end + 1 },
    );
  }
  const qSpan = {
    start: (head[0] as { start: number }).start,
    end: (head[head.length - 1] as { end: number }).end,
  };
  const quantityText = line.slice(qSpan.start - lineStart, qSpan.end - lineStart);
  return {
    line: lineNo,
    layerText,
    layer: parseLayerRef(layerText),
    quantityText: quantityText.replace(/\s*[:=]\s*$/, ""),
    quantity: quantityOf(quantityText, qSpan),
    valueText,
    value: parseValue(valueText, valueSpan),
    span: { start: layerWord.start, end: valueSpan.end },
  };
}

/** Parses the plain-line form: one answer per line; `#` and `//` start comments. */
export function parseAnswerLines(text: string): Answer[] {
  const answers: Answer[] = [];
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let lineNo = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    lineNo++;
    let line = text.slice(start, end).replace(/\r$/, "");
    const comment = /(?:^|\s)(?:#|\/\/)/.exec(line);
    if (comment) line = line.slice(0, comment.index);
    if (line.trim() !== "") answers.push(parseLine(line, start, lineNo));
    start = end + 1;
  }
  return answers;
}

/** 1-based line of an offset. */
function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

function spanOfKey(map: JsonSourceMap, obj: object, key: string, which: "key" | "value"): Span {
  const entry = map.objects.get(obj)?.get(key);
  return entry ? entry[which] : map.root;
}

/** A JSON value as an answer value: an integer, a string with separators, or a list of sizes. */
function jsonValue(raw: unknown, span: Span, text: string): { value: AnswerValue; text: string } {
  if (typeof raw === "number") {
    if (!Number.isSafeInteger(raw) || raw < 0) {
      throw bad(
        "invalid-number",
        Number.isInteger(raw) && raw > 0
          ? `the number ${text.slice(span.start, span.end)} is beyond the exact range of JSON numbers; expected it as a string, e.g. "${text.slice(span.start, span.end)}"`
          : `expected a whole number; received ${text.slice(span.start, span.end)}`,
        span,
      );
    }
    return { value: { kind: "count", value: BigInt(raw) }, text: String(raw) };
  }
  if (typeof raw === "string") return { value: parseValue(raw, span), text: raw };
  if (Array.isArray(raw) && raw.length > 0 && raw.every((v) => Number.isSafeInteger(v) && v > 0)) {
    return { value: { kind: "sizes", values: raw as number[] }, text: raw.join("×") };
  }
  throw bad(
    "invalid-number",
    `expected a whole number, a string such as "1,644,800" or a list of sizes; received ${text.slice(span.start, span.end)}`,
    span,
  );
}

function jsonLayer(raw: unknown, span: Span, text: string): { ref: LayerRef; text: string } {
  if (typeof raw === "number" && Number.isSafeInteger(raw) && raw > 0) {
    return { ref: { kind: "index", indices: [raw] }, text: String(raw) };
  }
  if (typeof raw === "string" && raw.trim() !== "") {
    return { ref: parseLayerRef(raw), text: raw.trim() };
  }
  throw bad(
    "invalid-layer",
    `expected a layer index (1, 2, ...) or name (conv1); received ${text.slice(span.start, span.end)}`,
    span,
  );
}

/**
 * Parses the JSON form: a list of `{ "layer", "quantity", "value" }` (also under `"answers"`),
 * or an object from layer to `{ quantity: value }`.
 */
export function parseAnswerJson(text: string): Answer[] {
  const { value: root, map } = parseJson(text);
  const answers: Answer[] = [];
  const isObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === "object" && !Array.isArray(v);
  let list: unknown = root;
  if (isObject(root) && Array.isArray(root.answers) && Object.keys(root).length === 1) {
    list = root.answers;
  }
  if (Array.isArray(list)) {
    const spans = map.arrays.get(list) ?? [];
    list.forEach((item, i) => {
      const span = spans[i] ?? map.root;
      if (!isObject(item)) {
        throw bad(
          "invalid-answer",
          `expected an answer object such as {"layer": 1, "quantity": "neurons", "value": 6400}; received ${text.slice(span.start, span.end)}`,
          span,
        );
      }
      for (const key of Object.keys(item)) {
        if (!["layer", "quantity", "value"].includes(key)) {
          throw bad(
            "unknown-key",
            `unknown key '${key}'; expected layer, quantity and value`,
            spanOfKey(map, item, key, "key"),
            didYouMean(key, ["layer", "quantity", "value"]),
          );
        }
      }
      for (const key of ["layer", "quantity", "value"]) {
        if (!(key in item)) {
          throw bad("missing-key", `missing '${key}'; expected layer, quantity and value`, span);
        }
      }
      const layerSpan = spanOfKey(map, item, "layer", "value");
      const qSpan = spanOfKey(map, item, "quantity", "value");
      const vSpan = spanOfKey(map, item, "value", "value");
      const layer = jsonLayer(item.layer, layerSpan, text);
      if (typeof item.quantity !== "string") {
        throw bad(
          "unknown-quantity",
          `expected the quantity as a string such as "neurons"; received ${text.slice(qSpan.start, qSpan.end)}`,
          qSpan,
        );
      }
      const v = jsonValue(item.value, vSpan, text);
      answers.push({
        line: lineOf(text, span.start),
        layerText: layer.text,
        layer: layer.ref,
        quantityText: item.quantity,
        quantity: quantityOf(item.quantity, qSpan),
        valueText: v.text,
        value: v.value,
        span,
      });
    });
    return answers;
  }
  if (!isObject(root)) {
    throw bad(
      "invalid-answers",
      'expected a list of answers or an object from layer to answers, e.g. {"1": {"neurons": 6400}}',
      map.root,
    );
  }
  for (const [layerKey, entries] of Object.entries(root)) {
    const keySpan = spanOfKey(map, root, layerKey, "key");
    const entriesSpan = spanOfKey(map, root, layerKey, "value");
    if (!isObject(entries)) {
      throw bad(
        "invalid-answers",
        `expected the answers for layer '${layerKey}' as an object such as {"neurons": 6400}; received ${text.slice(entriesSpan.start, entriesSpan.end)}`,
        entriesSpan,
      );
    }
    const layer = jsonLayer(layerKey, keySpan, text);
    for (const [qKey, raw] of Object.entries(entries)) {
      const qSpan = spanOfKey(map, entries, qKey, "key");
      const vSpan = spanOfKey(map, entries, qKey, "value");
      const v = jsonValue(raw, vSpan, text);
      answers.push({
        line: lineOf(text, qSpan.start),
        layerText: layer.text,
        layer: layer.ref,
        quantityText: qKey,
        quantity: quantityOf(qKey, qSpan),
        valueText: v.text,
        value: v.value,
        span: { start: qSpan.start, end: vSpan.end },
      });
    }
  }
  return answers;
}

/** Parses an answers file, JSON when it starts with `{` or `[`, plain lines otherwise. */
export function parseAnswers(text: string): Answer[] {
  const body = text.replace(/^\uFEFF/, "").trimStart();
  const answers =
    body.startsWith("{") || body.startsWith("[") ? parseAnswerJson(text) : parseAnswerLines(text);
  if (answers.length === 0) {
    throw new CnnError({
      code: "no-answers",
      message:
        "the answers file has no answers; expected lines such as 'layer 1 neurons 6400' or JSON",
    });
  }
  return answers;
}
