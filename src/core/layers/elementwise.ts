import { broadcast } from "../broadcast.js";
import { fail } from "../errors.js";
import type { LayerKind, SequenceResult, Tensor } from "../kind.js";
import { elementCount } from "../shape.js";
import type { LayerTraits } from "../traits.js";
import type { LayerSpec } from "../types.js";
import { shapeText } from "../window.js";
import { sumCounts, widestField } from "./blocks.js";

/**
 * Element-wise merges: the sum (`add`) or product (`multiply`) of the branches' outputs, each
 * branch run on the block's input, an empty branch being the identity. Shapes broadcast as in
 * NumPy (broadcast.ts), so a squeeze-and-excitation gate is
 * `{"type": "multiply", "branches": [[], [globalavgpool, dense, relu, dense, sigmoid]]}`.
 */
export interface ElementwiseSpec {
  type: "add" | "multiply";
  name?: string;
  branches: LayerSpec[][];
}

/** How a branch is named in messages: `branch 2 (branches[1])`, `(branches[0], the identity)`. */
export function branchName(b: number, empty: boolean): string {
  return `branch ${b + 1} (branches[${b}]${empty ? ", the identity" : ""})`;
}

/**
 * The merged output of branch outputs: their broadcast shape and the widest receptive field.
 * Fails at `path` naming the two branches and shapes that do not fit; `names[b]` is branch b's
 * name in messages.
 */
export function mergeOutputs(
  type: ElementwiseSpec["type"],
  outputs: readonly Tensor[],
  names: readonly string[],
  path: string,
): Tensor {
  const first = outputs[0];
  if (first === undefined) {
    fail(
      "invalid-value",
      `${path}.branches`,
      `the ${type} needs at least one branch; received none`,
    );
  }
  let shape = first.shape;
  let rf = first.rf;
  for (let k = 1; k < outputs.length; k++) {
    const t = outputs[k] as Tensor;
    const merged = broadcast(shape, t.shape);
    if (!merged.fits) {
      // some earlier branch alone does not fit branch k: the one that set the clashing size
      const j = outputs.findIndex((o, i) => i < k && !broadcast(o.shape, t.shape).fits);
      const other = outputs[j] as Tensor;
      const clash = broadcast(other.shape, t.shape);
      const detail = clash.fits ? "" : ` (${clash.axis} ${clash.sizes[0]} vs ${clash.sizes[1]})`;
      const message = `the ${type} needs shapes that broadcast (sizes equal or 1, aligned from the channels); ${names[j]} gives ${shapeText(other.shape)} but ${names[k]} gives ${shapeText(t.shape)}${detail}`;
      fail("merge-shape-mismatch", path, message);
    }
    shape = merged.shape;
    rf = widestField(rf, t.rf);
  }
  return { shape, rf };
}

/**
 * Add and multiply blocks. The merge itself has no neurons, connections, parameters or MACs
 * (like the residual add: MACs count weighted layers only; fvcore, too, skips element-wise `add`
 * and `mul`); the block's counts are its branches' plus the merged output's elements as
 * activations, as residual and concat count theirs.
 */
export const elementwise: LayerKind<ElementwiseSpec> = {
  *analyze(spec, input, ctx) {
    const runs: SequenceResult[] = [];
    for (const [b, branch] of spec.branches.entries()) {
      runs.push(
        (yield ctx.sequence(branch, input, `${ctx.path}.branches[${b}]`)) as SequenceResult,
      );
    }
    const output = mergeOutputs(
      spec.type,
      runs.map((r) => r.output),
      spec.branches.map((branch, b) => branchName(b, branch.length === 0)),
      ctx.path,
    );
    const counts = sumCounts(runs.flatMap((r) => r.results));
    counts.activations += elementCount(output.shape);
    return { ...counts, output, branches: runs.map((r) => r.results) };
  },
};

/** A block whose branches run in parallel on its input, as concat's. */
export const elementwiseTraits: LayerTraits<ElementwiseSpec> = {
  children: (spec) => spec.branches.map((layers, index) => ({ key: "branches", index, layers })),
  weighted: false,
  initialized: false,
  pooling: false,
  rescales: false,
  parallel: true,
  windowed: false,
  family: null,
};
