import type { Context, Outcome, Step, Tensor } from "../kind.js";

/**
 * `LayerKind<S>` for a spec not yet in the LayerSpec union (`LayerKind` requires
 * `S extends LayerSpec`): the same shape, so once S joins the union a kind typed
 * `UnwiredKind<S>` is a `LayerKind<S>` as it stands. Wiring: replace `UnwiredKind` by
 * `LayerKind` in the files that import it and delete this file.
 */
export interface UnwiredKind<S extends { type: string }> {
  analyze(spec: S, input: Tensor, ctx: Context): Outcome | Step<Outcome>;
}
