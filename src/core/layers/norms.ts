import { fail } from "../errors.js";
import type { LayerKind } from "../kind.js";
import { LEAF_TRAITS } from "../leaf-traits.js";
import { elementCount } from "../shape.js";
import type { LayerTraits } from "../traits.js";
import { requireSpatial } from "../window.js";
import { type ElementwiseSpec, elementwise, elementwiseTraits } from "./elementwise.js";
import { type LayerScaleSpec, layerscale, layerscaleTraits } from "./layerscale.js";
import { type PReluSpec, prelu, preluTraits } from "./prelu.js";

/*
 * Normalisations other than batchnorm. Like batchnorm (passthrough.ts) they transform values in
 * place: the output is the input's shape, no neurons, no connections, no MACs (MACs count
 * multiply-accumulates of weighted layers only, as torchvision and fvcore do), and the
 * activation count is the output's element count (the analysis' default). Only the parameters
 * differ. Statistics a layer computes from its input at inference (layer, group and instance
 * statistics) are not parameters; running statistics it stores are, non-trainable, as batchnorm's.
 */

/**
 * Layer normalization. `over: "channels"` (the default) normalises each position's C values
 * (channels-last `nn.LayerNorm(C)`, ConvNeXt's LayerNorm2d, Keras' `LayerNormalization()` on the
 * last axis); `over: "all"` normalises the whole input (`nn.LayerNorm([C, H, W])`).
 */
export interface LayerNormSpec {
  type: "layernorm";
  name?: string;
  /** What one set of statistics is taken over (default "channels"). */
  over?: "channels" | "all";
  /** Learned scale γ (and shift β) per normalised element (default true). */
  affine?: boolean;
  /** The shift β, when affine (default true; `nn.LayerNorm(..., bias=False)`). */
  bias?: boolean;
}

/** Group normalization: the channels split into `groups`, each normalised over positions and its channels. */
export interface GroupNormSpec {
  type: "groupnorm";
  name?: string;
  groups: number;
  /** Learned γ and β per channel (default true, as `nn.GroupNorm`). */
  affine?: boolean;
}

/** Instance normalization: each channel normalised over its positions. */
export interface InstanceNormSpec {
  type: "instancenorm";
  name?: string;
  /** Learned γ and β per channel (default false, as `nn.InstanceNorm2d`). */
  affine?: boolean;
  /** Running mean and variance per channel kept for inference (default false, as PyTorch). */
  trackRunningStats?: boolean;
}

/**
 * Layer normalization: γ (and β unless `bias: false`) per normalised element: C of them over the
 * channels, H·W·C over the whole input; none when not affine (then `bias` does not matter).
 */
export const layernorm: LayerKind<LayerNormSpec> = {
  analyze(spec, input) {
    if (spec.affine === false) return { output: input };
    const elements = spec.over === "all" ? elementCount(input.shape) : BigInt(input.shape.channels);
    const perElement = spec.bias === false ? 1n : 2n;
    return { output: input, trainableParameters: perElement * elements };
  },
};

/** Fails unless the groups divide the input channels (as `nn.GroupNorm` requires); returns them. */
export function checkNormGroups(groups: number, channels: number, path: string): number {
  if (!Number.isSafeInteger(groups) || groups < 1 || channels % groups !== 0) {
    fail(
      "groups-mismatch",
      `${path}.groups`,
      `groups must divide the input channels; expected a divisor of ${channels}. Received: groups=${groups}, channels=${channels}`,
    );
  }
  return groups;
}

/** Group normalization: γ and β per channel (2C) when affine, whatever the number of groups. */
export const groupnorm: LayerKind<GroupNormSpec> = {
  analyze(spec, input, ctx) {
    checkNormGroups(spec.groups, input.shape.channels, ctx.path);
    const c = BigInt(input.shape.channels);
    return { output: input, trainableParameters: spec.affine === false ? 0n : 2n * c };
  },
};

/**
 * Instance normalization: γ and β per channel (2C trainable) when affine; running mean and
 * variance per channel (2C non-trainable, batchnorm's count) when it tracks running statistics.
 * PyTorch's `num_batches_tracked` counter is not counted, as for batchnorm. It needs positions
 * to take statistics over, so a flat input is an error.
 */
export const instancenorm: LayerKind<InstanceNormSpec> = {
  analyze(spec, input, ctx) {
    requireSpatial(input.shape, ctx.path, "instancenorm");
    const c = BigInt(input.shape.channels);
    return {
      output: input,
      trainableParameters: spec.affine === true ? 2n * c : 0n,
      nonTrainableParameters: spec.trackRunningStats === true ? 2n * c : 0n,
    };
  },
};

/** The norms are leaves working in place. */
const inPlace = { ...LEAF_TRAITS, rescales: true } as const;

/*
 * The group "norms and merges": its specs, kinds and traits, spread into the core's tables
 * (types.ts' LayerSpec, layers/index.ts' KINDS, traits.ts' TRAITS), whose mapped types check
 * that each type has its entry.
 */

/** The group's specs. */
export type NormsSpec =
  | LayerNormSpec
  | GroupNormSpec
  | InstanceNormSpec
  | LayerScaleSpec
  | PReluSpec
  | ElementwiseSpec;

type Of<T extends NormsSpec["type"]> = Extract<NormsSpec, { type: T }>;

/** The group's norms (after batchnorm and lrn in the table). */
export const NORMS_KINDS = {
  layernorm,
  groupnorm,
  instancenorm,
  layerscale,
  prelu,
} as const satisfies {
  readonly [T in Exclude<NormsSpec["type"], ElementwiseSpec["type"]>]: LayerKind<Of<T>>;
};

/** The group's merges (after concat in the table). */
export const MERGES_KINDS = {
  add: elementwise,
  multiply: elementwise,
} as const satisfies { readonly [T in ElementwiseSpec["type"]]: LayerKind<Of<T>> };

/** The norms' traits (after batchnorm and lrn). */
export const NORMS_TRAITS = {
  layernorm: inPlace,
  groupnorm: inPlace,
  instancenorm: inPlace,
  layerscale: layerscaleTraits,
  prelu: preluTraits,
} as const satisfies { readonly [T in keyof typeof NORMS_KINDS]: LayerTraits<Of<T>> };

/** The merges' traits (after concat). */
export const MERGES_TRAITS = {
  add: elementwiseTraits,
  multiply: elementwiseTraits,
} as const satisfies { readonly [T in keyof typeof MERGES_KINDS]: LayerTraits<Of<T>> };
