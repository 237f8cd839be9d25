import { fail } from "../errors.js";
import type { Context, LayerKind, Outcome, SequenceResult, Tensor } from "../kind.js";
import { elementCount, sameShape } from "../shape.js";
import type {
  ConcatSpec,
  Counts,
  DenseBlockSpec,
  LayerResult,
  ReceptiveField,
  RepeatSpec,
  ResidualSpec,
} from "../types.js";
import { shapeText } from "../window.js";

const COUNT_KEYS = [
  "neurons",
  "connections",
  "trainableParameters",
  "nonTrainableParameters",
  "macs",
  "activations",
] as const satisfies readonly (keyof Counts)[];

/** The sum of the counts of a list of results. */
export function sumCounts(results: readonly LayerResult[], into?: Counts): Counts {
  const total: Counts = into ?? {
    neurons: 0n,
    connections: 0n,
    trainableParameters: 0n,
    nonTrainableParameters: 0n,
    macs: 0n,
    activations: 0n,
  };
  // locals, not total[k] += r[k]: keyed bigint updates cost twice as much on long chains
  let { neurons, connections, trainableParameters, nonTrainableParameters, macs, activations } =
    total;
  for (const r of results) {
    neurons += r.neurons;
    connections += r.connections;
    trainableParameters += r.trainableParameters;
    nonTrainableParameters += r.nonTrainableParameters;
    macs += r.macs;
    activations += r.activations;
  }
  Object.assign(total, {
    neurons,
    connections,
    trainableParameters,
    nonTrainableParameters,
    macs,
    activations,
  } satisfies Record<(typeof COUNT_KEYS)[number], bigint>);
  return total;
}

/** The larger receptive field per dimension, for outputs fed by several paths. */
export function widestField(
  a: ReceptiveField | null,
  b: ReceptiveField | null,
): ReceptiveField | null {
  if (a === null || b === null) return null;
  return {
    size: a.size.map((r, i) => Math.max(r, b.size[i] ?? r)),
    start: a.start,
    jump: a.jump,
  };
}

/** Residual block: body(x) + shortcut(x), the shortcut an identity unless given. */
export const residual: LayerKind<ResidualSpec> = {
  *analyze(spec, input, ctx) {
    const body = (yield ctx.sequence(spec.body, input, `${ctx.path}.body`)) as SequenceResult;
    const shortcut = (yield ctx.sequence(
      spec.shortcut ?? [],
      input,
      `${ctx.path}.shortcut`,
    )) as SequenceResult;
    if (!sameShape(body.output.shape, shortcut.output.shape)) {
      fail(
        "add-shape-mismatch",
        ctx.path,
        `the residual add needs equal shapes; the body gives ${shapeText(body.output.shape)} but the shortcut gives ${shapeText(shortcut.output.shape)}`,
      );
    }
    const counts = sumCounts(shortcut.results, sumCounts(body.results));
    counts.activations += elementCount(body.output.shape);
    return {
      ...counts,
      output: {
        shape: body.output.shape,
        rf: widestField(body.output.rf, shortcut.output.rf),
      },
      layers: body.results,
      shortcut: shortcut.results,
    };
  },
};

/**
 * Fails unless every branch output has the same spatial size, for a channel concatenation;
 * `names` says what each output is in the message ("branch 1", "the block input").
 */
function concatShapes(
  outputs: readonly Tensor[],
  ctx: Context,
  what: string,
  names: readonly string[],
): Tensor {
  const first = outputs[0] as Tensor;
  let channels = 0;
  let rf = first.rf;
  for (const [k, t] of outputs.entries()) {
    const same =
      t.shape.dims.length === first.shape.dims.length &&
      t.shape.dims.every((d, i) => d === first.shape.dims[i]);
    if (!same) {
      fail(
        "concat-shape-mismatch",
        ctx.path,
        `${what} needs equal spatial sizes; ${names[0]} gives ${shapeText(first.shape)} but ${names[k]} gives ${shapeText(t.shape)}`,
      );
    }
    channels += t.shape.channels;
    rf = widestField(rf, t.rf);
  }
  return { shape: { dims: first.shape.dims, channels }, rf };
}

/** Concatenation of branches along channels (Inception, SqueezeNet fire modules). */
export const concat: LayerKind<ConcatSpec> = {
  *analyze(spec, input, ctx) {
    const runs: SequenceResult[] = [];
    for (const [b, branch] of spec.branches.entries()) {
      runs.push(
        (yield ctx.sequence(branch, input, `${ctx.path}.branches[${b}]`)) as SequenceResult,
      );
    }
    const output = concatShapes(
      runs.map((r) => r.output),
      ctx,
      "the concat",
      runs.map((_, b) => `branch ${b + 1} (branches[${b}])`),
    );
    const counts = sumCounts(runs.flatMap((r) => r.results));
    counts.activations += elementCount(output.shape);
    return { ...counts, output, branches: runs.map((r) => r.results) };
  },
};

/** DenseNet block: `repeat` times, x <- concat(x, body(x)). */
export const denseblock: LayerKind<DenseBlockSpec> = {
  *analyze(spec, input, ctx) {
    let x = input;
    const layers: LayerResult[] = [];
    const counts = sumCounts([]);
    for (let k = 1; k <= spec.repeat; k++) {
      const y = (yield ctx.sequence(spec.body, x, `${ctx.path}.body`, k)) as SequenceResult;
      x = concatShapes([x, y.output], ctx, `repetition ${k} of the dense block`, [
        "its input",
        "its body",
      ]);
      sumCounts(y.results, counts);
      counts.activations += elementCount(x.shape);
      // a loop, not push(...): spreading a 150,000-layer body overflows the call stack
      for (const r of y.results) layers.push(r);
    }
    return { ...counts, output: x, layers };
  },
};

/** The body stacked `times` times. */
export const repeat: LayerKind<RepeatSpec> = {
  *analyze(spec, input, ctx) {
    let x = input;
    const layers: LayerResult[] = [];
    const counts = sumCounts([]);
    for (let k = 1; k <= spec.times; k++) {
      const y = (yield ctx.sequence(spec.body, x, `${ctx.path}.body`, k)) as SequenceResult;
      x = y.output;
      sumCounts(y.results, counts);
      // a loop, not push(...): spreading a 150,000-layer body overflows the call stack
      for (const r of y.results) layers.push(r);
    }
    const outcome: Outcome = { ...counts, output: x, layers };
    return outcome;
  },
};
