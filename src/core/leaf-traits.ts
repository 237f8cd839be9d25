import type { LayerTraits } from "./traits.js";

/**
 * The traits of a plain leaf: no children, no weights or initialization, no window of its own,
 * named by no family in `check`'s headings. In a module of its own so the core files of the layer
 * groups can use it without importing traits.ts, which imports them.
 */
export const LEAF_TRAITS = {
  children: null,
  weighted: false,
  initialized: false,
  pooling: false,
  rescales: false,
  parallel: false,
  windowed: false,
  family: null,
} as const satisfies LayerTraits;
