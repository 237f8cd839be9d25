import type { NormsSpec } from "../../core/layers/norms.js";
import { elementCount } from "../../core/shape.js";
import type { LayerResult } from "../../core/types.js";
import { grouped } from "../numbers.js";
import { shapeFactors, T } from "../working.js";
import { blockWorking, inPlaceWorking, type Working } from "../workings.js";

/*
 * The group "norms and merges" in `--explain`: one working per type, spread into WORKINGS. The
 * norms work in place (no neurons, connections or MACs); only their parameter lines differ.
 */

type Of<K extends NormsSpec["type"]> = Extract<NormsSpec, { type: K }>;

/** `2C = 2×64 = 128 (what)`, or `0 (why)` when the count is 0. */
function perChannel(r: LayerResult, factor: 1 | 2, what: string, none: string): string {
  const C = r.inputShape.channels;
  const params = r.trainableParameters + r.nonTrainableParameters;
  if (params === 0n) return `0 (${none})`;
  return factor === 1
    ? `C = ${grouped(params)} (${what})`
    : `2C = 2${T}${C} = ${grouped(params)} (${what})`;
}

/** The norms' workings (after batchnorm and lrn). */
export const NORMS_WORKINGS = {
  layernorm: (r, spec) =>
    inPlaceWorking(
      r,
      spec.over === "all"
        ? "normalizes the whole input with its own mean and variance and rescales it"
        : "normalizes each position's channels with their own mean and variance and rescales them",
      {
        parameters: (x, params) => {
          if (params === 0n) return "0 (not affine: no γ or β)";
          const each = spec.bias === false ? 1 : 2;
          const what = `${each === 2 ? "trainable γ and β" : "a trainable γ"} per normalized value; the statistics are computed, not learned`;
          if (spec.over === "all") {
            const n = elementCount(x.inputShape);
            return `${each === 2 ? "2×" : ""}${shapeFactors(x.inputShape)} = ${each === 2 ? `2${T}${grouped(n)} = ` : ""}${grouped(params)} (${what})`;
          }
          const C = x.inputShape.channels;
          return each === 2
            ? `2C = 2${T}${C} = ${grouped(params)} (${what})`
            : `C = ${grouped(params)} (${what})`;
        },
      },
    ),
  groupnorm: (r, spec) =>
    inPlaceWorking(
      r,
      `normalizes each of its ${spec.groups} groups of channels with the group's mean and variance and rescales each channel`,
      {
        parameters: (x) =>
          perChannel(
            x,
            2,
            "trainable γ and β per channel, whatever the groups",
            "not affine: no γ or β",
          ),
      },
    ),
  instancenorm: (r, spec) =>
    inPlaceWorking(r, "normalizes each channel with its own mean and variance over the positions", {
      parameters: (x) => {
        const C = x.inputShape.channels;
        const parts: string[] = [];
        const why: string[] = [];
        if (spec.affine === true) {
          parts.push("2C");
          why.push("trainable γ and β per channel");
        }
        if (spec.trackRunningStats === true) {
          parts.push("2C");
          why.push("non-trainable running mean and variance per channel");
        }
        if (parts.length === 0) return "0 (not affine and no running statistics)";
        const total = x.trainableParameters + x.nonTrainableParameters;
        return `${parts.join(" + ")} = ${parts.map(() => `2${T}${C}`).join(" + ")} = ${grouped(total)} (${why.join("; ")})`;
      },
    }),
  layerscale: (r) =>
    inPlaceWorking(r, "multiplies each channel by a learned scale", {
      parameters: (x) => perChannel(x, 1, "a trainable scale per channel", "no channels"),
    }),
  prelu: (r, spec) =>
    inPlaceWorking(r, "keeps positive values and multiplies negative ones by a learned slope", {
      parameters: (x, params) =>
        spec.shared === true
          ? `${grouped(params)} (one trainable slope shared by every channel)`
          : perChannel(x, 1, "a trainable slope per channel", "no channels"),
    }),
} as const satisfies {
  readonly [K in Exclude<NormsSpec["type"], "add" | "multiply">]: Working<Of<K>>;
};

/** The merges' workings (after concat). */
export const MERGES_WORKINGS = {
  add: (r: LayerResult) =>
    blockWorking(r, "the branches' outputs broadcast to one shape and added value by value"),
  multiply: (r: LayerResult) =>
    blockWorking(r, "the branches' outputs broadcast to one shape and multiplied value by value"),
};
