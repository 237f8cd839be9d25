/*
 * ONNX operators as cnncalc layers: one function per single-input operator, each given the node,
 * its settings and the flow of its data input (spatial rank and channels; ONNX tensors are NCHW,
 * cnncalc's are channels-last), returning the layers and the flow after them. An operator or a
 * setting with no exact mapping is an error naming the node.
 */
import { cnnError } from "../../core/errors.js";
import type { ActivationName, LayerSpec, Size } from "../../core/types.js";
import { int, type OnnxNode } from "./messages.js";
import { axisOf, elements, known, type Value } from "./values.js";

/** What the reader knows of a data tensor: spatial rank (0 when flat) and channels, if known. */
export interface Flow {
  rank: number;
  channels: number | undefined;
  /**
   * A channel shuffle under way (ShuffleNet's Reshape to [N, g, C/g, H, W], Transpose of the two,
   * Reshape back): the groups and whether the transpose is done. Only those two operators may
   * read such a tensor.
   */
  shuffle?: { groups: number; transposed: boolean };
  /**
   * "last" after a Transpose to channels-last (`x.permute(0, 2, 3, 1)`, as ConvNeXt's blocks do):
   * the channels are the last axis, and only LayerNormalization over them, MatMul (a 1×1
   * convolution), activations and the Transpose back read such a tensor.
   */
  layout?: "last";
}

/** The operators that may read a channels-last view (Flow.layout). */
export const CHANNELS_LAST_OPS: ReadonlySet<string> = new Set([
  "Transpose",
  "LayerNormalization",
  "MatMul",
  "Dropout",
  "Relu",
  "Sigmoid",
  "Tanh",
  "HardSigmoid",
  "HardSwish",
  "LeakyRelu",
  "Elu",
  "Gelu",
  "Mish",
]);

/** A node as messages name it: `node 12 '/conv1/Conv' (op Conv)`. */
export function nodeLabel(node: OnnxNode, index: number): string {
  return `node ${index} '${node.name || `${node.op_type}_${index}`}' (op ${node.op_type})`;
}

/** What an operator mapping reads: its node, settings and inputs. */
export interface OpContext {
  node: OnnxNode;
  index: number;
  /** The node's name for its layers. */
  name: string;
  /** The flow of its (first) data input. */
  flow: Flow;
  /** An attribute's value, if the node has it. */
  attr(name: string): Value | undefined;
  /** An attribute's string value, if the node has it. */
  str(name: string): string | undefined;
  /** The constant value of input `slot`, if it is a constant the reader computed. */
  input(slot: number): Value | undefined;
  /** Whether input `slot` is given (not absent or ""). */
  given(slot: number): boolean;
  /** The dims of input `slot` when it is a weight (initializer, weight input or constant). */
  dims(slot: number): number[] | undefined;
  /** Notes an assumption the mapping made. */
  assume(code: "onnx-pad-mode", message: string): void;
}

/** Fails with `onnx-unsupported-op`, naming the node. */
export function unsupported(ctx: { node: OnnxNode; index: number }, why: string): never {
  throw cnnError(
    "onnx-unsupported-op",
    `${nodeLabel(ctx.node, ctx.index)}: ${why}; cnncalc cannot count it exactly`,
  );
}

/** What a mapping returns: the layers and the flow after them. */
export interface Mapped {
  layers: LayerSpec[];
  flow: Flow;
}

/** One size per spatial dimension, written once when all agree (`3` for `[3, 3]`). */
function size(values: readonly number[]): Size {
  const first = values[0] as number;
  return values.length > 0 && values.every((v) => v === first) ? first : [...values];
}

function ints(ctx: OpContext, name: string, fallback: number[]): number[] {
  const v = ctx.attr(name);
  if (v === undefined) return fallback;
  if (!known(v)) return unsupported(ctx, `attribute ${name} is not a list of integers`);
  return v.data.map((x) => Math.trunc(x));
}

function intAttr(ctx: OpContext, name: string, fallback: number): number {
  const v = ctx.attr(name)?.data[0];
  return typeof v === "number" ? v : fallback;
}

/** A required int attribute, or an error naming the node. */
function required(ctx: OpContext, name: string): number {
  const v = ctx.attr(name)?.data[0];
  if (typeof v !== "number") return unsupported(ctx, `no ${name} attribute`);
  return v;
}

/** The weight dims at a slot, or an error naming the node. */
function weightDims(ctx: OpContext, slot: number, what: string): number[] {
  const d = ctx.dims(slot);
  if (d === undefined)
    return unsupported(ctx, `its ${what} (input ${slot}) is not a weight of known shape`);
  return d;
}

function requireRank(ctx: OpContext, rank: number): void {
  if (ctx.flow.rank !== rank) {
    unsupported(
      ctx,
      `its kernel is ${rank}-D but its input has ${ctx.flow.rank === 0 ? "no" : ctx.flow.rank} spatial dimension${ctx.flow.rank === 1 ? "" : "s"}`,
    );
  }
}

/**
 * The padding of a sliding window: symmetric pads as a size, asymmetric ones as a zeropad layer
 * before it (same counts: padding has no weights), auto_pad SAME_UPPER as TensorFlow's "same".
 */
function windowPads(ctx: OpContext, rank: number): { padding: Size | "same"; before: LayerSpec[] } {
  const auto = ctx.str("auto_pad") ?? "NOTSET";
  if (auto === "SAME_UPPER") return { padding: "same", before: [] };
  if (auto === "VALID") return { padding: 0, before: [] };
  if (auto !== "NOTSET")
    return unsupported(ctx, `auto_pad ${auto} (only NOTSET, VALID, SAME_UPPER)`);
  const pads = ints(ctx, "pads", new Array(2 * rank).fill(0));
  if (pads.length !== 2 * rank) return unsupported(ctx, `pads [${pads}] is not 2 × ${rank} long`);
  const begin = pads.slice(0, rank);
  const end = pads.slice(rank);
  if (begin.every((b, i) => b === end[i])) return { padding: size(begin), before: [] };
  return {
    padding: 0,
    before: [
      {
        type: "zeropad",
        name: `${ctx.name}/pad`,
        padding: begin.map((b, i) => [b, end[i] as number]) as never,
      },
    ],
  };
}

function conv(ctx: OpContext): Mapped {
  const w = weightDims(ctx, 1, "weight");
  const rank = w.length - 2;
  requireRank(ctx, rank);
  const kernel = ints(ctx, "kernel_shape", w.slice(2));
  const groups = intAttr(ctx, "group", 1);
  const { padding, before } = windowPads(ctx, rank);
  const filters = w[0] as number;
  const spec: LayerSpec = {
    type: "conv",
    name: ctx.name,
    filters,
    kernel: size(kernel),
    stride: size(ints(ctx, "strides", new Array(rank).fill(1))),
    padding,
    dilation: size(ints(ctx, "dilations", new Array(rank).fill(1))),
    ...(groups === 1 ? {} : { groups }),
    bias: ctx.given(2),
  };
  return { layers: [...before, spec], flow: { rank, channels: filters } };
}

function convTranspose(ctx: OpContext): Mapped {
  const w = weightDims(ctx, 1, "weight");
  const rank = w.length - 2;
  requireRank(ctx, rank);
  if (ctx.attr("output_shape") !== undefined) unsupported(ctx, "output_shape (give pads instead)");
  const auto = ctx.str("auto_pad") ?? "NOTSET";
  if (auto !== "NOTSET" && auto !== "VALID") unsupported(ctx, `auto_pad ${auto}`);
  const pads = ints(ctx, "pads", new Array(2 * rank).fill(0));
  const begin = pads.slice(0, rank);
  if (!begin.every((b, i) => b === pads[rank + i])) unsupported(ctx, `asymmetric pads [${pads}]`);
  const groups = intAttr(ctx, "group", 1);
  const filters = (w[1] as number) * groups;
  const outPad = ints(ctx, "output_padding", new Array(rank).fill(0));
  const spec: LayerSpec = {
    type: "convtranspose",
    name: ctx.name,
    filters,
    kernel: size(ints(ctx, "kernel_shape", w.slice(2))),
    stride: size(ints(ctx, "strides", new Array(rank).fill(1))),
    padding: size(begin),
    ...(outPad.some((p) => p !== 0) ? { outputPadding: size(outPad) } : {}),
    dilation: size(ints(ctx, "dilations", new Array(rank).fill(1))),
    ...(groups === 1 ? {} : { groups }),
    bias: ctx.given(2),
  };
  return { layers: [spec], flow: { rank, channels: filters } };
}

function pool(ctx: OpContext, type: "maxpool" | "avgpool"): Mapped {
  const kernel = ints(ctx, "kernel_shape", []);
  const rank = kernel.length;
  requireRank(ctx, rank);
  if (ctx.node.output.length > 1 && ctx.node.output[1] !== "")
    unsupported(ctx, "its indices output");
  const dil = ints(ctx, "dilations", new Array(rank).fill(1));
  if (dil.some((d) => d !== 1))
    unsupported(ctx, `dilations [${dil}] (pooling has none in cnncalc)`);
  const { padding, before } = windowPads(ctx, rank);
  const ceil = intAttr(ctx, "ceil_mode", 0) === 1;
  const spec: LayerSpec = {
    type,
    name: ctx.name,
    kernel: size(kernel),
    // ONNX's stride defaults to 1, cnncalc's pooling stride to the kernel: always written
    stride: size(ints(ctx, "strides", new Array(rank).fill(1))),
    padding,
    ...(ceil ? { ceil } : {}),
  };
  return { layers: [...before, spec], flow: ctx.flow };
}

function flatOnly(ctx: OpContext): void {
  if (ctx.flow.rank !== 0) unsupported(ctx, "a spatial input (it reads a flat [N, features] one)");
}

function gemm(ctx: OpContext): Mapped {
  flatOnly(ctx);
  if (intAttr(ctx, "transA", 0) !== 0) unsupported(ctx, "transA = 1");
  const w = weightDims(ctx, 1, "weight");
  if (w.length !== 2) unsupported(ctx, `a weight of shape [${w}]`);
  const units = (intAttr(ctx, "transB", 0) === 1 ? w[0] : w[1]) as number;
  return {
    layers: [{ type: "dense", name: ctx.name, units, bias: ctx.given(2) }],
    flow: { rank: 0, channels: units },
  };
}

function matmul(ctx: OpContext): Mapped {
  const w = weightDims(ctx, 1, "weight");
  if (w.length !== 2) unsupported(ctx, `a weight of shape [${w}]`);
  const units = w[1] as number;
  if (ctx.flow.layout === "last" && ctx.flow.rank > 0) {
    // nn.Linear on a channels-last tensor acts on each position's channels: a 1×1 convolution
    return {
      layers: [{ type: "conv", name: ctx.name, filters: units, kernel: 1, bias: false }],
      flow: { ...ctx.flow, channels: units },
    };
  }
  flatOnly(ctx);
  return {
    layers: [{ type: "dense", name: ctx.name, units, bias: false }],
    flow: { rank: 0, channels: units },
  };
}

/** The full rank of a data tensor (batch, channels, spatial). */
const fullRank = (flow: Flow) => flow.rank + 2;

/** Fails unless `axis` is the channels axis (1 of NCHW); `what` names the setting. */
function channelAxis(ctx: OpContext, axis: number, what: string): void {
  if (axisOf(axis, fullRank(ctx.flow)) !== 1)
    unsupported(ctx, `${what} ${axis} (only the channels, axis 1)`);
}

function activation(ctx: OpContext, fn: ActivationName): Mapped {
  return { layers: [{ type: "activation", name: ctx.name, function: fn }], flow: ctx.flow };
}

function clip(ctx: OpContext): Mapped {
  // opset 11 on: min and max are inputs; before: attributes
  const bound = (slot: number, name: string): number | undefined => {
    const v = ctx.given(slot) ? ctx.input(slot) : ctx.attr(name);
    if (ctx.given(slot) && v === undefined) unsupported(ctx, `a ${name} that is not a constant`);
    const x = v?.data[0];
    return typeof x === "number" ? x : undefined;
  };
  const min = bound(1, "min");
  const max = bound(2, "max");
  if (min === 0 && max === 6) return activation(ctx, "relu6");
  if (min === 0 && max === undefined) return activation(ctx, "relu");
  return unsupported(ctx, `Clip(min=${min ?? "none"}, max=${max ?? "none"}) (only ReLU6 and ReLU)`);
}

function softmax(ctx: OpContext, opset: number): Mapped {
  const axis = intAttr(ctx, "axis", opset >= 13 ? -1 : 1);
  // before opset 13 Softmax flattened from `axis` on: axis 1 of a flat tensor is its features
  if (!(ctx.flow.rank === 0 && axisOf(axis, 2) === 1)) channelAxis(ctx, axis, "axis");
  return activation(ctx, "softmax");
}

function layerNorm(ctx: OpContext): Mapped {
  const a = axisOf(intAttr(ctx, "axis", -1), fullRank(ctx.flow));
  if (ctx.flow.layout === "last") {
    // channels-last: the last axis is the channels (ConvNeXt's LayerNorm)
    if (a !== fullRank(ctx.flow) - 1) unsupported(ctx, "axis other than the channels (the last)");
    return {
      layers: [{ type: "layernorm", name: ctx.name, ...(ctx.given(2) ? {} : { bias: false }) }],
      flow: ctx.flow,
    };
  }
  if (a !== 1)
    unsupported(
      ctx,
      "axis other than 1 (normalising the channels of a flat tensor, or all of C, H, W)",
    );
  const bias = ctx.given(2) ? {} : { bias: false };
  return {
    layers: [
      ctx.flow.rank === 0
        ? { type: "layernorm", name: ctx.name, ...bias }
        : { type: "layernorm", name: ctx.name, over: "all", ...bias },
    ],
    flow: ctx.flow,
  };
}

function pad(ctx: OpContext, opset: number): Mapped {
  const R = fullRank(ctx.flow);
  if (ctx.given(3)) unsupported(ctx, "an axes input");
  const v = opset >= 11 ? ctx.input(1) : ctx.attr("pads");
  if (v === undefined || !known(v)) return unsupported(ctx, "pads that are not a constant");
  const pads = v.data;
  if (pads.length !== 2 * R) return unsupported(ctx, `pads [${pads}] for a ${R}-D tensor`);
  if (pads[0] !== 0 || pads[1] !== 0 || pads[R] !== 0 || pads[R + 1] !== 0)
    unsupported(ctx, "padding of the batch or channels axis");
  if (pads.some((p) => p < 0)) unsupported(ctx, "negative pads (cropping)");
  const mode = ctx.str("mode") ?? "constant";
  if (mode !== "constant")
    ctx.assume(
      "onnx-pad-mode",
      `${nodeLabel(ctx.node, ctx.index)}: ${mode} padding is counted as zero padding (the same shape, no weights)`,
    );
  // torch's pooling exports a Pad of zeros before some pools: nothing to count
  if (pads.every((p) => p === 0)) return { layers: [], flow: ctx.flow };
  const padding = pads.slice(2, R).map((b, i) => [b, pads[R + 2 + i] as number]);
  return {
    layers: [{ type: "zeropad", name: ctx.name, padding: padding as never }],
    flow: ctx.flow,
  };
}

function resize(ctx: OpContext, opset: number): Mapped {
  const mode = ctx.str("mode") ?? "nearest";
  if (mode !== "nearest" && mode !== "linear" && mode !== "bilinear")
    unsupported(ctx, `mode ${mode}`);
  const R = fullRank(ctx.flow);
  const spatial = (v: Value, what: string): number[] => {
    if (!known(v) || v.data.length !== R)
      return unsupported(ctx, `${what} that are not ${R} constants`);
    return v.data.slice(2);
  };
  const common = { name: ctx.name, ...(mode === "nearest" ? {} : { mode: "linear" as const }) };
  const upsample = (s: number[], key: "scale" | "size"): Mapped => ({
    layers: [{ type: "upsample", ...common, [key]: size(s) }],
    flow: ctx.flow,
  });
  if (ctx.node.op_type === "Upsample") {
    const v = opset >= 9 ? ctx.input(1) : ctx.attr("scales");
    if (v === undefined) return unsupported(ctx, "scales that are not a constant");
    return upsample(spatial(v, "scales"), "scale");
  }
  // Resize: X, roi, scales, sizes (opset 11 on); X, scales (opset 10)
  const scalesSlot = opset >= 11 ? 2 : 1;
  if (ctx.given(3)) {
    const v = ctx.input(3);
    if (v === undefined) return unsupported(ctx, "sizes that are not a constant");
    return upsample(spatial(v, "sizes"), "size");
  }
  const v = ctx.input(scalesSlot);
  if (v === undefined) return unsupported(ctx, "scales that are not a constant");
  const s = spatial(v, "scales");
  if (!known(v) || v.data[0] !== 1 || v.data[1] !== 1)
    unsupported(ctx, "scaling of the batch or channels axis");
  return upsample(s, "scale");
}

function slice(ctx: OpContext, opset: number): Mapped {
  const get = (slot: number, name: string) => (opset >= 10 ? ctx.input(slot) : ctx.attr(name));
  const starts = get(1, "starts");
  const ends = get(2, "ends");
  const axes = ctx.given(3) || opset < 10 ? get(3, "axes") : undefined;
  const steps = opset >= 10 && ctx.given(4) ? ctx.input(4) : undefined;
  if (starts === undefined || ends === undefined || !known(starts) || !known(ends))
    return unsupported(ctx, "starts or ends that are not constants");
  const axisList = axes === undefined ? starts.data.map((_, i) => i) : axes.data;
  if (axisList.length !== 1 || axisOf(axisList[0] as number, fullRank(ctx.flow)) !== 1)
    return unsupported(ctx, "a slice of other axes than the channels");
  if (steps !== undefined && steps.data[0] !== 1) unsupported(ctx, "a step other than 1");
  const C = ctx.flow.channels;
  if (C === undefined) return unsupported(ctx, "its input's channels are not known");
  const clamp = (x: number) => Math.min(Math.max(x < 0 ? x + C : x, 0), C);
  const start = clamp(starts.data[0] as number);
  const end = clamp(ends.data[0] as number);
  if (end <= start) unsupported(ctx, `an empty slice [${start}, ${end})`);
  return {
    layers: [{ type: "slice", name: ctx.name, channels: [start, end] }],
    flow: { ...ctx.flow, channels: end - start },
  };
}

function reshape(ctx: OpContext, batch: number | undefined): Mapped {
  const v = ctx.input(1);
  if (v === undefined) return unsupported(ctx, "a shape that is not a constant");
  const [first, second, third] = v.data;
  const isBatch = first === "batch" || first === 0 || (batch !== undefined && first === batch);
  const { rank, channels: C, shuffle } = ctx.flow;
  if (shuffle === undefined && v.data.length === 2 && isBatch && second === -1) {
    if (rank === 0) return { layers: [], flow: ctx.flow };
    return {
      layers: [{ type: "flatten", name: ctx.name }],
      flow: { rank: 0, channels: undefined },
    };
  }
  // a channel shuffle: [N, g, C/g, ...spatial], then (after the transpose) back to [N, C, ...]
  if (
    shuffle === undefined &&
    isBatch &&
    rank > 0 &&
    v.data.length === rank + 3 &&
    typeof second === "number" &&
    typeof third === "number" &&
    second > 0 &&
    C !== undefined &&
    second * third === C
  ) {
    return { layers: [], flow: { ...ctx.flow, shuffle: { groups: second, transposed: false } } };
  }
  if (
    shuffle?.transposed === true &&
    isBatch &&
    v.data.length === rank + 2 &&
    (second === -1 || second === C)
  ) {
    return {
      layers: [{ type: "channelshuffle", name: ctx.name, groups: shuffle.groups }],
      flow: { rank, channels: C },
    };
  }
  return unsupported(
    ctx,
    `a reshape to [${v.data.map((d) => d ?? "?").join(", ")}] (only a flatten to [N, -1], or a channel shuffle)`,
  );
}

/** ReduceMean, ReduceMax over every spatial axis (`x.mean([2, 3])`): global pooling. */
function reduce(ctx: OpContext, opset: number, type: "globalavgpool" | "globalmaxpool"): Mapped {
  const R = fullRank(ctx.flow);
  // the axes: an input from opset 18 on, an attribute before
  const v = opset >= 18 && ctx.given(1) ? ctx.input(1) : ctx.attr("axes");
  if (v === undefined || !known(v)) return unsupported(ctx, "axes that are not constants");
  const axes = new Set(v.data.map((a) => axisOf(a, R)));
  const spatial = Array.from({ length: ctx.flow.rank }, (_, i) => i + 2);
  if (ctx.flow.rank === 0 || axes.size !== spatial.length || !spatial.every((a) => axes.has(a)))
    return unsupported(ctx, `a reduction over axes [${v.data}] (only every spatial axis)`);
  const keepdims = intAttr(ctx, "keepdims", 1) === 1;
  return {
    layers: [{ type, name: ctx.name, ...(keepdims ? { keepdims } : {}) }],
    flow: keepdims ? ctx.flow : { rank: 0, channels: ctx.flow.channels },
  };
}

/** Transpose: only the middle step of a channel shuffle ([N, g, C/g, ...] to [N, C/g, g, ...]). */
function transpose(ctx: OpContext): Mapped {
  const { shuffle, rank, layout } = ctx.flow;
  const perm = ctx.attr("perm")?.data ?? [];
  const is = (want: number[]) => perm.length === want.length && perm.every((p, i) => p === want[i]);
  const spatial = Array.from({ length: rank }, (_, i) => i + 2);
  if (shuffle !== undefined) {
    const swap = Array.from({ length: rank + 3 }, (_, i) => (i === 1 ? 2 : i === 2 ? 1 : i));
    if (shuffle.transposed || !is(swap))
      return unsupported(ctx, "a transpose of a reshaped tensor other than a channel shuffle's");
    return { layers: [], flow: { ...ctx.flow, shuffle: { ...shuffle, transposed: true } } };
  }
  // to channels-last ([0, 2, 3, 1]) and back ([0, 3, 1, 2]): a view, nothing to count
  if (rank > 0 && layout === undefined && is([0, ...spatial, 1]))
    return { layers: [], flow: { ...ctx.flow, layout: "last" } };
  if (rank > 0 && layout === "last" && is([0, rank + 1, ...spatial.map((a) => a - 1)]))
    return { layers: [], flow: { rank, channels: ctx.flow.channels } };
  return unsupported(
    ctx,
    `a transpose [${perm}] (only to channels-last and back, or a channel shuffle's)`,
  );
}

/** Opset-dependent mappings take the default domain's opset version. */
export type OpMapper = (ctx: OpContext, opset: number, batch: number | undefined) => Mapped;

const act =
  (fn: ActivationName): OpMapper =>
  (ctx) =>
    activation(ctx, fn);

/** Every single-input operator the reader maps, by op_type. */
export const OP_MAPPERS: Readonly<Record<string, OpMapper>> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  MaxPool: (ctx) => pool(ctx, "maxpool"),
  AveragePool: (ctx) => pool(ctx, "avgpool"),
  GlobalAveragePool: (ctx) => ({
    layers: [{ type: "globalavgpool", name: ctx.name, keepdims: true }],
    flow: ctx.flow,
  }),
  GlobalMaxPool: (ctx) => ({
    layers: [{ type: "globalmaxpool", name: ctx.name, keepdims: true }],
    flow: ctx.flow,
  }),
  Gemm: gemm,
  MatMul: matmul,
  BatchNormalization: (ctx) => {
    if (ctx.node.output.slice(1).some((o) => o !== ""))
      return unsupported(ctx, "training-mode outputs (running statistics)");
    return { layers: [{ type: "batchnorm", name: ctx.name }], flow: ctx.flow };
  },
  InstanceNormalization: (ctx) => ({
    layers: [{ type: "instancenorm", name: ctx.name, affine: true }],
    flow: ctx.flow,
  }),
  GroupNormalization: (ctx, opset) => {
    // opsets 18 to 20 give a scale and a bias per group; 21 on, per channel, as cnncalc counts
    if (opset < 21)
      unsupported(ctx, `opset ${opset} (its scale and bias are per group before opset 21)`);
    return {
      layers: [{ type: "groupnorm", name: ctx.name, groups: required(ctx, "num_groups") }],
      flow: ctx.flow,
    };
  },
  LayerNormalization: layerNorm,
  Relu: act("relu"),
  Sigmoid: act("sigmoid"),
  HardSigmoid: act("hardsigmoid"),
  HardSwish: act("hardswish"),
  Tanh: act("tanh"),
  LeakyRelu: act("leakyrelu"),
  Elu: act("elu"),
  Gelu: act("gelu"),
  Mish: act("mish"),
  Clip: clip,
  Softmax: softmax,
  PRelu: (ctx) => {
    const slope = weightDims(ctx, 1, "slope");
    return {
      layers: [
        { type: "prelu", name: ctx.name, ...(elements(slope) === 1 ? { shared: true } : {}) },
      ],
      flow: ctx.flow,
    };
  },
  Flatten: (ctx) => {
    if (axisOf(intAttr(ctx, "axis", 1), fullRank(ctx.flow)) !== 1)
      unsupported(ctx, "an axis other than 1");
    if (ctx.flow.rank === 0) return { layers: [], flow: ctx.flow };
    return {
      layers: [{ type: "flatten", name: ctx.name }],
      flow: { rank: 0, channels: undefined },
    };
  },
  Reshape: (ctx, _opset, batch) => reshape(ctx, batch),
  Transpose: transpose,
  ReduceMean: (ctx, opset) => reduce(ctx, opset, "globalavgpool"),
  ReduceMax: (ctx, opset) => reduce(ctx, opset, "globalmaxpool"),
  Dropout: (ctx, opset) => {
    const r = (opset >= 12 && ctx.given(1) ? ctx.input(1) : ctx.attr("ratio"))?.data[0];
    return {
      layers: [{ type: "dropout", name: ctx.name, ...(typeof r === "number" ? { rate: r } : {}) }],
      flow: ctx.flow,
    };
  },
  Pad: pad,
  Resize: resize,
  Upsample: resize,
  DepthToSpace: (ctx) => ({
    layers: [{ type: "pixelshuffle", name: ctx.name, factor: required(ctx, "blocksize") }],
    flow: ctx.flow,
  }),
  SpaceToDepth: (ctx) => ({
    layers: [{ type: "pixelunshuffle", name: ctx.name, factor: required(ctx, "blocksize") }],
    flow: ctx.flow,
  }),
  Slice: slice,
};

/** The weight inputs of each operator: what its parameters are (inputs by slot). */
export const WEIGHT_SLOTS: Readonly<Record<string, readonly number[]>> = {
  Conv: [1, 2],
  ConvTranspose: [1, 2],
  Gemm: [1, 2],
  MatMul: [1],
  BatchNormalization: [1, 2, 3, 4],
  InstanceNormalization: [1, 2],
  GroupNormalization: [1, 2],
  LayerNormalization: [1, 2],
  PRelu: [1],
};

/** The merges: operators joining several data tensors into one block. */
export const MERGE_OPS: Readonly<Record<string, "add" | "multiply" | "concat">> = {
  Add: "add",
  Sum: "add",
  Mul: "multiply",
  Concat: "concat",
};

/** Reads an int attribute of a node directly (for the graph walk, outside a mapping). */
export function nodeInt(node: OnnxNode, name: string, fallback: number): number {
  const a = node.attribute.find((x) => x.name === name);
  return a?.i === undefined ? fallback : int(a.i);
}
