import type { Span } from "../core/errors.js";
import { pathSegments } from "./json.js";

/**
 * Where each part of a raw (not yet validated) spec came from in a text source: a span per
 * object or list, and per key or index of a primitive value. Keyed by the raw objects, so a
 * lookup walks the path and never builds path strings while reading (any nesting depth).
 */
export interface SpanTable {
  /** False for a table that records nothing (a first reading; see NO_SPANS). */
  record: boolean;
  self: WeakMap<object, Span>;
  keys: WeakMap<object, Map<string | number, Span>>;
}

/** An empty table. */
export function spanTable(): SpanTable {
  return { record: true, self: new WeakMap(), keys: new WeakMap() };
}

/**
 * A table that records nothing. A reader that can read its text again fills no table on its
 * first reading (a valid spec never needs one, and keeping a span per value of a 100,000-layer
 * text costs more than reading it) and reads again with a real table to point at a problem.
 */
export const NO_SPANS: SpanTable = { record: false, self: new WeakMap(), keys: new WeakMap() };

/** Records the span of an object or list. */
export function setSpan(table: SpanTable, obj: object, span: Span): void {
  if (table.record) table.self.set(obj, span);
}

/** Records the span of `obj[key]` (a primitive, or a fallback for an object). */
export function setKeySpan(table: SpanTable, obj: object, key: string | number, span: Span): void {
  if (!table.record) return;
  let m = table.keys.get(obj);
  if (!m) {
    m = new Map();
    table.keys.set(obj, m);
  }
  m.set(key, span);
}

/** The span of the deepest part of a spec path (`layers[1].kernel`) that the source has. */
export function locateRaw(root: object, table: SpanTable, path: string): Span | undefined {
  let node: unknown = root;
  let span: Span | undefined;
  for (const seg of pathSegments(path)) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, seg)) break;
    const child = (node as Record<string | number, unknown>)[seg];
    if (child === undefined) break;
    const s =
      (child !== null && typeof child === "object" ? table.self.get(child) : undefined) ??
      table.keys.get(node)?.get(seg);
    if (s) span = s;
    node = child;
  }
  return span;
}
