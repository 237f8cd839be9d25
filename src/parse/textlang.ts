import type { LayerType } from "../core/types.js";
import { entryOf, FRAMEWORK_KEYS, fold } from "./names.js";
import { layerSchema } from "./schema.js";
import { MERGES_SYNTAX, NORMS_KEY_KINDS, NORMS_SYNTAX } from "./syntax/norms.js";
import { SPATIAL_SYNTAX } from "./syntax/spatial.js";

/*
 * The vocabulary of the compact layer language, shared by its reader (parse/text.ts) and its
 * printer (format/text.ts) so the two cannot drift apart. Option names come from the zod layer
 * schemas: a key added to a schema is at once an option of the language (`key value`).
 */

// the vocabulary shared with JSON lives in names.ts (one table of type names for both readers)
export { ACTIVATION_WORDS, fold, RANKED_TYPE_WORDS, TYPE_WORDS } from "./names.js";

/** Keys of a layer object that are structure (nested lists), written with braces, not options. */
export const STRUCTURE_KEYS = ["type", "body", "shortcut", "branches"] as const;

/**
 * The values an option takes: a boolean flag, a word, a string, a number/size/list, or a list
 * printed as one (`[0, 58]`, never `0x58`).
 */
export type ValueKind = "bool" | "word" | "string" | "value" | "list";

/** The kind of each option's value; schema keys not listed here take a generic value. */
export const KEY_KINDS: Readonly<Record<string, ValueKind>> = {
  bias: "bool",
  ceil: "bool",
  gamma: "bool",
  beta: "bool",
  keepdims: "bool",
  channels: "list",
  activation: "word",
  function: "word",
  padding: "value",
  name: "string",
  ...NORMS_KEY_KINDS,
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

/** What a block's braces hold in the layer language: its body (optionally then `shortcut { }`), or `branch { }` statements. */
export type Braces = "body" | "body+shortcut" | "branches";

/** How one layer type is written in the layer language. */
export interface TypeSyntax {
  /** Values given without their option name, in this order. */
  positionals: readonly string[];
  /** For a block, what its braces hold; null for a leaf layer (no braces). */
  braces: Braces | null;
}

const leaf = (...positionals: string[]): TypeSyntax => ({ positionals, braces: null });

/**
 * Every layer type's syntax in the layer language (option names come from its zod schema,
 * aliases of its name from names.ts' TYPE_ALIASES); a mapped type, so a new type needs its entry.
 */
export const SYNTAX: { readonly [T in LayerType]: TypeSyntax } = {
  conv: leaf("filters", "kernel"),
  convtranspose: leaf("filters", "kernel"),
  maxpool: leaf("kernel"),
  avgpool: leaf("kernel"),
  subsample: leaf("kernel"),
  globalavgpool: leaf(),
  globalmaxpool: leaf(),
  ...SPATIAL_SYNTAX,
  dense: leaf("units"),
  flatten: leaf(),
  activation: leaf("function"),
  dropout: leaf("rate"),
  batchnorm: leaf(),
  lrn: leaf("size"),
  ...NORMS_SYNTAX,
  residual: { positionals: [], braces: "body+shortcut" },
  concat: { positionals: [], braces: "branches" },
  ...MERGES_SYNTAX,
  denseblock: { positionals: ["repeat"], braces: "body" },
  repeat: { positionals: ["times"], braces: "body" },
};

/** Values given without their option name, in this order, per layer type. */
export const POSITIONALS: { readonly [T in LayerType]: readonly string[] } = Object.fromEntries(
  Object.entries(SYNTAX).map(([t, s]) => [t, s.positionals]),
) as { readonly [T in LayerType]: readonly string[] };

/**
 * Other names of options (folded) -> schema key: short words, and the frameworks' names of keys
 * cnncalc has (`kernel_size`, `out_features`).
 */
export const OPTION_ALIASES: Readonly<Record<string, string>> = {
  pad: "padding",
  dilate: "dilation",
  group: "groups",
  outpad: "outputPadding",
  act: "activation",
  ...Object.fromEntries(
    Object.entries(FRAMEWORK_KEYS).filter((e): e is [string, string] => e[1] !== null),
  ),
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
  return `${words.join(" ")}${SYNTAX[type].braces === null ? "" : " { ... }"}`;
}
