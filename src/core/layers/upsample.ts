import { fail } from "../errors.js";
import { scaledLength } from "../formulas-spatial.js";
import type { LeafKind, Outcome } from "../kind.js";
import { checkSafe, DIMENSION_NOUNS } from "../shape.js";
import { expandSize, requireSpatial } from "../window.js";
import { ROUTING, untrackedField } from "./spatial-common.js";

export interface UpsampleSpec {
  type: "upsample";
  name?: string;
  /** A positive factor, or one per dimension: output floor(J·scale). Exclusive with size. */
  scale?: number | number[];
  /** The target spatial size, or one per dimension. Exclusive with scale. */
  size?: number | number[];
  /** Nearest neighbour (default), or linear: bilinear in 2-D, trilinear in 3-D. */
  mode?: "nearest" | "linear";
}

/** A size as messages show it: `2`, `[2, 1.5]`. */
function sizeText(value: number | number[]): string {
  return Array.isArray(value) ? `[${value.join(", ")}]` : String(value);
}

/**
 * Upsampling (PyTorch `nn.Upsample`, Keras UpSampling2D): each output dimension is the given
 * size, or floor(J·scale) in double precision as PyTorch computes it (7 × 1.5 → 10).
 *
 * Counting: a fixed resampling with no weights, counted like the other layers that only route or
 * mix values without weights of their own (passthrough.ts): no neurons, no connections, no MACs,
 * no parameters, in either mode; its activations are its output values. The receptive field
 * stays when the size does not change; otherwise it is not tracked (an output's position in the
 * input steps by 1/scale, and a linear output reads 1 or 2 inputs per dimension).
 */
export const upsample: LeafKind<UpsampleSpec> = {
  analyze(spec, input, ctx): Outcome {
    requireSpatial(input.shape, ctx.path, "upsample");
    const rank = input.shape.dims.length;
    if (spec.scale !== undefined && spec.size !== undefined) {
      fail(
        "invalid-value",
        `${ctx.path}.size`,
        `upsample takes a scale or a size, not both; expected exactly one. Received: scale=${sizeText(spec.scale)}, size=${sizeText(spec.size)}`,
      );
    }
    let dims: readonly number[];
    if (spec.size !== undefined) {
      dims = expandSize(spec.size, rank, ctx.path, "size");
    } else if (spec.scale !== undefined) {
      const scale = expandSize(spec.scale, rank, ctx.path, "scale");
      dims = input.shape.dims.map((J, i) => {
        const s = scale[i] as number;
        const length = scaledLength(J, s);
        if (length < 1) {
          const noun = DIMENSION_NOUNS[rank]?.[i] ?? `dimension ${i + 1}`;
          fail(
            "output-size",
            `${ctx.path}.scale`,
            `scale ${s} leaves no output along ${noun}: floor(${J} × ${s}) = ${length}; expected an output size of at least 1. Received: scale=${s}, input=${J}`,
          );
        }
        return checkSafe(length, ctx.path, "the output size");
      });
    } else {
      fail(
        "missing-key",
        `${ctx.path}.scale`,
        "missing 'scale'; upsample needs a scale factor or a target size; expected exactly one of scale and size",
      );
    }
    const same = dims.every((d, i) => d === input.shape.dims[i]);
    const rf = same
      ? input.rf
      : untrackedField(
          input,
          ctx,
          "upsample",
          `${spec.mode === "linear" ? "linear" : "nearest"} upsampling (an output steps 1/scale of an input)`,
        );
    return { output: { shape: { dims, channels: input.shape.channels }, rf } };
  },
};

/** Its traits: a routing leaf (no weights, no window, no family). */
export const UPSAMPLE_TRAITS = ROUTING;
