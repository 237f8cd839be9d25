/**
 * Builds the TensorFlow.js (Keras) counterpart of a cnncalc spec, layer by layer, so that the
 * differential test can compare output shapes and parameter counts. Only the mapping lives here:
 * no shape arithmetic is duplicated, every shape comes from TF.js itself.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import type { LayerSpec, Padding, Size } from "../../src/core/types.js";

type Sym = tfl.SymbolicTensor;

let ready: Promise<boolean> | undefined;

/** Selects the CPU backend once, with TF.js's console advice silenced (PROD mode). */
export function setupTfjs(): Promise<boolean> {
  tf.env().set("PROD", true);
  ready ??= tf.setBackend("cpu");
  return ready;
}

/** Keras has no grouped Conv2D in TF.js: a slice of the channels, for building one from groups. */
class ChannelSlice extends tfl.layers.Layer {
  static className = "ChannelSlice";
  constructor(
    private readonly begin: number,
    private readonly size: number,
  ) {
    super({});
  }
  override computeOutputShape(shape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const s = (Array.isArray(shape[0]) ? shape[0] : shape) as tfl.Shape;
    return [...s.slice(0, -1), this.size];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const begin = x.shape.map((_, i) => (i === x.shape.length - 1 ? this.begin : 0));
    const size = x.shape.map((_, i) => (i === x.shape.length - 1 ? this.size : -1));
    return tf.slice(x, begin, size);
  }
}

const pair = (v: Size | undefined, d: number, rank: number): number[] => {
  const value = v ?? d;
  if (typeof value === "number") return Array.from({ length: rank }, () => value);
  return value.length === 1 ? Array.from({ length: rank }, () => value[0] as number) : value;
};

/** Explicit padding becomes a ZeroPadding2D before a "valid" layer, as Keras expresses it. */
function padded(x: Sym, padding: Padding | undefined): { x: Sym; mode: "same" | "valid" } {
  if (padding === "same" || padding === "valid") return { x, mode: padding };
  const p = pair(padding, 0, 2);
  if (p.every((v) => v === 0)) return { x, mode: "valid" };
  const layer = tfl.layers.zeroPadding2d({
    padding: [
      [p[0] as number, p[0] as number],
      [p[1] as number, p[1] as number],
    ],
  });
  return { x: layer.apply(x) as Sym, mode: "valid" };
}

/** cnncalc's padding or cropping (Keras' forms, 2-D) as Keras' [[top, bottom], [left, right]]. */
function kerasPads(
  v: number | number[] | [number, number][],
): [[number, number], [number, number]] {
  const side = (d: number | [number, number] | undefined): [number, number] =>
    Array.isArray(d) ? d : [d ?? 0, d ?? 0];
  if (typeof v === "number") return [side(v), side(v)];
  if (v.length === 1) return [side(v[0]), side(v[0])];
  return [side(v[0]), side(v[1])];
}

const rankOf = (x: Sym) => x.shape.length - 2;
const channelsOf = (x: Sym) => x.shape[x.shape.length - 1] as number;

function conv(spec: Extract<LayerSpec, { type: "conv" }>, input: Sym): Sym {
  const rank = rankOf(input);
  const common = {
    kernelSize: pair(spec.kernel, 1, rank) as [number, number],
    strides: pair(spec.stride, 1, rank) as [number, number],
    dilationRate: pair(spec.dilation, 1, rank) as [number, number],
    useBias: spec.bias !== false,
  };
  if (rank === 1 || rank === 3) {
    const pad = (spec.padding ?? "valid") as "same" | "valid";
    const make = rank === 1 ? tfl.layers.conv1d : tfl.layers.conv3d;
    return make({ ...common, filters: spec.filters, padding: pad }).apply(input) as Sym;
  }
  const { x, mode } = padded(input, spec.padding);
  const C = channelsOf(x);
  const groups = spec.groups ?? 1;
  if (groups === 1) {
    return tfl.layers.conv2d({ ...common, filters: spec.filters, padding: mode }).apply(x) as Sym;
  }
  // TF.js's DepthwiseConv2D ignores dilationRate ("TODO: Add support for dilation" in its
  // source), so dilated depthwise convolutions take the grouped route below
  if (groups === C && common.dilationRate.every((d) => d === 1)) {
    return tfl.layers
      .depthwiseConv2d({ ...common, depthMultiplier: spec.filters / C, padding: mode })
      .apply(x) as Sym;
  }
  // a grouped convolution by its definition: each group of C/g maps feeds F/g filters
  const inPer = C / groups;
  const outs = Array.from({ length: groups }, (_, g) => {
    const slice = new ChannelSlice(g * inPer, inPer).apply(x) as Sym;
    return tfl.layers
      .conv2d({ ...common, filters: spec.filters / groups, padding: mode })
      .apply(slice) as Sym;
  });
  return tfl.layers.concatenate().apply(outs) as Sym;
}

function pool(spec: Extract<LayerSpec, { type: "maxpool" | "avgpool" }>, input: Sym): Sym {
  const rank = rankOf(input);
  const args = {
    poolSize: pair(spec.kernel, 1, rank),
    strides: pair(spec.stride ?? spec.kernel, 1, rank),
  };
  if (rank !== 2) {
    const padding = (spec.padding ?? "valid") as "same" | "valid";
    const max = spec.type === "maxpool";
    const make =
      rank === 1
        ? max
          ? tfl.layers.maxPooling1d
          : tfl.layers.averagePooling1d
        : max
          ? tfl.layers.maxPooling3d
          : tfl.layers.averagePooling3d;
    return make({ ...args, padding } as never).apply(input) as Sym;
  }
  const { x, mode } = padded(input, spec.padding);
  const make = spec.type === "maxpool" ? tfl.layers.maxPooling2d : tfl.layers.averagePooling2d;
  return make({ ...args, padding: mode } as never).apply(x) as Sym;
}

/** Applies one cnncalc layer (or block) to a TF.js symbolic tensor. */
export function applyLayer(spec: LayerSpec, x: Sym): Sym {
  switch (spec.type) {
    case "conv":
      return conv(spec, x);
    case "convtranspose":
      return tfl.layers
        .conv2dTranspose({
          filters: spec.filters,
          kernelSize: pair(spec.kernel, 1, 2),
          strides: pair(spec.stride, 1, 2),
          padding: (spec.padding ?? "valid") as "same" | "valid",
          useBias: spec.bias !== false,
        })
        .apply(x) as Sym;
    case "maxpool":
    case "avgpool":
      return pool(spec, x);
    case "globalavgpool":
    case "globalmaxpool": {
      const rank = rankOf(x);
      const avg = spec.type === "globalavgpool";
      const make =
        rank === 1
          ? avg
            ? tfl.layers.globalAveragePooling1d
            : tfl.layers.globalMaxPooling1d
          : avg
            ? tfl.layers.globalAveragePooling2d
            : tfl.layers.globalMaxPooling2d;
      const y = make({}).apply(x) as Sym;
      // TF.js's global pooling has no keepDims (Keras' keepdims=True): a reshape to [1, 1, C]
      if (spec.keepdims !== true) return y;
      const target = [...Array.from({ length: rank }, () => 1), channelsOf(x)];
      return tfl.layers.reshape({ targetShape: target }).apply(y) as Sym;
    }
    case "upsample": {
      if (rankOf(x) !== 2 || spec.scale === undefined || spec.size !== undefined) {
        throw new Error("Keras' UpSampling2D takes an integer scale in 2-D only");
      }
      return tfl.layers
        .upSampling2d({
          size: pair(spec.scale, 1, 2),
          interpolation: spec.mode === "linear" ? "bilinear" : "nearest",
        })
        .apply(x) as Sym;
    }
    case "zeropad":
      return tfl.layers.zeroPadding2d({ padding: kerasPads(spec.padding) }).apply(x) as Sym;
    case "crop":
      return tfl.layers.cropping2D({ cropping: kerasPads(spec.cropping) }).apply(x) as Sym;
    case "dense": {
      const flat = x.shape.length > 2 ? (tfl.layers.flatten().apply(x) as Sym) : x;
      return tfl.layers
        .dense({ units: spec.units, useBias: spec.bias !== false })
        .apply(flat) as Sym;
    }
    case "flatten":
      return tfl.layers.flatten().apply(x) as Sym;
    case "activation":
      return tfl.layers.activation({ activation: "relu" }).apply(x) as Sym;
    case "dropout":
      return tfl.layers.dropout({ rate: spec.rate ?? 0.5 }).apply(x) as Sym;
    case "batchnorm":
      return tfl.layers.batchNormalization().apply(x) as Sym;
    case "residual": {
      const body = applyAll(spec.body, x);
      const shortcut = applyAll(spec.shortcut ?? [], x);
      return tfl.layers.add().apply([body, shortcut]) as Sym;
    }
    case "concat":
      return tfl.layers.concatenate().apply(spec.branches.map((b) => applyAll(b, x))) as Sym;
    case "denseblock": {
      let y = x;
      for (let k = 0; k < spec.repeat; k++) {
        y = tfl.layers.concatenate().apply([y, applyAll(spec.body, y)]) as Sym;
      }
      return y;
    }
    case "repeat": {
      let y = x;
      for (let k = 0; k < spec.times; k++) y = applyAll(spec.body, y);
      return y;
    }
    case "layernorm": {
      // Keras' axis: the channels (-1), or every axis but the batch for the whole input
      const all = Array.from({ length: rankOf(x) + 1 }, (_, i) => i + 1);
      return tfl.layers
        .layerNormalization({
          axis: spec.over === "all" ? all : -1,
          scale: spec.affine !== false,
          center: spec.affine !== false && spec.bias !== false,
        })
        .apply(x) as Sym;
    }
    case "prelu": {
      // one slope per channel: shared over the positions; one in all: shared over every axis
      const spatial = Array.from({ length: rankOf(x) }, (_, i) => i + 1);
      const sharedAxes = spec.shared === true ? [...spatial, spatial.length + 1] : spatial;
      return tfl.layers.prelu(sharedAxes.length === 0 ? {} : { sharedAxes }).apply(x) as Sym;
    }
    case "add":
    case "multiply": {
      const outs = spec.branches.map((b) => applyAll(b, x));
      if (outs.length === 1) return outs[0] as Sym;
      const merge = spec.type === "add" ? tfl.layers.add() : tfl.layers.multiply();
      return merge.apply(outs) as Sym;
    }
    case "subsample":
    case "lrn":
    case "groupnorm":
    case "instancenorm":
    case "layerscale":
    case "adaptiveavgpool":
    case "adaptivemaxpool":
    case "pixelshuffle":
    case "pixelunshuffle":
    case "channelshuffle":
    case "slice":
      throw new Error(`no Keras counterpart for ${spec.type}`);
    default: {
      const never: never = spec;
      throw new Error(`unknown layer ${JSON.stringify(never)}`);
    }
  }
}

/** Applies a list of layers in order. */
export function applyAll(layers: readonly LayerSpec[], x: Sym): Sym {
  let y = x;
  for (const l of layers) y = applyLayer(l, y);
  return y;
}

/** What Keras reports for a network: per top-level layer output shapes and parameter counts. */
export interface KerasFacts {
  shapes: number[][];
  trainable: number;
  nonTrainable: number;
}

/** Builds the Keras model of a spec and reads its shapes and counts, then frees its weights. */
export function kerasFacts(input: readonly number[], layers: readonly LayerSpec[]): KerasFacts {
  const inp = tfl.input({ shape: [...input] });
  const shapes: number[][] = [];
  let x: Sym = inp;
  for (const l of layers) {
    x = applyLayer(l, x);
    shapes.push(x.shape.slice(1) as number[]);
  }
  const model = tfl.model({ inputs: inp, outputs: x });
  const total = model.countParams();
  const trainable = model.trainableWeights.reduce(
    (sum, w) => sum + w.shape.reduce((p: number, d) => p * (d as number), 1),
    0,
  );
  tf.disposeVariables();
  return { shapes, trainable, nonTrainable: total - trainable };
}
