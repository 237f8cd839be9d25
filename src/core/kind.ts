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
   * Analyses a nested list of layers (a block's body or branch); child i gets the path
   * `${path}[i]`, tagged `#k` for the k-th repetition of a repeated body.
   */
  sequence(
    layers: readonly LayerSpec[],
    input: Tensor,
    path: string,
    repetition?: number,
  ): { results: LayerResult[]; output: Tensor };
}

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

/** One layer type's arithmetic: given its spec and its input, its output and counts. */
export interface LayerKind<S extends LayerSpec> {
  analyze(spec: S, input: Tensor, ctx: Context): Outcome;
}

/** Collects warnings and assumptions during one analysis. */
export interface Notes {
  warnings: Warning[];
  assumptions: Assumption[];
}
