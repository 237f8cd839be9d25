import type { z } from "zod/mini";
import { CnnError, cnnError, type Diagnostic, errorOf, type Span } from "../core/errors.js";
import type { LayerType, NetworkSpec } from "../core/types.js";
import { type JsonOptions, type JsonSourceMap, locateJson, parseJson } from "./json.js";
import {
  ACTIVATION_WORDS,
  ALIAS_KEY_CONFLICTS,
  canonicalType,
  didYouMean,
  entryOf,
  FRAMEWORK_KEYS,
  fold,
  LAYER_TYPES,
  RANKED_TYPE_WORDS,
  TYPE_ALIASES,
  typeAdvice,
} from "./names.js";
import { layerSchema, networkSchema } from "./schema.js";

/** A parsed spec and a way back from a spec path to the text it came from. */
export interface ParsedSpec {
  spec: NetworkSpec;
  /** The span of the text at a spec path (`layers[2].kernel`), if the source has one. */
  locate(path: string): Span | undefined;
}

const PREVIEW = 60;

/** JSON-like text of a value, cut off once it passes `limit` characters (bounded depth and work). */
function preview(value: unknown, limit: number, depth = 0): string {
  if (limit <= 0) return "";
  if (value === null || typeof value !== "object") {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > limit ? text.slice(0, limit) : text;
  }
  const isArray = Array.isArray(value);
  if (depth >= 3) return isArray ? "[...]" : "{...}";
  const entries = isArray ? value : Object.keys(value);
  let out = isArray ? "[" : "{";
  for (let i = 0; i < entries.length && out.length <= limit; i++) {
    if (i > 0) out += ",";
    const item = isArray ? value[i] : (value as Record<string, unknown>)[entries[i] as string];
    if (!isArray) out += `${JSON.stringify(entries[i])}:`;
    out += preview(item, limit - out.length, depth + 1);
  }
  return out.length > limit ? out : `${out}${isArray ? "]" : "}"}`;
}

/** Renders a value for "received ..." in a message, short (never a stack overflow on deep values). */
export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = preview(value, PREVIEW + 1);
  return text.length > PREVIEW ? `${text.slice(0, PREVIEW - 3)}...` : text;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const k of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = Object.hasOwn(node, k) ? (node as Record<PropertyKey, unknown>)[k] : undefined;
  }
  return node;
}

function joinPath(base: string, path: readonly PropertyKey[]): string {
  let out = base;
  for (const k of path)
    out += typeof k === "number" ? `[${k}]` : out === "" ? String(k) : `.${String(k)}`;
  return out;
}

/**
 * A hint for unknown keys that are another spelling of a key the layer has (`Kernel`,
 * `output_padding`) or a framework's name for one (`out_features`, `kernel_size`), or one cnncalc
 * derives from the input (`in_features`); undefined when no key is either. `alias` is the type
 * as written when it was a framework's name (`Linear`), whose keys are the framework's too.
 */
function keyHint(
  keys: readonly string[],
  layer: unknown,
  allowed: readonly string[],
  alias?: { written: string; type: LayerType },
): string | undefined {
  const parts: string[] = [];
  for (const key of keys) {
    const f = fold(key);
    const mapped = allowed.find((a) => fold(a) === f) ?? entryOf(FRAMEWORK_KEYS, f);
    if (mapped === null) {
      parts.push(`leave out '${key}' (cnncalc takes it from the layer's input)`);
    } else if (mapped !== undefined && allowed.includes(mapped)) {
      parts.push(
        `write ${JSON.stringify(mapped)}: ${describe(valueAt(layer, [key]))} for '${key}'`,
      );
    }
  }
  if (parts.length === 0) return undefined;
  const read = alias ? `'${alias.written}' is read as ${alias.type}, whose keys differ: ` : "";
  return `${read}${parts.join("; ")}`;
}

/** Turns zod issues into one diagnostic that names the place, expectation and value. */
function issueDiagnostic(
  issues: readonly z.core.$ZodIssue[],
  raw: unknown,
  base: string,
  allowed: readonly string[],
  alias?: { written: string; type: LayerType },
): Diagnostic {
  // an unknown key usually explains a missing one (a typo), so it is reported first
  const issue = (issues.find((i) => i.code === "unrecognized_keys") ??
    issues[0]) as z.core.$ZodIssue;
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0] as string;
    const hint =
      keyHint(issue.keys, valueAt(raw, issue.path), allowed, alias) ?? didYouMean(key, allowed);
    return {
      code: "unknown-key",
      path: joinPath(base, [...issue.path, key]),
      message: `unknown key '${key}'; expected one of: ${allowed.join(", ")}`,
      ...(hint ? { hint } : {}),
    };
  }
  const value = valueAt(raw, issue.path);
  const path = joinPath(base, issue.path);
  if (value === undefined) {
    const last = issue.path[issue.path.length - 1];
    return { code: "missing-key", path, message: `missing '${String(last)}'; ${issue.message}` };
  }
  const d: Diagnostic = {
    code: "invalid-value",
    path,
    message: `${issue.message}; received ${describe(value)}`,
  };
  if (issue.code === "invalid_value" && typeof value === "string") {
    const hint = didYouMean(value, issue.values.map(String));
    if (hint) d.hint = hint;
  }
  return d;
}

function objectKeys(schema: z.ZodMiniType): string[] {
  return Object.keys((schema as unknown as { shape: Record<string, unknown> }).shape);
}

/**
 * Keys whose string values are words, read in any case as the text language reads them
 * (`"SAME"`, `"ReLU"`), and the canonical spelling of each; an unknown word is left as written
 * for the schema to refuse with the list of words it takes.
 */
const WORD_VALUES: Readonly<Record<string, (word: string) => string>> = {
  padding: (w) => w.toLowerCase(),
  activation: (w) => ACTIVATION_WORDS.get(fold(w)) ?? w,
  function: (w) => ACTIVATION_WORDS.get(fold(w)) ?? w,
};
const WORD_KEYS = Object.keys(WORD_VALUES);

/**
 * The layer object to validate: the one read, or (only when something changes) a copy with the
 * canonical type and word values in their canonical spelling.
 */
function canonicalLayer(layer: Record<string, unknown>, type: LayerType): Record<string, unknown> {
  let out = layer.type === type ? layer : { ...layer, type };
  for (const key of WORD_KEYS) {
    const v = layer[key];
    if (typeof v !== "string") continue;
    const word = (WORD_VALUES[key] as (w: string) => string)(v);
    if (word === v) continue;
    if (out === layer) out = { ...layer };
    out[key] = word;
  }
  return out;
}

/** Whether a layer object as read gives its shortcut before its body. */
function shortcutFirst(layer: object): boolean {
  const keys = Object.keys(layer);
  return keys.indexOf("shortcut") < keys.indexOf("body");
}

/**
 * Fails when a type name that names a dimensionality (`Conv1d`) disagrees with the spec's input:
 * the analysis takes the rank from the input, so a 1-D name on an image would silently be a 2-D
 * conv. Without an input in the spec (it comes from --input) there is nothing to check against.
 */
function checkRankedName(
  written: string,
  type: LayerType,
  input: readonly number[] | undefined,
  path: string,
): void {
  const rank = RANKED_TYPE_WORDS.get(fold(written));
  if (rank === undefined || input === undefined || input.length - 1 === rank) return;
  throw cnnError(
    "rank-mismatch",
    `'${written}' names a ${rank}-D layer, but the input is ${input.length - 1}-D (${input.join("×")}); expected "${type}" (the dimensionality comes from the input) or a ${rank}-D input`,
    { path },
  );
}

/** Fails on a key that the framework's class name written means otherwise than cnncalc. */
function checkAliasKeys(written: string, layer: Record<string, unknown>, path: string): void {
  const conflicts = entryOf(ALIAS_KEY_CONFLICTS, fold(written));
  if (conflicts === undefined) return;
  for (const key of Object.keys(layer)) {
    const expected = entryOf(conflicts, key);
    if (expected !== undefined) {
      throw cnnError(
        "invalid-value",
        `${expected}. Received: type=${written}, ${key}=${JSON.stringify(layer[key])}`,
        { path: `${path}.${key}` },
      );
    }
  }
}

/**
 * Checks a parsed JSON value against the spec schema, layer by layer with an explicit stack (any
 * nesting depth), normalising aliases (`fc` -> `dense`, `swish` -> `silu`).
 */
export function validateSpec(raw: unknown): NetworkSpec {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw cnnError(
      "invalid-spec",
      `expected a JSON object with "input" and "layers"; received ${describe(raw)}`,
      { path: "" },
    );
  }
  const top = networkSchema.safeParse(raw);
  if (!top.success) {
    throw errorOf(issueDiagnostic(top.error.issues, raw, "", objectKeys(networkSchema)));
  }
  const input = top.data.input;
  const spec: NetworkSpec = {
    layers: new Array(top.data.layers.length),
  };
  if (top.data.name !== undefined) spec.name = top.data.name;
  if (input !== undefined)
    spec.input = Array.isArray(input) ? input : [input.height, input.width, input.channels];
  // one frame per list of layers, not one task per layer, and the path text is made only when
  // needed (an error, or a block's children): a 100,000-layer list allocates neither per layer.
  // The frame on top is checked first: children are pushed last list first, so the first layer
  // with a problem is the first in the file (each layer, then its children, then the next layer;
  // within one layer object, zod's order).
  interface ListFrame {
    list: readonly unknown[];
    path: string;
    into: unknown[];
    next: number;
  }
  const frames: ListFrame[] = [
    { list: top.data.layers, path: "layers", into: spec.layers, next: 0 },
  ];
  const pathOf = (f: ListFrame, at: number) => `${f.path}[${at}]`;
  for (let f = frames[frames.length - 1]; f !== undefined; f = frames[frames.length - 1]) {
    if (f.next >= f.list.length) {
      frames.pop();
      continue;
    }
    const at = f.next++;
    const layer = f.list[at];
    if (layer === null || typeof layer !== "object" || Array.isArray(layer)) {
      throw cnnError(
        "invalid-layer",
        `expected a layer object such as {"type": "conv", ...}; received ${describe(layer)}`,
        { path: pathOf(f, at) },
      );
    }
    const typeName = (layer as Record<string, unknown>).type;
    if (typeof typeName !== "string") {
      throw cnnError(
        typeName === undefined ? "missing-type" : "invalid-value",
        `${typeName === undefined ? "missing 'type'; " : ""}expected a layer type: ${LAYER_TYPES.join(", ")}${typeName === undefined ? "" : `; received ${describe(typeName)}`}`,
        { path: typeName === undefined ? pathOf(f, at) : `${pathOf(f, at)}.type` },
      );
    }
    const type = canonicalType(typeName);
    if (type === undefined) {
      const advice = typeAdvice(typeName);
      const hint =
        advice?.json ?? didYouMean(typeName, [...LAYER_TYPES, ...Object.keys(TYPE_ALIASES)]);
      throw cnnError(
        "unknown-type",
        `${advice?.unsupported ? `'${typeName}' is not supported yet: ${advice.unsupported}` : `unknown layer type '${typeName}'`}; expected one of: ${LAYER_TYPES.join(", ")}`,
        { path: `${pathOf(f, at)}.type`, ...(hint ? { hint } : {}) },
      );
    }
    if (type !== typeName) {
      checkRankedName(typeName, type, spec.input, `${pathOf(f, at)}.type`);
      checkAliasKeys(typeName, layer as Record<string, unknown>, pathOf(f, at));
    }
    const schema: z.ZodMiniType = layerSchema(type);
    const parsed = schema.safeParse(canonicalLayer(layer as Record<string, unknown>, type));
    if (!parsed.success) {
      const alias = fold(typeName) === type ? undefined : { written: typeName, type };
      throw errorOf(
        issueDiagnostic(parsed.error.issues, layer, pathOf(f, at), objectKeys(schema), alias),
      );
    }
    const out = parsed.data as Record<string, unknown>;
    out.type = type;
    f.into[at] = out;
    // pushed in reverse of the file's order: a residual's body and shortcut come in either order
    const pushOrder =
      out.shortcut !== undefined && shortcutFirst(layer)
        ? (["body", "shortcut"] as const)
        : (["shortcut", "body"] as const);
    for (const key of pushOrder) {
      const list = out[key];
      if (Array.isArray(list)) {
        const children: unknown[] = new Array(list.length);
        out[key] = children;
        frames.push({ list, path: `${pathOf(f, at)}.${key}`, into: children, next: 0 });
      }
    }
    if (Array.isArray(out.branches)) {
      const path = pathOf(f, at);
      const branches = out.branches as unknown[][];
      const lists = branches.map((branch) => new Array<unknown>(branch.length));
      for (let b = branches.length - 1; b >= 0; b--) {
        const into = lists[b] as unknown[];
        frames.push({
          list: branches[b] as unknown[],
          path: `${path}.branches[${b}]`,
          into,
          next: 0,
        });
      }
      out.branches = lists;
    }
  }
  return spec;
}

/**
 * Parses and validates a JSON spec text; errors carry spans into the text. The text is read once
 * without recording spans (valid specs never need them) and read again with spans only when a
 * place has to be shown.
 */
export function parseJsonSpec(text: string, options: JsonOptions = {}): ParsedSpec {
  const { value } = parseJson(text, { ...options, spans: false });
  let mapped: { value: unknown; map: JsonSourceMap } | undefined;
  const locate = (path: string, preferKey = false) => {
    mapped ??= parseJson(text, { ...options, spans: true });
    return locateJson(mapped.value, mapped.map, path, preferKey);
  };
  try {
    return { spec: validateSpec(value), locate };
  } catch (e) {
    if (
      e instanceof CnnError &&
      e.diagnostic.path !== undefined &&
      e.diagnostic.span === undefined
    ) {
      e.diagnostic.span = locate(e.diagnostic.path, e.diagnostic.code === "unknown-key");
    }
    throw e;
  }
}

/** The source map type, for callers that keep it. */
export type { JsonSourceMap };
