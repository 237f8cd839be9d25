import { fail } from "../errors.js";
import type { LeafKind, Outcome } from "../kind.js";
import { ROUTING } from "./spatial-common.js";

export interface ChannelShuffleSpec {
  type: "channelshuffle";
  name?: string;
  /** The groups whose channels are interleaved (ShuffleNet); must divide the channels. */
  groups: number;
}

export interface SliceSpec {
  type: "slice";
  name?: string;
  /** `[start, end]`: channels start to end - 1 (ShuffleNet v2's channel split). */
  channels: [start: number, end: number];
}

/**
 * Channel shuffle (ShuffleNet): the channels reordered, the shape unchanged. It only moves
 * values: no neurons, connections, MACs or parameters; the receptive field is unchanged.
 */
export const channelshuffle: LeafKind<ChannelShuffleSpec> = {
  analyze(spec, input, ctx): Outcome {
    const C = input.shape.channels;
    if (C % spec.groups !== 0) {
      fail(
        "groups-mismatch",
        `${ctx.path}.groups`,
        `groups must divide the input channels; expected a divisor of ${C}. Received: groups=${spec.groups}, channels=${C}`,
      );
    }
    return { output: input };
  },
};

/**
 * A channel slice: channels start to end - 1 of every position, on a spatial input or a flat
 * vector. It only selects values: no neurons, connections, MACs or parameters; the receptive
 * field is unchanged.
 */
export const slice: LeafKind<SliceSpec> = {
  analyze(spec, input, ctx): Outcome {
    const C = input.shape.channels;
    const [start, end] = spec.channels;
    if (!(start >= 0 && start < end && end <= C)) {
      fail(
        "channel-range",
        `${ctx.path}.channels`,
        `the channel range must lie within the input's ${C} channels and be non-empty; expected 0 ≤ start < end ≤ ${C}. Received: channels=[${start}, ${end}]`,
      );
    }
    return { output: { shape: { dims: input.shape.dims, channels: end - start }, rf: input.rf } };
  },
};

/** Its traits: a routing leaf (no weights, no window, no family). */
export const CHANNELS_TRAITS = ROUTING;
