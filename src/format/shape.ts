import type { Shape } from "../core/types.js";

/** A shape for tables: `20×20×16`, or `256` for a flat vector. */
export function shapeCell(shape: Shape, times = "×"): string {
  return [...shape.dims, shape.channels].join(times);
}
