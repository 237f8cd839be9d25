import { fail } from "./errors.js";
import {
  type Context,
  drive,
  type LayerKind,
  type Notes,
  type Outcome,
  type Request,
  type SequenceResult,
  type Step,
  type Tensor,
} from "./kind.js";
import { sumCounts } from "./layers/blocks.js";
import { KINDS } from "./layers/index.js";
import { elementCount } from "./shape.js";
import { repetitions, specChildren } from "./traits.js";
import type { Analysis, LayerResult, LayerSpec, NetworkSpec, Shape } from "./types.js";
import { counted } from "./words.js";

/** Options for one analysis. */
export interface AnalyzeOptions {
  /** Replaces (or supplies) the spec's input, `[...dims, channels]`. */
  input?: number[];
  /** Turns every warning into an error. */
  strict?: boolean;
  /** The most layers the network may expand to, repeats multiplied out (default 1,000,000). */
  maxLayers?: number;
}

/** The default of AnalyzeOptions.maxLayers: far beyond real networks, within memory. */
export const MAX_LAYERS = 1_000_000;

/**
 * How many layer results a spec expands to, with repeats and dense blocks multiplied out, in one
 * pass with an explicit stack (nested repeats grow exponentially: `repeat 2` nested 60 deep is
 * 2^60 layers, which must be refused before any is analysed). Plain layers count on a number;
 * only blocks touch bigints, so a long chain costs next to nothing.
 */
export function expandedLayerCount(layers: readonly LayerSpec[]): bigint {
  interface Frame {
    lists: readonly (readonly LayerSpec[])[];
    list: number;
    at: number;
    plain: number;
    blocks: bigint;
    times: number;
  }
  const root: Frame = { lists: [layers], list: 0, at: 0, plain: 0, blocks: 0n, times: 1 };
  const stack: Frame[] = [root];
  for (let f = stack[stack.length - 1]; f !== undefined; f = stack[stack.length - 1]) {
    const list = f.lists[f.list];
    if (list === undefined) {
      stack.pop();
      const parent = stack[stack.length - 1];
      if (parent) parent.blocks += 1n + BigInt(f.times) * (BigInt(f.plain) + f.blocks);
      continue;
    }
    const l = list[f.at++];
    if (l === undefined) {
      f.list++;
      f.at = 0;
      continue;
    }
    const lists = specChildren(l).map((c) => c.layers);
    if (lists.length === 0) f.plain++;
    else {
      const times = repetitions(l);
      stack.push({ lists, list: 0, at: 0, plain: 0, blocks: 0n, times });
    }
  }
  return BigInt(root.plain) + root.blocks;
}

/** Checks an input shape: 1 to 4 positive safe integers (flat, 1-D, 2-D or 3-D with channels). */
export function checkInput(values: readonly number[] | undefined, path = "input"): Shape {
  if (values === undefined) {
    fail(
      "missing-input",
      path,
      "the network has no input shape; expected `input` in the spec (e.g. [84, 84, 4]) or --input HxWxC",
    );
  }
  if (values.length < 1 || values.length > 4) {
    fail(
      "input-rank",
      path,
      `expected 1 to 4 values ([units], [length, c], [h, w, c] or [d, h, w, c]); received ${values.length}`,
    );
  }
  values.forEach((v, i) => {
    if (!Number.isSafeInteger(v) || v < 1) {
      fail("input-value", `${path}[${i}]`, `expected a positive integer; received ${v}`);
    }
  });
  return { dims: values.slice(0, -1), channels: values[values.length - 1] as number };
}

/** The most channels a channels-first input is taken to have: grey, RGB, RGBA or 4 stacked frames. */
export const CHANNELS_FIRST_MAX = 4;
/** Every other size of a channels-first input is at least this many times the first... */
export const CHANNELS_FIRST_RATIO = 4;
/** ...and at least this large, so small channels-last inputs such as [4, 6, 2] are left alone. */
export const CHANNELS_FIRST_MIN_SIZE = 8;

/**
 * The channels-last order of an input that looks channels-first (PyTorch's `[3, 224, 224]`,
 * `[1, 28, 28]`, a 1-D `[2, 1000]`), or undefined. It looks so when the first number is 1 to
 * CHANNELS_FIRST_MAX and every other is at least CHANNELS_FIRST_MIN_SIZE and CHANNELS_FIRST_RATIO
 * times the first (so the last, read as the channels, is not tiny too): cnncalc reads channels
 * last, and 224 channels of a 3×224 image is almost never what was meant.
 */
export function channelsLastOf(values: readonly number[]): number[] | undefined {
  const [first, ...rest] = values;
  if (first === undefined || rest.length === 0 || first > CHANNELS_FIRST_MAX) return undefined;
  const least = Math.max(CHANNELS_FIRST_MIN_SIZE, CHANNELS_FIRST_RATIO * first);
  return rest.every((v) => v >= least) ? [...rest, first] : undefined;
}

/** An input read channels last, in words: `3×224 with 224 channels`, `length 2 with 1 channel`. */
function inputInWords(values: readonly number[]): string {
  const dims = values.slice(0, -1);
  const channels = values[values.length - 1] as number;
  const size = dims.length === 1 ? `length ${dims[0]}` : dims.join("×");
  return `${size} with ${counted(channels, "channel")}`;
}

/**
 * The `channels-first` warning for an input (undefined when it does not look channels-first),
 * saying how cnncalc reads it and how to write what was probably meant, where it was given. It
 * is shown after the input's path (`input: [3, 224, 224] looks ...`, `--input: 3x224x224 ...`).
 */
export function channelsFirstMessage(
  values: readonly number[],
  from: "spec" | "--input",
): string | undefined {
  const meant = channelsLastOf(values);
  if (meant === undefined) return undefined;
  const given = from === "spec" ? `[${values.join(", ")}]` : values.join("x");
  const fix =
    from === "spec"
      ? `reorder the spec's input to [${meant.join(", ")}] or give --input ${meant.join("x")}`
      : `give --input ${meant.join("x")}`;
  return `${given} looks channels-first: cnncalc reads the channels last, so this is ${inputInWords(values)}; if you meant ${inputInWords(meant)}, ${fix}`;
}

/** Whether a kind returned a generator (a block) rather than its outcome. */
function isStep(x: Outcome | Step<Outcome>): x is Step<Outcome> {
  return typeof (x as Step<Outcome>).next === "function";
}

/** Analyses a network: every layer's output shape and exact counts, the totals and the notes. */
export function analyze(spec: NetworkSpec, options: AnalyzeOptions = {}): Analysis {
  const inputPath = options.input ? "--input" : "input";
  const input = checkInput(options.input ?? spec.input, inputPath);
  const notes: Notes = { warnings: [], assumptions: [] };
  const strict = options.strict === true;
  // here, where every route of the input (a JSON spec, the layer language, prose, --input) meets
  const firstMessage = channelsFirstMessage(
    [...input.dims, input.channels],
    options.input ? "--input" : "spec",
  );
  if (firstMessage !== undefined) {
    if (strict) fail("channels-first", inputPath, `${firstMessage} (an error under --strict)`);
    notes.warnings.push({ code: "channels-first", message: firstMessage, layer: inputPath });
  }
  if (input.dims.length === 1) {
    // two numbers read as length × channels: say so, since 28×28 often means a grey image
    const [length] = input.dims;
    notes.assumptions.push({
      code: "input-1d",
      message: `the input [${length}, ${input.channels}] is read as 1-D: length ${length} with ${counted(input.channels, "channel")}; an image of ${length}×${input.channels} with one channel is [${length}, ${input.channels}, 1]`,
    });
  }
  const counters = new Map<string, number>();

  /**
   * One context per sequence, its path moved along the layers: a block reads it while its
   * sequence is suspended on it, so it stays the block's path.
   */
  class SequenceContext implements Context {
    path = "";
    warn(code: string, message: string): void {
      if (strict) fail(code, this.path, `${message} (an error under --strict)`);
      notes.warnings.push({ code, message, layer: this.path });
    }
    assume(code: string, message: string): void {
      notes.assumptions.push({ code, message });
    }
    sequence(
      layers: readonly LayerSpec[],
      input: Tensor,
      path: string,
      repetition?: number,
    ): Request {
      return { run: sequence(layers, input, path, repetition) };
    }
  }

  function* sequence(
    layers: readonly LayerSpec[],
    start: Tensor,
    prefix: string,
    repetition?: number,
  ): Step<SequenceResult> {
    const results: LayerResult[] = [];
    let x = start;
    const tag = repetition === undefined ? "" : `#${repetition}`;
    const ctx = new SequenceContext();
    // a layer that passes its input through (activation, dropout) has the count of its input:
    // shared rather than recomputed, one bigint less per such layer
    let countedShape: Shape | null = null;
    let counted = 0n;
    for (let i = 0; i < layers.length; i++) {
      const spec = layers[i] as LayerSpec;
      const path = `${prefix}[${i}]${tag}`;
      ctx.path = path;
      const n = (counters.get(spec.type) ?? 0) + 1;
      counters.set(spec.type, n);
      const name = spec.name ?? `${spec.type}${n}`;
      // KINDS pairs each type with its kind; TypeScript cannot follow that through the union
      const kind = KINDS[spec.type] as LayerKind<LayerSpec>;
      const step = kind.analyze(spec, x, ctx);
      // a block is a generator: the driver runs it (and its children) and resumes us with it
      const out = isStep(step) ? ((yield { run: step }) as Outcome) : step;
      if (out.activations === undefined && out.output.shape !== countedShape) {
        countedShape = out.output.shape;
        counted = elementCount(countedShape);
      }
      const result: LayerResult = {
        index: i + 1,
        path,
        name,
        type: spec.type,
        spec,
        inputShape: x.shape,
        outputShape: out.output.shape,
        weightsPerNeuron: out.weightsPerNeuron ?? null,
        neurons: out.neurons ?? 0n,
        connections: out.connections ?? 0n,
        trainableParameters: out.trainableParameters ?? 0n,
        nonTrainableParameters: out.nonTrainableParameters ?? 0n,
        macs: out.macs ?? 0n,
        activations: out.activations ?? counted,
        receptiveField: out.output.rf,
      };
      if (out.window) result.window = out.window;
      if (out.flattenedFrom) result.flattenedFrom = out.flattenedFrom;
      if (out.layers) result.layers = out.layers;
      if (out.branches) result.branches = out.branches;
      if (out.shortcut) result.shortcut = out.shortcut;
      results.push(result);
      x = out.output;
    }
    return { results, output: x };
  }

  if (spec.layers.length === 0) {
    fail("no-layers", "layers", "the network has no layers; expected at least one layer");
  }
  const maxLayers = options.maxLayers ?? MAX_LAYERS;
  const expanded = expandedLayerCount(spec.layers);
  if (expanded > BigInt(maxLayers)) {
    fail(
      "too-many-layers",
      "layers",
      `the network expands to ${expanded} layers (repeats multiplied out), more than the limit of ${maxLayers}; expected a smaller network (raise the limit with --max-layers)`,
    );
  }
  const rank = input.dims.length;
  const rf =
    rank === 0
      ? null
      : {
          size: input.dims.map(() => 1),
          start: input.dims.map(() => 0.5),
          jump: input.dims.map(() => 1),
        };
  const run = drive(sequence(spec.layers, { shape: input, rf }, "layers"));
  const counts = sumCounts(run.results);
  return {
    name: spec.name ?? null,
    input,
    layers: run.results,
    totals: { ...counts, parameters: counts.trainableParameters + counts.nonTrainableParameters },
    output: run.output.shape,
    warnings: notes.warnings,
    assumptions: notes.assumptions,
  };
}
