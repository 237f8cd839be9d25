import type { ActivationName } from "../../core/types.js";

/** The word tables of the prose reader: what words mean in a description of a network. */

export const FILTER_WORDS = new Set([
  "filters",
  "filter",
  "kernels",
  "kernel",
  "maps",
  "channels",
  "convolutions",
  "feature",
]);
/** Words naming a convolution's kernel; "feature maps" name its output, so they are not here. */
export const KERNEL_WORDS = new Set(["filters", "filter", "kernels", "kernel", "convolutions"]);
/** Words after which a size is an output size, not a kernel ("feature maps of size 28 × 28"). */
export const OUTPUT_SIZE_WORDS = new Set([
  "maps",
  "map",
  "output",
  "outputs",
  "input",
  "image",
  "images",
]);
export const UNIT_WORDS = new Set([
  "units",
  "unit",
  "neurons",
  "neuron",
  "nodes",
  "node",
  "outputs",
  "output",
]);
export const CLASS_WORDS = new Set([
  "actions",
  "action",
  "classes",
  "class",
  "categories",
  "category",
  "labels",
]);
export const LAYER_NOUNS = new Set(["layer", "layers"]);
export const ACTIVATION_WORDS: ReadonlyMap<string, ActivationName> = new Map([
  ["rectifier", "relu"],
  ["rectifiers", "relu"],
  ["rectified", "relu"],
  ["relu", "relu"],
  ["relus", "relu"],
  ["relu6", "relu6"],
  ["tanh", "tanh"],
  ["sigmoid", "sigmoid"],
  ["sigmoidal", "sigmoid"],
  ["logistic", "sigmoid"],
  ["softmax", "softmax"],
  ["elu", "elu"],
  ["gelu", "gelu"],
  ["swish", "silu"],
  ["silu", "silu"],
  ["leaky", "leakyrelu"],
]);
export const SMALL_NUMBERS: ReadonlyMap<string, number> = new Map([
  ["one", 1],
  ["single", 1],
  ["two", 2],
  ["three", 3],
  ["four", 4],
  ["five", 5],
  ["six", 6],
  ["seven", 7],
  ["eight", 8],
  ["nine", 9],
  ["ten", 10],
]);

export function isConvVerb(w: string): boolean {
  return w.startsWith("convolv");
}
export function isPoolWord(w: string): boolean {
  // "pooling", "max-pooling", "maxpool", "max-pool"; not "pooled" ("the pooled output of ...")
  return w.endsWith("pooling") || w.endsWith("pool") || w === "subsampling" || w === "sub-sampling";
}
export function isDenseWord(w: string): boolean {
  return w === "fully-connected" || w === "full-connected" || w === "dense" || w === "fc";
}

/** Ordinal words that number layers, and their positions. */
export const ORDINALS: ReadonlyMap<string, number> = new Map(
  [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
  ].map((w, i) => [w, i + 1]),
);
