import { cnnError } from "../../core/errors.js";
import { ACTIVATIONS, type ActivationName, type LayerSpec } from "../../core/types.js";

/** What the reader knows of a tensor: its spatial rank (0 when flat) and channels, if known. */
export interface Flow {
  rank: number;
  channels: number | undefined;
  /** Right after a global pool that dropped its dimensions: the rank it dropped. */
  pooledRank?: number | undefined;
}

/** One Keras layer as its JSON gives it. */
export interface KerasLayer {
  name: string;
  className: string;
  config: Record<string, unknown>;
  /** Where the layer's object is in the model's JSON, e.g. `config.layers[3]`. */
  path: string;
}

/**
 * The JSON path of a layer's option (`config.layers[3].config.padding`) when the layer gives it,
 * else of its class name: where a caret about it points.
 */
export function pathOf(layer: KerasLayer, key?: string): string {
  return key !== undefined && Object.hasOwn(layer.config, key)
    ? `${layer.path}.config.${key}`
    : `${layer.path}.class_name`;
}

/** Fails with `keras-layer`, naming the layer, at its option `key` (or its class name). */
export function refuse(layer: KerasLayer, why: string, key?: string): never {
  throw cnnError(
    "keras-layer",
    `Keras layer "${layer.name}" (${layer.className}): ${why}; cnncalc cannot count it exactly`,
    { path: pathOf(layer, key) },
  );
}

const KERAS_ACTIVATIONS: Readonly<Record<string, ActivationName>> = {
  swish: "silu",
  hard_sigmoid: "hardsigmoid",
  hard_silu: "hardswish",
  hard_swish: "hardswish",
  leaky_relu: "leakyrelu",
};

/** A Keras activation name as cnncalc's, undefined for linear; fails on one cnncalc lacks. */
function activationOf(layer: KerasLayer, key = "activation"): ActivationName | undefined {
  const value = layer.config[key];
  if (value === undefined || value === null || value === "linear") return undefined;
  const name =
    typeof value === "object" && value !== null && "config" in value
      ? (value as { config: unknown }).config
      : value;
  const raw =
    typeof name === "object" && name !== null && "name" in name
      ? (name as { name: unknown }).name
      : name;
  if (typeof raw !== "string") return refuse(layer, "an activation that is not a name", key);
  const mapped = KERAS_ACTIVATIONS[raw] ?? raw;
  if ((ACTIVATIONS as readonly string[]).includes(mapped)) {
    return mapped === "linear" ? undefined : (mapped as ActivationName);
  }
  return refuse(layer, `the activation "${raw}"`, key);
}

function ints(layer: KerasLayer, key: string, fallback?: number[] | number): number | number[] {
  const v = layer.config[key] ?? fallback;
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (Array.isArray(v) && v.every((x) => typeof x === "number" && Number.isInteger(x))) {
    return v.length === 1 ? (v[0] as number) : (v as number[]);
  }
  return refuse(layer, `${key} ${JSON.stringify(v)} is not an integer or a list of integers`, key);
}

function padding(layer: KerasLayer): "valid" | "same" {
  const p = layer.config.padding ?? "valid";
  if (p === "valid" || p === "same") return p;
  return refuse(layer, `padding ${JSON.stringify(p)} (only "valid" and "same")`, "padding");
}

function channelsLast(layer: KerasLayer): void {
  const f = layer.config.data_format;
  if (f !== undefined && f !== null && f !== "channels_last") {
    refuse(layer, `data_format "${String(f)}" (only channels_last)`, "data_format");
  }
}

/** The last axis: -1, or the tensor's rank + 1 (Keras counts the batch). */
function lastAxis(layer: KerasLayer, flow: Flow): void {
  const raw = layer.config.axis ?? -1;
  const a = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
  if (a !== -1 && a !== flow.rank + 1) {
    refuse(layer, `axis ${JSON.stringify(raw)} (only the last)`, "axis");
  }
}

const bias = (layer: KerasLayer) => layer.config.use_bias !== false;
const named = <T extends LayerSpec>(layer: KerasLayer, spec: T): T => ({
  ...spec,
  name: layer.name,
});
const withAct = (a: ActivationName | undefined) => (a === undefined ? {} : { activation: a });

function needChannels(layer: KerasLayer, flow: Flow): number {
  if (flow.channels === undefined) return refuse(layer, "its input's channels are not known");
  return flow.channels;
}

/**
 * Refuses what changes a layer's weights from its formula's: Keras 3's LoRA (`lora_rank` adds two
 * low-rank kernels), quantization (an int8 or float8 kernel with scales), whether by
 * `quantization_config` or by a quantized dtype policy.
 */
function countedAsFloat(layer: KerasLayer): void {
  const c = layer.config;
  if (c.lora_rank !== undefined && c.lora_rank !== null && c.lora_rank !== 0) {
    refuse(
      layer,
      `LoRA (lora_rank ${JSON.stringify(c.lora_rank)}) adds low-rank kernels`,
      "lora_rank",
    );
  }
  if (c.quantization_config !== undefined && c.quantization_config !== null) {
    refuse(layer, "a quantized layer (quantization_config)", "quantization_config");
  }
  const dtype = c.dtype;
  const policy =
    typeof dtype === "object" && dtype !== null && "class_name" in dtype
      ? String((dtype as { class_name: unknown }).class_name)
      : "";
  if (/quantized/i.test(policy)) refuse(layer, `a quantized dtype policy (${policy})`, "dtype");
}

/**
 * Maps one single-input Keras layer to cnncalc layers, updating `flow`. Fails with `keras-layer`
 * on a class or an option cnncalc cannot count exactly.
 */
export function mapLayer(layer: KerasLayer, flow: Flow): LayerSpec[] {
  const pooled = flow.rank;
  flow.pooledRank = undefined;
  const c = layer.config;
  countedAsFloat(layer);
  const cls = layer.className.replace(/^Convolution/, "Conv");
  const pool = cls.match(/^(Max|Average|Avg)Pool(?:ing)?([123])D$/);
  if (pool) {
    channelsLast(layer);
    const kernel = ints(layer, "pool_size", 2);
    return [
      named(layer, {
        type: pool[1] === "Max" ? "maxpool" : "avgpool",
        kernel,
        stride: c.strides === null || c.strides === undefined ? kernel : ints(layer, "strides"),
        padding: padding(layer),
      }),
    ];
  }
  const global = cls.match(/^Global(Max|Average|Avg)Pool(?:ing)?[123]D$/);
  if (global) {
    channelsLast(layer);
    const keepdims = c.keepdims === true;
    if (!keepdims) {
      flow.pooledRank = pooled;
      flow.rank = 0;
    }
    return [
      named(layer, {
        type: global[1] === "Max" ? "globalmaxpool" : "globalavgpool",
        ...(keepdims ? { keepdims } : {}),
      }),
    ];
  }
  switch (cls) {
    case "Conv1D":
    case "Conv2D":
    case "Conv3D": {
      channelsLast(layer);
      const filters = ints(layer, "filters");
      if (typeof filters !== "number") return refuse(layer, "filters is not an integer", "filters");
      const groups = c.groups ?? 1;
      const kernel = ints(layer, "kernel_size");
      const dilation = ints(layer, "dilation_rate", 1);
      // Conv1D's causal padding is (kernel - 1) × dilation zeros before the sequence, then a
      // valid convolution: exactly a ZeroPadding1D((before, 0)) and the conv
      const causal = cls === "Conv1D" && c.padding === "causal";
      const pad: LayerSpec[] = [];
      if (causal && typeof kernel === "number" && typeof dilation === "number") {
        pad.push({
          type: "zeropad",
          name: `${layer.name}/causal`,
          padding: [[(kernel - 1) * dilation, 0]],
        });
      }
      const conv = named(layer, {
        type: "conv",
        filters,
        kernel,
        stride: ints(layer, "strides", 1),
        padding: causal ? "valid" : padding(layer),
        dilation,
        ...(groups === 1 ? {} : { groups: ints(layer, "groups") as number }),
        bias: bias(layer),
        ...withAct(activationOf(layer)),
      });
      flow.channels = filters;
      return [...pad, conv];
    }
    case "Conv2DTranspose":
    case "Conv3DTranspose":
    case "Conv1DTranspose": {
      channelsLast(layer);
      const filters = ints(layer, "filters") as number;
      const out = c.output_padding;
      flow.channels = filters;
      return [
        named(layer, {
          type: "convtranspose",
          filters,
          kernel: ints(layer, "kernel_size"),
          stride: ints(layer, "strides", 1),
          padding: padding(layer),
          ...(out === null || out === undefined
            ? {}
            : { outputPadding: ints(layer, "output_padding") }),
          dilation: ints(layer, "dilation_rate", 1),
          bias: bias(layer),
          ...withAct(activationOf(layer)),
        }),
      ];
    }
    case "DepthwiseConv2D":
    case "DepthwiseConv1D":
    case "SeparableConv2D":
    case "SeparableConv1D": {
      channelsLast(layer);
      const channels = needChannels(layer, flow);
      const m = ints(layer, "depth_multiplier", 1) as number;
      const separable = cls.startsWith("Separable");
      const depthwise: LayerSpec = {
        type: "conv",
        name: separable ? `${layer.name}/depthwise` : layer.name,
        filters: channels * m,
        groups: channels,
        kernel: ints(layer, "kernel_size"),
        stride: ints(layer, "strides", 1),
        padding: padding(layer),
        dilation: ints(layer, "dilation_rate", 1),
        bias: separable ? false : bias(layer),
        ...(separable ? {} : withAct(activationOf(layer))),
      };
      flow.channels = channels * m;
      if (!separable) return [depthwise];
      const filters = ints(layer, "filters") as number;
      flow.channels = filters;
      const pointwise: LayerSpec = {
        type: "conv",
        name: `${layer.name}/pointwise`,
        filters,
        kernel: 1,
        bias: bias(layer),
        ...withAct(activationOf(layer)),
      };
      return [depthwise, pointwise];
    }
    case "Dense": {
      const units = ints(layer, "units") as number;
      const act = withAct(activationOf(layer));
      flow.channels = units;
      // Keras' Dense on a spatial tensor acts on the last axis: a 1×1 convolution, not a flatten
      if (flow.rank > 0) {
        return [
          named(layer, { type: "conv", filters: units, kernel: 1, bias: bias(layer), ...act }),
        ];
      }
      return [named(layer, { type: "dense", units, bias: bias(layer), ...act })];
    }
    case "BatchNormalization": {
      lastAxis(layer, flow);
      if (c.renorm === true) refuse(layer, "batch renormalization (renorm)", "renorm");
      // scale is γ, center is β: each may be left out (scale: false before a ReLU, say)
      return [
        named(layer, {
          type: "batchnorm",
          ...(c.scale === false ? { gamma: false } : {}),
          ...(c.center === false ? { beta: false } : {}),
        }),
      ];
    }
    case "LayerNormalization": {
      lastAxis(layer, flow);
      // Keras 3's deprecated rms_scaling keeps γ and drops β, whatever center says
      const rms = c.rms_scaling === true;
      const center = c.center !== false && !rms;
      const scale = c.scale !== false || rms;
      if (center && !scale) refuse(layer, "center without scale", "scale");
      return [
        named(layer, {
          type: "layernorm",
          ...(scale ? (center ? {} : { bias: false }) : { affine: false }),
        }),
      ];
    }
    case "Flatten":
      if (flow.rank > 0) flow.channels = undefined;
      flow.rank = 0;
      return [named(layer, { type: "flatten" })];
    case "PReLU": {
      // Keras learns one slope per element of the input except along shared_axes (1-based,
      // the batch is axis 0): cnncalc's prelu has one per channel, or one in all
      const raw = c.shared_axes ?? [];
      const shared = new Set(typeof raw === "number" ? [raw] : Array.isArray(raw) ? raw : [NaN]);
      const positions = Array.from({ length: flow.rank }, (_, i) => i + 1);
      if (positions.some((a) => !shared.has(a))) {
        refuse(
          layer,
          `shared_axes ${JSON.stringify(c.shared_axes ?? null)}: one slope per position; cnncalc's prelu has one per channel (shared_axes ${JSON.stringify(positions)}) or one for all`,
          "shared_axes",
        );
      }
      const all = shared.has(flow.rank + 1);
      if (shared.size !== positions.length + (all ? 1 : 0)) {
        refuse(layer, `shared_axes ${JSON.stringify(c.shared_axes)}`, "shared_axes");
      }
      return [named(layer, { type: "prelu", ...(all ? { shared: true } : {}) })];
    }
    case "GroupNormalization": {
      lastAxis(layer, flow);
      const groups = ints(layer, "groups", 32);
      if (typeof groups !== "number") return refuse(layer, "groups is not an integer", "groups");
      const center = c.center !== false;
      const scale = c.scale !== false;
      if (center !== scale) {
        refuse(
          layer,
          "only one of center and scale (cnncalc's groupnorm has both γ and β or neither)",
          center ? "scale" : "center",
        );
      }
      return [named(layer, { type: "groupnorm", groups, ...(center ? {} : { affine: false }) })];
    }
    case "AlphaDropout":
    case "GaussianDropout":
    case "Dropout":
    case "SpatialDropout1D":
    case "SpatialDropout2D":
    case "SpatialDropout3D":
      return [
        named(layer, { type: "dropout", ...(typeof c.rate === "number" ? { rate: c.rate } : {}) }),
      ];
    case "Activation": {
      const a = activationOf(layer);
      return [named(layer, { type: "activation", function: a ?? "linear" })];
    }
    case "ReLU": {
      const max = c.max_value ?? null;
      if (
        (c.negative_slope ?? 0) !== 0 ||
        (c.threshold ?? 0) !== 0 ||
        (max !== null && max !== 6)
      ) {
        refuse(
          layer,
          "a ReLU with a slope, a threshold or a maximum other than 6",
          (c.negative_slope ?? 0) !== 0
            ? "negative_slope"
            : (c.threshold ?? 0) !== 0
              ? "threshold"
              : "max_value",
        );
      }
      return [named(layer, { type: "activation", function: max === 6 ? "relu6" : "relu" })];
    }
    case "LeakyReLU":
      return [named(layer, { type: "activation", function: "leakyrelu" })];
    case "ELU":
      return [named(layer, { type: "activation", function: "elu" })];
    case "Softmax":
      lastAxis(layer, flow);
      return [named(layer, { type: "activation", function: "softmax" })];
    case "ZeroPadding1D":
    case "ZeroPadding2D":
    case "ZeroPadding3D":
    case "Cropping1D":
    case "Cropping2D":
    case "Cropping3D": {
      channelsLast(layer);
      const pad = cls.startsWith("Zero");
      const raw = c[pad ? "padding" : "cropping"];
      // Keras 1-D gives (before, after) for its one dimension
      const v = cls.endsWith("1D") && Array.isArray(raw) ? [raw] : raw;
      return [
        named(
          layer,
          pad ? { type: "zeropad", padding: v as never } : { type: "crop", cropping: v as never },
        ),
      ];
    }
    case "UpSampling1D":
    case "UpSampling2D":
    case "UpSampling3D": {
      channelsLast(layer);
      const mode = c.interpolation ?? "nearest";
      if (mode !== "nearest" && mode !== "bilinear")
        refuse(layer, `interpolation "${String(mode)}"`, "interpolation");
      const scale = ints(layer, "size", 2);
      return [
        named(layer, {
          type: "upsample",
          scale,
          ...(mode === "bilinear" ? { mode: "linear" } : {}),
        }),
      ];
    }
    default:
      return refuse(layer, "a layer class with no cnncalc mapping");
  }
}
