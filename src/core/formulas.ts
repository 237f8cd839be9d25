/**
 * The arithmetic of sliding windows, one small pure function per formula, each with the general
 * case built in (padding before and after, dilation, stride, ceil mode), after TF.js
 * `convOutputLength` and Keras `compute_conv_output_shape`.
 */

/** The span a dilated kernel covers: D(M-1)+1. */
export function effectiveKernel(kernel: number, dilation: number): number {
  return dilation * (kernel - 1) + 1;
}

/**
 * Output length of a window sliding over J inputs: floor((J + Pb + Pa - D(M-1) - 1)/s) + 1.
 * With `ceil`, PyTorch's ceil_mode: round up, but drop a last window that would start inside the
 * right padding. The result may be <= 0; callers report that as a geometry error.
 */
export function windowOutputLength(
  input: number,
  kernel: number,
  stride: number,
  dilation: number,
  padBefore: number,
  padAfter: number,
  ceil = false,
): number {
  const span = input + padBefore + padAfter - effectiveKernel(kernel, dilation);
  if (span < 0) return 0;
  if (!ceil) return Math.floor(span / stride) + 1;
  let out = Math.ceil(span / stride) + 1;
  if ((out - 1) * stride >= input + padBefore) out -= 1;
  return out;
}

/** TensorFlow's "same" padding: output ceil(J/s), the odd pixel after (bottom/right). */
export function samePadding(
  input: number,
  kernel: number,
  stride: number,
  dilation: number,
): [before: number, after: number] {
  const out = Math.ceil(input / stride);
  const total = Math.max((out - 1) * stride + effectiveKernel(kernel, dilation) - input, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * Input rows/columns after the last window that no window covers: (J + Pb + Pa - D(M-1) - 1) mod s
 * positions of the padded input are left over, and only those beyond the right padding are real
 * inputs (a stride-2 conv with padding 1 leaves only padding uncovered).
 */
export function uncoveredInputs(
  input: number,
  kernel: number,
  stride: number,
  dilation: number,
  padBefore: number,
  padAfter: number,
): number {
  const span = input + padBefore + padAfter - effectiveKernel(kernel, dilation);
  return span < 0 ? 0 : Math.max(0, (span % stride) - padAfter);
}

/**
 * Output length of a transposed convolution, after Keras `deconv_output_length`: explicit
 * padding follows PyTorch, (J-1)s - 2P + D(M-1) + outputPadding + 1; "same" gives J·s and
 * "valid" J·s + max(D(M-1)+1 - s, 0) unless an output padding is given. `rule` says which
 * formula applied (the working shows that one); `pad` is the padding P it used (-1 for "same").
 */
export function transposedLength(
  J: number,
  M: number,
  s: number,
  D: number,
  padding: number | "same" | "valid",
  outputPadding: number | undefined,
): { length: number; pad: number; rule: "same" | "valid" | "explicit" } {
  const eff = effectiveKernel(M, D);
  if (outputPadding === undefined && padding === "same") {
    return { length: J * s, pad: -1, rule: "same" };
  }
  if (outputPadding === undefined && padding === "valid") {
    return { length: J * s + Math.max(eff - s, 0), pad: 0, rule: "valid" };
  }
  const pad = padding === "same" ? Math.floor(eff / 2) : padding === "valid" ? 0 : padding;
  const length = transposedOutputLength(J, M, s, D, pad, outputPadding ?? 0);
  return { length, pad, rule: "explicit" };
}

/**
 * Output length of a transposed convolution with explicit padding (PyTorch):
 * (J-1)s - 2P + D(M-1) + outputPadding + 1.
 */
export function transposedOutputLength(
  input: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: number,
  outputPadding: number,
): number {
  return (input - 1) * stride - 2 * padding + effectiveKernel(kernel, dilation) + outputPadding;
}

/** The product of a list of integers (times one more factor), exactly. */
export function product(values: readonly (number | bigint)[], times = 1): bigint {
  // Float multiplication first. Rounding is monotonic, so a partial product of non-negative
  // integers that reaches 2^53 stays at or past it through any factor >= 1: a final product
  // below 2^53 was then exact all along. A factor of 0 gives 0 (exact) or NaN from Infinity × 0,
  // which takes the bigint path. Most products are small: this spares a bigint per factor.
  let n = Number.isInteger(times) && times >= 0 ? times : Number.NaN;
  for (const v of values) {
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
      n = Number.NaN;
      break;
    }
    n *= v;
  }
  if (Number.isSafeInteger(n)) return BigInt(n);
  let p = BigInt(times);
  for (const v of values) p *= BigInt(v);
  return p;
}
