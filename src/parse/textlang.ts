import {
  ACTIVATION_ALIASES,
  ACTIVATIONS,
  type ActivationName,
  type LayerType,
} from "../core/types.js";
import { entryOf, LAYER_TYPES, TYPE_ALIASES } from "./names.js";
import { layerSchema } from "./schema.js";

/*
 * The vocabulary of the compact layer language, shared by its reader (parse/text.ts) and its
 * printer (format/text.ts) so the two cannot drift apart. Option names come from the zod layer
 * schemas: a key added to a schema is at once an option of the language (`key value`).
 */

/** Folds a keyword for lookup: case-insensitive, `_` and `-` ignored (`Max_Pool` = `maxpool`). */
export function fold(word: string): string {
  return word.toLowerCase().replace(/[_-]/g, "");
}

/**
 * Type spellings that name a dimensionality (`conv1d`): the analysis takes the rank from the
 * input, so the reader checks the name against the declared input instead of ignoring it.
 */
export const RANKED_TYPE_WORDS: ReadonlyMap<string, number> = new Map([
  ["conv1d", 1],
  ["conv2d", 2],
  ["conv3d", 3],
  ["convtranspose2d", 2],
  ["maxpool2d", 2],
  ["avgpool2d", 2],
]);

/** Extra spellings of layer types the text language accepts, on top of names.ts's aliases. */
const TEXT_TYPE_ALIASES: Readonly<Record<string, LayerType>> = {
  conv2d: "conv",
  convolution: "conv",
  conv1d: "conv",
  conv3d: "conv",
  convtranspose2d: "convtranspose",
  transposedconv: "convtranspose",
  upconv: "convtranspose",
  maxpool2d: "maxpool",
  maxpooling: "maxpool",
  avgpool2d: "avgpool",
  averagepool: "avgpool",
  averagepooling: "avgpool",
  meanpool: "avgpool",
  globalaveragepool: "globalavgpool",
  globalaveragepooling: "globalavgpool",
  gmp: "globalmaxpool",
  globalmaxpooling: "globalmaxpool",
  batchnormalization: "batchnorm",
  batchnorm2d: "batchnorm",
  act: "activation",
  res: "residual",
  localresponsenorm: "lrn",
};

/** Folded type keyword -> layer type (canonical names, names.ts aliases, text-only aliases). */
export const TYPE_WORDS: ReadonlyMap<string, LayerType> = new Map<string, LayerType>([
  ...LAYER_TYPES.map((t) => [t, t] as const),
  ...Object.entries(TYPE_ALIASES).map(([k, v]) => [fold(k), v] as const),
  ...Object.entries(TEXT_TYPE_ALIASES),
]);

/** Folded activation word -> canonical activation name. */
export const ACTIVATION_WORDS: ReadonlyMap<string, ActivationName> = new Map<
  string,
  ActivationName
>([
  ...ACTIVATIONS.map((a) => [a, a] as const),
  ...Object.entries(ACTIVATION_ALIASES),
  ["lrelu", "leakyrelu"],
  ["hswish", "hardswish"],
]);

/** Keys of a layer object that are structure (nested lists), written with braces, not options. */
export const STRUCTURE_KEYS = ["type", "body", "shortcut", "branches"] as const;

/** The values an option takes: a boolean flag, a word, a string, or a number/size/list. */
export type ValueKind = "bool" | "word" | "string" | "value";

/** The kind of each option's value; schema keys not listed here take a generic value. */
export const KEY_KINDS: Readonly<Record<string, ValueKind>> = {
  bias: "bool",
  ceil: "bool",
  activation: "word",
  function: "word",
  padding: "value",
  name: "string",
};

/** Values read as booleans after a `bool` option. */
export const BOOLEAN_WORDS: ReadonlyMap<string, boolean> = new Map([
  ["true", true],
  ["yes", true],
  ["on", true],
  ["false", false],
  ["no", false],
  ["off", false],
]);

/** Values given without their option name, in this order, per layer type. */
export const POSITIONALS: Readonly<Record<LayerType, readonly string[]>> = {
  conv: ["filters", "kernel"],
  convtranspose: ["filters", "kernel"],
  maxpool: ["kernel"],
  avgpool: ["kernel"],
  subsample: ["kernel"],
  globalavgpool: [],
  globalmaxpool: [],
  dense: ["units"],
  flatten: [],
  activation: ["function"],
  dropout: ["rate"],
  batchnorm: [],
  lrn: ["size"],
  residual: [],
  concat: [],
  denseblock: ["repeat"],
  repeat: ["times"],
};

/** Other names of options (folded) -> schema key. */
export const OPTION_ALIASES: Readonly<Record<string, string>> = {
  pad: "padding",
  strides: "stride",
  dilate: "dilation",
  group: "groups",
  outpad: "outputPadding",
  act: "activation",
  kernelsize: "kernel",
  ceilmode: "ceil",
  usebias: "bias",
  p: "rate",
};

/** The spelling the printer uses for a schema key (default: the key itself). */
export const PRINTED_KEY: Readonly<Record<string, string>> = {
  padding: "pad",
  outputPadding: "output_padding",
};

const KEYS_OF = new Map<LayerType, readonly string[]>();

/** The option keys of a layer type, from its schema, structure keys left out. */
export function optionKeys(type: LayerType): readonly string[] {
  let keys = KEYS_OF.get(type);
  if (keys === undefined) {
    const shape = (layerSchema(type) as unknown as { shape: Record<string, unknown> }).shape;
    keys = Object.keys(shape).filter((k) => !(STRUCTURE_KEYS as readonly string[]).includes(k));
    KEYS_OF.set(type, keys);
  }
  return keys;
}

/** The schema key an option word names for a type, or undefined. */
export function optionKey(type: LayerType, word: string): string | undefined {
  const f = fold(word);
  const keys = optionKeys(type);
  const direct = keys.find((k) => fold(k) === f);
  if (direct) return direct;
  const alias = entryOf(OPTION_ALIASES, f);
  return alias !== undefined && keys.includes(alias) ? alias : undefined;
}

/** Block types: their body (or branches) is written between braces. */
export const BLOCK_TYPES: ReadonlySet<LayerType> = new Set([
  "residual",
  "concat",
  "denseblock",
  "repeat",
]);

/** A short usage line per type, shown as a hint when a layer line does not validate. */
export function usageLine(type: LayerType): string {
  const words: string[] = [type, ...POSITIONALS[type].map((k) => k.toUpperCase())];
  for (const k of optionKeys(type)) {
    if (POSITIONALS[type].includes(k) || k === "name") continue;
    if (k === "bias") words.push("[nobias]");
    else if (k === "activation") words.push("[relu|tanh|...]");
    else if (k === "connections") words.push("[connections [[0, 1], ...]]");
    else if (KEY_KINDS[k] === "bool") words.push(`[${k}]`);
    else words.push(`[${PRINTED_KEY[k] ?? k} N]`);
  }
  return `${words.join(" ")}${BLOCK_TYPES.has(type) ? " { ... }" : ""}`;
}
