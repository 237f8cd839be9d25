/**
 * Differential test: hundreds of random architectures analysed by cnncalc and built in
 * TensorFlow.js layers (Keras), asserting equal output shapes after every top-level layer and
 * equal trainable and non-trainable parameter counts. Seeded; on failure fast-check prints the
 * seed and shrinks to the smallest failing architecture, printed as a cnncalc spec.
 */
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import fc from "fast-check";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { analyze } from "../../src/core/analyze.js";
import { broadcastShape } from "../../src/core/broadcast.js";
import { CnnError } from "../../src/core/errors.js";
import { shapeFromArray, shapeToArray } from "../../src/core/shape.js";
import type { LayerResult, LayerSpec, Shape } from "../../src/core/types.js";
import { validateSpec } from "../../src/parse/spec.js";
import { kerasFacts, setupTfjs } from "./tfjs-build.js";

const SEED = 20_240_905;

const int = (min: number, max: number) => fc.integer({ min, max });
const size2 = (max: number) =>
  fc.oneof(
    int(1, max),
    fc.tuple(int(1, max), int(1, max)).map(([a, b]) => [a, b]),
  );
const explicitPad = fc.oneof(
  int(0, 2),
  fc.tuple(int(0, 2), int(0, 2)).map(([a, b]) => [a, b]),
);
const padding2 = fc.oneof(fc.constant("valid" as const), fc.constant("same" as const), explicitPad);

/** A layer whose exact form depends on the channels it receives (groups, depthwise). */
type Raw = (channels: number) => LayerSpec;

const divisors = (n: number) =>
  Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);

const convRaw: fc.Arbitrary<Raw> = fc
  .record({
    filters: int(1, 6),
    kernel: size2(3),
    stride: size2(2),
    dilation: size2(2),
    padding: padding2,
    groupsPick: int(0, 5),
    depthwise: fc.boolean(),
    multiplier: int(1, 2),
    bias: fc.boolean(),
  })
  .map((r) => (C: number): LayerSpec => {
    // Keras forbids a stride above 1 together with a dilation above 1
    const strided = (typeof r.stride === "number" ? [r.stride] : r.stride).some((s) => s > 1);
    const spec: LayerSpec = {
      type: "conv",
      filters: r.filters,
      kernel: r.kernel,
      stride: r.stride,
      dilation: strided ? 1 : r.dilation,
      padding: r.padding,
      bias: r.bias,
    };
    if (r.depthwise) {
      spec.groups = C;
      spec.filters = C * r.multiplier;
    } else {
      const common = divisors(C).filter((d) => r.filters % d === 0);
      spec.groups = common[r.groupsPick % common.length] as number;
    }
    return spec;
  });

const poolRaw: fc.Arbitrary<Raw> = fc
  .record({
    type: fc.constantFrom("maxpool" as const, "avgpool" as const),
    kernel: size2(3),
    stride: fc.option(size2(3), { nil: undefined }),
    padding: fc.oneof(fc.constant("valid" as const), fc.constant("same" as const), int(0, 1)),
  })
  .map((r) => () => {
    const spec: LayerSpec = { type: r.type, kernel: r.kernel, padding: r.padding };
    // PyTorch allows at most half the kernel as padding; keep explicit padding within that
    const k = typeof r.kernel === "number" ? r.kernel : Math.min(...r.kernel);
    if (typeof r.padding === "number" && r.padding > Math.floor(k / 2)) spec.padding = 0;
    if (r.stride !== undefined) spec.stride = r.stride;
    return spec;
  });

const simpleRaw: fc.Arbitrary<Raw> = fc.constantFrom<Raw>(
  () => ({ type: "batchnorm" }),
  () => ({ type: "activation", function: "relu" }),
  () => ({ type: "dropout", rate: 0.25 }),
);

/** Layer normalization and PReLU, as Keras' LayerNormalization and PReLU take them. */
const normsRaw: fc.Arbitrary<Raw> = fc
  .record({
    kind: fc.constantFrom("layernorm" as const, "prelu" as const),
    over: fc.constantFrom("channels" as const, "all" as const),
    affine: fc.boolean(),
    bias: fc.boolean(),
    shared: fc.boolean(),
  })
  .map(
    (r): Raw =>
      () =>
        r.kind === "layernorm"
          ? { type: "layernorm", over: r.over, affine: r.affine, bias: r.bias }
          : { type: "prelu", shared: r.shared },
  );

const sameConv = (filters: number, kernel: number, stride = 1): LayerSpec => ({
  type: "conv",
  filters,
  kernel,
  stride,
  padding: "same",
});

const residualRaw: fc.Arbitrary<Raw> = fc
  .record({
    stride: int(1, 2),
    f1: int(1, 6),
    f2: int(1, 6),
    k1: int(1, 3),
    k2: int(1, 3),
    bn: fc.boolean(),
    projection: fc.boolean(),
    shortcutPadding: fc.constantFrom("same" as const, "valid" as const),
    identityWidth: fc.boolean(),
  })
  .map((r) => (C: number): LayerSpec => {
    const f2 = r.identityWidth ? C : r.f2;
    const body: LayerSpec[] = [
      sameConv(r.f1, r.k1, r.stride),
      ...(r.bn ? [{ type: "batchnorm" } as LayerSpec] : []),
      { type: "activation", function: "relu" },
      sameConv(f2, r.k2),
    ];
    if (!r.projection && r.stride === 1 && f2 === C) return { type: "residual", body };
    const shortcut: LayerSpec[] = [
      { type: "conv", filters: f2, kernel: 1, stride: r.stride, padding: r.shortcutPadding },
    ];
    return { type: "residual", body, shortcut };
  });

const branchRaw = (stride: number) =>
  fc
    .record({
      kind: fc.constantFrom("conv", "convconv", "pool", "depthwise", "identity"),
      f: int(1, 5),
      k: int(1, 3),
    })
    .map((r) => (C: number): LayerSpec[] => {
      switch (r.kind) {
        case "conv":
          return [sameConv(r.f, r.k, stride)];
        case "convconv":
          return [sameConv(r.f, 1), { type: "batchnorm" }, sameConv(r.f, r.k, stride)];
        case "pool":
          return [{ type: "maxpool", kernel: 3, stride, padding: "same" }, sameConv(r.f, 1)];
        case "depthwise":
          return [{ type: "conv", filters: C, kernel: r.k, stride, padding: "same", groups: C }];
        default:
          return stride === 1 ? [] : [sameConv(r.f, 1, stride)];
      }
    });

const concatRaw: fc.Arbitrary<Raw> = int(1, 2)
  .chain((stride) => fc.array(branchRaw(stride), { minLength: 2, maxLength: 3 }))
  .map((branches) => (C: number) => ({ type: "concat", branches: branches.map((b) => b(C)) }));

const denseBlockRaw: fc.Arbitrary<Raw> = fc
  .record({ repeat: int(1, 3), growth: int(1, 4), k: int(1, 3), bn: fc.boolean() })
  .map((r) => () => ({
    type: "denseblock",
    repeat: r.repeat,
    body: [
      ...(r.bn ? [{ type: "batchnorm" } as LayerSpec] : []),
      { type: "activation", function: "relu" },
      sameConv(r.growth, r.k),
    ],
  }));

const repeatRaw: fc.Arbitrary<Raw> = fc
  .record({ times: int(1, 3), f: int(1, 5), k: int(1, 3), stride: int(1, 2) })
  .map((r) => () => ({
    type: "repeat",
    times: r.times,
    body: [
      sameConv(r.f, r.k, r.stride),
      { type: "batchnorm" },
      { type: "activation", function: "relu" },
    ],
  }));

const transposeRaw: fc.Arbitrary<Raw> = fc
  .record({
    filters: int(1, 4),
    kernel: size2(3),
    stride: size2(2),
    padding: fc.constantFrom("same" as const, "valid" as const),
    bias: fc.boolean(),
  })
  .map((r) => () => ({ type: "convtranspose", ...r }));

/**
 * Element-wise merges of branches that keep the input's rank (Keras aligns the batch axis, so a
 * flat gate is not comparable there): the identity plus a conv, or a 1-channel or 1×1 gate that
 * broadcasts.
 */
const mergeRaw: fc.Arbitrary<Raw> = fc
  .record({
    type: fc.constantFrom("add" as const, "multiply" as const),
    gate: fc.constantFrom("full", "one-channel", "three-way", "two-convs"),
    k: fc.constantFrom(1, 3),
  })
  .map((r) => (C: number): LayerSpec => {
    const branches: LayerSpec[][] =
      r.gate === "full"
        ? [[], [sameConv(C, r.k)]]
        : r.gate === "one-channel"
          ? [[], [sameConv(1, r.k)]]
          : r.gate === "three-way"
            ? [[], [sameConv(C, 1)], [sameConv(1, r.k)]]
            : [[sameConv(C, 1)], [sameConv(C, r.k)], []];
    return { type: r.type, branches };
  });

const headRaw: fc.Arbitrary<LayerSpec[]> = fc
  .record({
    kind: fc.constantFrom("none", "flatten", "implied", "gap", "gmp"),
    units: int(1, 10),
    bias: fc.boolean(),
    bn: fc.boolean(),
  })
  .map((r) => {
    const dense: LayerSpec = { type: "dense", units: r.units, bias: r.bias };
    const tail: LayerSpec[] = r.bn ? [dense, { type: "batchnorm" }] : [dense];
    switch (r.kind) {
      case "flatten":
        return [{ type: "flatten" }, ...tail];
      case "implied":
        return tail;
      case "gap":
        return [{ type: "globalavgpool" }, ...tail];
      case "gmp":
        return [{ type: "globalmaxpool" }];
      default:
        return [];
    }
  });

/** Blocks inside blocks: residual blocks repeated, and an Inception module with a residual branch. */
const nestedRaw: fc.Arbitrary<Raw> = fc.oneof(
  fc.record({ times: int(1, 2), residual: residualRaw }).map(
    (r) =>
      (C: number): LayerSpec => ({ type: "repeat", times: r.times, body: [r.residual(C)] }),
  ),
  fc.record({ residual: residualRaw, other: branchRaw(1) }).map((r) => (C: number): LayerSpec => {
    const res = r.residual(C);
    // a strided residual would not match a stride-1 branch: keep the branch at stride 1
    if (res.type === "residual") {
      for (const l of [...res.body, ...(res.shortcut ?? [])]) if (l.type === "conv") l.stride = 1;
    }
    return { type: "concat", branches: [[res], r.other(C)] };
  }),
);

const layerRaw: fc.Arbitrary<Raw> = fc.oneof(
  { arbitrary: convRaw, weight: 5 },
  { arbitrary: poolRaw, weight: 2 },
  { arbitrary: simpleRaw, weight: 2 },
  { arbitrary: residualRaw, weight: 2 },
  { arbitrary: concatRaw, weight: 2 },
  { arbitrary: denseBlockRaw, weight: 1 },
  { arbitrary: repeatRaw, weight: 1 },
  { arbitrary: transposeRaw, weight: 1 },
  { arbitrary: nestedRaw, weight: 2 },
  { arbitrary: normsRaw, weight: 2 },
  { arbitrary: mergeRaw, weight: 2 },
);

/**
 * Realises raw layers in order against the running output shape; a layer cnncalc rejects as a
 * geometry error (a kernel larger than its input, say) is left out, so every case is valid.
 */
function realise(input: number[], raws: readonly Raw[], head: readonly LayerSpec[]): LayerSpec[] {
  const layers: LayerSpec[] = [];
  let shape: Shape = { dims: input.slice(0, -1), channels: input[input.length - 1] as number };
  const tryAdd = (spec: LayerSpec) => {
    try {
      shape = analyze({ input, layers: [...layers, spec] }).output;
      layers.push(spec);
    } catch (e) {
      if (!(e instanceof CnnError)) throw e;
    }
  };
  for (const raw of raws) tryAdd(raw(shape.channels));
  for (const spec of head) {
    if (shape.dims.length > 0 || !spec.type.startsWith("global")) tryAdd(spec);
  }
  return layers;
}

/** How often each feature was exercised, so a generator that stops producing one fails the test. */
const seen = new Map<string, number>();
function tally(layers: readonly LayerSpec[]): void {
  const stack = [...layers];
  for (let l = stack.pop(); l !== undefined; l = stack.pop()) {
    const keys: string[] = [l.type];
    if (l.type === "conv") {
      const g = l.groups ?? 1;
      if (g > 1) keys.push("conv:grouped");
      if (typeof l.padding === "number" || Array.isArray(l.padding))
        keys.push("conv:explicit-padding");
      if (l.padding === "same") keys.push("conv:same");
      if ([l.dilation ?? 1].flat().some((d) => d > 1)) keys.push("conv:dilated");
      if ([l.stride ?? 1].flat().some((d) => d > 1)) keys.push("conv:strided");
    }
    if (l.type === "residual" && l.shortcut) keys.push("residual:projection");
    if ("body" in l && l.body.some((c) => c.type === "residual" || c.type === "concat")) {
      keys.push("nested");
    }
    if ("branches" in l && l.branches.some((b) => b.some((c) => c.type === "residual"))) {
      keys.push("nested");
    }
    for (const k of keys) seen.set(k, (seen.get(k) ?? 0) + 1);
    if ("body" in l) stack.push(...l.body);
    if ("shortcut" in l && l.shortcut) stack.push(...l.shortcut);
    if ("branches" in l) for (const b of l.branches) stack.push(...b);
  }
}

/** Compares cnncalc with Keras on one spec; throws with the spec in the message on a mismatch. */
function compare(input: number[], layers: LayerSpec[]): void {
  tally(layers);
  // through the JSON schema too, so the generated specs are specs a user could write
  const spec = validateSpec(JSON.parse(JSON.stringify({ input, layers })));
  const ours = analyze(spec);
  const theirs = kerasFacts(input, spec.layers);
  const mine = {
    shapes: ours.layers.map((l) => shapeToArray(l.outputShape)),
    trainable: Number(ours.totals.trainableParameters),
    nonTrainable: Number(ours.totals.nonTrainableParameters),
  };
  if (JSON.stringify(mine) !== JSON.stringify(theirs)) {
    throw new Error(
      `cnncalc and TF.js disagree.\ncnncalc: ${JSON.stringify(mine)}\nTF.js:   ${JSON.stringify(theirs)}\nspec: ${JSON.stringify({ input, layers })}`,
    );
  }
}

const runs = (property: fc.IProperty<never> | fc.IProperty<unknown>, numRuns: number) => {
  fc.assert(property as fc.IProperty<unknown>, { seed: SEED, numRuns });
};

describe(`cnncalc agrees with TensorFlow.js layers (seed ${SEED})`, () => {
  beforeAll(async () => {
    await setupTfjs();
  });

  it("2-D networks: conv (padding, stride, dilation, groups, depthwise), pooling, batchnorm, dense, transposed conv, residual, concat, dense and repeat blocks, layernorm, prelu, add and multiply", () => {
    const arch = fc.record({
      h: int(6, 20),
      w: int(6, 20),
      c: int(1, 6),
      raws: fc.array(layerRaw, { minLength: 1, maxLength: 6 }),
      head: headRaw,
    });
    runs(
      fc.property(arch, (a) => {
        const input = [a.h, a.w, a.c];
        const layers = realise(input, a.raws, a.head);
        fc.pre(layers.length > 0);
        compare(input, layers);
      }),
      500,
    );
    for (const feature of [
      "conv:grouped",
      "conv:explicit-padding",
      "conv:same",
      "conv:dilated",
      "conv:strided",
      "maxpool",
      "avgpool",
      "batchnorm",
      "dense",
      "flatten",
      "globalavgpool",
      "globalmaxpool",
      "convtranspose",
      "residual",
      "residual:projection",
      "nested",
      "concat",
      "denseblock",
      "repeat",
      "layernorm",
      "prelu",
      "add",
      "multiply",
    ]) {
      expect(seen.get(feature) ?? 0, feature).toBeGreaterThanOrEqual(20);
    }
  });

  it("resampling and padding layers: UpSampling2D (nearest, bilinear), ZeroPadding2D, Cropping2D, global pooling with keepdims", () => {
    const pads = fc.oneof(
      int(0, 3),
      fc.tuple(int(0, 3), int(0, 3)).map((t) => [...t]),
      fc
        .tuple(int(0, 2), int(0, 2), int(0, 2), int(0, 2))
        .map(([a, b, c, d]): [number, number][] => [
          [a, b],
          [c, d],
        ]),
    );
    const spatial = fc.oneof(
      fc
        .record({
          scale: fc.oneof(
            int(1, 3),
            fc.tuple(int(1, 3), int(1, 3)).map((t) => [...t]),
          ),
          mode: fc.constantFrom("nearest" as const, "linear" as const),
        })
        .map(
          (r): Raw =>
            () => ({ type: "upsample", ...r }),
        ),
      pads.map(
        (padding): Raw =>
          () => ({ type: "zeropad", padding }),
      ),
      pads.map(
        (cropping): Raw =>
          () => ({ type: "crop", cropping }),
      ),
      convRaw,
    );
    const head = fc.constantFrom<LayerSpec[]>(
      [],
      [{ type: "globalavgpool", keepdims: true }],
      [{ type: "globalmaxpool", keepdims: true }],
      [
        { type: "globalavgpool", keepdims: false },
        { type: "dense", units: 3 },
      ],
      [
        { type: "globalmaxpool", keepdims: true },
        { type: "conv", filters: 4, kernel: 1 },
      ],
    );
    runs(
      fc.property(
        int(4, 12),
        int(4, 12),
        int(1, 4),
        fc.array(spatial, { minLength: 1, maxLength: 5 }),
        head,
        (h, w, c, raws, hd) => {
          const layers = realise([h, w, c], raws, hd);
          fc.pre(layers.length > 0);
          compare([h, w, c], layers);
        },
      ),
      150,
    );
    for (const feature of ["upsample", "zeropad", "crop", "globalavgpool", "globalmaxpool"]) {
      expect(seen.get(feature) ?? 0, feature).toBeGreaterThanOrEqual(20);
    }
  });

  it("1-D networks ([length, channels]): conv and pooling with 1-entry kernels", () => {
    const layer = fc.oneof(
      fc
        .record({
          filters: int(1, 6),
          kernel: fc.oneof(
            int(1, 5),
            int(1, 5).map((k) => [k]),
          ),
          stride: int(1, 3),
          dilation: int(1, 3),
          padding: fc.constantFrom("same" as const, "valid" as const),
        })
        .map(
          (r): Raw =>
            () => ({ type: "conv", ...r, dilation: r.stride > 1 ? 1 : r.dilation }),
        ),
      fc
        .record({
          type: fc.constantFrom("maxpool" as const, "avgpool" as const),
          kernel: int(1, 3),
          stride: int(1, 3),
          padding: fc.constantFrom("same" as const, "valid" as const),
        })
        .map(
          (r): Raw =>
            () =>
              r,
        ),
      simpleRaw,
    );
    const head = fc.constantFrom<LayerSpec[]>(
      [],
      [{ type: "dense", units: 3 }],
      [{ type: "globalavgpool" }, { type: "dense", units: 2 }],
    );
    runs(
      fc.property(
        int(8, 40),
        int(1, 5),
        fc.array(layer, { minLength: 1, maxLength: 4 }),
        head,
        (L, c, raws, h) => {
          const layers = realise([L, c], raws, h);
          fc.pre(layers.length > 0);
          compare([L, c], layers);
        },
      ),
      150,
    );
  });

  it("3-D networks ([depth, height, width, channels]): conv and pooling", () => {
    const layer = fc.oneof(
      fc
        .record({
          filters: int(1, 4),
          kernel: fc.oneof(
            int(1, 3),
            fc.tuple(int(1, 3), int(1, 3), int(1, 3)).map((t) => [...t]),
          ),
          stride: fc.oneof(
            int(1, 2),
            fc.tuple(int(1, 2), int(1, 2), int(1, 2)).map((t) => [...t]),
          ),
          padding: fc.constantFrom("same" as const, "valid" as const),
          bias: fc.boolean(),
        })
        .map(
          (r): Raw =>
            () => ({ type: "conv", ...r }),
        ),
      fc
        .record({
          type: fc.constantFrom("maxpool" as const, "avgpool" as const),
          kernel: int(1, 2),
          padding: fc.constantFrom("same" as const, "valid" as const),
        })
        .map(
          (r): Raw =>
            () =>
              r,
        ),
      fc.constant<Raw>(() => ({ type: "batchnorm" })),
    );
    runs(
      fc.property(
        int(3, 8),
        int(3, 8),
        int(3, 8),
        int(1, 3),
        fc.array(layer, { minLength: 1, maxLength: 3 }),
        (d, h, w, c, raws) => {
          const layers = realise([d, h, w, c], raws, [{ type: "dense", units: 2 }]);
          fc.pre(layers.length > 0);
          compare([d, h, w, c], layers);
        },
      ),
      100,
    );
  });
});

describe("the Keras side of the harness", () => {
  beforeAll(async () => {
    await setupTfjs();
  });

  it("reads real counts from TF.js (hand-checked), so agreement is not vacuous", () => {
    const facts = kerasFacts(
      [8, 8, 3],
      [
        { type: "conv", filters: 4, kernel: 3 },
        { type: "batchnorm" },
        { type: "conv", filters: 4, kernel: 3, groups: 2, padding: 1 },
        { type: "dense", units: 5 },
      ],
    );
    // conv 4*(3*3*3+1) = 112; batchnorm 2*4 + 2*4; grouped conv 2*(2*(3*3*2)+2) = 76;
    // dense 6*6*4*5 + 5 = 725
    expect(facts.shapes).toEqual([[6, 6, 4], [6, 6, 4], [6, 6, 4], [5]]);
    expect(facts.trainable).toBe(112 + 8 + 76 + 725);
    expect(facts.nonTrainable).toBe(8);
  });
});

/** The only layer of a one-layer network, analysed by the real pipeline. */
function runOne(input: number[], layer: LayerSpec): LayerResult {
  return analyze(validateSpec({ input, layers: [layer] })).layers[0] as LayerResult;
}

describe("the norms and merges against single Keras layers", () => {
  beforeAll(async () => {
    await setupTfjs();
  });
  afterEach(() => {
    tf.disposeVariables();
  });

  /** Keras' parameter counts of one layer applied to an input shape (no batch dimension). */
  function keras(input: number[], layer: tfl.layers.Layer) {
    const inp = tfl.input({ shape: input });
    const model = tfl.model({ inputs: inp, outputs: layer.apply(inp) as tfl.SymbolicTensor });
    const trainable = model.trainableWeights.reduce(
      (sum, w) => sum + w.shape.reduce((p: number, d) => p * (d as number), 1),
      0,
    );
    return { trainable: BigInt(trainable), total: BigInt(model.countParams()) };
  }

  const CASES: { keras: string; make: () => tfl.layers.Layer; spec: LayerSpec; input: number[] }[] =
    [
      {
        keras: "LayerNormalization()",
        make: () => tfl.layers.layerNormalization({}),
        spec: { type: "layernorm" },
        input: [7, 7, 64],
      },
      {
        keras: "LayerNormalization(center=False)",
        make: () => tfl.layers.layerNormalization({ center: false }),
        spec: { type: "layernorm", bias: false },
        input: [7, 7, 64],
      },
      {
        keras: "LayerNormalization(center=False, scale=False)",
        make: () => tfl.layers.layerNormalization({ center: false, scale: false }),
        spec: { type: "layernorm", affine: false },
        input: [7, 7, 64],
      },
      {
        keras: "LayerNormalization(axis=[1, 2, 3])",
        make: () => tfl.layers.layerNormalization({ axis: [1, 2, 3] }),
        spec: { type: "layernorm", over: "all" },
        input: [7, 7, 64],
      },
      {
        keras: "LayerNormalization(axis=[1, 2]) on a 1-D input",
        make: () => tfl.layers.layerNormalization({ axis: [1, 2] }),
        spec: { type: "layernorm", over: "all" },
        input: [50, 12],
      },
      {
        keras: "PReLU(shared_axes=[1, 2])",
        make: () => tfl.layers.prelu({ sharedAxes: [1, 2] }),
        spec: { type: "prelu" },
        input: [28, 28, 64],
      },
      {
        keras: "PReLU(shared_axes=[1, 2, 3])",
        make: () => tfl.layers.prelu({ sharedAxes: [1, 2, 3] }),
        spec: { type: "prelu", shared: true },
        input: [28, 28, 64],
      },
      {
        keras: "PReLU() on a flat input",
        make: () => tfl.layers.prelu({}),
        spec: { type: "prelu" },
        input: [128],
      },
    ];

  describe("parameters as Keras counts them (LayerNormalization, PReLU)", () => {
    it.each(CASES)("$keras on $input", (c) => {
      const k = keras(c.input, c.make());
      const r = runOne(c.input, c.spec);
      expect(r.trainableParameters).toBe(k.trainable);
      expect(r.trainableParameters + r.nonTrainableParameters).toBe(k.total);
      expect(shapeToArray(r.outputShape)).toEqual(c.input);
    });
  });

  describe("broadcasting as Keras' Add and Multiply merge layers do it", () => {
    // equal ranks only: Keras aligns the batch dimension too, so a flat [C] against [H, W, C] is
    // not comparable there
    const PAIRS: [string, string][] = [
      ["7x7x64", "1x1x64"],
      ["1x1x64", "7x7x64"],
      ["7x7x64", "7x7x1"],
      ["7x1x64", "1x7x64"],
      ["7x7x64", "7x7x32"],
      ["7x7x64", "5x5x64"],
      ["10x3", "1x3"],
    ];
    const sizes = (text: string) => text.split("x").map(Number);

    it.each(PAIRS)("%s with %s", (x, y) => {
      const [a, b] = [sizes(x), sizes(y)];
      const ours = broadcastShape(shapeFromArray(a), shapeFromArray(b));
      for (const merge of [tfl.layers.add({}), tfl.layers.multiply({})]) {
        let theirs: number[] | null;
        try {
          const out = merge.apply([tfl.input({ shape: a }), tfl.input({ shape: b })]);
          theirs = (out as tfl.SymbolicTensor).shape.slice(1) as number[];
        } catch {
          theirs = null;
        }
        expect(ours === null ? null : shapeToArray(ours)).toEqual(theirs);
      }
    });

    it("a squeeze-and-excitation block: Keras' parameter count", () => {
      const x = tfl.input({ shape: [7, 7, 64] });
      let g = tfl.layers.globalAveragePooling2d({}).apply(x) as tfl.SymbolicTensor;
      g = tfl.layers.reshape({ targetShape: [1, 1, 64] }).apply(g) as tfl.SymbolicTensor;
      g = tfl.layers
        .conv2d({ filters: 16, kernelSize: 1, activation: "relu" })
        .apply(g) as tfl.SymbolicTensor;
      g = tfl.layers
        .conv2d({ filters: 64, kernelSize: 1, activation: "sigmoid" })
        .apply(g) as tfl.SymbolicTensor;
      const y = tfl.layers.multiply({}).apply([x, g]) as tfl.SymbolicTensor;
      const model = tfl.model({ inputs: x, outputs: y });
      const gate: LayerSpec[] = [
        { type: "globalavgpool" },
        { type: "dense", units: 16, activation: "relu" },
        { type: "dense", units: 64, activation: "sigmoid" },
      ];
      const r = runOne([7, 7, 64], { type: "multiply", branches: [[], gate] });
      expect(shapeToArray(r.outputShape)).toEqual(y.shape.slice(1));
      expect(r.trainableParameters).toBe(BigInt(model.countParams()));
    });
  });
});
