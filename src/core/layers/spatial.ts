/*
 * The resampling and routing layer types, gathered for the wiring into types.ts and KINDS:
 * `LayerSpec` gains `| SpatialSpec`, KINDS gains `...SPATIAL_KINDS`, and `GlobalPoolSpec` gains
 * `keepdims?: boolean` with `globalPoolKeepdims` as the kind of both global pooling types.
 */
import { type AdaptivePoolSpec, adaptivePool } from "./adaptivepool.js";
import { type ChannelShuffleSpec, channelshuffle, type SliceSpec, slice } from "./channels.js";
import { type CropSpec, crop, type ZeroPadSpec, zeropad } from "./padcrop.js";
import {
  type PixelShuffleSpec,
  type PixelUnshuffleSpec,
  pixelshuffle,
  pixelunshuffle,
} from "./pixelshuffle.js";
import type { SpecKind } from "./spatial-common.js";
import { type UpsampleSpec, upsample } from "./upsample.js";

export type { AdaptivePoolSpec } from "./adaptivepool.js";
export type { ChannelShuffleSpec, SliceSpec } from "./channels.js";
export type { GlobalPoolKeepdimsSpec } from "./globalpool.js";
export type { CropSpec, ZeroPadSpec } from "./padcrop.js";
export type { PixelShuffleSpec, PixelUnshuffleSpec } from "./pixelshuffle.js";
export type { PadSize } from "./spatial-common.js";
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
  readonly [T in SpatialType]: SpecKind<Extract<SpatialSpec, { type: T }>>;
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
