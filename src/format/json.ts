import { type Dtype, inputBytes, memory } from "../core/memory.js";
import { shapeToArray } from "../core/shape.js";
import { resultLists } from "../core/traits.js";
import type { Analysis, LayerResult } from "../core/types.js";
import { FlatObject, jsonLines, jsonText, LazyList } from "./jsonText.js";
import { jsonCount } from "./numbers.js";

/** A JSON-ready layer entry; counts beyond 2^53 - 1 are decimal strings. */
export type JsonLayer = Record<string, unknown>;

/** Options of the JSON output. */
export interface JsonOptions {
  dtype: Dtype;
  /** Extra per-layer fields (e.g. `working`), keyed by result. */
  extra?: (r: LayerResult) => Record<string, unknown> | undefined;
}

function layerJson(r: LayerResult, o: JsonOptions): JsonLayer {
  const mem = memory(r, o.dtype);
  const entry: JsonLayer = {
    index: r.index,
    path: r.path,
    name: r.name,
    type: r.type,
    inputShape: shapeToArray(r.inputShape),
    outputShape: shapeToArray(r.outputShape),
    weightsPerNeuron: r.weightsPerNeuron === null ? null : jsonCount(r.weightsPerNeuron),
    neurons: jsonCount(r.neurons),
    connections: jsonCount(r.connections),
    parameters: jsonCount(r.trainableParameters + r.nonTrainableParameters),
    trainableParameters: jsonCount(r.trainableParameters),
    nonTrainableParameters: jsonCount(r.nonTrainableParameters),
    macs: jsonCount(r.macs),
    flops: jsonCount(2n * r.macs),
    receptiveField: r.receptiveField,
    activationBytes: jsonCount(mem.activationBytes),
    parameterBytes: jsonCount(mem.parameterBytes),
  };
  if (r.flattenedFrom) entry.flattenedFrom = shapeToArray(r.flattenedFrom);
  const extra = o.extra?.(r);
  if (extra) Object.assign(entry, extra);
  return entry;
}

/**
 * The analysis as a plain JSON value with the documented, stable keys. Children of blocks nest
 * under `layers` (per branch under `branches` for concat). Iterative over the tree.
 */
export function analysisJson(a: Analysis, o: JsonOptions): Record<string, unknown> {
  const build = (list: readonly LayerResult[]): JsonLayer[] => {
    const out: JsonLayer[] = [];
    // explicit stack of (result, target list) so deep nests do not recurse
    const stack: { r: LayerResult; into: JsonLayer[] }[] = [];
    for (let i = list.length - 1; i >= 0; i--) stack.push({ r: list[i] as LayerResult, into: out });
    const pending: { into: JsonLayer[]; entry: JsonLayer }[] = [];
    for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
      const entry = layerJson(item.r, o);
      pending.push({ into: item.into, entry });
      const push = (children: readonly LayerResult[], into: JsonLayer[]) => {
        for (let i = children.length - 1; i >= 0; i--)
          stack.push({ r: children[i] as LayerResult, into });
      };
      const nested = jsonChildren(item.r);
      if (nested.branches) {
        const branches = nested.branches.map(() => [] as JsonLayer[]);
        entry.branches = branches;
        nested.branches.forEach((b, i) => {
          push(b, branches[i] as JsonLayer[]);
        });
      }
      if (nested.layers) {
        const children: JsonLayer[] = [];
        entry.layers = children;
        push(nested.layers, children);
      }
    }
    // entries were created in pre-order; appending in that order keeps each list in spec order
    for (const { into, entry } of pending) into.push(entry);
    return out;
  };
  return networkJson(a, o, build(a.layers));
}

/** The top level of the JSON output around the given `layers` value. */
function networkJson(a: Analysis, o: JsonOptions, layers: unknown): Record<string, unknown> {
  const t = a.totals;
  const mem = memory(t, o.dtype);
  const inBytes = inputBytes(a.input, o.dtype);
  return {
    name: a.name,
    input: shapeToArray(a.input),
    outputShape: shapeToArray(a.output),
    layers,
    totals: {
      neurons: jsonCount(t.neurons),
      connections: jsonCount(t.connections),
      parameters: jsonCount(t.parameters),
      trainableParameters: jsonCount(t.trainableParameters),
      nonTrainableParameters: jsonCount(t.nonTrainableParameters),
      macs: jsonCount(t.macs),
      flops: jsonCount(2n * t.macs),
      inputBytes: jsonCount(inBytes),
      activationBytes: jsonCount(mem.activationBytes),
      parameterBytes: jsonCount(mem.parameterBytes),
      totalBytes: jsonCount(inBytes + mem.activationBytes + mem.parameterBytes),
    },
    dtype: o.dtype,
    ...notesJson(a),
  };
}

/** An analysis' warnings and assumptions as JSON, as every JSON output shows them. */
export function notesJson(a: Analysis): { warnings: unknown[]; assumptions: unknown[] } {
  return {
    // the documented keys only (a prose warning also carries its span, for the caret display)
    warnings: a.warnings.map((w) => ({ code: w.code, message: w.message, layer: w.layer })),
    assumptions: a.assumptions,
  };
}

/** Analyses up to this many layers (blocks' children included) get JSON.stringify's layout. */
export const PRETTY_MAX_LAYERS = 2000;
/** ... and up to this nesting depth (indentation grows with depth). */
export const PRETTY_MAX_DEPTH = 16;

function lazyEntries(list: readonly LayerResult[], o: JsonOptions): LazyList {
  return new LazyList(list.length, (i) => lazyEntry(list[i] as LayerResult, o));
}

/** A layer's entry with its children made only when written (same keys, same order). */
function lazyEntry(r: LayerResult, o: JsonOptions): JsonLayer | FlatObject {
  const entry = layerJson(r, o);
  // a plain layer's entry is flat and finite: its counts are integers and its receptive field is
  // exact or null; extra fields (--explain, --init) take the checked path
  if (!r.branches && !r.layers && !o.extra) return new FlatObject(entry);
  const nested = jsonChildren(r);
  if (nested.branches) entry.branches = nested.branches.map((b) => lazyEntries(b, o));
  if (nested.layers) entry.layers = lazyEntries(nested.layers, o);
  return entry;
}

/**
 * A block's children as the JSON output nests them: every child list but a concat's branches sits
 * under `layers` (a residual's body, then its shortcut, told apart by their paths), so a block's
 * counts are always the sum of its `layers` or of its branches.
 */
function jsonChildren(r: LayerResult): { layers?: LayerResult[]; branches?: LayerResult[][] } {
  const out: { layers?: LayerResult[]; branches?: LayerResult[][] } = {};
  const branches: LayerResult[][] = [];
  for (const list of resultLists(r)) {
    if (list.key === "branches") branches.push(list.results);
    else out.layers = out.layers === undefined ? list.results : [...out.layers, ...list.results];
  }
  if (branches.length > 0) out.branches = branches;
  return out;
}

/** Whether an analysis is small and shallow enough for the familiar pretty layout. */
function isSmall(a: Analysis): boolean {
  let count = 0;
  const stack: { list: readonly LayerResult[]; depth: number }[] = [{ list: a.layers, depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    count += item.list.length;
    if (count > PRETTY_MAX_LAYERS || item.depth > PRETTY_MAX_DEPTH) return false;
    for (const r of item.list) {
      for (const children of resultLists(r)) {
        stack.push({ list: children.results, depth: item.depth + 1 });
      }
    }
  }
  return true;
}

/**
 * The JSON output followed by `end`. Small analyses are JSON.stringify's layout of
 * analysisJson(), as one string; big or deep ones use jsonText's line-per-layer layout, as ~1 MB
 * strings, and their entries are made one at a time as they are written, so memory and time stay
 * linear (the same value either way).
 */
export function analysisJsonOutput(a: Analysis, o: JsonOptions, end = ""): string | string[] {
  if (isSmall(a)) return `${jsonText(analysisJson(a, o))}${end}`;
  return jsonLines(networkJson(a, o, lazyEntries(a.layers, o)), end);
}
