/**
 * The order modules run in. print() shows a model's modules, not its forward(): a Sequential
 * runs its children in order, and torchvision's blocks (BasicBlock, Bottleneck,
 * InvertedResidual, MBConv, SqueezeExcitation, CNBlock, Fire, Inception, BasicConv2d,
 * _DenseBlock) have a known forward that becomes cnncalc's residual, multiply, concat and
 * denseblock blocks, and a few torchvision models a known forward (MODEL_EXTRAS). Any other container
 * (the model's own class, a ModuleList, a user's class) is read in printed order, and that is
 * said as an assumption.
 */
import { CnnError, cnnError, errorOf, type Span } from "../../core/errors.js";
import type { Assumption, LayerSpec } from "../../core/types.js";
import { type ArgCounts, Args, type Flow, type LeafContext, leafOf, where } from "./leaves.js";
import type { TorchModule } from "./tree.js";

/** Formats a count with thousands separators, as the tables do. */
const thousands = (n: bigint) => n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** A recognised block: the children it must have, its parameters beyond them, its layers. */
interface Block {
  /** Child names it must have, and may have. */
  needs: readonly string[];
  may?: readonly string[];
  /** A further condition on the children's names. */
  fits?(keys: readonly string[]): boolean;
  /** Parameters the block owns that print() does not show (ConvNeXt's layer_scale). */
  extra?(m: TorchModule, r: Reader): ArgCounts;
  map(m: TorchModule, r: Reader): LayerSpec[];
}

/** A layer's name: its module path, or the class for the model itself. */
const nameOf = (m: TorchModule) => (m.path === "" ? m.cls : m.path);

const child = (m: TorchModule, key: string) => m.children.find((c) => c.key === key) as TorchModule;

/** The first Conv's `out_channels` in a module's subtree. */
function firstConvOut(m: TorchModule): number | undefined {
  if (/^Conv[123]d$/.test(m.cls) && !m.container) return new Args(m).int("out_channels", 1);
  for (const c of m.children) {
    const n = firstConvOut(c);
    if (n !== undefined) return n;
  }
  return undefined;
}

/** The first Conv's `in_channels` in a module's subtree. */
export function firstConvIn(m: TorchModule): number | undefined {
  if (/^Conv[123]d$/.test(m.cls) && !m.container) return new Args(m).int("in_channels", 0);
  for (const c of m.children) {
    const n = firstConvIn(c);
    if (n !== undefined) return n;
  }
  return undefined;
}

/** Whether any convolution in a module's subtree has a stride other than 1. */
function strided(m: TorchModule): boolean {
  if (/^Conv[123]d$/.test(m.cls) && !m.container) {
    return new Args(m).size("stride", 3, 1).some((s) => s !== 1);
  }
  return m.children.some(strided);
}

/** The reader's state while it maps a tree. */
export class Reader implements LeafContext {
  flow: Flow;
  readonly assumptions: Assumption[] = [];
  private readonly said = new Set<string>();
  /** Where each spec object came from, for the located errors of the analysis. */
  readonly spans = new WeakMap<object, Span>();
  /** The whole model's parameters from its arguments (for the messages of a mismatch). */
  totals: ArgCounts = [0n, 0n];

  constructor(flow: Flow) {
    this.flow = flow;
  }

  /** Records an assumption once per `key` (by default its message). */
  assume(
    code: "torch-implied" | "torch-order" | "torch-parameters",
    message: string,
    key = message,
  ): void {
    if (this.said.has(key)) return;
    this.said.add(key);
    this.assumptions.push({ code, message });
  }

  /** The model's parameters from its arguments, as the messages of its errors give them. */
  totalsText(): string {
    const [t, n] = this.totals;
    return `From their arguments alone the model has ${thousands(t)} trainable and ${thousands(n)} non-trainable parameters`;
  }

  mismatch(module: TorchModule, message: string): never {
    throw cnnError(
      "torch-shape",
      `${message}; the modules cannot run in the order read. ${this.totalsText()}`,
      {
        span: module.span,
        hint: "a printed model does not show its forward(): the order of a container other than a Sequential or a torchvision block is read as printed",
      },
    );
  }

  /** The parameters of a module from its arguments alone, repeats multiplied. */
  counts(m: TorchModule): ArgCounts {
    let t = 0n;
    let n = 0n;
    if (emptyContainer(m)) return [0n, 0n];
    if (!m.container) {
      const leaf = leafOf(m.cls) ?? unknown(m);
      [t, n] = leaf.leaf.counts(new Args(m), leaf.rank);
    } else {
      for (const c of m.children) {
        const [ct, cn] = this.counts(c);
        t += ct;
        n += cn;
      }
      const block = blockOf(m);
      if (block?.extra) {
        const [et, en] = block.extra(m, this);
        t += et;
        n += en;
      }
    }
    return [t * BigInt(m.times), n * BigInt(m.times)];
  }

  /** The layers of a module, the flow moved past it. */
  map(m: TorchModule): LayerSpec[] {
    if (m.times > 1) {
      const before = this.flow.channels;
      const body = this.one(m);
      // the copies run one after another: the second must read what the first gives
      this.branch(() => this.one(m));
      if (before !== undefined && this.flow.channels !== before) {
        this.mismatch(
          m,
          `the ${m.times} identical ${m.cls} modules ${where(m)} cannot run one after another: each reads ${before} channels and gives ${this.flow.channels}`,
        );
      }
      return [this.tag({ type: "repeat", name: nameOf(m), times: m.times, body }, m)];
    }
    return this.one(m);
  }

  private one(m: TorchModule): LayerSpec[] {
    // an empty Sequential is the identity; an empty ModuleList holds nothing
    if (emptyContainer(m)) return [];
    if (!m.container) {
      const leaf = leafOf(m.cls) ?? unknown(m);
      try {
        return leaf.leaf.map(new Args(m), this, leaf.rank).map((s) => this.tag(s, m));
      } catch (e) {
        // a module cnncalc cannot write as a layer still has the parameters its arguments give
        if (!(e instanceof CnnError) || e.diagnostic.code !== "torch-module") throw e;
        throw errorOf({
          ...e.diagnostic,
          message: `${e.diagnostic.message}. ${this.totalsText()}`,
        });
      }
    }
    const block = blockOf(m);
    if (block) return block.map(m, this).map((s) => this.tag(s, m));
    const known = CONTAINERS[m.cls];
    // once per class: a model of 50 blocks of its own says it once, at the first
    const who = m.path === "" ? `${m.cls} ${where(m)}` : `every ${m.cls} (the first: ${where(m)})`;
    if (known === undefined) {
      const extra = m.args === "" ? "" : `; the arguments it prints (${m.args}) are not read`;
      this.assume(
        "torch-order",
        `${who} runs its children in the printed order, and has no parameters of its own besides theirs: print() shows neither its forward() nor the nn.Parameter attributes of a class cnncalc does not know${extra}`,
        `order:${m.cls}`,
      );
    } else if (known !== "") {
      this.assume("torch-order", `${who} ${known}`, `order:${m.cls}`);
    }
    return this.group(
      m,
      m.children.flatMap((c) => this.map(c)),
    );
  }

  /** Children under a named group (`layer1`), or the model's own list. */
  group(m: TorchModule, body: LayerSpec[]): LayerSpec[] {
    if (m.path === "" || body.length === 0) return body;
    return [this.tag({ type: "repeat", name: nameOf(m), times: 1, body }, m)];
  }

  /** Runs `f` from the current flow and restores it: a branch of a block. */
  branch(f: () => LayerSpec[]): { layers: LayerSpec[]; flow: Flow } {
    const saved = { ...this.flow };
    const layers = f();
    const flow = this.flow;
    this.flow = saved;
    return { layers, flow };
  }

  /** Records the module a spec object came from (its first one: a block's, not a child's). */
  tag<T extends LayerSpec>(spec: T, m: TorchModule): T {
    if (!this.spans.has(spec)) this.spans.set(spec, m.span);
    return spec;
  }
}

/** A container class printed without children (`Sequential()`). */
function emptyContainer(m: TorchModule): boolean {
  return !m.container && m.args === "" && Object.hasOwn(CONTAINERS, m.cls);
}

function unknown(m: TorchModule): never {
  throw cnnError(
    "torch-module",
    `unknown module ${m.cls} ${where(m)}: ${m.container ? "" : "it has no children to read, and "}cnncalc does not know what it computes`,
    {
      span: m.span,
      hint: "cnncalc reads PyTorch's layer modules (Conv2d, Linear, BatchNorm2d, pools, activations, ...), containers of them, and torchvision's blocks; see docs/pytorch.md",
    },
  );
}

/**
 * Containers that run their children in printed order: "" when that is their forward
 * (a Sequential and torchvision's Sequential subclasses), else the assumption to print.
 */
const CONTAINERS: Readonly<Record<string, string>> = {
  Sequential: "",
  Conv2dNormActivation: "",
  Conv3dNormActivation: "",
  _DenseLayer: "",
  _Transition: "",
  ModuleList:
    "runs its modules in the printed order: a ModuleList is not callable, and print() does not show the forward() that iterates it",
  ResNet:
    "runs its children in the printed order, as torchvision's ResNet.forward does (print() does not show forward())",
  VGG: "runs its children in the printed order, as torchvision's VGG.forward does (print() does not show forward())",
  EfficientNet:
    "runs its children in the printed order, as torchvision's EfficientNet.forward does (print() does not show forward())",
  ConvNeXt:
    "runs its children in the printed order, as torchvision's ConvNeXt.forward does (print() does not show forward())",
  MobileNetV3:
    "runs its children in the printed order, as torchvision's MobileNetV3.forward does (print() does not show forward())",
  GoogLeNet:
    "runs its children in the printed order, as torchvision's GoogLeNet.forward does without aux_logits (print() does not show forward())",
};

/** The tensor's channels must agree where branches meet. */
function sameChannels(r: Reader, m: TorchModule, flows: Flow[], how: string): void {
  const chans = flows.map((f) => f.channels);
  if (chans.some((c) => c !== undefined && c !== chans[0])) {
    r.mismatch(m, `${m.cls} ${where(m)} ${how} tensors of ${chans.join(" and ")} channels`);
  }
}

/** A residual block: the body and an optional shortcut from the same input, added. */
function residual(
  r: Reader,
  m: TorchModule,
  body: () => LayerSpec[],
  shortcut?: TorchModule,
): LayerSpec {
  const input = { ...r.flow };
  const b = r.branch(body);
  const s = shortcut ? r.branch(() => r.map(shortcut)) : { layers: [], flow: input };
  sameChannels(r, m, [b.flow, s.flow], "adds");
  r.flow = b.flow;
  return {
    type: "residual",
    name: nameOf(m),
    body: b.layers,
    ...(shortcut ? { shortcut: s.layers } : {}),
  };
}

/** An activation a forward() applies as a function (not a module, so not printed). */
function functional(r: Reader, m: TorchModule, fn: "relu", why: string): LayerSpec {
  r.assume("torch-implied", `${m.cls} ${why}`);
  return { type: "activation", function: fn, name: `${m.path}:${fn}` };
}

/** Residual when the block keeps its stride and channels (torchvision's use_res_connect). */
function maybeResidual(r: Reader, m: TorchModule, body: TorchModule): LayerSpec[] {
  const input = r.flow.channels ?? firstConvIn(body);
  const plain = r.branch(() => r.map(body));
  const keeps = !strided(body) && input !== undefined && plain.flow.channels === input;
  if (!keeps) {
    r.flow = plain.flow;
    return r.group(m, plain.layers);
  }
  r.flow = plain.flow;
  return [{ type: "residual", name: nameOf(m), body: plain.layers }];
}

const BLOCKS: Readonly<Record<string, Block>> = {
  BasicBlock: {
    needs: ["conv1", "bn1", "relu", "conv2", "bn2"],
    may: ["downsample"],
    map(m, r) {
      const c = (k: string) => child(m, k);
      const block = residual(
        r,
        m,
        () => [c("conv1"), c("bn1"), c("relu"), c("conv2"), c("bn2")].flatMap((x) => r.map(x)),
        m.children.find((x) => x.key === "downsample"),
      );
      return [block, ...r.map(c("relu"))];
    },
  },
  Bottleneck: {
    needs: ["conv1", "bn1", "conv2", "bn2", "conv3", "bn3", "relu"],
    may: ["downsample"],
    map(m, r) {
      const c = (k: string) => child(m, k);
      const order = ["conv1", "bn1", "relu", "conv2", "bn2", "relu", "conv3", "bn3"];
      const block = residual(
        r,
        m,
        () => order.flatMap((k) => r.map(c(k))),
        m.children.find((x) => x.key === "downsample"),
      );
      return [block, ...r.map(c("relu"))];
    },
  },
  // MobileNetV2 calls its body `conv`, MobileNetV3 `block`; the rule is the same
  InvertedResidual: {
    needs: [],
    may: ["conv", "block"],
    fits: (keys) => keys.length === 1,
    map: (m, r) => maybeResidual(r, m, m.children[0] as TorchModule),
  },
  _DenseBlock: {
    needs: [],
    fits: (keys) => keys.length > 0 && keys.every((k, i) => k === `denselayer${i + 1}`),
    map: denseBlock,
  },
  MBConv: {
    needs: ["block", "stochastic_depth"],
    map(m, r) {
      r.map(child(m, "stochastic_depth"));
      return maybeResidual(r, m, child(m, "block"));
    },
  },
  SqueezeExcitation: {
    needs: ["avgpool", "fc1", "fc2", "activation", "scale_activation"],
    map(m, r) {
      const c = (k: string) => child(m, k);
      const input = { ...r.flow };
      const gate = r.branch(() =>
        ["avgpool", "fc1", "activation", "fc2", "scale_activation"].flatMap((k) => r.map(c(k))),
      );
      sameChannels(r, m, [input, gate.flow], "multiplies");
      return [{ type: "multiply", name: nameOf(m), branches: [[], gate.layers] }];
    },
  },
  CNBlock: {
    needs: ["block", "stochastic_depth"],
    extra: (m) => [BigInt(firstConvOut(m) ?? 0), 0n],
    map(m, r) {
      r.map(child(m, "stochastic_depth"));
      const dim = firstConvOut(m);
      r.assume(
        "torch-implied",
        "CNBlock has a layer_scale parameter of dim values that print() does not show: counted, as a layerscale layer before the residual add",
      );
      const seq = child(m, "block");
      const block = residual(r, m, () => {
        const out: LayerSpec[] = [];
        for (const c of seq.children) {
          if (c.cls === "Permute" && !c.container) {
            // torchvision's CNBlock permutes to channels last and back
            r.flow.nhwc = !r.flow.nhwc;
            continue;
          }
          out.push(...r.map(c));
        }
        if (r.flow.nhwc)
          r.mismatch(seq, `${seq.cls} ${where(seq)} does not permute back to channels first`);
        if (dim !== r.flow.channels)
          r.mismatch(
            m,
            `CNBlock ${where(m)} ends with ${r.flow.channels} channels, its layer_scale has ${dim}`,
          );
        out.push({ type: "layerscale", name: `${m.path}.layer_scale` });
        return out;
      });
      return [block];
    },
  },
  Fire: {
    needs: [
      "squeeze",
      "squeeze_activation",
      "expand1x1",
      "expand1x1_activation",
      "expand3x3",
      "expand3x3_activation",
    ],
    map(m, r) {
      const c = (k: string) => child(m, k);
      const squeeze = [...r.map(c("squeeze")), ...r.map(c("squeeze_activation"))];
      return [
        ...squeeze,
        concat(r, m, [
          ["expand1x1", "expand1x1_activation"],
          ["expand3x3", "expand3x3_activation"],
        ]),
      ];
    },
  },
  Inception: {
    needs: ["branch1", "branch2", "branch3", "branch4"],
    map: (m, r) => [concat(r, m, [["branch1"], ["branch2"], ["branch3"], ["branch4"]])],
  },
  BasicConv2d: {
    needs: ["conv", "bn"],
    map(m, r) {
      const layers = [...r.map(child(m, "conv")), ...r.map(child(m, "bn"))];
      layers.push(
        functional(
          r,
          m,
          "relu",
          "(GoogLeNet, Inception) ends its forward() with F.relu: a relu after its bn, not printed",
        ),
      );
      return r.group(m, layers);
    },
  },
};

/** A list of layers without their names, to compare the layers of a dense block. */
const unnamed = (layers: readonly LayerSpec[]): string =>
  JSON.stringify(layers, (k, v) => (k === "name" ? undefined : v));

/**
 * torchvision's _DenseBlock (DenseNet): each _DenseLayer reads the concatenation of the block's
 * input and every earlier layer's output, cnncalc's `denseblock`. Its layers must be the same
 * but for the channels they read (C, C + k, C + 2k, ...: checked as each is read).
 */
function denseBlock(m: TorchModule, r: Reader): LayerSpec[] {
  const first = m.children[0] as TorchModule;
  let body: LayerSpec[] = [];
  for (const layer of m.children) {
    const before = r.flow.channels;
    const run = r.branch(() => r.map(layer));
    if (layer === first) body = run.layers;
    else if (unnamed(run.layers) !== unnamed(body)) {
      r.mismatch(
        layer,
        `${layer.cls} ${where(layer)} differs from ${where(first)} in more than the channels it reads, so the block is not a dense block cnncalc can write`,
      );
    }
    const grown = run.flow.channels;
    r.flow = {
      ...run.flow,
      channels: before === undefined || grown === undefined ? undefined : before + grown,
    };
  }
  // the body stands for every layer: named `denselayer*`, without the group of the first
  const inner =
    body.length === 1 && body[0]?.type === "repeat" && body[0].times === 1 ? body[0].body : body;
  const each = `${m.path}.denselayer*`;
  const renamed = JSON.parse(
    JSON.stringify(inner, (k, v) =>
      k === "name" && typeof v === "string" && v.startsWith(first.path)
        ? each + v.slice(first.path.length)
        : v,
    ),
  ) as LayerSpec[];
  return [{ type: "denseblock", name: nameOf(m), repeat: m.children.length, body: renamed }];
}

/** Branches of named children run on the same input, concatenated along the channels. */
function concat(r: Reader, m: TorchModule, branches: string[][]): LayerSpec {
  const runs = branches.map((keys) => r.branch(() => keys.flatMap((k) => r.map(child(m, k)))));
  const chans = runs.map((b) => b.flow.channels);
  r.flow = {
    ...(runs[0] as { flow: Flow }).flow,
    channels: chans.some((c) => c === undefined)
      ? undefined
      : (chans as number[]).reduce((a, b) => a + b, 0),
  };
  return { type: "concat", name: nameOf(m), branches: runs.map((b) => b.layers) };
}

/** The recognised block of a container, when its children are the ones the class has. */
function blockOf(m: TorchModule): Block | undefined {
  const block = Object.hasOwn(BLOCKS, m.cls) ? BLOCKS[m.cls] : undefined;
  if (!block) return undefined;
  const keys = m.children.map((c) => c.key as string);
  // without a list of names it may have, `fits` alone says which names it takes
  const named =
    block.may === undefined && block.fits !== undefined
      ? true
      : keys.every((k) => block.needs.includes(k) || (block.may ?? []).includes(k));
  const fits = block.needs.every((k) => keys.includes(k)) && named && (block.fits?.(keys) ?? true);
  return fits ? block : undefined;
}

/**
 * Top-level torchvision models whose forward() does more than run the printed children in order:
 * what it adds, after which child, and the assumption to print.
 */
export const MODEL_EXTRAS: Readonly<
  Record<string, { after: string; layers: LayerSpec[]; note: string }>
> = {
  MobileNetV2: {
    after: "features",
    layers: [{ type: "adaptiveavgpool", name: "forward:adaptive_avg_pool2d", output: 1 }],
    note: "runs features, then the global average pooling of torchvision's MobileNetV2.forward (nn.functional.adaptive_avg_pool2d, not a module, so not printed), then classifier",
  },
  DenseNet: {
    after: "features",
    layers: [
      { type: "activation", function: "relu", name: "forward:relu" },
      { type: "adaptiveavgpool", name: "forward:adaptive_avg_pool2d", output: 1 },
    ],
    note: "runs features, then the relu and the global average pooling of torchvision's DenseNet.forward (F.relu, F.adaptive_avg_pool2d: not modules, so not printed), then classifier",
  },
  SqueezeNet: {
    after: "classifier",
    layers: [{ type: "flatten", name: "forward:flatten" }],
    note: "runs features, classifier, then the torch.flatten(x, 1) of torchvision's SqueezeNet.forward (not a module, so not printed)",
  },
};
