import type {
  Answer,
  AnswerProblem,
  AnswerQuantity,
  AnswerSheet,
  AnswerValue,
  LayerRef,
} from "../../core/check.js";
import { cnnError, type Span } from "../../core/errors.js";
import { type JsonSourceMap, parseJson } from "../json.js";
import { didYouMean } from "../names.js";
import { bad, isProblem, type Problem, parseLayerRef, parseValue, quantityOf } from "./values.js";

/* JSON answer files: a list of answers or an object of layers. */

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
function jsonValue(
  raw: unknown,
  span: Span,
  text: string,
): { value: AnswerValue; text: string } | Problem {
  if (typeof raw === "number") {
    if (!Number.isSafeInteger(raw) || raw < 0) {
      return bad(
        "invalid-number",
        Number.isInteger(raw) && raw > 0
          ? `the number ${text.slice(span.start, span.end)} is beyond the exact range of JSON numbers; expected it as a string, e.g. "${text.slice(span.start, span.end)}"`
          : `expected a whole number; received ${text.slice(span.start, span.end)}`,
        span,
      );
    }
    return { value: { kind: "count", value: BigInt(raw) }, text: String(raw) };
  }
  if (typeof raw === "string") {
    const value = parseValue(raw, span);
    return isProblem(value) ? value : { value, text: raw };
  }
  if (Array.isArray(raw) && raw.length > 0 && raw.every((v) => Number.isSafeInteger(v) && v > 0)) {
    return { value: { kind: "sizes", values: raw as number[] }, text: raw.join("×") };
  }
  return bad(
    "invalid-number",
    `expected a whole number, a string such as "1,644,800" or a list of sizes; received ${text.slice(span.start, span.end)}`,
    span,
  );
}

function jsonLayer(
  raw: unknown,
  span: Span,
  text: string,
): { ref: LayerRef; text: string } | Problem {
  if (typeof raw === "number" && Number.isSafeInteger(raw) && raw > 0) {
    return { ref: { kind: "index", indices: [raw] }, text: String(raw) };
  }
  if (typeof raw === "string" && raw.trim() !== "") {
    return { ref: parseLayerRef(raw), text: raw.trim() };
  }
  return bad(
    "invalid-layer",
    `expected a layer index (1, 2, ...) or name (conv1); received ${text.slice(span.start, span.end)}`,
    span,
  );
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** One entry of a JSON answer list, or the problem with it. */
function jsonListItem(
  item: unknown,
  span: Span,
  map: JsonSourceMap,
  text: string,
): Answer | Problem {
  if (!isObject(item)) {
    return bad(
      "invalid-answer",
      `expected an answer object such as {"layer": 1, "quantity": "neurons", "value": 6400}; received ${text.slice(span.start, span.end)}`,
      span,
    );
  }
  for (const key of Object.keys(item)) {
    if (!["layer", "quantity", "value"].includes(key)) {
      return bad(
        "unknown-key",
        `unknown key '${key}'; expected layer, quantity and value`,
        spanOfKey(map, item, key, "key"),
        didYouMean(key, ["layer", "quantity", "value"]),
      );
    }
  }
  for (const key of ["layer", "quantity", "value"]) {
    if (!(key in item)) {
      return bad("missing-key", `missing '${key}'; expected layer, quantity and value`, span);
    }
  }
  const qSpan = spanOfKey(map, item, "quantity", "value");
  const layer = jsonLayer(item.layer, spanOfKey(map, item, "layer", "value"), text);
  if (isProblem(layer)) return layer;
  if (typeof item.quantity !== "string") {
    return bad(
      "unknown-quantity",
      `expected the quantity as a string such as "neurons"; received ${text.slice(qSpan.start, qSpan.end)}`,
      qSpan,
    );
  }
  const v = jsonValue(item.value, spanOfKey(map, item, "value", "value"), text);
  if (isProblem(v)) return v;
  const quantity = quantityOf(item.quantity, qSpan);
  if (isProblem(quantity)) return quantity;
  return {
    line: lineOf(text, span.start),
    layerText: layer.text,
    layer: layer.ref,
    quantityText: item.quantity,
    quantity,
    valueText: v.text,
    value: v.value,
    span,
  };
}

/**
 * Reads the JSON form: a list of `{ "layer", "quantity", "value" }` (also under `"answers"`),
 * or an object from layer to `{ quantity: value }`. An entry that cannot be read is a problem of
 * the sheet; only a file that is not JSON, or not of either shape, throws.
 */
export function readAnswerJson(text: string): AnswerSheet {
  const { value: root, map } = parseJson(text);
  const answers: Answer[] = [];
  const problems: AnswerProblem[] = [];
  const add = (a: Answer | Problem) => {
    if (isProblem(a)) problems.push({ line: lineOf(text, a.span.start), ...a });
    else answers.push(a);
  };
  let list: unknown = root;
  if (isObject(root) && Array.isArray(root.answers) && Object.keys(root).length === 1) {
    list = root.answers;
  }
  if (Array.isArray(list)) {
    const spans = map.arrays.get(list) ?? [];
    list.forEach((item, i) => {
      add(jsonListItem(item, spans[i] ?? map.root, map, text));
    });
    return { answers, problems };
  }
  if (!isObject(root)) {
    throw cnnError(
      "invalid-answers",
      'expected a list of answers or an object from layer to answers, e.g. {"1": {"neurons": 6400}}',
      { span: map.root },
    );
  }
  for (const [layerKey, entries] of Object.entries(root)) {
    const keySpan = spanOfKey(map, root, layerKey, "key");
    const entriesSpan = spanOfKey(map, root, layerKey, "value");
    if (!isObject(entries)) {
      add(
        bad(
          "invalid-answers",
          `expected the answers for layer '${layerKey}' as an object such as {"neurons": 6400}; received ${text.slice(entriesSpan.start, entriesSpan.end)}`,
          entriesSpan,
        ),
      );
      continue;
    }
    const layer = jsonLayer(layerKey, keySpan, text);
    for (const [qKey, raw] of Object.entries(entries)) {
      const qSpan = spanOfKey(map, entries, qKey, "key");
      const vSpan = spanOfKey(map, entries, qKey, "value");
      const v = jsonValue(raw, vSpan, text);
      const quantity = quantityOf(qKey, qSpan);
      const bad = [layer, quantity, v].find(isProblem);
      if (bad) {
        add(bad);
        continue;
      }
      const l = layer as { ref: LayerRef; text: string };
      const got = v as { value: AnswerValue; text: string };
      add({
        line: lineOf(text, qSpan.start),
        layerText: l.text,
        layer: l.ref,
        quantityText: qKey,
        quantity: quantity as AnswerQuantity,
        valueText: got.text,
        value: got.value,
        span: { start: qSpan.start, end: vSpan.end },
      });
    }
  }
  return { answers, problems };
}
