import { CnnError, cnnError, type Span } from "../../core/errors.js";
import type { NetworkSpec } from "../../core/types.js";
import { locateRaw, setKeySpan, setSpan } from "../spans.js";
import { validateSpec } from "../spec.js";
import type { ProseOptions, ProseResult, Reader } from "./reader.js";

/**
 * The network assembled from what the sentences gave: outputs "per action" resolved from the
 * stated count (or --outputs), padding stated once for the whole network applied, the gaps listed
 * as assumptions, and the spec validated with the spans of its parts.
 */
export function resolve(r: Reader, options: ProseOptions): ProseResult {
  if (r.layers.length === 0) {
    throw cnnError(
      "no-layers-found",
      'found no layer in the text; expected sentences such as "The first hidden layer convolves 16 8 × 8 filters with stride 4"',
    );
  }
  for (const p of r.perAction) {
    let units: number;
    if (options.outputs !== undefined) units = options.outputs;
    else if (r.count === undefined) {
      throw cnnError(
        "unknown-outputs",
        'the output layer has one output per action (or class), but the text never says how many; expected a sentence such as "there are 18 valid actions", or --outputs N',
        { span: p.span },
      );
    } else {
      units = r.count.max;
      if (r.count.min !== r.count.max) {
        r.assumptions.push({
          code: "outputs-range",
          message: `the text gives the number of outputs as a range, ${r.count.min} to ${r.count.max}; assumed ${r.count.max}, the largest (use --outputs N for another)`,
        });
      }
    }
    p.layer.units = units;
    setKeySpan(r.table, p.layer, "units", r.count?.span ?? p.span);
  }
  if (options.outputs !== undefined && r.perAction.length === 0) {
    r.warnings.push({
      code: "outputs-unused",
      message: `--outputs ${options.outputs} is not used: no layer in the text has one output per action or class`,
      layer: null,
    });
  }
  const list = (indices: number[]) => indices.map((i) => `layers[${i}]`).join(", ");
  const global = r.globalPadding;
  if (global !== undefined && global.value !== 0) {
    // padding stated once for the network applies to each convolution that gives none
    const convs = r.noPadding.filter((i) => r.layers[i]?.type === "conv");
    for (const i of convs) (r.layers[i] as Record<string, unknown>).padding = global.value;
    if (convs.length > 0) {
      r.assumptions.push({
        code: "padding-global",
        message: `read ${r.quote(global.sentence)} as the padding (${JSON.stringify(global.value)}) of ${list(convs)}`,
      });
    }
    r.noPadding = r.noPadding.filter((i) => !convs.includes(i));
  }
  if (r.noPadding.length > 0 && global?.value !== 0) {
    r.assumptions.push({
      code: "padding-zero",
      message: `no padding is mentioned for ${list(r.noPadding)}; assumed 0`,
    });
  }
  if (r.noStride.length > 0) {
    r.assumptions.push({
      code: "stride-one",
      message: `no stride is mentioned for ${list(r.noStride)}; assumed 1`,
    });
  }
  if (r.poolStride.length > 0) {
    r.assumptions.push({
      code: "pool-stride",
      message: `no stride is mentioned for the pooling ${list(r.poolStride)}; assumed equal to its size (non-overlapping)`,
    });
  }
  const root: Record<string, unknown> = { layers: r.layers };
  if (r.input !== undefined) {
    root.input = r.input;
    setKeySpan(r.table, root, "input", r.inputSpan as Span);
    setSpan(r.table, r.input, r.inputSpan as Span);
  }
  const locate = (path: string) => locateRaw(root, r.table, path);
  let spec: NetworkSpec;
  try {
    spec = validateSpec(root);
  } catch (e) {
    if (e instanceof CnnError && e.diagnostic.path !== undefined)
      e.diagnostic.span ??= locate(e.diagnostic.path);
    throw e;
  }
  return { spec, locate, assumptions: r.assumptions, warnings: r.warnings };
}
