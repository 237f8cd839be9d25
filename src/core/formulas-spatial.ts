/**
 * The arithmetic of resampling layers (adaptive pooling, resizing by a scale), one small pure function
 * per formula, after PyTorch's `adaptive_avg_pool2d` bins and its interpolation's output sizes.
 */

/** The greatest common divisor of two non-negative integers (Euclid). */
export function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/**
 * Bin i of adaptive pooling J inputs to N outputs (PyTorch): from floor(i·J/N) to
 * ceil((i+1)·J/N), end exclusive. Bins can differ in size and overlap (7 → 3: [0,3), [2,5),
 * [4,7)); with N > J inputs repeat (2 → 5: [0,1), [0,1), [0,2), [1,2), [1,2)).
 */
export function adaptiveBin(
  i: number,
  input: number,
  output: number,
): [start: number, end: number] {
  return [Math.floor((i * input) / output), Math.ceil(((i + 1) * input) / output)];
}

/** Every bin of adaptive pooling J inputs to N outputs, in order. */
export function adaptiveBins(input: number, output: number): [start: number, end: number][] {
  return Array.from({ length: output }, (_, i) => adaptiveBin(i, input, output));
}

/**
 * The summed length of the N bins over J inputs: J + N - gcd(J, N), in closed form. A bin's end
 * ceil((i+1)J/N) is floor((i+1)J/N) plus one unless N divides (i+1)J, which happens for gcd(J, N)
 * of the N ends; the floors of the ends and of the starts telescope to J. So the bins sum to
 * J + N - gcd(J, N) (7 → 3: 3+3+3 = 9; 5 → 3: 2+3+2 = 7; 10 → 4: 3·4 = 12; N | J: J).
 */
export function adaptiveBinTotal(input: number, output: number): number {
  return input + output - gcd(input, output);
}

/**
 * The longest bin of adaptive pooling J = qN + r inputs to N outputs: q when N divides J, else
 * q + 1 when r = gcd(J, N), else q + 2 (bin i is q + ceil(φ + r/N) long, φ the fractional part
 * of i·r/N, which reaches (N - g)/N). 7 → 3: 3; 5 → 3: 3; 10 → 4: 3; 2 → 5: 2.
 */
export function adaptiveLargestBin(input: number, output: number): number {
  const q = Math.floor(input / output);
  const r = input % output;
  if (r === 0) return q;
  return r === gcd(input, output) ? q + 1 : q + 2;
}

/**
 * Output length of resizing J by a scale factor (PyTorch's interpolation with `scale_factor`):
 * floor(J·scale), computed in double precision as PyTorch does (7 × 1.5 = 10.5 → 10).
 */
export function scaledLength(input: number, scale: number): number {
  return Math.floor(input * scale);
}
