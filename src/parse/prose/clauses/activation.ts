import type { ActivationName } from "../../../core/types.js";
import type { Reader } from "../reader.js";
import type { Sentence } from "../tokens.js";

/** Sets an activation clause ("followed by a rectifier") on the layer before it. */
export function readActivation(r: Reader, s: Sentence, act: ActivationName): void {
  const prev = r.layers[r.layers.length - 1];
  if (prev === undefined)
    r.fail("unreadable-layer", s, `a ${act} activation with no layer before it`);
  if (
    (prev.type === "conv" || prev.type === "dense" || prev.type === "subsample") &&
    prev.activation === undefined
  ) {
    prev.activation = act;
    return;
  }
  if (prev.activation === act) return;
  r.add({ type: "activation", function: act }, s, undefined, undefined);
}
