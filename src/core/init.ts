import { allResults } from "./check.js";
import { elementCount } from "./shape.js";
import { BLOCK_TYPES, traitsOf, typesWhere } from "./traits.js";
import type { ActivationName, Analysis, LayerResult, LayerType } from "./types.js";

/*
 * Weight initialization analysis (question 2 of the tutorial): the gradient variance at a
 * layer's input is roughly Var[∂/∂x] ≈ (∏ G_i n_{i+1} Var[w_i]) Var[∂/∂z], so each weighted
 * layer contributes the factor G × n × Var[w] (n its fan-out) and the product of the factors
 * from the output back to a layer says whether gradients there vanish or explode. Variances
 * and factors are real numbers (float64), unlike the exact counts elsewhere.
 */

/** An initialization scheme: the variance it gives each weight. */
export type InitScheme =
  | { kind: "he" }
  | { kind: "glorot" }
  | { kind: "lecun" }
  | { kind: "normal"; std: number }
  | { kind: "uniform"; limit: number };

/** The rule of each scheme, for the report. */
export const SCHEME_RULES: Readonly<Record<InitScheme["kind"], string>> = {
  he: "Var[w] = 2/fan-in (He et al., 2015; PyTorch kaiming_normal_, Keras he_normal)",
  glorot: "Var[w] = 2/(fan-in + fan-out) (Glorot and Bengio, 2010; Xavier)",
  lecun: "Var[w] = 1/fan-in (LeCun et al., 1998)",
  normal: "w ~ N(0, STD²): Var[w] = STD²",
  uniform: "w ~ U(−A, A): Var[w] = A²/3",
};

/**
 * G, the mean squared derivative of the transfer function for inputs around 0: ½ for ReLU
 * (slope 1 on half the inputs, 0 on the other half), the squared slope at 0 for smooth ones.
 */
export const GAINS: Readonly<Record<ActivationName, { G: number; why: string }>> = {
  relu: { G: 0.5, why: "slope 1 for half the inputs, 0 for the other half" },
  relu6: { G: 0.5, why: "like ReLU near 0" },
  leakyrelu: { G: (1 + 0.01 ** 2) / 2, why: "(1 + α²)/2 with α = 0.01 (PyTorch's default)" },
  elu: { G: 1, why: "slope 1 at 0" },
  gelu: { G: 0.25, why: "slope ½ at 0" },
  silu: { G: 0.25, why: "slope ½ at 0" },
  hardswish: { G: 0.25, why: "slope ½ at 0" },
  tanh: { G: 1, why: "slope 1 at 0" },
  sigmoid: { G: 1 / 16, why: "slope ¼ at 0" },
  softmax: { G: 1, why: "taken as linear: the loss's gradient starts there" },
  linear: { G: 1, why: "slope 1" },
  // hardsigmoid relu6(x + 3)/6 (PyTorch's nn.Hardsigmoid): slope 1/6 on (−3, 3), so G = (1/6)²
  hardsigmoid: { G: 1 / 36, why: "slope ⅙ at 0" },
  // mish x·tanh(softplus(x)) (Misra, 2019): slope tanh(ln 2) = 0.6 at 0, so G = 0.6²
  mish: { G: 0.36, why: "slope 0.6 at 0" },
};

/** The healthy range of the running product; outside it gradients vanish or explode. */
export const HEALTHY = { low: 0.5, high: 2 } as const;

/** One weighted layer's initialization figures. */
export interface InitLayer {
  result: LayerResult;
  /** Weights feeding one neuron (bias excluded); a mean for connection tables. */
  fanIn: number;
  /** Weights leaving one input value (n in the tutorial); stride is ignored, as by He et al. */
  fanOut: number;
  variance: number;
  activation: ActivationName;
  gain: number;
  /** G × n × Var[w]. */
  factor: number;
  /** log10 of the product of the factors from this layer to the output (any size, no overflow). */
  productLog10: number;
  flag: "vanishing" | "exploding" | null;
}

/** The initialization analysis of a network. */
export interface InitAnalysis {
  scheme: InitScheme;
  layers: InitLayer[];
  /** Stated simplifications, as `{ code, message }`. */
  notes: { code: string; message: string }[];
}

const WEIGHTED = typesWhere((t) => t.initialized);
const RESCALING = typesWhere((t) => t.rescales);

/** Fan-in and fan-out of a weighted layer. */
function fans(r: LayerResult): { fanIn: number; fanOut: number } {
  const spec = r.spec;
  switch (spec.type) {
    case "conv":
    case "convtranspose": {
      const area = (r.window?.kernel ?? []).reduce((a, b) => a * b, 1);
      const L = r.inputShape.channels;
      const g = spec.groups ?? 1;
      if (spec.type === "conv" && spec.connections !== undefined) {
        const reads = spec.connections.reduce((sum, maps) => sum + maps.length, 0);
        return { fanIn: (area * reads) / spec.filters, fanOut: (area * reads) / L };
      }
      return { fanIn: (area * L) / g, fanOut: (area * spec.filters) / g };
    }
    case "dense":
      return { fanIn: Number(elementCount(r.inputShape)), fanOut: spec.units };
    default:
      throw new Error(`${r.path}: ${r.type} has no fan-in`);
  }
}

/** The variance a scheme gives weights with these fans. */
export function schemeVariance(scheme: InitScheme, fanIn: number, fanOut: number): number {
  switch (scheme.kind) {
    case "he":
      return 2 / fanIn;
    case "glorot":
      return 2 / (fanIn + fanOut);
    case "lecun":
      return 1 / fanIn;
    case "normal":
      return scheme.std * scheme.std;
    case "uniform":
      return (scheme.limit * scheme.limit) / 3;
    default: {
      const never: never = scheme;
      return never;
    }
  }
}

function ownActivation(r: LayerResult): ActivationName | undefined {
  return "activation" in r.spec ? r.spec.activation : undefined;
}

/** Analyses a network's initialization: per weighted layer, fans, Var[w], factor and product. */
export function initAnalysis(a: Analysis, scheme: InitScheme): InitAnalysis {
  const all = allResults(a);
  const leaves = all.filter((r) => !BLOCK_TYPES.has(r.type));
  const notes: InitAnalysis["notes"] = [];
  const rows: Omit<InitLayer, "productLog10" | "flag">[] = [];
  let pending: { r: LayerResult; index: number } | null = null;
  // every type, blocks included: the notes below ask about residual, concat and denseblock
  const seen = new Set<LayerType>(all.map((r) => r.type));
  for (const r of leaves) {
    if (WEIGHTED.has(r.type)) {
      const { fanIn, fanOut } = fans(r);
      const activation = ownActivation(r) ?? "linear";
      const variance = schemeVariance(scheme, fanIn, fanOut);
      const gain = GAINS[activation].G;
      rows.push({
        result: r,
        fanIn,
        fanOut,
        variance,
        activation,
        gain,
        factor: gain * fanOut * variance,
      });
      pending = ownActivation(r) === undefined ? { r, index: rows.length - 1 } : null;
    } else if (r.spec.type === "activation" && pending !== null) {
      // a separate activation layer is the transfer function of the weighted layer before it
      const row = rows[pending.index] as (typeof rows)[number];
      row.activation = r.spec.function;
      row.gain = GAINS[r.spec.function].G;
      row.factor = row.gain * row.fanOut * row.variance;
      pending = null;
    }
  }
  let log = 0;
  const layers: InitLayer[] = new Array(rows.length);
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i] as (typeof rows)[number];
    log += Math.log10(row.factor);
    const flag =
      log < Math.log10(HEALTHY.low)
        ? "vanishing"
        : log > Math.log10(HEALTHY.high)
          ? "exploding"
          : null;
    layers[i] = { ...row, productLog10: log, flag };
  }
  if (rows.length === 0) {
    notes.push({
      code: "no-weights",
      message: "the network has no conv or dense layers to initialize",
    });
  }
  if ([...seen].some((t) => traitsOf(t).parallel)) {
    notes.push({
      code: "chain-only",
      message:
        "the product follows the layers in order as one chain; shortcuts and parallel branches, which keep gradients healthy in residual and dense networks, are not modelled",
    });
  }
  if (seen.has("batchnorm")) {
    notes.push({
      code: "batchnorm-ignored",
      message:
        "batchnorm rescales activations and their gradients during training; its effect is not modelled here (factor 1)",
    });
  }
  // batchnorm has its own note (above); the other layers that rescale values in place, by name
  const rescaling = [...RESCALING].filter((t) => t !== "batchnorm" && seen.has(t));
  if (rescaling.length > 0) {
    notes.push({
      code: "rescale-ignored",
      message: `${rescaling.join(", ")} rescale values in place (by statistics, learned scales or PReLU's slopes); their effect on gradients is not modelled here (factor 1)`,
    });
  }
  if ([...seen].some((t) => traitsOf(t).pooling)) {
    notes.push({
      code: "pooling-ignored",
      message: "pooling layers are taken as factor 1 (not modelled)",
    });
  }
  if (rows.some((r) => r.result.window?.stride.some((s) => s > 1))) {
    notes.push({
      code: "stride-ignored",
      message:
        "fan-out is kernel area × filters/g, ignoring the stride, as He et al. and the frameworks do; with stride s an input value feeds about 1/s² as many weights",
    });
  }
  if (rows.some((r) => r.activation === "leakyrelu")) {
    notes.push({
      code: "leaky-alpha",
      message: "leaky ReLU is taken with α = 0.01 (PyTorch's default)",
    });
  }
  if (rows.some((r) => r.result.spec.type === "conv" && r.result.spec.connections !== undefined)) {
    notes.push({
      code: "table-mean",
      message: "for a connection table, fan-in and fan-out are means over filters and input maps",
    });
  }
  return { scheme, layers, notes };
}
