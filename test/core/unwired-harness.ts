/*
 * A small stand-in for analyze() that also knows the layer kinds not yet wired into the
 * LayerSpec union and KINDS (norms, layerscale, prelu, add/multiply). It runs a list of layers
 * the way analyze's sequence does (paths, default activation counts, blocks as generators
 * yielding ctx.sequence requests, driven by kind.ts' drive), so the new kinds can be tested end
 * to end, nested in each other and next to the existing kinds, before the wiring. Once they are
 * in the union, these tests can call analyze() (test/helpers.ts' run) instead.
 */
import { CnnError, type Diagnostic } from "../../src/core/errors.js";
import {
  type Context,
  drive,
  type LayerKind,
  type Outcome,
  type Request,
  type SequenceResult,
  type Step,
  type Tensor,
} from "../../src/core/kind.js";
import { sumCounts } from "../../src/core/layers/blocks.js";
import { type ElementwiseSpec, elementwise } from "../../src/core/layers/elementwise.js";
import { KINDS } from "../../src/core/layers/index.js";
import { type LayerScaleSpec, layerscale } from "../../src/core/layers/layerscale.js";
import {
  type GroupNormSpec,
  groupnorm,
  type InstanceNormSpec,
  instancenorm,
  type LayerNormSpec,
  layernorm,
} from "../../src/core/layers/norms.js";
import { type PReluSpec, prelu } from "../../src/core/layers/prelu.js";
import type { UnwiredKind } from "../../src/core/layers/unwired.js";
import { elementCount } from "../../src/core/shape.js";
import type { Counts, LayerResult, LayerSpec, Shape } from "../../src/core/types.js";

/** The specs of the kinds not yet in the union. */
export type NewSpec =
  | LayerNormSpec
  | GroupNormSpec
  | InstanceNormSpec
  | LayerScaleSpec
  | PReluSpec
  | ElementwiseSpec;

/** Any layer: an existing one or a new one. */
export type AnySpec = LayerSpec | NewSpec;

const NEW_KINDS: { readonly [T in NewSpec["type"]]: UnwiredKind<Extract<NewSpec, { type: T }>> } = {
  layernorm,
  groupnorm,
  instancenorm,
  layerscale,
  prelu,
  add: elementwise,
  multiply: elementwise,
};

/** A layer's result as analyze makes it, its type and spec widened to the new ones. */
export interface AnyResult extends Counts {
  index: number;
  path: string;
  name: string;
  type: AnySpec["type"];
  inputShape: Shape;
  outputShape: Shape;
  weightsPerNeuron: bigint | null;
  receptiveField: Tensor["rf"];
  layers?: LayerResult[];
  branches?: LayerResult[][];
  shortcut?: LayerResult[];
}

/** What the harness returns: the results, the output and the totals. */
export interface HarnessRun {
  layers: AnyResult[];
  output: Tensor;
  totals: Counts;
}

function isStep(x: Outcome | Step<Outcome>): x is Step<Outcome> {
  return typeof (x as Step<Outcome>).next === "function";
}

function kindOf(spec: AnySpec): UnwiredKind<AnySpec> {
  const kinds = { ...KINDS, ...NEW_KINDS } as Record<
    string,
    UnwiredKind<AnySpec> | LayerKind<LayerSpec>
  >;
  return kinds[spec.type] as UnwiredKind<AnySpec>;
}

/** Runs layers on an input shape `[...dims, channels]`, as analyze does (no notes kept). */
export function runAny(input: number[], layers: AnySpec[]): HarnessRun {
  const dims = input.slice(0, -1);
  const shape: Shape = { dims, channels: input[input.length - 1] as number };
  const rf =
    dims.length === 0
      ? null
      : { size: dims.map(() => 1), start: dims.map(() => 0.5), jump: dims.map(() => 1) };
  const counters = new Map<string, number>();

  function context(path: string): Context {
    return {
      path,
      warn() {},
      assume() {},
      sequence(list, x, prefix, repetition): Request {
        return { run: sequence(list as readonly AnySpec[], x, prefix, repetition) };
      },
    };
  }

  function* sequence(
    list: readonly AnySpec[],
    start: Tensor,
    prefix: string,
    repetition?: number,
  ): Step<SequenceResult> {
    const results: AnyResult[] = [];
    let x = start;
    const tag = repetition === undefined ? "" : `#${repetition}`;
    for (const [i, spec] of list.entries()) {
      const path = `${prefix}[${i}]${tag}`;
      const n = (counters.get(spec.type) ?? 0) + 1;
      counters.set(spec.type, n);
      const step = kindOf(spec).analyze(spec, x, context(path));
      const out = isStep(step) ? ((yield { run: step }) as Outcome) : step;
      const result: AnyResult = {
        index: i + 1,
        path,
        name: spec.name ?? `${spec.type}${n}`,
        type: spec.type,
        inputShape: x.shape,
        outputShape: out.output.shape,
        weightsPerNeuron: out.weightsPerNeuron ?? null,
        neurons: out.neurons ?? 0n,
        connections: out.connections ?? 0n,
        trainableParameters: out.trainableParameters ?? 0n,
        nonTrainableParameters: out.nonTrainableParameters ?? 0n,
        macs: out.macs ?? 0n,
        activations: out.activations ?? elementCount(out.output.shape),
        receptiveField: out.output.rf,
      };
      if (out.layers) result.layers = out.layers;
      if (out.branches) result.branches = out.branches;
      if (out.shortcut) result.shortcut = out.shortcut;
      results.push(result);
      x = out.output;
    }
    // the results of new types stand in LayerResult lists until the union takes them
    return { results: results as unknown as LayerResult[], output: x };
  }

  const run = drive(sequence(layers, { shape, rf }, "layers"));
  const all = run.results as unknown as AnyResult[];
  return { layers: all, output: run.output, totals: sumCounts(run.results) };
}

/** The only layer of a one-layer run. */
export function runOne(input: number[], layer: AnySpec): AnyResult {
  return runAny(input, [layer]).layers[0] as AnyResult;
}

/** The diagnostic of a run that must fail. */
export function failureAny(input: number[], layers: AnySpec[]): Diagnostic {
  try {
    runAny(input, layers);
  } catch (e) {
    if (e instanceof CnnError) return e.diagnostic;
    throw e;
  }
  throw new Error("expected a CnnError");
}
