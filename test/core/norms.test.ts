import { describe, expect, it } from "vitest";
import { CnnError, type Diagnostic } from "../../src/core/errors.js";
import type { Context, LayerKind, Outcome, Step, Tensor } from "../../src/core/kind.js";
import { type LayerScaleSpec, layerscale } from "../../src/core/layers/layerscale.js";
import {
  type GroupNormSpec,
  groupnorm,
  type InstanceNormSpec,
  instancenorm,
  type LayerNormSpec,
  layernorm,
} from "../../src/core/layers/norms.js";
import { batchnorm } from "../../src/core/layers/passthrough.js";
import { type PReluSpec, prelu } from "../../src/core/layers/prelu.js";
import { shapeFromArray } from "../../src/core/shape.js";

type Spec = LayerNormSpec | GroupNormSpec | InstanceNormSpec | LayerScaleSpec | PReluSpec;

const KINDS: { readonly [T in Spec["type"]]: LayerKind<Extract<Spec, { type: T }>> } = {
  layernorm,
  groupnorm,
  instancenorm,
  layerscale,
  prelu,
};

/** A context for layers that ask nothing of it (these kinds are not blocks). */
const ctx: Context = {
  path: "layers[2]",
  warn() {},
  assume() {},
  sequence() {
    throw new Error("not a block");
  },
};

/** A tensor of a channels-last shape; its receptive field is passed through untouched. */
function tensor(shape: number[]): Tensor {
  const dims = shape.slice(0, -1);
  return {
    shape: shapeFromArray(shape),
    rf:
      dims.length === 0 ? null : { size: dims.map(() => 3), start: dims, jump: dims.map(() => 2) },
  };
}

function outcome(spec: Spec, input: number[] | Tensor): Outcome {
  const kind = KINDS[spec.type] as LayerKind<Spec>;
  const x = Array.isArray(input) ? tensor(input) : input;
  const out = kind.analyze(spec, x, ctx) as Outcome | Step<Outcome>;
  if ("next" in out) throw new Error("a layer, not a block");
  return out;
}

function failure(spec: Spec, input: number[]): Diagnostic {
  try {
    outcome(spec, input);
  } catch (e) {
    if (e instanceof CnnError) return e.diagnostic;
    throw e;
  }
  throw new Error("expected a CnnError");
}

interface Case {
  /** The framework layer whose parameters the row reproduces. */
  framework: string;
  /** Its parameter formula, worked. */
  formula: string;
  spec: Spec;
  /** Channels-last input; PyTorch's NCHW sizes reordered. */
  input: number[];
  trainable: bigint;
  nonTrainable: bigint;
}

// Parameter counts as the frameworks give them: PyTorch's sum(p.numel() for p in m.parameters())
// for trainable and its running_mean/running_var buffers for non-trainable (Keras' non-trainable
// weights; batchnorm counts them so, without PyTorch's num_batches_tracked counter).
const CASES: Case[] = [
  // layer normalization
  {
    framework: "nn.LayerNorm(64) on channels-last 56x56x64 (ConvNeXt's LayerNorm2d)",
    formula: "weight 64 + bias 64 = 2C",
    spec: { type: "layernorm" },
    input: [56, 56, 64],
    trainable: 128n,
    nonTrainable: 0n,
  },
  {
    framework: 'nn.LayerNorm(96, eps=1e-6) (over: "channels" written out)',
    formula: "2C = 192",
    spec: { type: "layernorm", over: "channels" },
    input: [56, 56, 96],
    trainable: 192n,
    nonTrainable: 0n,
  },
  {
    framework: "nn.LayerNorm(64, bias=False)",
    formula: "weight only: C",
    spec: { type: "layernorm", bias: false },
    input: [7, 7, 64],
    trainable: 64n,
    nonTrainable: 0n,
  },
  {
    framework: "nn.LayerNorm([64, 7, 7])",
    formula: "weight 64·7·7 + bias 64·7·7 = 2·3,136",
    spec: { type: "layernorm", over: "all" },
    input: [7, 7, 64],
    trainable: 6272n,
    nonTrainable: 0n,
  },
  {
    framework: "nn.LayerNorm([64, 7, 7], bias=False)",
    formula: "H·W·C = 3,136",
    spec: { type: "layernorm", over: "all", bias: false },
    input: [7, 7, 64],
    trainable: 3136n,
    nonTrainable: 0n,
  },
  {
    framework: "nn.LayerNorm([64, 7, 7], elementwise_affine=False)",
    formula: "no weights",
    spec: { type: "layernorm", over: "all", affine: false },
    input: [7, 7, 64],
    trainable: 0n,
    nonTrainable: 0n,
  },
  {
    framework: "nn.LayerNorm(64, elementwise_affine=False, bias=True): bias needs affine",
    formula: "no weights",
    spec: { type: "layernorm", affine: false, bias: true },
    input: [7, 7, 64],
    trainable: 0n,
    nonTrainable: 0n,
  },
  {
    framework: "nn.LayerNorm(512) on a flat vector (transformer-style); over all is the same",
    formula: "2C = 1,024",
    spec: { type: "layernorm", over: "all" },
    input: [512],
    trainable: 1024n,
    nonTrainable: 0n,
  },
  {
    framework: "keras.layers.LayerNormalization(axis=[1, 2, 3]) on 10x8x8x16 (3-D)",
    formula: "gamma + beta of 10·8·8·16 = 2·10,240",
    spec: { type: "layernorm", over: "all" },
    input: [10, 8, 8, 16],
    trainable: 20480n,
    nonTrainable: 0n,
  },
  // group normalization
  {
    framework: "nn.GroupNorm(8, 64)",
    formula: "weight 64 + bias 64 = 2C, whatever the groups",
    spec: { type: "groupnorm", groups: 8 },
    input: [56, 56, 64],
    trainable: 128n,
    nonTrainable: 0n,
  },
  {
    framework: "nn.GroupNorm(32, 256)",
    formula: "2C = 512",
    spec: { type: "groupnorm", groups: 32 },
    input: [14, 14, 256],
    trainable: 512n,
    nonTrainable: 0n,
  },
  {
    framework: "nn.GroupNorm(1, 64) (layer norm over all, but 2C weights)",
    formula: "2C = 128",
    spec: { type: "groupnorm", groups: 1 },
    input: [7, 7, 64],
    trainable: 128n,
    nonTrainable: 0n,
  },
  {
    framework: "nn.GroupNorm(64, 64) (instance norm with affine)",
    formula: "2C = 128",
    spec: { type: "groupnorm", groups: 64 },
    input: [7, 7, 64],
    trainable: 128n,
    nonTrainable: 0n,
  },
  {
    framework: "nn.GroupNorm(8, 64, affine=False)",
    formula: "no weights",
    spec: { type: "groupnorm", groups: 8, affine: false },
    input: [7, 7, 64],
    trainable: 0n,
    nonTrainable: 0n,
  },
  {
    framework:
      "keras.layers.GroupNormalization(groups=4) on a flat 32 (PyTorch accepts (N, C) too)",
    formula: "gamma + beta = 2C = 64",
    spec: { type: "groupnorm", groups: 4 },
    input: [32],
    trainable: 64n,
    nonTrainable: 0n,
  },
  // instance normalization
  {
    framework: "nn.InstanceNorm2d(64)",
    formula: "no weights, no running statistics (PyTorch's defaults)",
    spec: { type: "instancenorm" },
    input: [56, 56, 64],
    trainable: 0n,
    nonTrainable: 0n,
  },
  {
    framework: "nn.InstanceNorm2d(64, affine=True)",
    formula: "weight 64 + bias 64 = 2C",
    spec: { type: "instancenorm", affine: true },
    input: [56, 56, 64],
    trainable: 128n,
    nonTrainable: 0n,
  },
  {
    framework: "nn.InstanceNorm2d(64, track_running_stats=True)",
    formula: "running_mean 64 + running_var 64 = 2C buffers",
    spec: { type: "instancenorm", trackRunningStats: true },
    input: [56, 56, 64],
    trainable: 0n,
    nonTrainable: 128n,
  },
  {
    framework: "nn.InstanceNorm2d(64, affine=True, track_running_stats=True)",
    formula: "2C trainable + 2C buffers",
    spec: { type: "instancenorm", affine: true, trackRunningStats: true },
    input: [56, 56, 64],
    trainable: 128n,
    nonTrainable: 128n,
  },
  {
    framework: "nn.InstanceNorm1d(16, affine=True) on length 100",
    formula: "2C = 32",
    spec: { type: "instancenorm", affine: true },
    input: [100, 16],
    trainable: 32n,
    nonTrainable: 0n,
  },
  {
    framework: "nn.InstanceNorm3d(8, affine=True, track_running_stats=True)",
    formula: "2C + 2C",
    spec: { type: "instancenorm", affine: true, trackRunningStats: true },
    input: [4, 16, 16, 8],
    trainable: 16n,
    nonTrainable: 16n,
  },
  // LayerScale
  {
    framework: "ConvNeXt's gamma: nn.Parameter(1e-6 * torch.ones(96))",
    formula: "C = 96",
    spec: { type: "layerscale" },
    input: [56, 56, 96],
    trainable: 96n,
    nonTrainable: 0n,
  },
  {
    framework: "keras.applications.convnext LayerScale(1e-6, 768)",
    formula: "C = 768",
    spec: { type: "layerscale" },
    input: [7, 7, 768],
    trainable: 768n,
    nonTrainable: 0n,
  },
  // PReLU
  {
    framework: "nn.PReLU(num_parameters=64); keras PReLU(shared_axes=[1, 2])",
    formula: "one slope per channel: C",
    spec: { type: "prelu" },
    input: [28, 28, 64],
    trainable: 64n,
    nonTrainable: 0n,
  },
  {
    framework: "nn.PReLU() (PyTorch's default: one shared slope)",
    formula: "1",
    spec: { type: "prelu", shared: true },
    input: [28, 28, 64],
    trainable: 1n,
    nonTrainable: 0n,
  },
  {
    framework: "nn.PReLU(128) after nn.Linear(.., 128)",
    formula: "C = 128",
    spec: { type: "prelu", shared: false },
    input: [128],
    trainable: 128n,
    nonTrainable: 0n,
  },
];

describe("parameters of the normalisations, LayerScale and PReLU", () => {
  it.each(CASES)("$framework: $formula", (c) => {
    const out = outcome(c.spec, c.input);
    expect(out.trainableParameters ?? 0n).toBe(c.trainable);
    expect(out.nonTrainableParameters ?? 0n).toBe(c.nonTrainable);
  });

  it.each(CASES)("$framework works in place, counted as batchnorm is", (c) => {
    const input = tensor(c.input);
    const out = outcome(c.spec, input);
    const bn = batchnorm.analyze({ type: "batchnorm" }, input, ctx) as Outcome;
    // the same tensor out: shape and receptive field unchanged, as batchnorm's
    expect(out.output).toBe(input);
    expect(bn.output).toBe(input);
    // no neurons, connections, weights per neuron or MACs; activations left to the default
    // (the output's element count), all as batchnorm leaves them
    for (const key of [
      "neurons",
      "connections",
      "macs",
      "activations",
      "weightsPerNeuron",
    ] as const) {
      expect(out[key], key).toBe(bn[key]);
      expect(out[key], key).toBeUndefined();
    }
  });
});

describe("errors", () => {
  it("groupnorm: the groups must divide the channels", () => {
    const d = failure({ type: "groupnorm", groups: 32 }, [7, 7, 48]);
    expect(d).toEqual({
      code: "groups-mismatch",
      path: "layers[2].groups",
      message:
        "groups must divide the input channels; expected a divisor of 48. Received: groups=32, channels=48",
    });
    expect(failure({ type: "groupnorm", groups: 0 }, [7, 7, 48]).code).toBe("groups-mismatch");
    expect(failure({ type: "groupnorm", groups: 1.5 }, [7, 7, 48]).code).toBe("groups-mismatch");
    expect(failure({ type: "groupnorm", groups: 128 }, [7, 7, 64]).message).toContain(
      "expected a divisor of 64. Received: groups=128",
    );
  });

  it("instancenorm: a flat input has no positions to take statistics over", () => {
    expect(failure({ type: "instancenorm", affine: true }, [64])).toEqual({
      code: "needs-spatial-input",
      path: "layers[2]",
      message:
        "instancenorm needs a spatial input (height × width × channels); received a flat vector of 64 values",
    });
  });
});
