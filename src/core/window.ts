import { fail } from "./errors.js";
import { effectiveKernel, samePadding, uncoveredInputs, windowOutputLength } from "./formulas.js";
import type { Context, Tensor } from "./kind.js";
import { DIMENSION_NOUNS } from "./shape.js";
import type { Padding, ReceptiveField, Shape, Size, Window } from "./types.js";
import { shared, uniform } from "./vectors.js";
import { counted } from "./words.js";

/** Formats a shape's spatial part for messages: `84×84`. */
export function dimsText(dims: readonly number[]): string {
  return dims.join("×");
}

/** Formats a shape for messages: `84×84×4`, or `[2592]` for a flat vector. */
export function shapeText(shape: Shape): string {
  return shape.dims.length === 0
    ? `[${shape.channels}]`
    : [...shape.dims, shape.channels].join("×");
}

/** Expands a size given once or per dimension to one entry per dimension (shared when uniform). */
export function expandSize(
  value: Size,
  rank: number,
  path: string,
  field: string,
): readonly number[] {
  if (typeof value === "number") return uniform(value, rank);
  if (value.length === 1) return uniform(value[0] as number, rank);
  if (value.length !== rank) {
    fail(
      "rank-mismatch",
      `${path}.${field}`,
      `${field} has ${counted(value.length, "value")} but the input has ${counted(rank, "spatial dimension")}; expected ${rank === 1 ? "1 value" : `1 or ${rank} values`}. Received: ${field}=[${value.join(", ")}]`,
    );
  }
  return shared([...value]);
}

/** Fails unless the input has spatial dimensions. */
export function requireSpatial(input: Shape, path: string, what: string): void {
  if (input.dims.length === 0) {
    fail(
      "needs-spatial-input",
      path,
      `${what} needs a spatial input (height × width × channels); received a flat vector of ${counted(input.channels, "value")}`,
    );
  }
}

/** One dimension whose last inputs no window reads. */
interface Uncovered {
  /** `the last 2 input rows beyond the 1 padding` */
  what: string;
  /** The dimension's plural noun: `rows`. */
  plural: string;
  /** The formula with the numbers: `(56 + 0 + 0 - 0 - 1) = 55`. */
  working: string;
  stride: number;
  out: number;
  many: boolean;
}

const UNCOVERED_FORMULA = "(J + Pb + Pa - D(M-1) - 1)";

/**
 * One warning for every dimension of a layer that leaves inputs unread: one dimension keeps the
 * formula in line; several name theirs in turn, each with its own numbers.
 */
function uncoveredText(dims: readonly Uncovered[]): string {
  const [only] = dims;
  if (dims.length === 1 && only !== undefined) {
    return `${UNCOVERED_FORMULA} = ${only.working} is not a multiple of stride ${only.stride}: ${only.what} ${only.many ? "are" : "is"} never covered by a window (output floored to ${only.out})`;
  }
  const subjects = dims.map((d) => d.what);
  const subject = `${subjects.slice(0, -1).join(", ")} and ${subjects.at(-1)}`;
  const per = dims
    .map((d) => `${d.plural} ${d.working}, stride ${d.stride}, output floored to ${d.out}`)
    .join("; ");
  return `${subject} are never covered by a window: ${UNCOVERED_FORMULA} is not a multiple of the stride; ${per}`;
}

interface WindowSpec {
  kernel: Size;
  stride?: Size;
  padding?: Padding;
  dilation?: Size;
  ceil?: boolean;
}

/**
 * Resolves a layer's window against its input, checking that it fits, and warns when the last
 * window leaves input rows/columns uncovered. Stride defaults to 1 (conv) or the kernel (pooling).
 */
export function resolveWindow(
  spec: WindowSpec,
  input: Shape,
  ctx: Context,
  strideDefault: "one" | "kernel",
): { window: Window; outDims: readonly number[] } {
  const rank = input.dims.length;
  const path = ctx.path;
  const kernel = expandSize(spec.kernel, rank, path, "kernel");
  const stride =
    spec.stride !== undefined
      ? expandSize(spec.stride, rank, path, "stride")
      : strideDefault === "one"
        ? uniform(1, rank)
        : kernel;
  const dilation = expandSize(spec.dilation ?? 1, rank, path, "dilation");
  const padding = spec.padding ?? 0;
  const ceil = spec.ceil === true;
  if (ceil && padding === "same") {
    fail(
      "ceil-with-same",
      `${path}.ceil`,
      `ceil mode rounds explicit padding; expected an integer padding with ceil: true. Received: padding="same"`,
    );
  }
  let padBefore: readonly number[];
  let padAfter: readonly number[];
  if (padding === "same") {
    const pads = input.dims.map((J, i) =>
      samePadding(J, kernel[i] as number, stride[i] as number, dilation[i] as number),
    );
    padBefore = shared(pads.map((p) => p[0]));
    padAfter = shared(pads.map((p) => p[1]));
  } else if (padding === "valid") {
    padBefore = uniform(0, rank);
    padAfter = padBefore;
  } else {
    padBefore = expandSize(padding, rank, path, "padding");
    padAfter = padBefore;
  }
  // undilated (the common case), a kernel spans itself
  const eff =
    dilation === uniform(1, rank)
      ? kernel
      : shared(kernel.map((M, i) => effectiveKernel(M, dilation[i] as number)));
  const outDims: number[] = [];
  const nouns = DIMENSION_NOUNS[rank] ?? [];
  const uncovered: Uncovered[] = [];
  for (let i = 0; i < rank; i++) {
    const J = input.dims[i] as number;
    const M = kernel[i] as number;
    const s = stride[i] as number;
    const D = dilation[i] as number;
    const pb = padBefore[i] as number;
    const pa = padAfter[i] as number;
    const fits = J + pb + pa;
    if ((eff[i] as number) > fits) {
      const dilated = D === 1 ? "" : ` (dilated to ${eff[i]})`;
      fail(
        "kernel-too-large",
        `${path}.kernel`,
        `kernel ${M}${dilated} is larger than the padded input ${fits} (input ${J} + padding ${pb} + ${pa}) along ${nouns[i] ?? `dimension ${i + 1}`}; expected a kernel of at most ${fits}. Received: kernel=${M}, input=${J}`,
      );
    }
    outDims.push(windowOutputLength(J, M, s, D, pb, pa, ceil));
    // a kernel narrower than its stride skips inputs between windows by design (a 1×1 stride-2
    // shortcut conv reads every other row), so the last ones left out are no surprise either
    if (!ceil && (eff[i] as number) >= s) {
      const left = uncoveredInputs(J, M, s, D, pb, pa);
      if (left > 0) {
        const plural = nouns[i] ?? `values of dimension ${i + 1}`;
        const noun = left === 1 ? plural.replace(/s$/, "") : plural;
        const afterPad = pa > 0 ? ` beyond the ${pa} padding` : "";
        uncovered.push({
          what: `the last ${left === 1 ? "" : `${left} `}input ${noun}${afterPad}`,
          plural,
          working: `(${J} + ${pb} + ${pa} - ${D * (M - 1)} - 1) = ${J + pb + pa - D * (M - 1) - 1}`,
          stride: s,
          out: outDims[i] as number,
          many: left > 1,
        });
      }
    }
  }
  if (uncovered.length > 0) ctx.warn("uncovered-input", uncoveredText(uncovered));
  return {
    window: { kernel, stride, dilation, padBefore, padAfter, effectiveKernel: eff, ceil },
    outDims: shared(outDims),
  };
}

/** Whether a float is still an exact position (NaN and infinities are not). */
const exact = (v: number) => Math.abs(v) <= Number.MAX_SAFE_INTEGER;

/**
 * The receptive field after a window: r += (k-1)·j, start += ((k-1)/2 - Pb)·j, j *= s. Past
 * 2^53 (strides compound: a thousand stride-2 layers overflow to Infinity) the field is null,
 * "all": it is then far wider than any input, so every output sees the whole input.
 */
export function applyWindow(rf: ReceptiveField | null, window: Window): ReceptiveField | null {
  if (rf === null) return null;
  const { effectiveKernel: eff, padBefore, stride } = window;
  // map() makes packed arrays, the kind JSON.stringify writes fastest
  const size = rf.size.map((r, i) => r + ((eff[i] as number) - 1) * (rf.jump[i] as number));
  const start = rf.start.map(
    (st, i) =>
      st + (((eff[i] as number) - 1) / 2 - (padBefore[i] as number)) * (rf.jump[i] as number),
  );
  let strided = false;
  for (let i = 0; i < size.length; i++) {
    const s = stride[i] as number;
    if (
      !(exact(size[i] as number) && exact(start[i] as number) && exact((rf.jump[i] as number) * s))
    )
      return null;
    if (s !== 1) strided = true;
  }
  // strides of 1 leave the jump as it is (the common case: no new array)
  const jump = strided ? shared(rf.jump.map((j, i) => j * (stride[i] as number))) : rf.jump;
  return { size, start, jump };
}

/** The tensor a window produces: new dims and channels, receptive field moved through it. */
export function windowOutput(
  input: Tensor,
  window: Window,
  dims: readonly number[],
  channels: number,
): Tensor {
  return { shape: { dims, channels }, rf: applyWindow(input.rf, window) };
}
