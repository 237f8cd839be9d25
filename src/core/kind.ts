import type {
  Assumption,
  Counts,
  LayerResult,
  LayerSpec,
  ReceptiveField,
  Shape,
  Warning,
  Window,
} from "./types.js";

/** What flows between layers: a shape and the receptive field of one of its elements. */
export interface Tensor {
  shape: Shape;
  /** Null once every output depends on the whole input (after flatten, dense, global pooling). */
  rf: ReceptiveField | null;
}

/** What a layer kind may ask of the analysis that runs it. */
export interface Context {
  /** This layer's path, e.g. `layers[3].body[1]`. */
  readonly path: string;
  warn(code: string, message: string): void;
  assume(code: string, message: string): void;
  /**
   * Asks for a nested list of layers (a block's body or branch) to be analysed: a block yields
   * the request and is resumed with the SequenceResult. Child i gets the path `${path}[i]`,
   * tagged `#k` for the k-th repetition of a repeated body.
   */
  sequence(layers: readonly LayerSpec[], input: Tensor, path: string, repetition?: number): Request;
}

/** The analysis of a list of layers: their results and the tensor they end with. */
export interface SequenceResult {
  results: LayerResult[];
  output: Tensor;
}

/**
 * Work a generator hands to the analysis' driver: run `run` to its end and resume the asker with
 * its value. Blocks nest through these requests instead of calls, so nesting depth costs heap,
 * not stack (a 10,000-level nest analyses like a flat one).
 */
export interface Request {
  readonly run: Step<unknown>;
}

/** A unit of analysis that may ask for nested work before it returns its value. */
export type Step<T> = Generator<Request, T, unknown>;

/** What one layer kind computes; counts it leaves out are zero. */
export interface Outcome extends Partial<Counts> {
  output: Tensor;
  weightsPerNeuron?: bigint | null;
  window?: Window;
  flattenedFrom?: Shape;
  layers?: LayerResult[];
  branches?: LayerResult[][];
  shortcut?: LayerResult[];
}

/**
 * One layer type's arithmetic: given its spec and its input, its output and counts. Blocks are
 * generators that yield `ctx.sequence(...)` requests for their children's analyses.
 */
export interface LayerKind<S extends LayerSpec> {
  analyze(spec: S, input: Tensor, ctx: Context): Outcome | Step<Outcome>;
}

/** A leaf layer's arithmetic: no nested work, so its outcome comes back directly. */
export interface LeafKind<S extends LayerSpec> extends LayerKind<S> {
  analyze(spec: S, input: Tensor, ctx: Context): Outcome;
}

/** Runs a step to its end with an explicit stack of suspended steps (no recursion). */
export function drive<T>(step: Step<T>): T {
  const stack: Step<unknown>[] = [step];
  let value: unknown;
  for (let top = stack[stack.length - 1]; top !== undefined; top = stack[stack.length - 1]) {
    const next = top.next(value);
    if (next.done) {
      stack.pop();
      value = next.value;
    } else {
      stack.push(next.value.run);
      value = undefined;
    }
  }
  return value as T;
}

/** Collects warnings and assumptions during one analysis. */
export interface Notes {
  warnings: Warning[];
  assumptions: Assumption[];
}
