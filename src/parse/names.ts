import { LAYER_TYPES } from "../core/traits.js";
import {
  ACTIVATION_ALIASES,
  ACTIVATIONS,
  type ActivationName,
  type LayerType,
} from "../core/types.js";
import { NORMS_ALIASES, NORMS_FRAMEWORK_KEYS } from "./syntax/norms.js";
import {
  SPATIAL_ALIASES,
  SPATIAL_KEY_CONFLICTS,
  SPATIAL_KEYS,
  SPATIAL_RANKED_WORDS,
} from "./syntax/spatial.js";

/** Every layer type name, canonical spelling (derived from the core's table of types). */
export { LAYER_TYPES };

/** Folds a name for lookup: case-insensitive, `_` and `-` ignored (`Max_Pool` = `maxpool`). */
export function fold(word: string): string {
  return word.toLowerCase().replace(/[_-]/g, "");
}

/**
 * Other names people use for layer types, folded (frameworks' class names, tutorials' words):
 * the one table JSON and the text language both read, so `Conv2d` means the same in each.
 */
export const TYPE_ALIASES: Readonly<Record<string, LayerType>> = {
  fc: "dense",
  linear: "dense",
  bn: "batchnorm",
  batchnormalization: "batchnorm",
  batchnorm2d: "batchnorm",
  deconv: "convtranspose",
  convtranspose2d: "convtranspose",
  conv2dtranspose: "convtranspose",
  transposedconv: "convtranspose",
  upconv: "convtranspose",
  gap: "globalavgpool",
  globalaveragepool: "globalavgpool",
  globalaveragepooling: "globalavgpool",
  globalaveragepooling2d: "globalavgpool",
  gmp: "globalmaxpool",
  globalmaxpooling: "globalmaxpool",
  globalmaxpooling2d: "globalmaxpool",
  ...SPATIAL_ALIASES,
  conv2d: "conv",
  convolution: "conv",
  conv1d: "conv",
  conv3d: "conv",
  maxpool2d: "maxpool",
  maxpooling: "maxpool",
  maxpooling2d: "maxpool",
  avgpool2d: "avgpool",
  averagepool: "avgpool",
  averagepooling: "avgpool",
  averagepooling2d: "avgpool",
  meanpool: "avgpool",
  act: "activation",
  res: "residual",
  localresponsenorm: "lrn",
  ...NORMS_ALIASES,
};

/**
 * Type spellings that name a dimensionality (`conv1d`): the analysis takes the rank from the
 * input, so the readers check the name against the declared input instead of ignoring it.
 */
export const RANKED_TYPE_WORDS: ReadonlyMap<string, number> = new Map([
  ["conv1d", 1],
  ["conv2d", 2],
  ["conv3d", 3],
  ["convtranspose2d", 2],
  ["conv2dtranspose", 2],
  ["maxpool2d", 2],
  ["maxpooling2d", 2],
  ["avgpool2d", 2],
  ["averagepooling2d", 2],
  ...SPATIAL_RANKED_WORDS,
]);

/**
 * A table's own entry for a key read from the input, or undefined: a plain object also answers
 * "constructor" or "toString" (from its prototype), which no table of names means.
 */
export function entryOf<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Folded type word -> layer type: the canonical names and every alias. */
export const TYPE_WORDS: ReadonlyMap<string, LayerType> = new Map<string, LayerType>([
  ...LAYER_TYPES.map((t) => [t, t] as const),
  ...Object.entries(TYPE_ALIASES),
]);

/**
 * The canonical type for a name or alias in any case (`Conv2d`, `max_pool`), or undefined. The
 * result is always one of LAYER_TYPES' own strings, never the caller's copy: the analysis looks
 * layers up by type, and a lookup by a string read from a file costs several times one by a
 * string of the program. The exact spelling is tried first, so the usual spec folds nothing.
 */
export function canonicalType(name: string): LayerType | undefined {
  return TYPE_WORDS.get(name) ?? TYPE_WORDS.get(fold(name));
}

/** Folded activation word -> canonical activation name. */
export const ACTIVATION_WORDS: ReadonlyMap<string, ActivationName> = new Map<
  string,
  ActivationName
>([
  ...ACTIVATIONS.map((a) => [a, a] as const),
  ...Object.entries(ACTIVATION_ALIASES),
  ["lrelu", "leakyrelu"],
  ["hswish", "hardswish"],
  ["hsigmoid", "hardsigmoid"],
]);

/**
 * Framework field names (folded) -> cnncalc's key for the same thing, or null for a value cnncalc
 * derives from the layer's input (PyTorch's `in_features`): the text language takes the keys as
 * options, and JSON, whose keys are exact, names the right one in its message.
 */
export const FRAMEWORK_KEYS: Readonly<Record<string, string | null>> = {
  outfeatures: "units",
  outchannels: "filters",
  kernelsize: "kernel",
  poolsize: "kernel",
  strides: "stride",
  dilationrate: "dilation",
  usebias: "bias",
  ceilmode: "ceil",
  p: "rate",
  infeatures: null,
  inchannels: null,
  numfeatures: null,
  ...NORMS_FRAMEWORK_KEYS,
  ...SPATIAL_KEYS,
};

/**
 * Keys that a framework's class name (folded) means otherwise than cnncalc's type, with what to
 * write instead: reading them as cnncalc's would silently give another network.
 */
export const ALIAS_KEY_CONFLICTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  ...SPATIAL_KEY_CONFLICTS,
};

/** How to write a framework layer cnncalc has no type of its own for, in each spec format. */
export interface TypeAdvice {
  /** Why the layer is not supported yet, when it is not (said in the message itself). */
  unsupported?: string;
  json: string;
  text: string;
}

/** Folded names of framework layers that are written another way in cnncalc, and how. */
export const TYPE_ADVICE: Readonly<Record<string, TypeAdvice>> = {
  depthwiseconv2d: {
    json: 'a depthwise convolution is a conv with one group per input channel: {"type": "conv", "filters": C, "kernel": 3, "groups": C} for C input channels',
    text: "a depthwise convolution is a conv with one group per input channel: conv C 3x3 groups C, for C input channels",
  },
  separableconv2d: {
    json: 'a separable convolution is a depthwise conv then a 1×1 conv: {"type": "conv", "filters": C, "kernel": 3, "groups": C}, then {"type": "conv", "filters": N, "kernel": 1}, for C input channels',
    text: "a separable convolution is a depthwise conv then a 1×1 conv: conv C 3x3 groups C, then conv N 1x1, for C input channels",
  },
  concatenate: {
    json: 'cnncalc writes a concatenation with its branches: {"type": "concat", "branches": [[...], [...]]}',
    text: "cnncalc writes a concatenation with its branches: concat { branch { ... } branch { ... } }",
  },
};

/**
 * Advice for a type name cnncalc does not know: a framework layer written another way, or an
 * activation given as a layer type in JSON (the text language reads `relu` as a layer itself).
 */
export function typeAdvice(name: string): TypeAdvice | undefined {
  const f = fold(name);
  const advice = entryOf(TYPE_ADVICE, f);
  if (advice !== undefined) return advice;
  const activation = ACTIVATION_WORDS.get(f);
  if (activation === undefined) return undefined;
  return {
    json: `${activation} is an activation: write {"type": "activation", "function": "${activation}"}, or "activation": "${activation}" on the layer before`,
    text: `${activation} is an activation: write ${activation} on a line of its own, or after the layer before`,
  };
}

/** Edit distance between two short strings, a swap of neighbours counting as one edit (OSA). */
function distance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const up = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(
        (up[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (up[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row.push(d);
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/** The closest candidate to a misspelt word, if it is close enough to be a likely typo. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > 64) return undefined;
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = distance(w, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

/** "did you mean 'x'?" or undefined. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const s = suggest(word, candidates);
  return s === undefined ? undefined : `did you mean '${s}'?`;
}
