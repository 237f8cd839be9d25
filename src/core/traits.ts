import { MERGES_TRAITS, NORMS_TRAITS } from "./layers/norms.js";
import { SPATIAL_TRAITS } from "./layers/spatial.js";
import { LEAF_TRAITS } from "./leaf-traits.js";
import type { LayerResult, LayerSpec, LayerType } from "./types.js";

/*
 * The core's table of layer types: what kind of thing each type is. A mapped type over
 * LayerType, so a new member of the LayerSpec union does not compile until it has its entry;
 * every list of types (LAYER_TYPES, block sets, weighted sets) is derived from it.
 */

/** One nested list of layers in a block spec, named as the spec names it. */
export interface ChildList {
  /** The spec key: `body`, `shortcut` or `branches` (then `index` is the branch). */
  key: "body" | "shortcut" | "branches";
  index?: number;
  layers: readonly LayerSpec[];
}

/** What one layer type is, beyond its arithmetic (which is its LayerKind). */
export interface LayerTraits<S extends LayerSpec = LayerSpec> {
  /** A block's nested lists of layers, in spec order; null for a leaf layer. */
  children: ((spec: S) => readonly ChildList[]) | null;
  /** How many times a block's body is analysed (repeat, denseblock); 1 otherwise. */
  times?: (spec: S) => number;
  /** Its neurons have incoming weights (a null weights-per-neuron then means "it varies"). */
  weighted: boolean;
  /** Its weights are drawn by an initialization scheme (fan-in and fan-out are defined). */
  initialized: boolean;
  /** A pooling layer (init takes it as factor 1). */
  pooling: boolean;
  /**
   * It rescales values in place, by statistics or learned scales (the norms, layer scale, PReLU's
   * slopes): init takes it as factor 1 and says so.
   */
  rescales: boolean;
  /** A block whose paths run in parallel (init's chain-only note). */
  parallel: boolean;
  /** Its result carries a resolved sliding window. */
  windowed: boolean;
  /**
   * The family `check` names it by in headings such as "second convolutional layer"; null for
   * types no heading names by family (blocks, flatten, activation, ...).
   */
  family: "conv" | "dense" | "pool" | null;
}

const leaf = LEAF_TRAITS;
const weightedWindow = {
  ...leaf,
  weighted: true,
  initialized: true,
  windowed: true,
  family: "conv",
} as const;
const pooling = { ...leaf, pooling: true, windowed: true, family: "pool" } as const;
const body = (spec: { body: readonly LayerSpec[] }): readonly ChildList[] => [
  { key: "body", layers: spec.body },
];

/** Every layer type's traits; the order is the order types are listed in messages. */
export const TRAITS: { readonly [T in LayerType]: LayerTraits<Extract<LayerSpec, { type: T }>> } = {
  conv: weightedWindow,
  convtranspose: weightedWindow,
  maxpool: pooling,
  avgpool: pooling,
  subsample: { ...pooling, weighted: true },
  globalavgpool: { ...leaf, pooling: true, family: "pool" },
  globalmaxpool: { ...leaf, pooling: true, family: "pool" },
  ...SPATIAL_TRAITS,
  dense: { ...leaf, weighted: true, initialized: true, family: "dense" },
  flatten: leaf,
  activation: leaf,
  dropout: leaf,
  batchnorm: { ...leaf, rescales: true },
  lrn: { ...leaf, rescales: true },
  ...NORMS_TRAITS,
  residual: {
    ...leaf,
    parallel: true,
    children: (spec) =>
      spec.shortcut === undefined
        ? body(spec)
        : [...body(spec), { key: "shortcut", layers: spec.shortcut }],
  },
  concat: {
    ...leaf,
    parallel: true,
    children: (spec) => spec.branches.map((layers, index) => ({ key: "branches", index, layers })),
  },
  ...MERGES_TRAITS,
  denseblock: { ...leaf, parallel: true, children: body, times: (spec) => spec.repeat },
  repeat: { ...leaf, children: body, times: (spec) => spec.times },
};

/** Every layer type name, canonical spelling, in the table's order. */
export const LAYER_TYPES: readonly LayerType[] = Object.keys(TRAITS) as LayerType[];

/** The traits of a type (TypeScript cannot pair a type with its entry through the union). */
export function traitsOf(type: LayerType): LayerTraits {
  return TRAITS[type] as LayerTraits;
}

/** The types whose traits satisfy a test, as a set. */
export function typesWhere(test: (t: LayerTraits) => boolean): ReadonlySet<LayerType> {
  return new Set(LAYER_TYPES.filter((t) => test(traitsOf(t))));
}

/** Block types: layers with nested lists of layers, whose results hold child results. */
export const BLOCK_TYPES: ReadonlySet<LayerType> = typesWhere((t) => t.children !== null);

/** The nested lists of layers of a spec, in spec order (none for a leaf layer). */
export function specChildren(spec: LayerSpec): readonly ChildList[] {
  return traitsOf(spec.type).children?.(spec) ?? [];
}

/** How many times a block's body is analysed (1 for everything but repeat and denseblock). */
export function repetitions(spec: LayerSpec): number {
  return traitsOf(spec.type).times?.(spec) ?? 1;
}

/** One nested list of results in a block result. */
export interface ResultList {
  /** `layers` (a body, expanded), `shortcut`, or `branches` (then `index` is the branch). */
  key: "layers" | "shortcut" | "branches";
  index?: number;
  results: LayerResult[];
}

/**
 * The nested result lists of a block result, in index order (`3.1`, `3.2`, ...): body, shortcut
 * (when it has layers), then each branch. The one walker over a result's children.
 */
export function resultLists(r: LayerResult): ResultList[] {
  const out: ResultList[] = [];
  if (r.layers !== undefined) out.push({ key: "layers", results: r.layers });
  if (r.shortcut !== undefined && r.shortcut.length > 0) {
    out.push({ key: "shortcut", results: r.shortcut });
  }
  if (r.branches !== undefined) {
    for (const [index, results] of r.branches.entries()) {
      out.push({ key: "branches", index, results });
    }
  }
  return out;
}

/** A block result's children in index order, all lists joined. */
export function resultChildren(r: LayerResult): LayerResult[] {
  return resultLists(r).flatMap((l) => l.results);
}
