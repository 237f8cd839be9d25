import { elementCount } from "./shape.js";
import type { Counts, Shape } from "./types.js";

/** Bytes per value of each supported dtype. */
export const DTYPE_BYTES = {
  float32: 4n,
  float16: 2n,
  bfloat16: 2n,
  int8: 1n,
  float64: 8n,
} as const;
export type Dtype = keyof typeof DTYPE_BYTES;

/** Activation (output) and parameter memory of a layer or a total, in bytes. */
export function memory(
  counts: Pick<Counts, "activations" | "trainableParameters" | "nonTrainableParameters">,
  dtype: Dtype,
): { activationBytes: bigint; parameterBytes: bigint } {
  const b = DTYPE_BYTES[dtype];
  return {
    activationBytes: counts.activations * b,
    parameterBytes: (counts.trainableParameters + counts.nonTrainableParameters) * b,
  };
}

/** Memory of the network's input tensor, in bytes. */
export function inputBytes(input: Shape, dtype: Dtype): bigint {
  return elementCount(input) * DTYPE_BYTES[dtype];
}
