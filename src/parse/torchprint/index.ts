/**
 * Reads PyTorch's `print(model)` text as a cnncalc spec. Parameters come from the modules'
 * arguments alone; the order follows Sequentials and torchvision's known blocks, and is otherwise
 * the printed order, said as an assumption. The input shape is `--input` or a `# input: HxWxC`
 * line of the text. See docs/pytorch.md.
 */

import { allResults, children } from "../../core/check.js";
import { CnnError, cnnError, type Span } from "../../core/errors.js";
import type {
  Analysis,
  Assumption,
  LayerResult,
  LayerSpec,
  NetworkSpec,
} from "../../core/types.js";
import { pathSegments } from "../json.js";
import { type ParsedSpec, validateSpec } from "../spec.js";
import { firstConvIn, MODEL_EXTRAS, Reader } from "./blocks.js";
import { type ArgCounts, where } from "./leaves.js";
import { readTree, type TorchModule } from "./tree.js";

export { looksLikeTorchPrint } from "./tree.js";

const thousands = (n: bigint) => n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** Reads the text of `print(model)` into a spec, with what it assumed. */
export function parseTorchPrint(
  text: string,
  options: { maxDepth?: number; input?: number[] } = {},
): ParsedSpec & { assumptions: Assumption[]; crossCheck: (analysis: Analysis) => void } {
  const tree = readTree(text, options.maxDepth);
  // --input overrides the text's `# input:` line, as it overrides a spec's input; either way the
  // modules' declared sizes (in_channels, in_features) are checked against the flow from it
  const given = options.input;
  const input = given ?? tree.input?.shape;
  const r = new Reader({
    rank: input ? input.length - 1 : undefined,
    channels: input ? input[input.length - 1] : undefined,
    dims: input ? input.slice(0, -1) : undefined,
    nhwc: false,
  });
  const root = tree.root;
  r.totals = r.counts(root);
  const reads = firstConvIn(root);
  if (input && reads !== undefined && input.at(-1) !== reads && input[0] === reads) {
    // PyTorch's order, 3x224x224, where cnncalc reads channels last
    const what = given ? "the shape" : "the input line";
    throw cnnError(
      "torch-shape",
      `${what} gives ${input.at(-1)} channels, but the first convolution reads ${reads}; expected the channels last, as --input takes them: ${[...input.slice(1), input[0]].join("x")}. ${r.totalsText()}`,
      given ? { path: "--input" } : tree.input ? { span: tree.input.span } : {},
    );
  }
  let layers: LayerSpec[];
  const extra = Object.hasOwn(MODEL_EXTRAS, root.cls) ? MODEL_EXTRAS[root.cls] : undefined;
  if (extra && root.container && root.children.some((c) => c.key === extra.after)) {
    r.assume("torch-order", `${root.cls} ${where(root)} ${extra.note}`);
    layers = [];
    for (const c of root.children) {
      layers.push(...r.map(c));
      if (c.key !== extra.after) continue;
      for (const l of extra.layers) layers.push(r.tag({ ...l }, c));
      if (extra.layers.some((l) => l.type === "flatten")) {
        if (r.flow.dims && r.flow.channels !== undefined) {
          r.flow.channels = r.flow.dims.reduce((p, x) => p * x, r.flow.channels);
        } else if ((r.flow.rank ?? 0) > 0) r.flow.channels = undefined;
        r.flow.rank = 0;
        r.flow.dims = undefined;
      } else r.flow.dims = Array.from({ length: r.flow.rank ?? 2 }, () => 1);
    }
  } else layers = r.map(root);
  const [t, n] = r.totals;
  r.assume(
    "torch-parameters",
    `from the modules' arguments alone, ${root.cls} has ${thousands(t)} trainable and ${thousands(n)} non-trainable parameters; the table's totals are checked against these`,
  );
  const raw: NetworkSpec = { name: root.cls, ...(input ? { input } : {}), layers };
  // a shape from --input has no place in the text
  const inputSpan = given ? undefined : tree.input?.span;
  const locate = (path: string): Span | undefined => {
    if (path === "input") return inputSpan;
    let node: unknown = raw;
    let span: Span | undefined;
    for (const seg of pathSegments(path)) {
      if (node === null || typeof node !== "object" || !Object.hasOwn(node, seg)) break;
      node = (node as Record<string | number, unknown>)[seg];
      if (node !== null && typeof node === "object") span = r.spans.get(node) ?? span;
    }
    return span;
  };
  // the values a module printed go through the checks a JSON spec gets (a stride of 0, a
  // dropout rate of 2), each error located at the module's line
  let spec: NetworkSpec;
  try {
    spec = validateSpec(raw);
  } catch (e) {
    if (e instanceof CnnError && e.diagnostic.span === undefined && e.diagnostic.path) {
      const span = locate(e.diagnostic.path);
      if (span) e.diagnostic.span = span;
    }
    throw e;
  }
  return {
    spec,
    assumptions: r.assumptions,
    locate,
    crossCheck: (analysis) => crossCheck(analysis, root, r, locate),
  };
}

const shapeText = (s: LayerResult["inputShape"]) => [...s.dims, s.channels].join("×");

/**
 * Fails when the analysis counts other parameters than the modules' arguments give: a module's
 * declared size (in_features, in_channels, num_features) does not fit the input it reads, which
 * only the analysis knows where it depends on the input's size (a Linear after a Flatten). Names
 * the first leaf module whose layers count differently, at its line.
 */
function crossCheck(
  analysis: Analysis,
  root: TorchModule,
  r: Reader,
  locate: (path: string) => Span | undefined,
): void {
  const [t, n] = r.totals;
  const got = analysis.totals;
  if (got.trainableParameters === t && got.nonTrainableParameters === n) return;
  const declared = new Map<number, { module: TorchModule; counts: ArgCounts }>();
  const stack = [root];
  for (let m = stack.pop(); m !== undefined; m = stack.pop()) {
    if (m.container) stack.push(...m.children);
    else declared.set(m.span.start, { module: m, counts: r.counts(m) });
  }
  // the leaf results of each module, in the order the network runs them
  const sums = new Map<number, { counts: ArgCounts; first: LayerResult }>();
  for (const res of allResults(analysis)) {
    if (children(res).length > 0) continue;
    const start = locate(res.path)?.start;
    if (start === undefined || !declared.has(start)) continue;
    const sum = sums.get(start) ?? { counts: [0n, 0n], first: res };
    sum.counts = [
      sum.counts[0] + res.trainableParameters,
      sum.counts[1] + res.nonTrainableParameters,
    ];
    sums.set(start, sum);
  }
  for (const [start, sum] of sums) {
    const { module, counts } = declared.get(start) as { module: TorchModule; counts: ArgCounts };
    if (sum.counts[0] === counts[0] && sum.counts[1] === counts[1]) continue;
    throw cnnError(
      "torch-shape",
      `${module.cls} ${where(module)} has ${thousands(counts[0] + counts[1])} parameters from its arguments, but with the ${shapeText(sum.first.inputShape)} input it reads here it would have ${thousands(sum.counts[0] + sum.counts[1])}: its declared size does not fit this input (another --input?). ${r.totalsText()}`,
      { span: module.span },
    );
  }
  throw cnnError(
    "torch-shape",
    `the layers read count ${thousands(got.trainableParameters)} trainable and ${thousands(got.nonTrainableParameters)} non-trainable parameters, but the modules' arguments give ${thousands(t)} and ${thousands(n)}. ${r.totalsText()}`,
  );
}
