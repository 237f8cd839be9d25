import type { LeafKind } from "../kind.js";
/*
 * The resampling and routing layer types ("spatial" group), gathered so that each registry names
 * the group, not its types: `LayerSpec` has `| SpatialSpec`, KINDS spreads `...SPATIAL_KINDS`,
 * TRAITS spreads `...SPATIAL_TRAITS`. A new type of the group is added in its own file and here.
 */
import type { LayerTraits } from "../traits.js";
import { ADAPTIVE_POOL_TRAITS, type AdaptivePoolSpec, adaptivePool } from "./adaptivepool.js";
import {
  CHANNELS_TRAITS,
  type ChannelShuffleSpec,
  channelshuffle,
  type SliceSpec,
  slice,
} from "./channels.js";
import { type CropSpec, crop, PADCROP_TRAITS, type ZeroPadSpec, zeropad } from "./padcrop.js";
import {
  PIXELSHUFFLE_TRAITS,
  type PixelShuffleSpec,
  type PixelUnshuffleSpec,
  pixelshuffle,
  pixelunshuffle,
} from "./pixelshuffle.js";
import { UPSAMPLE_TRAITS, type UpsampleSpec, upsample } from "./upsample.js";

export type { AdaptivePoolSpec } from "./adaptivepool.js";
export type { ChannelShuffleSpec, SliceSpec } from "./channels.js";
export type { CropSpec, PadSize, ZeroPadSpec } from "./padcrop.js";
export type { PixelShuffleSpec, PixelUnshuffleSpec } from "./pixelshuffle.js";
export type { UpsampleSpec } from "./upsample.js";

/** Every new layer spec, discriminated on `type`. */
export type SpatialSpec =
  | AdaptivePoolSpec
  | UpsampleSpec
  | PixelShuffleSpec
  | PixelUnshuffleSpec
  | ChannelShuffleSpec
  | SliceSpec
  | ZeroPadSpec
  | CropSpec;

export type SpatialType = SpatialSpec["type"];

/** Each new type's arithmetic; the mapped type makes a missing type a compile error. */
export const SPATIAL_KINDS: {
  readonly [T in SpatialType]: LeafKind<Extract<SpatialSpec, { type: T }>>;
} = {
  adaptiveavgpool: adaptivePool,
  adaptivemaxpool: adaptivePool,
  upsample,
  pixelshuffle,
  pixelunshuffle,
  channelshuffle,
  slice,
  zeropad,
  crop,
};

/** Each new type's traits (traits.ts spreads them into TRAITS). */
export const SPATIAL_TRAITS: {
  readonly [T in SpatialType]: LayerTraits<Extract<SpatialSpec, { type: T }>>;
} = {
  adaptiveavgpool: ADAPTIVE_POOL_TRAITS,
  adaptivemaxpool: ADAPTIVE_POOL_TRAITS,
  upsample: UPSAMPLE_TRAITS,
  pixelshuffle: PIXELSHUFFLE_TRAITS,
  pixelunshuffle: PIXELSHUFFLE_TRAITS,
  channelshuffle: CHANNELS_TRAITS,
  slice: CHANNELS_TRAITS,
  zeropad: PADCROP_TRAITS,
  crop: PADCROP_TRAITS,
};
