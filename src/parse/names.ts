import type { LayerType } from "../core/types.js";

/** Every layer type name, canonical spelling. */
export const LAYER_TYPES = [
  "conv",
  "convtranspose",
  "maxpool",
  "avgpool",
  "subsample",
  "globalavgpool",
  "globalmaxpool",
  "dense",
  "flatten",
  "activation",
  "dropout",
  "batchnorm",
  "lrn",
  "residual",
  "concat",
  "denseblock",
  "repeat",
] as const satisfies readonly LayerType[];

/** Other names people use for layer types, in JSON and in the text language. */
export const TYPE_ALIASES: Readonly<Record<string, LayerType>> = {
  fc: "dense",
  linear: "dense",
  bn: "batchnorm",
  deconv: "convtranspose",
  gap: "globalavgpool",
};

/** The canonical type for a name or alias, or undefined. */
export function canonicalType(name: string): LayerType | undefined {
  if ((LAYER_TYPES as readonly string[]).includes(name)) return name as LayerType;
  return TYPE_ALIASES[name];
}

/** Edit distance between two short strings (Levenshtein). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(
        Math.min(
          (prev[j] as number) + 1,
          (row[j - 1] as number) + 1,
          (prev[j - 1] as number) + cost,
        ),
      );
    }
    prev = row;
  }
  return prev[b.length] as number;
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
