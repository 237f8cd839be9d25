import { fail } from "./errors.js";
import { product } from "./formulas.js";
import type { Shape } from "./types.js";

/** The number of values in a shape. */
export function elementCount(shape: Shape): bigint {
  return product(shape.dims, shape.channels);
}

/** A shape as `[...dims, channels]`, the JSON form. */
export function shapeToArray(shape: Shape): number[] {
  return [...shape.dims, shape.channels];
}

/** A shape from `[...dims, channels]`. */
export function shapeFromArray(values: readonly number[]): Shape {
  return { dims: values.slice(0, -1), channels: values[values.length - 1] ?? 0 };
}

/** Two shapes are equal when every dimension and the channels match. */
export function sameShape(a: Shape, b: Shape): boolean {
  return (
    a.channels === b.channels &&
    a.dims.length === b.dims.length &&
    a.dims.every((d, i) => d === b.dims[i])
  );
}

/** Names of the spatial dimensions of a rank, for messages ("rows" before "columns"). */
export const DIMENSION_NOUNS: Readonly<Record<number, readonly string[]>> = {
  1: ["positions"],
  2: ["rows", "columns"],
  3: ["slices", "rows", "columns"],
};

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Fails unless a computed size is a safe integer, so later arithmetic stays exact; a bigint is
 * checked (and shown in the message) exactly, not first rounded to a float.
 */
export function checkSafe(value: number | bigint, path: string, what: string): number {
  const safe =
    typeof value === "bigint"
      ? value >= -MAX_SAFE && value <= MAX_SAFE
      : Number.isSafeInteger(value);
  if (!safe) {
    fail(
      "size-overflow",
      path,
      `${what} is ${value}, beyond the exact integer range (2^53 - 1); expected a smaller network`,
    );
  }
  return Number(value);
}
