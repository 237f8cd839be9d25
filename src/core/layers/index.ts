import type { LayerKind } from "../kind.js";
import type { LayerSpec, LayerType } from "../types.js";
import { concat, denseblock, repeat, residual } from "./blocks.js";
import { conv } from "./conv.js";
import { convtranspose } from "./convtranspose.js";
import { dense } from "./dense.js";
import { globalPool } from "./globalpool.js";
import { MERGES_KINDS, NORMS_KINDS } from "./norms.js";
import { activation, batchnorm, dropout, flatten, lrn } from "./passthrough.js";
import { pool, subsample } from "./pool.js";
import { SPATIAL_KINDS } from "./spatial.js";

/** Every layer type's arithmetic; the mapped type makes a missing type a compile error. */
export const KINDS: { readonly [T in LayerType]: LayerKind<Extract<LayerSpec, { type: T }>> } = {
  conv,
  convtranspose,
  maxpool: pool,
  avgpool: pool,
  subsample,
  globalavgpool: globalPool,
  globalmaxpool: globalPool,
  ...SPATIAL_KINDS,
  dense,
  flatten,
  activation,
  dropout,
  batchnorm,
  lrn,
  ...NORMS_KINDS,
  residual,
  concat,
  ...MERGES_KINDS,
  denseblock,
  repeat,
};
