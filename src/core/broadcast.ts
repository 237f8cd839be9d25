import { DIMENSION_NOUNS } from "./shape.js";
import type { Shape } from "./types.js";

/*
 * NumPy's broadcasting rule on channels-last shapes, for element-wise merges (sums and products of branches):
 * the shapes `[...dims, channels]` are aligned from the right (the channels with the channels,
 * the last spatial dimension with the last, ...); two sizes fit when they are equal or one is 1,
 * and the result takes the larger; a shape with fewer dimensions is read with 1s before it. So
 * [7, 7, 64] and [1, 1, 64] give [7, 7, 64] (a squeeze-and-excitation gate), a flat [64] fits
 * [7, 7, 64] (it is [1, 1, 64]), [7, 7, 1] fits [7, 7, 64] (a spatial attention map), and
 * [7, 7, 64] and [7, 7, 32] do not fit.
 */

/** Two shapes broadcast: the result; or where they first do not fit, from the right. */
export type Broadcast =
  | { fits: true; shape: Shape }
  | {
      fits: false;
      /** The dimension that does not fit: `channels`, or a spatial noun such as `rows`. */
      axis: string;
      /** Its sizes in the first and the second shape. */
      sizes: [number, number];
    };

/** The name of the dimension `fromRight` places from the end (0: the channels) of a rank. */
function axisName(rank: number, fromRight: number): string {
  if (fromRight === 0) return "channels";
  const spatial = rank - 1;
  const i = spatial - fromRight;
  return DIMENSION_NOUNS[spatial]?.[i] ?? `spatial dimension ${i + 1}`;
}

/** NumPy's broadcast of two channels-last shapes. */
export function broadcast(a: Shape, b: Shape): Broadcast {
  const x = [...a.dims, a.channels];
  const y = [...b.dims, b.channels];
  const rank = Math.max(x.length, y.length);
  const out = new Array<number>(rank);
  for (let k = 0; k < rank; k++) {
    const p = x[x.length - 1 - k] ?? 1;
    const q = y[y.length - 1 - k] ?? 1;
    if (p !== q && p !== 1 && q !== 1) {
      return { fits: false, axis: axisName(rank, k), sizes: [p, q] };
    }
    out[rank - 1 - k] = p === 1 ? q : p;
  }
  return { fits: true, shape: { dims: out.slice(0, -1), channels: out[rank - 1] as number } };
}

/** The broadcast of two shapes, or null when they do not fit. */
export function broadcastShape(a: Shape, b: Shape): Shape | null {
  const r = broadcast(a, b);
  return r.fits ? r.shape : null;
}
