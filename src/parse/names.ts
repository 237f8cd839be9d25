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

/**
 * A table's own entry for a key read from the input, or undefined: a plain object also answers
 * "constructor" or "toString" (from its prototype), which no table of names means.
 */
export function entryOf<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

const CANONICAL = new Map<string, LayerType>([
  ...LAYER_TYPES.map((t) => [t, t] as const),
  ...Object.entries(TYPE_ALIASES),
]);

/**
 * The canonical type for a name or alias, or undefined. The result is always one of
 * LAYER_TYPES' own strings, never the caller's copy: the analysis looks layers up by type, and
 * a lookup by a string read from a file costs several times one by a string of the program.
 */
export function canonicalType(name: string): LayerType | undefined {
  return CANONICAL.get(name);
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
