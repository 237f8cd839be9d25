import type { z } from "zod/mini";
import { CnnError, type Diagnostic, type Span } from "../core/errors.js";
import type { NetworkSpec } from "../core/types.js";
import { type JsonOptions, type JsonSourceMap, locateJson, parseJson } from "./json.js";
import { canonicalType, didYouMean, LAYER_TYPES, TYPE_ALIASES } from "./names.js";
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

/** Turns zod issues into one diagnostic that names the place, expectation and value. */
function issueDiagnostic(
  issues: readonly z.core.$ZodIssue[],
  raw: unknown,
  base: string,
  allowed: readonly string[],
): Diagnostic {
  // an unknown key usually explains a missing one (a typo), so it is reported first
  const issue = (issues.find((i) => i.code === "unrecognized_keys") ??
    issues[0]) as z.core.$ZodIssue;
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0] as string;
    const hint = didYouMean(key, allowed);
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

/** Whether a layer object as read gives its shortcut before its body. */
function shortcutFirst(layer: object): boolean {
  const keys = Object.keys(layer);
  return keys.indexOf("shortcut") < keys.indexOf("body");
}

/**
 * Checks a parsed JSON value against the spec schema, layer by layer with an explicit stack (any
 * nesting depth), normalising aliases (`fc` -> `dense`, `swish` -> `silu`).
 */
export function validateSpec(raw: unknown): NetworkSpec {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new CnnError({
      code: "invalid-spec",
      path: "",
      message: `expected a JSON object with "input" and "layers"; received ${describe(raw)}`,
    });
  }
  const top = networkSchema.safeParse(raw);
  if (!top.success) {
    throw new CnnError(issueDiagnostic(top.error.issues, raw, "", objectKeys(networkSchema)));
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
      throw new CnnError({
        code: "invalid-layer",
        path: pathOf(f, at),
        message: `expected a layer object such as {"type": "conv", ...}; received ${describe(layer)}`,
      });
    }
    const typeName = (layer as Record<string, unknown>).type;
    if (typeof typeName !== "string") {
      throw new CnnError({
        code: typeName === undefined ? "missing-type" : "invalid-value",
        path: typeName === undefined ? pathOf(f, at) : `${pathOf(f, at)}.type`,
        message: `${typeName === undefined ? "missing 'type'; " : ""}expected a layer type: ${LAYER_TYPES.join(", ")}${typeName === undefined ? "" : `; received ${describe(typeName)}`}`,
      });
    }
    const type = canonicalType(typeName);
    if (type === undefined) {
      const hint = didYouMean(typeName, [...LAYER_TYPES, ...Object.keys(TYPE_ALIASES)]);
      throw new CnnError({
        code: "unknown-type",
        path: `${pathOf(f, at)}.type`,
        message: `unknown layer type '${typeName}'; expected one of: ${LAYER_TYPES.join(", ")}`,
        ...(hint ? { hint } : {}),
      });
    }
    const schema: z.ZodMiniType = layerSchema(type);
    const parsed = schema.safeParse(type === typeName ? layer : { ...layer, type });
    if (!parsed.success) {
      throw new CnnError(
        issueDiagnostic(parsed.error.issues, layer, pathOf(f, at), objectKeys(schema)),
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
