/**
 * A count with its noun, singular for one (`1 channel`, `3 channels`): messages say "1 value",
 * never "1 values". `many` is for nouns whose plural is not the singular plus "s".
 */
export function counted(n: number | bigint, one: string, many = `${one}s`): string {
  return `${n} ${plural(n, one, many)}`;
}

/** The noun alone, singular for one: for counts written elsewhere in the sentence. */
export function plural(n: number | bigint, one: string, many = `${one}s`): string {
  return Number(n) === 1 ? one : many;
}
