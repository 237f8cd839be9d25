import type { NormsSpec } from "./layers/norms.js";
import type { SpatialSpec } from "./layers/spatial.js";

/**
 * The data model of cnncalc's core: layer specs (what the user wrote, after validation),
 * tensor shapes, and per-layer results. Everything here is plain data; no I/O.
 */

/** An activation function name accepted by `activation` fields and layers. */
export const ACTIVATIONS = [
  "relu",
  "relu6",
  "leakyrelu",
  "elu",
  "gelu",
  "silu",
  "hardswish",
  "tanh",
  "sigmoid",
  "softmax",
  "linear",
  "hardsigmoid",
  "mish",
] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

/** Spellings that mean one of the canonical activation names. */
export const ACTIVATION_ALIASES: Readonly<Record<string, ActivationName>> = {
  swish: "silu",
  rectifier: "relu",
  identity: "linear",
  none: "linear",
};

/** A size given once for every spatial dimension, or once per dimension. */
export type Size = number | number[];
/** Padding: a size (symmetric per dimension) or TensorFlow's named rules. */
export type Padding = Size | "valid" | "same";

interface Named {
  name?: string;
}

export interface ConvSpec extends Named {
  type: "conv";
  filters: number;
  kernel: Size;
  stride?: Size;
  padding?: Padding;
  dilation?: Size;
  groups?: number;
  bias?: boolean;
  activation?: ActivationName;
  /** For each filter, the input maps it reads (LeNet-5's C3 table); default: all maps. */
  connections?: number[][];
}

export interface ConvTransposeSpec extends Named {
  type: "convtranspose";
  filters: number;
  kernel: Size;
  stride?: Size;
  padding?: Size | "valid" | "same";
  outputPadding?: Size;
  dilation?: Size;
  groups?: number;
  bias?: boolean;
  activation?: ActivationName;
}

export interface PoolSpec extends Named {
  type: "maxpool" | "avgpool";
  kernel: Size;
  stride?: Size;
  padding?: Padding;
  ceil?: boolean;
}

export interface SubsampleSpec extends Named {
  type: "subsample";
  kernel: Size;
  stride?: Size;
  activation?: ActivationName;
}

export interface GlobalPoolSpec extends Named {
  type: "globalavgpool" | "globalmaxpool";
  /** Keep each spatial dimension as 1 (`[1, 1, C]`, Keras' keepdims) instead of a flat `[C]`. */
  keepdims?: boolean;
}

export interface DenseSpec extends Named {
  type: "dense";
  units: number;
  bias?: boolean;
  activation?: ActivationName;
}

export interface FlattenSpec extends Named {
  type: "flatten";
}

export interface ActivationSpec extends Named {
  type: "activation";
  function: ActivationName;
}

export interface DropoutSpec extends Named {
  type: "dropout";
  rate?: number;
}

export interface BatchNormSpec extends Named {
  type: "batchnorm";
  /** A learned scale γ per channel (default true; Keras' `scale`, PyTorch's `affine`). */
  gamma?: boolean;
  /** A learned shift β per channel (default true; Keras' `center`, PyTorch's `affine`). */
  beta?: boolean;
}

export interface LrnSpec extends Named {
  type: "lrn";
  size?: number;
}

export interface ResidualSpec extends Named {
  type: "residual";
  body: LayerSpec[];
  shortcut?: LayerSpec[];
}

export interface ConcatSpec extends Named {
  type: "concat";
  branches: LayerSpec[][];
}

export interface DenseBlockSpec extends Named {
  type: "denseblock";
  repeat: number;
  body: LayerSpec[];
}

export interface RepeatSpec extends Named {
  type: "repeat";
  times: number;
  body: LayerSpec[];
}

/** Every layer and block type, discriminated on `type`. */
export type LayerSpec =
  | ConvSpec
  | ConvTransposeSpec
  | PoolSpec
  | SubsampleSpec
  | GlobalPoolSpec
  | SpatialSpec
  | DenseSpec
  | FlattenSpec
  | ActivationSpec
  | DropoutSpec
  | BatchNormSpec
  | LrnSpec
  | ResidualSpec
  | ConcatSpec
  | DenseBlockSpec
  | RepeatSpec
  | NormsSpec;

export type LayerType = LayerSpec["type"];

/** A network: an optional name, the input shape and the layers in order. */
export interface NetworkSpec {
  name?: string;
  /** `[...spatial dims, channels]`: `[h, w, c]`, `[length, c]`, `[d, h, w, c]` or `[units]`. */
  input?: number[];
  layers: LayerSpec[];
}

/**
 * A tensor's shape without the batch dimension: spatial dimensions (empty for a flat vector)
 * and channels (the number of units for a flat vector).
 */
export interface Shape {
  dims: readonly number[];
  channels: number;
}

/** Receptive field per spatial dimension, in input pixels (Araujo et al.'s r, j, start). */
export interface ReceptiveField {
  size: readonly number[];
  start: readonly number[];
  jump: readonly number[];
}

/** A sliding window resolved against a concrete input: all arrays have one entry per dimension. */
export interface Window {
  kernel: readonly number[];
  stride: readonly number[];
  dilation: readonly number[];
  padBefore: readonly number[];
  padAfter: readonly number[];
  /** The span the window covers in the input: D(M-1)+1. */
  effectiveKernel: readonly number[];
  ceil: boolean;
}

/** A problem that does not stop the analysis. */
export interface Warning {
  code: string;
  message: string;
  /** The path of the layer it concerns, e.g. `layers[1]`; null for the whole network. */
  layer: string | null;
  /** Where in the source text it is, when a parser raised it (offsets, end exclusive). */
  span?: { start: number; end: number };
}

/** A fact the input left open, filled in by a stated rule. */
export interface Assumption {
  code: string;
  message: string;
}

/** The five tutorial quantities and the extra ones, exact. */
export interface Counts {
  neurons: bigint;
  connections: bigint;
  trainableParameters: bigint;
  nonTrainableParameters: bigint;
  macs: bigint;
  /** Bytes-independent element counts; memory is these times the dtype size. */
  activations: bigint;
}

/** The analysis of one layer or block. */
export interface LayerResult extends Counts {
  /** 1-based position among its siblings. */
  index: number;
  /** Where it stands in the spec, e.g. `layers[3].body[1]`. */
  path: string;
  name: string;
  type: LayerType;
  spec: LayerSpec;
  inputShape: Shape;
  outputShape: Shape;
  /** Tutorial (a): incoming weights per neuron, bias included; null when it has no weights. */
  weightsPerNeuron: bigint | null;
  /** The resolved window for sliding-window layers (conv, pooling), for the working. */
  window?: Window;
  /** The input this layer read when an implied flatten reshaped it. */
  flattenedFrom?: Shape;
  receptiveField: ReceptiveField | null;
  /** Children of a block (residual: body then shortcut; repeat and denseblock: expanded). */
  layers?: LayerResult[];
  /** Children of a concat block, per branch. */
  branches?: LayerResult[][];
  /** For residual blocks: the shortcut's layers. */
  shortcut?: LayerResult[];
}

/** The analysis of a whole network. */
export interface Analysis {
  name: string | null;
  input: Shape;
  layers: LayerResult[];
  totals: Counts & { parameters: bigint };
  output: Shape;
  warnings: Warning[];
  assumptions: Assumption[];
}
