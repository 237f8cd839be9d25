/*
 * Shared copies of the small uniform vectors that windows and shapes are made of: [3, 3] kernels,
 * [1, 1] strides, [0, 0] paddings, [32, 32] sizes. A 100,000-layer network would otherwise keep
 * half a dozen fresh arrays per layer alive, and the garbage collector copies every live array
 * (bench/results.md). The shared arrays are frozen, so a stray write throws instead of changing
 * every layer that holds the same array.
 */

/** Values up to this bound are shared; larger ones (rare) get a fresh array each time. */
const SHARED_BELOW = 4096;
/** Ranks up to this one are shared (a spatial rank is at most 3). */
const MAX_RANK = 4;

const byRank: Map<number, readonly number[]>[] = Array.from(
  { length: MAX_RANK + 1 },
  () => new Map(),
);

/** The vector [value, ..., value] of length `rank`: a shared frozen array when small. */
export function uniform(value: number, rank: number): readonly number[] {
  const cache = byRank[rank];
  // -0 is left out too: a Map would take it for 0 and hand out [-0, -0] for every later 0
  if (
    cache === undefined ||
    !Number.isInteger(value) ||
    !(value > 0 || Object.is(value, 0)) ||
    value >= SHARED_BELOW
  ) {
    return Array.from({ length: rank }, () => value);
  }
  let v = cache.get(value);
  if (v === undefined) {
    // Array.from makes a packed array (new Array(n).fill makes a holey one, which JSON.stringify
    // and element reads take a slower path for)
    v = Object.freeze(Array.from({ length: rank }, () => value));
    cache.set(value, v);
  }
  return v;
}

/** The same values as a shared array when they are all equal and small; otherwise `values`. */
export function shared(values: readonly number[]): readonly number[] {
  const first = values[0];
  if (first === undefined) return values;
  for (let i = 1; i < values.length; i++) if (values[i] !== first) return values;
  return uniform(first, values.length);
}
