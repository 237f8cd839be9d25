/**
 * PyTorch's leaf modules as cnncalc layers: for each class, its parameters from its printed
 * arguments alone (what `sum(p.numel())` gives, whatever the input), and its layers, with the
 * reader's knowledge of the tensor (rank, channels) moved past it and every size the module
 * declares (`in_channels`, `in_features`, `num_features`) checked against the tensor it reads.
 */
import { cnnError, type Span } from "../../core/errors.js";
import type { ActivationName, LayerSpec } from "../../core/types.js";
import { type PyArgs, type PyValue, readArgs, type TorchModule } from "./tree.js";

/** What the reader knows of the tensor between modules. */
export interface Flow {
  /** Spatial dimensions (0: a flat vector); undefined until a module or the input says. */
  rank: number | undefined;
  /** Channels (features of a flat vector); undefined until known. */
  channels: number | undefined;
  /** The spatial sizes where the text fixes them (the input line, an adaptive pool). */
  dims: number[] | undefined;
  /** Whether the channels are the last axis in PyTorch's layout too (inside ConvNeXt's Permutes). */
  nhwc: boolean;
}

/** What a leaf's mapping may use of the reader. */
export interface LeafContext {
  flow: Flow;
  /** Records an assumption, once per `key` (by default its message). */
  assume(code: "torch-implied", message: string, key?: string): void;
  /** Fails with `torch-shape` at the module: a declared size the tensor before it does not have. */
  mismatch(module: TorchModule, message: string): never;
}

/** A module's printed arguments with typed accessors that fail at the module's line. */
export class Args {
  readonly raw: PyArgs;
  constructor(readonly module: TorchModule) {
    this.raw = readArgs(module);
  }

  /** Fails with `torch-module` at the module (or at one argument). */
  fail(why: string, span?: Span): never {
    const m = this.module;
    throw cnnError("torch-module", `${m.cls} ${where(m)}: ${why}; cnncalc has no layer for it`, {
      span: span ?? m.span,
    });
  }

  /** The value of keyword `key` or else of positional argument `pos`. */
  entry(key: string, pos?: number): { value: PyValue; span: Span } | undefined {
    return this.raw.keywords.get(key) ?? (pos === undefined ? undefined : this.raw.positional[pos]);
  }

  /** Fails unless every argument given is one of `keys` (by keyword, or by position). */
  only(keys: readonly string[]): void {
    for (const [k, v] of this.raw.keywords) {
      if (!keys.includes(k))
        this.fail(`the argument ${k}=${show(v.value)} is not one cnncalc reads`, v.span);
    }
    const extra = this.raw.positional[keys.length];
    if (extra) this.fail("more positional arguments than the class has", extra.span);
  }

  /** A whole number (keyword `key` or positional `pos`), `fallback` when absent. */
  int(key: string, pos?: number, fallback?: number): number {
    const e = this.entry(key, pos);
    if (e === undefined) {
      if (fallback !== undefined) return fallback;
      return this.fail(`${key} is missing`);
    }
    if (typeof e.value === "number" && Number.isSafeInteger(e.value) && e.value >= 0)
      return e.value;
    return this.fail(`${key} must be a whole number. Received: ${show(e.value)}`, e.span);
  }

  /** A size: one whole number, or a tuple of them (one per dimension). */
  size(key: string, pos?: number, fallback?: number): number[] {
    const e = this.entry(key, pos);
    if (e === undefined) {
      if (fallback !== undefined) return [fallback];
      return this.fail(`${key} is missing`);
    }
    const list = Array.isArray(e.value) ? e.value : [e.value];
    if (
      list.length > 0 &&
      list.every((v) => typeof v === "number" && Number.isSafeInteger(v) && v >= 0)
    ) {
      return list as number[];
    }
    return this.fail(
      `${key} must be a whole number or a tuple of them. Received: ${show(e.value)}`,
      e.span,
    );
  }

  /** True or False (keyword only, as print() shows flags), `fallback` when absent. */
  bool(key: string, fallback: boolean): boolean {
    const e = this.raw.keywords.get(key);
    if (e === undefined) return fallback;
    if (typeof e.value === "boolean") return e.value;
    return this.fail(`${key} must be True or False. Received: ${show(e.value)}`, e.span);
  }

  /** A bare name or a string (`mode=nearest`, `padding_mode=reflect`), `fallback` when absent. */
  word(key: string, fallback: string): string {
    const e = this.raw.keywords.get(key);
    if (e === undefined) return fallback;
    if (typeof e.value === "string") return e.value;
    return this.fail(`${key} must be a name. Received: ${show(e.value)}`, e.span);
  }

  /** A finite number (`p=0.5`); `fallback` when absent or None. */
  number(key: string, fallback?: number): number | undefined {
    const e = this.entry(key);
    if (e === undefined || e.value === null) return fallback;
    if (typeof e.value === "number" && Number.isFinite(e.value)) return e.value;
    return this.fail(`${key} must be a number. Received: ${show(e.value)}`, e.span);
  }
}

/** A Python value as print() shows it, for messages. */
export function show(v: PyValue): string {
  if (Array.isArray(v)) return `(${v.map(show).join(", ")}${v.length === 1 ? "," : ""})`;
  if (v === null) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  return String(v);
}

/** How messages name a module: `'layer1.0.conv1' (line 12)`. */
export function where(m: TorchModule): string {
  return m.path === "" ? `(line ${m.line})` : `'${m.path}' (line ${m.line})`;
}

/** A module's parameters from its arguments: trainable, non-trainable. */
export type ArgCounts = [trainable: bigint, nonTrainable: bigint];

/** One leaf class: its parameters from its arguments, and its layers. */
export interface Leaf {
  counts(a: Args, rank: number): ArgCounts;
  map(a: Args, ctx: LeafContext, rank: number): LayerSpec[];
}

const NONE: ArgCounts = [0n, 0n];
const product = (xs: readonly number[]) => xs.reduce((p, x) => p * BigInt(x), 1n);
/** A size for a spec: one number when every dimension has it. */
const compact = (xs: readonly number[]): number | number[] =>
  xs.every((x) => x === xs[0]) ? (xs[0] as number) : [...xs];
const isOne = (xs: readonly number[]) => xs.every((x) => x === 1);
const isZero = (xs: readonly number[]) => xs.every((x) => x === 0);

/** Checks the module's size per dimension against its rank (`kernel_size=(3, 3)` for a 2d). */
function perDim(a: Args, xs: number[], rank: number, key: string): number[] {
  if (rank > 0 && xs.length !== 1 && xs.length !== rank) {
    a.fail(`${key} has ${xs.length} values; expected ${rank}`);
  }
  return xs;
}

/** Sets or checks the tensor's spatial rank against a module that needs one (Conv2d: 2). */
function takeRank(a: Args, ctx: LeafContext, rank: number | readonly number[]): void {
  const ranks = typeof rank === "number" ? [rank] : rank;
  const f = ctx.flow;
  if (f.rank === undefined) {
    f.rank = ranks[ranks.length - 1] as number;
    return;
  }
  if (!ranks.includes(f.rank)) {
    const had =
      f.rank === 0 ? "a flat vector" : `a ${f.rank}-D tensor (${f.rank} spatial dimensions)`;
    ctx.mismatch(
      a.module,
      `${a.module.cls} ${where(a.module)} reads ${ranks.map((r) => (r === 0 ? "a flat vector" : `${r} spatial dimension${r === 1 ? "" : "s"}`)).join(" or ")}, but the module before it gives ${had}`,
    );
  }
}

/** Sets or checks the channels a module declares it reads. */
function takeChannels(a: Args, ctx: LeafContext, declared: number, what: string): void {
  const f = ctx.flow;
  if (f.channels === undefined) {
    f.channels = declared;
    return;
  }
  if (f.channels !== declared) {
    ctx.mismatch(
      a.module,
      `${a.module.cls} ${where(a.module)} reads ${declared} ${what}, but the module before it gives ${f.channels}`,
    );
  }
}

/** The spatial sizes change in a way the reader does not follow (the analysis does). */
function resized(ctx: LeafContext): void {
  ctx.flow.dims = undefined;
}

const named = (a: Args, spec: LayerSpec): LayerSpec => ({
  ...spec,
  name: a.module.path === "" ? a.module.cls : a.module.path,
});

/**
 * A convolution's parameters from its arguments: in × out / groups weights per kernel position
 * plus a bias per output channel. The same for a transposed convolution, whose weight tensor is
 * (in, out/groups, k…) where a convolution's is (out, in/groups, k…).
 */
function convCounts(a: Args): [bigint, bigint] {
  const inC = a.int("in_channels", 0);
  const out = a.int("out_channels", 1);
  const groups = a.int("groups", undefined, 1);
  if (groups < 1 || inC % groups !== 0 || out % groups !== 0) {
    a.fail(`groups=${groups} must divide in_channels=${inC} and out_channels=${out}`);
  }
  const weights = BigInt(out) * BigInt(inC / groups) * product(a.size("kernel_size", 2));
  return [weights + (a.bool("bias", true) ? BigInt(out) : 0n), 0n];
}

const conv: Leaf = {
  counts: convCounts,
  map(a, ctx, rank) {
    a.only([
      "in_channels",
      "out_channels",
      "kernel_size",
      "stride",
      "padding",
      "dilation",
      "groups",
      "bias",
      "padding_mode",
    ]);
    takeRank(a, ctx, rank);
    takeChannels(a, ctx, a.int("in_channels", 0), "channels");
    const filters = a.int("out_channels", 1);
    const kernel = perDim(a, a.size("kernel_size", 2), rank, "kernel_size");
    const stride = perDim(a, a.size("stride", 3, 1), rank, "stride");
    const dilation = perDim(a, a.size("dilation", undefined, 1), rank, "dilation");
    const groups = a.int("groups", undefined, 1);
    const pad = a.entry("padding", 4);
    let padding: number | number[] | "same" | "valid" | undefined;
    if (pad?.value === "same" || pad?.value === "valid") padding = pad.value;
    else {
      const p = perDim(a, a.size("padding", 4, 0), rank, "padding");
      padding = isZero(p) ? undefined : compact(p);
    }
    // padding_mode (reflect, replicate, circular) changes the padded values, not the counts
    a.word("padding_mode", "zeros");
    ctx.flow.channels = filters;
    resized(ctx);
    return [
      named(a, {
        type: "conv",
        filters,
        kernel: compact(kernel),
        ...(isOne(stride) ? {} : { stride: compact(stride) }),
        ...(padding === undefined ? {} : { padding }),
        ...(isOne(dilation) ? {} : { dilation: compact(dilation) }),
        ...(groups === 1 ? {} : { groups }),
        ...(a.bool("bias", true) ? {} : { bias: false }),
      }),
    ];
  },
};

const convTranspose: Leaf = {
  counts: convCounts,
  map(a, ctx, rank) {
    a.only([
      "in_channels",
      "out_channels",
      "kernel_size",
      "stride",
      "padding",
      "output_padding",
      "groups",
      "bias",
      "dilation",
      "padding_mode",
    ]);
    takeRank(a, ctx, rank);
    takeChannels(a, ctx, a.int("in_channels", 0), "channels");
    const filters = a.int("out_channels", 1);
    const stride = perDim(a, a.size("stride", 3, 1), rank, "stride");
    const padding = perDim(a, a.size("padding", 4, 0), rank, "padding");
    const outPad = perDim(a, a.size("output_padding", 5, 0), rank, "output_padding");
    const dilation = perDim(a, a.size("dilation", undefined, 1), rank, "dilation");
    const groups = a.int("groups", undefined, 1);
    ctx.flow.channels = filters;
    resized(ctx);
    return [
      named(a, {
        type: "convtranspose",
        filters,
        kernel: compact(perDim(a, a.size("kernel_size", 2), rank, "kernel_size")),
        ...(isOne(stride) ? {} : { stride: compact(stride) }),
        ...(isZero(padding) ? {} : { padding: compact(padding) }),
        ...(isZero(outPad) ? {} : { outputPadding: compact(outPad) }),
        ...(isOne(dilation) ? {} : { dilation: compact(dilation) }),
        ...(groups === 1 ? {} : { groups }),
        ...(a.bool("bias", true) ? {} : { bias: false }),
      }),
    ];
  },
};

const linear: Leaf = {
  counts(a) {
    const inF = BigInt(a.int("in_features", 0));
    const out = BigInt(a.int("out_features", 1));
    return [inF * out + (a.bool("bias", true) ? out : 0n), 0n];
  },
  map(a, ctx) {
    a.only(["in_features", "out_features", "bias"]);
    const inF = a.int("in_features", 0);
    const units = a.int("out_features", 1);
    const bias = a.bool("bias", true) ? {} : { bias: false };
    const f = ctx.flow;
    const out: LayerSpec[] = [];
    if (f.rank !== undefined && f.rank > 0 && f.nhwc) {
      // channels last in PyTorch too (between ConvNeXt's Permutes): a Linear mixes the channels
      // of each position, a 1×1 convolution
      takeChannels(a, ctx, inF, "features (the last axis)");
      f.channels = units;
      return [named(a, { type: "conv", filters: units, kernel: 1, ...bias })];
    }
    if (f.rank !== undefined && f.rank > 0) {
      // PyTorch's Linear on N×C×H×W would act on W: a printed model that runs one after a
      // convolution flattens in its forward (torchvision's ResNet: torch.flatten(x, 1))
      const known = f.dims !== undefined && f.channels !== undefined;
      const size = known
        ? (f.dims as number[]).reduce((p, x) => p * x, f.channels as number)
        : undefined;
      if (size !== undefined && size !== inF) {
        ctx.mismatch(
          a.module,
          `${a.module.cls} ${where(a.module)} reads ${inF} features, but the ${[...(f.dims as number[]), f.channels].join("×")} tensor before it flattens to ${size}`,
        );
      }
      const what = known
        ? `${[...(f.dims as number[]), f.channels].join("×")} input flattened to ${size} values`
        : `input (${f.rank} spatial dimension${f.rank === 1 ? "" : "s"} and channels) flattened`;
      ctx.assume(
        "torch-implied",
        `${a.module.cls} ${where(a.module)} reads its ${what}: the forward's torch.flatten(x, 1), not a module, so not printed`,
      );
      out.push({ type: "flatten", name: `${a.module.path}:flatten` });
      f.rank = 0;
      f.dims = undefined;
      f.channels = size ?? inF;
    }
    takeRank(a, ctx, 0);
    takeChannels(a, ctx, inF, "features");
    f.channels = units;
    out.push(named(a, { type: "dense", units, ...bias }));
    return out;
  },
};

/**
 * A BatchNorm's or InstanceNorm's parameters from its arguments: γ and β when `affine`, the
 * running mean and variance (non-trainable) when `track_running_stats`; the two classes differ
 * only in their defaults (on for BatchNorm, off for InstanceNorm).
 */
function normCounts(a: Args, byDefault: boolean): ArgCounts {
  const c = BigInt(a.int("num_features", 0));
  return [
    a.bool("affine", byDefault) ? 2n * c : 0n,
    a.bool("track_running_stats", byDefault) ? 2n * c : 0n,
  ];
}

const batchNorm: Leaf = {
  counts: (a) => normCounts(a, true),
  map(a, ctx, rank) {
    a.only(["num_features", "eps", "momentum", "affine", "track_running_stats"]);
    if (!a.bool("track_running_stats", true)) {
      a.fail("track_running_stats=False (cnncalc's batchnorm keeps running statistics)");
    }
    takeRank(a, ctx, rank === 1 ? [0, 1] : rank);
    takeChannels(a, ctx, a.int("num_features", 0), "channels");
    const affine = a.bool("affine", true);
    return [named(a, { type: "batchnorm", ...(affine ? {} : { gamma: false, beta: false }) })];
  },
};

const instanceNorm: Leaf = {
  counts: (a) => normCounts(a, false),
  map(a, ctx, rank) {
    a.only(["num_features", "eps", "momentum", "affine", "track_running_stats"]);
    takeRank(a, ctx, rank);
    takeChannels(a, ctx, a.int("num_features", 0), "channels");
    const affine = a.bool("affine", false);
    const track = a.bool("track_running_stats", false);
    return [
      named(a, {
        type: "instancenorm",
        ...(affine ? { affine } : {}),
        ...(track ? { trackRunningStats: track } : {}),
      }),
    ];
  },
};

/** LayerNorm's normalized_shape. */
const normShape = (a: Args) => a.size("normalized_shape", 0);

const layerNorm: Leaf = {
  counts(a) {
    const per = a.bool("elementwise_affine", true) ? (a.bool("bias", true) ? 2n : 1n) : 0n;
    return [per * product(normShape(a)), 0n];
  },
  map(a, ctx) {
    a.only(["normalized_shape", "eps", "elementwise_affine", "bias"]);
    const shape = normShape(a);
    const f = ctx.flow;
    const affine = a.bool("elementwise_affine", true);
    if (affine && a.entry("bias") === undefined) {
      ctx.assume(
        "torch-implied",
        "LayerNorm does not print bias (PyTorch 2.1's bias=False): read as True, a β beside each γ",
      );
    }
    const spec = {
      type: "layernorm" as const,
      ...(affine ? (a.bool("bias", true) ? {} : { bias: false }) : { affine: false }),
    };
    if (shape.length === 1 && (f.rank === 0 || f.rank === undefined || f.nhwc)) {
      takeChannels(a, ctx, shape[0] as number, "features (the last axis)");
      return [named(a, spec)];
    }
    const rank = f.rank ?? shape.length - 1;
    if (shape.length === rank + 1) {
      // (C, H, W): the whole of each sample
      takeRank(a, ctx, rank);
      takeChannels(a, ctx, shape[0] as number, "channels");
      const dims = shape.slice(1);
      if (f.dims?.some((d, i) => d !== dims[i])) {
        ctx.mismatch(
          a.module,
          `${a.module.cls} ${where(a.module)} normalises ${shape.join("×")}, but the tensor before it is ${[f.channels, ...f.dims].join("×")}`,
        );
      }
      return [named(a, { ...spec, over: "all" })];
    }
    return a.fail(
      `normalized_shape ${show(shape)} covers the last ${shape.length} axes of a tensor of ${rank + 1} (channels first): neither the channels of each position nor the whole sample`,
    );
  },
};

/** torchvision's LayerNorm2d (ConvNeXt): a LayerNorm over the channels of each position. */
const layerNorm2d: Leaf = {
  counts: layerNorm.counts,
  map(a, ctx) {
    a.only(["normalized_shape", "eps", "elementwise_affine"]);
    const shape = normShape(a);
    if (shape.length !== 1)
      a.fail(`normalized_shape ${show(shape)} (LayerNorm2d normalises channels)`);
    if (a.bool("elementwise_affine", true)) {
      ctx.assume(
        "torch-implied",
        "LayerNorm does not print bias (PyTorch 2.1's bias=False): read as True, a β beside each γ",
      );
    }
    takeRank(a, ctx, 2);
    takeChannels(a, ctx, shape[0] as number, "channels");
    return [
      named(a, {
        type: "layernorm",
        ...(a.bool("elementwise_affine", true) ? {} : { affine: false }),
      }),
    ];
  },
};

const groupNorm: Leaf = {
  counts(a) {
    return [a.bool("affine", true) ? 2n * BigInt(a.int("num_channels", 1)) : 0n, 0n];
  },
  map(a, ctx) {
    a.only(["num_groups", "num_channels", "eps", "affine"]);
    takeChannels(a, ctx, a.int("num_channels", 1), "channels");
    const affine = a.bool("affine", true);
    return [
      named(a, {
        type: "groupnorm",
        groups: a.int("num_groups", 0),
        ...(affine ? {} : { affine }),
      }),
    ];
  },
};

const pool = (type: "maxpool" | "avgpool"): Leaf => ({
  counts: () => NONE,
  map(a, ctx, rank) {
    a.only(
      type === "maxpool"
        ? ["kernel_size", "stride", "padding", "dilation", "ceil_mode", "return_indices"]
        : [
            "kernel_size",
            "stride",
            "padding",
            "ceil_mode",
            "count_include_pad",
            "divisor_override",
          ],
    );
    takeRank(a, ctx, rank);
    const kernel = perDim(a, a.size("kernel_size", 0), rank, "kernel_size");
    const strideEntry = a.entry("stride", 1);
    const stride =
      strideEntry === undefined || strideEntry.value === null
        ? kernel
        : perDim(a, a.size("stride", 1), rank, "stride");
    const padding = perDim(a, a.size("padding", 2, 0), rank, "padding");
    if (!isOne(a.size("dilation", undefined, 1))) a.fail("a dilated pooling window");
    if (type === "avgpool" && a.entry("ceil_mode") === undefined) {
      ctx.assume(
        "torch-implied",
        `${a.module.cls} does not print ceil_mode: read as False, PyTorch's default (the first: ${where(a.module)})`,
        `ceil:${a.module.cls}`,
      );
    }
    const ceil = a.bool("ceil_mode", false);
    resized(ctx);
    return [
      named(a, {
        type,
        kernel: compact(kernel),
        stride: compact(stride),
        ...(isZero(padding) ? {} : { padding: compact(padding) }),
        ...(ceil ? { ceil } : {}),
      }),
    ];
  },
});

const adaptive = (type: "adaptiveavgpool" | "adaptivemaxpool"): Leaf => ({
  counts: () => NONE,
  map(a, ctx, rank) {
    a.only(type === "adaptiveavgpool" ? ["output_size"] : ["output_size", "return_indices"]);
    takeRank(a, ctx, rank);
    const e = a.entry("output_size", 0);
    if (e && Array.isArray(e.value) && e.value.includes(null)) {
      a.fail(
        "an output_size of None keeps that dimension's size; cnncalc needs every size",
        e.span,
      );
    }
    const out = perDim(a, a.size("output_size", 0), rank, "output_size");
    ctx.flow.dims = out.length === 1 ? Array.from({ length: rank }, () => out[0] as number) : out;
    return [named(a, { type, output: compact(out) })];
  },
});

const activation = (fn: ActivationName): Leaf => ({
  counts: () => NONE,
  map(a) {
    return [named(a, { type: "activation", function: fn })];
  },
});

const dropout: Leaf = {
  counts: () => NONE,
  map(a) {
    a.only(["p", "inplace"]);
    const p = a.number("p", 0.5) as number;
    return [named(a, { type: "dropout", rate: p })];
  },
};

/** A module that is the identity at inference: nothing in the spec. */
const nothing = (why: string): Leaf => ({
  counts: () => NONE,
  map(a, ctx) {
    ctx.assume("torch-implied", `${a.module.cls} ${why}: not a layer of the spec`);
    return [];
  },
});

const flatten: Leaf = {
  counts: () => NONE,
  map(a, ctx) {
    a.only(["start_dim", "end_dim"]);
    const start = a.entry("start_dim")?.value ?? 1;
    const end = a.entry("end_dim")?.value ?? -1;
    if (start !== 1 || end !== -1)
      a.fail(
        `start_dim=${show(start)}, end_dim=${show(end)} (only start_dim=1, end_dim=-1: every axis but the batch)`,
      );
    const f = ctx.flow;
    if (f.rank !== undefined && f.rank > 0) {
      f.channels =
        f.dims !== undefined && f.channels !== undefined
          ? f.dims.reduce((p, x) => p * x, f.channels)
          : undefined;
    }
    f.rank = 0;
    f.dims = undefined;
    return [named(a, { type: "flatten" })];
  },
};

const upsample = (fixed?: "nearest" | "linear"): Leaf => ({
  counts: () => NONE,
  map(a, ctx) {
    a.only(["size", "scale_factor", "mode", "align_corners", "recompute_scale_factor"]);
    const raw = a.word("mode", "nearest");
    const mode =
      fixed ??
      (raw === "nearest"
        ? "nearest"
        : ["linear", "bilinear", "trilinear"].includes(raw)
          ? "linear"
          : undefined);
    if (mode === undefined)
      a.fail(`mode=${raw} (cnncalc reads nearest, linear, bilinear and trilinear)`);
    const size = a.entry("size");
    const scale = a.entry("scale_factor");
    const numbers = (v: PyValue) => {
      const list = Array.isArray(v) ? v : [v];
      if (!list.every((x) => typeof x === "number" && x > 0))
        a.fail(`the size or scale ${show(v)}`);
      return list.length === 1 ? (list[0] as number) : (list as number[]);
    };
    resized(ctx);
    const by =
      size && size.value !== null
        ? { size: numbers(size.value) }
        : scale && scale.value !== null
          ? { scale: numbers(scale.value) }
          : a.fail("neither size nor scale_factor");
    return [named(a, { type: "upsample", ...by, ...(mode === "linear" ? { mode } : {}) })];
  },
});

const pad: Leaf = {
  counts: () => NONE,
  map(a, ctx, rank) {
    a.only(["padding", "value"]);
    takeRank(a, ctx, rank);
    const p = a.size("padding", 0);
    // PyTorch gives (left, right) of the last dimension first
    const pairs: [number, number][] = [];
    const list = p.length === 1 ? Array.from({ length: 2 * rank }, () => p[0] as number) : p;
    if (list.length !== 2 * rank) a.fail(`padding ${show(p)}; expected ${2 * rank} values`);
    for (let i = list.length - 2; i >= 0; i -= 2)
      pairs.push([list[i] as number, list[i + 1] as number]);
    resized(ctx);
    return [named(a, { type: "zeropad", padding: pairs })];
  },
};

/** Leaf classes by name. Classes with a dimensionality (`Conv2d`) are in RANKED, by stem. */
export const LEAVES: Readonly<Record<string, Leaf>> = {
  Linear: linear,
  LayerNorm: layerNorm,
  LayerNorm2d: layerNorm2d,
  GroupNorm: groupNorm,
  LocalResponseNorm: {
    counts: () => NONE,
    map: (a) => [named(a, { type: "lrn", size: a.int("size", 0) })],
  },
  ReLU: activation("relu"),
  ReLU6: activation("relu6"),
  LeakyReLU: activation("leakyrelu"),
  ELU: activation("elu"),
  GELU: activation("gelu"),
  SiLU: activation("silu"),
  Hardswish: activation("hardswish"),
  Hardsigmoid: activation("hardsigmoid"),
  Tanh: activation("tanh"),
  Sigmoid: activation("sigmoid"),
  Mish: activation("mish"),
  Softmax: {
    counts: () => NONE,
    map(a, ctx) {
      const dim = a.entry("dim")?.value;
      const f = ctx.flow;
      const channelsDim = f.rank === 0 || f.nhwc ? [1, -1] : [1];
      if (typeof dim !== "number" || !channelsDim.includes(dim)) {
        a.fail(
          `dim=${show(dim ?? null)} (cnncalc's softmax runs over the channels: dim=1, or -1 on a flat vector)`,
        );
      }
      return [named(a, { type: "activation", function: "softmax" })];
    },
  },
  PReLU: {
    counts: (a) => [BigInt(a.int("num_parameters", undefined, 1)), 0n],
    map(a, ctx) {
      const n = a.int("num_parameters", undefined, 1);
      if (n !== 1) takeChannels(a, ctx, n, "channels");
      return [named(a, { type: "prelu", ...(n === 1 ? { shared: true } : {}) })];
    },
  },
  Dropout: dropout,
  AlphaDropout: dropout,
  Identity: nothing("is the identity"),
  StochasticDepth: nothing("is the identity at inference (it drops paths in training only)"),
  Flatten: flatten,
  Permute: {
    counts: () => NONE,
    map: (a) =>
      a.fail(
        "print() does not show the axes it permutes to; cnncalc reads Permute inside torchvision's CNBlock only",
      ),
  },
  Upsample: upsample(),
  UpsamplingNearest2d: upsample("nearest"),
  UpsamplingBilinear2d: upsample("linear"),
  PixelShuffle: {
    counts: () => NONE,
    map: (a, ctx) => {
      resized(ctx);
      ctx.flow.channels = undefined;
      return [named(a, { type: "pixelshuffle", factor: a.int("upscale_factor", 0) })];
    },
  },
  PixelUnshuffle: {
    counts: () => NONE,
    map: (a, ctx) => {
      resized(ctx);
      ctx.flow.channels = undefined;
      return [named(a, { type: "pixelunshuffle", factor: a.int("downscale_factor", 0) })];
    },
  },
  ChannelShuffle: {
    counts: () => NONE,
    map: (a) => [named(a, { type: "channelshuffle", groups: a.int("groups", 0) })],
  },
};

/** Leaf classes with a dimensionality, by the stem before `1d`/`2d`/`3d`. */
export const RANKED: Readonly<Record<string, Leaf>> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  BatchNorm: batchNorm,
  InstanceNorm: instanceNorm,
  MaxPool: pool("maxpool"),
  AvgPool: pool("avgpool"),
  AdaptiveAvgPool: adaptive("adaptiveavgpool"),
  AdaptiveMaxPool: adaptive("adaptivemaxpool"),
  Dropout: dropout,
  ZeroPad: pad,
  ConstantPad: pad,
  ReflectionPad: pad,
  ReplicationPad: pad,
};

/** The leaf rule of a class and the rank its name gives (0 when none), or undefined. */
export function leafOf(cls: string): { leaf: Leaf; rank: number } | undefined {
  if (Object.hasOwn(LEAVES, cls)) return { leaf: LEAVES[cls] as Leaf, rank: 0 };
  const m = /^([A-Za-z]+)([123])d$/.exec(cls);
  if (m && Object.hasOwn(RANKED, m[1] as string)) {
    return { leaf: RANKED[m[1] as string] as Leaf, rank: Number(m[2]) };
  }
  return undefined;
}
