/**
 * Reads PyTorch's `print(model)` text as a cnncalc spec. Parameters come from the modules'
 * arguments alone; the order follows Sequentials and torchvision's known blocks, and is otherwise
 * the printed order, said as an assumption. The input shape is `--input` or a `# input: HxWxC`
 * line of the text. See docs/pytorch.md.
 */
import { CnnError, cnnError, type Span } from "../../core/errors.js";
import type { Assumption, LayerSpec, NetworkSpec } from "../../core/types.js";
import { pathSegments } from "../json.js";
import { type ParsedSpec, validateSpec } from "../spec.js";
import { firstConvIn, MODEL_EXTRAS, Reader } from "./blocks.js";
import { where } from "./leaves.js";
import { readTree } from "./tree.js";

export { looksLikeTorchPrint } from "./tree.js";

const thousands = (n: bigint) => n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** Reads the text of `print(model)` into a spec, with what it assumed. */
export function parseTorchPrint(
  text: string,
  options: { maxDepth?: number } = {},
): ParsedSpec & { assumptions: Assumption[] } {
  const tree = readTree(text, options.maxDepth);
  const input = tree.input?.shape;
  const r = new Reader({
    rank: input ? input.length - 1 : undefined,
    channels: input ? input[input.length - 1] : undefined,
    dims: input ? input.slice(0, -1) : undefined,
    nhwc: false,
  });
  const root = tree.root;
  r.totals = r.counts(root);
  const reads = firstConvIn(root);
  if (tree.input && input && reads !== undefined && input.at(-1) !== reads && input[0] === reads) {
    // PyTorch's order, 3x224x224, where cnncalc reads channels last
    throw cnnError(
      "torch-shape",
      `the input line gives ${input.at(-1)} channels, but the first convolution reads ${reads}; expected the channels last, as --input takes them: ${[...input.slice(1), input[0]].join("x")}. ${r.totalsText()}`,
      { span: tree.input.span },
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
    `from the modules' arguments alone, ${root.cls} has ${thousands(t)} trainable and ${thousands(n)} non-trainable parameters; the totals above are these when the input is one the model accepts`,
  );
  const raw: NetworkSpec = { name: root.cls, ...(input ? { input } : {}), layers };
  const inputSpan = tree.input?.span;
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
  return { spec, assumptions: r.assumptions, locate };
}
