import { CnnError, type Diagnostic } from "../../src/core/errors.js";
import type { Context, Tensor } from "../../src/core/kind.js";
import type { Assumption, Warning } from "../../src/core/types.js";

/** A minimal Context for calling a layer kind directly, collecting its notes. */
export function context(path = "layers[0]"): {
  ctx: Context;
  warnings: Omit<Warning, "layer">[];
  assumptions: Assumption[];
} {
  const warnings: Omit<Warning, "layer">[] = [];
  const assumptions: Assumption[] = [];
  const ctx: Context = {
    path,
    warn: (code, message) => void warnings.push({ code, message }),
    assume: (code, message) => void assumptions.push({ code, message }),
    sequence: () => {
      throw new Error("these layers are no blocks");
    },
  };
  return { ctx, warnings, assumptions };
}

/**
 * A tensor from `[...dims, channels]`, with the receptive field of a network input (size 1,
 * start 0.5, jump 1 per dimension), or none for a flat vector.
 */
export function tensor(shape: readonly number[]): Tensor {
  const dims = shape.slice(0, -1);
  const channels = shape[shape.length - 1] as number;
  const rf =
    dims.length === 0
      ? null
      : { size: dims.map(() => 1), start: dims.map(() => 0.5), jump: dims.map(() => 1) };
  return { shape: { dims, channels }, rf };
}

/** The diagnostic of a call that must fail with a CnnError. */
export function failure(call: () => unknown): Diagnostic {
  try {
    call();
  } catch (e) {
    if (e instanceof CnnError) return e.diagnostic;
    throw e;
  }
  throw new Error("expected a CnnError");
}
