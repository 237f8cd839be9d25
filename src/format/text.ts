import { type ChildList, specChildren } from "../core/traits.js";
import type { LayerSpec, NetworkSpec } from "../core/types.js";
import {
  ACTIVATION_WORDS,
  KEY_KINDS,
  optionKeys,
  POSITIONALS,
  PRINTED_KEY,
  TYPE_WORDS,
} from "../parse/textlang.js";

/** A number as the text language reads it back to the same value (`-0` included). */
function numberText(n: number): string {
  return Object.is(n, -0) ? "-0" : String(n);
}

/** A value: `8`, `8x8` (a list of two or more numbers), `[8]`, a word or a quoted string. */
function valueText(v: unknown): string {
  if (typeof v === "number") return numberText(v);
  if (typeof v === "string") return /^[a-z][a-z0-9]*$/i.test(v) ? v : JSON.stringify(v);
  if (Array.isArray(v)) {
    if (v.length >= 2 && v.every((x) => typeof x === "number")) return v.map(numberText).join("x");
    return JSON.stringify(v);
  }
  return String(v);
}

/** A value of a `list` option: `[0, 58]`, never `0x58`. */
function listText(v: unknown): string {
  return Array.isArray(v) ? `[${v.map(valueText).join(", ")}]` : valueText(v);
}

/** The words of a layer's own line (without braces): type, positionals, options. */
export function layerHead(layer: LayerSpec): string {
  const fields = layer as unknown as Record<string, unknown>;
  if (
    layer.type === "activation" &&
    layer.function !== "linear" &&
    !TYPE_WORDS.has(layer.function)
  ) {
    return layer.name === undefined
      ? layer.function
      : `${layer.function} name ${JSON.stringify(layer.name)}`;
  }
  const words: string[] = [layer.type];
  const positional = new Set<string>();
  for (const k of POSITIONALS[layer.type]) {
    if (fields[k] === undefined) break;
    words.push(KEY_KINDS[k] === "list" ? listText(fields[k]) : valueText(fields[k]));
    positional.add(k);
  }
  for (const k of optionKeys(layer.type)) {
    const v = fields[k];
    if (v === undefined || positional.has(k)) continue;
    const key = PRINTED_KEY[k] ?? k;
    if (k === "name") words.push(`name ${JSON.stringify(v)}`);
    else if (k === "bias") words.push(v === false ? "nobias" : "bias");
    else if (KEY_KINDS[k] === "bool") words.push(v === true ? key : `${key} false`);
    else if (k === "activation" && ACTIVATION_WORDS.has(String(v))) words.push(String(v));
    else if (KEY_KINDS[k] === "list") words.push(`${key} ${listText(v)}`);
    else words.push(`${key} ${valueText(v)}`);
  }
  return words.join(" ");
}

/** Indentation stops growing past this depth, so deep nesting prints in linear size. */
const MAX_INDENT = 32;

function indent(depth: number): string {
  return "  ".repeat(Math.min(depth, MAX_INDENT));
}

type Work = { line: string; depth: number } | { layer: LayerSpec; depth: number };

/**
 * A spec in the compact layer language, one layer per line, blocks indented in braces. Reading
 * the result back gives the same spec. Iterative, so any nesting depth prints.
 */
export function specToText(spec: NetworkSpec): string {
  const out: string[] = [];
  if (spec.name !== undefined) out.push(`name ${JSON.stringify(spec.name)}`);
  if (spec.input !== undefined) {
    out.push(
      `input ${spec.input.length === 1 ? numberText(spec.input[0] as number) : spec.input.map(numberText).join("x")}`,
    );
  }
  const stack: Work[] = [];
  const pushLayers = (layers: readonly LayerSpec[], depth: number) => {
    for (let i = layers.length - 1; i >= 0; i--)
      stack.push({ layer: layers[i] as LayerSpec, depth });
  };
  pushLayers(spec.layers, 0);
  for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
    if ("line" in w) {
      out.push(`${indent(w.depth)}${w.line}`);
      continue;
    }
    const { layer, depth } = w;
    const pad = indent(depth);
    const head = layerHead(layer);
    const lists = specChildren(layer);
    if (lists.length === 0) {
      out.push(`${pad}${head}`);
      continue;
    }
    out.push(`${pad}${head} {`);
    stack.push({ line: "}", depth });
    // pushed in reverse: `} shortcut {` between a body and its shortcut, `branch { }` around each branch
    for (let l = lists.length - 1; l >= 0; l--) {
      const list = lists[l] as ChildList;
      if (list.key === "branches") {
        stack.push({ line: "}", depth: depth + 1 });
        pushLayers(list.layers, depth + 2);
        stack.push({ line: "branch {", depth: depth + 1 });
      } else {
        pushLayers(list.layers, depth + 1);
        if (list.key === "shortcut") stack.push({ line: "} shortcut {", depth });
      }
    }
  }
  return `${out.join("\n")}\n`;
}
