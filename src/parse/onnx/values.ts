/*
 * The small constant tensors of an ONNX graph that give operators their settings (Resize scales,
 * Pad pads, Reshape shapes, Slice bounds, Clip bounds), and the few operators torch uses to
 * compute them (Constant, ConstantOfShape, Shape, Gather, Unsqueeze, Concat, Reshape, Slice,
 * Transpose, Cast). A value is a flat list of numbers with its dims; an entry of a shape may be
 * the batch size (BATCH) or unknown (null) when it came from Shape of a data tensor.
 */
import { type Int64, int, type OnnxAttribute, type OnnxTensor } from "./messages.js";

/** The batch dimension of a data tensor, as Shape gives it. */
export const BATCH = "batch" as const;
/** One entry of a constant: a number, the batch size, or unknown. */
export type Entry = number | typeof BATCH | null;

/** A constant tensor's values (row-major) and dims. */
export interface Value {
  dims: number[];
  data: Entry[];
  /** A floating-point tensor (Div divides exactly; on integers it truncates). */
  float?: boolean;
}

/** ONNX's floating-point element types: FLOAT16, FLOAT, DOUBLE, BFLOAT16. */
const FLOAT_TYPES: ReadonlySet<number> = new Set([1, 10, 11, 16]);

/** ONNX TensorProto.DataType: bytes per element of the fixed-size types. */
export const ELEMENT_BYTES: Readonly<Record<number, number>> = {
  1: 4, // FLOAT
  2: 1, // UINT8
  3: 1, // INT8
  4: 2, // UINT16
  5: 2, // INT16
  6: 4, // INT32
  7: 8, // INT64
  9: 1, // BOOL
  10: 2, // FLOAT16
  11: 8, // DOUBLE
  12: 4, // UINT32
  13: 8, // UINT64
  14: 8, // COMPLEX64
  15: 16, // COMPLEX128
  16: 2, // BFLOAT16
  17: 1, // FLOAT8E4M3FN
  18: 1, // FLOAT8E4M3FNUZ
  19: 1, // FLOAT8E5M2
  20: 1, // FLOAT8E5M2FNUZ
};

/** The element count of dims (1 for a scalar). */
export function elements(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Most elements of a constant the reader decodes (settings are a handful of numbers). */
const MAX_DECODED = 4096;

/**
 * A tensor's values, for a small constant; undefined when the tensor is too large to be a
 * setting, holds no data in the file, or has a type the reader does not decode.
 */
export function tensorValue(t: OnnxTensor): Value | undefined {
  const dims = t.dims.map(int);
  const n = elements(dims);
  if (n > MAX_DECODED) return undefined;
  const raw = t.raw_data;
  const data: number[] = [];
  if (raw !== undefined && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const size = ELEMENT_BYTES[t.data_type];
    if (size === undefined || raw.length !== n * size) return undefined;
    for (let i = 0; i < n; i++) {
      const at = i * size;
      switch (t.data_type) {
        case 1:
          data.push(view.getFloat32(at, true));
          break;
        case 11:
          data.push(view.getFloat64(at, true));
          break;
        case 6:
          data.push(view.getInt32(at, true));
          break;
        case 7:
          data.push(Number(view.getBigInt64(at, true)));
          break;
        case 2:
        case 9:
          data.push(view.getUint8(at));
          break;
        case 3:
          data.push(view.getInt8(at));
          break;
        default:
          return undefined;
      }
    }
    return { dims, data, float: FLOAT_TYPES.has(t.data_type) };
  }
  const typed: readonly (number | Int64)[] =
    t.float_data.length > 0
      ? t.float_data
      : t.int64_data.length > 0
        ? t.int64_data
        : t.int32_data.length > 0
          ? t.int32_data
          : t.double_data;
  if (typed.length !== n) return undefined;
  return { dims, data: typed.map((v) => int(v as Int64)), float: FLOAT_TYPES.has(t.data_type) };
}

/** An attribute's value as a Value (ints, floats, i, f or t), or undefined. */
export function attributeValue(a: OnnxAttribute): Value | undefined {
  if (a.t !== undefined && a.t !== null) return tensorValue(a.t);
  if (a.ints.length > 0) return { dims: [a.ints.length], data: a.ints.map(int) };
  if (a.floats.length > 0) return { dims: [a.floats.length], data: [...a.floats], float: true };
  if (a.i !== undefined && a.type === 2) return { dims: [], data: [int(a.i)] };
  if (a.f !== undefined && a.type === 1) return { dims: [], data: [a.f], float: true };
  return undefined;
}

/** Whether every entry is a known number. */
export function known(v: Value): v is { dims: number[]; data: number[] } {
  return v.data.every((x) => typeof x === "number");
}

function strides(dims: readonly number[]): number[] {
  const out = dims.map(() => 1);
  for (let i = dims.length - 2; i >= 0; i--)
    out[i] = (out[i + 1] as number) * (dims[i + 1] as number);
  return out;
}

/** Normalises an axis (negative counts from the end) into 0..rank-1, or undefined. */
export function axisOf(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}

/**
 * Evaluates one operator on constant values; undefined when it is not one the reader computes
 * (the node then stays unevaluated, an error only if a mapped operator needs its value).
 */
export function evaluate(
  op: string,
  inputs: readonly (Value | undefined)[],
  attr: (name: string) => Value | undefined,
): Value | undefined {
  const x = inputs[0];
  switch (op) {
    case "Identity":
    case "Cast":
      return x;
    case "ConstantOfShape": {
      if (x === undefined || !known(x)) return undefined;
      const fill = attr("value")?.data[0] ?? 0;
      const n = elements(x.data);
      if (n > MAX_DECODED) return undefined;
      return { dims: x.data, data: new Array(n).fill(fill) };
    }
    case "Unsqueeze":
    case "Squeeze": {
      if (x === undefined) return undefined;
      const axesIn = inputs[1] ?? attr("axes");
      if (axesIn === undefined || !known(axesIn)) {
        if (op === "Squeeze") return { dims: x.dims.filter((d) => d !== 1), data: x.data };
        return undefined;
      }
      const dims = [...x.dims];
      if (op === "Squeeze") {
        const drop = new Set(axesIn.data.map((a) => axisOf(a, dims.length)));
        return { dims: dims.filter((_, i) => !drop.has(i)), data: x.data };
      }
      const rank = dims.length + axesIn.data.length;
      for (const a of [...axesIn.data].map((a) => axisOf(a, rank) as number).sort((p, q) => p - q))
        dims.splice(a, 0, 1);
      return { dims, data: x.data };
    }
    case "Concat": {
      if (inputs.some((v) => v === undefined)) return undefined;
      const vs = inputs as Value[];
      const rank = (vs[0] as Value).dims.length;
      const axis = axisOf(int(attr("axis")?.data[0] as number), rank);
      if (rank !== 1 || axis !== 0) return undefined;
      const data = vs.flatMap((v) => v.data);
      return { dims: [data.length], data };
    }
    case "Gather": {
      const idx = inputs[1];
      if (x === undefined || idx === undefined || !known(idx) || x.dims.length !== 1)
        return undefined;
      const axis = (attr("axis")?.data[0] as number | undefined) ?? 0;
      if (axis !== 0) return undefined;
      const n = x.dims[0] as number;
      const data = idx.data.map((i) => x.data[i < 0 ? i + n : i] ?? null);
      return { dims: idx.dims, data };
    }
    case "Reshape": {
      const shape = inputs[1];
      if (x === undefined || shape === undefined || !known(shape)) return undefined;
      const n = x.data.length;
      const dims = shape.data.map((d, i) => (d === 0 ? (x.dims[i] as number) : d));
      const free = dims.indexOf(-1);
      if (free !== -1) {
        const rest = elements(dims.filter((d) => d !== -1));
        dims[free] = rest === 0 ? 0 : n / rest;
      }
      if (elements(dims) !== n) return undefined;
      return { dims, data: x.data };
    }
    case "Transpose": {
      if (x === undefined) return undefined;
      const rank = x.dims.length;
      const perm =
        attr("perm")?.data ??
        Array.from({ length: rank }, (_, i) => rank - 1 - i).map((v) => v as Entry);
      const p = perm as number[];
      const dims = p.map((a) => x.dims[a] as number);
      const inStrides = strides(x.dims);
      const outStrides = strides(dims);
      const data: Entry[] = new Array(x.data.length);
      for (let i = 0; i < x.data.length; i++) {
        let src = 0;
        for (let k = 0; k < rank; k++) {
          const coord = Math.floor(i / (outStrides[k] as number)) % (dims[k] as number);
          src += coord * (inStrides[p[k] as number] as number);
        }
        data[i] = x.data[src] ?? null;
      }
      return { dims, data };
    }
    case "Slice": {
      // one axis at a time over a row-major tensor
      const [, starts, ends, axesIn, stepsIn] = inputs;
      if (x === undefined || starts === undefined || ends === undefined) return undefined;
      if (!known(starts) || !known(ends)) return undefined;
      const rank = x.dims.length;
      const axes = axesIn && known(axesIn) ? axesIn.data : starts.data.map((_, i) => i);
      const steps = stepsIn && known(stepsIn) ? stepsIn.data : starts.data.map(() => 1);
      let cur: Value = x;
      for (let k = 0; k < axes.length; k++) {
        const a = axisOf(axes[k] as number, rank);
        const step = steps[k] as number;
        if (a === undefined || step === 0) return undefined;
        const size = cur.dims[a] as number;
        const picks = sliceIndices(size, starts.data[k] as number, ends.data[k] as number, step);
        const st = strides(cur.dims);
        const outDims = [...cur.dims];
        outDims[a] = picks.length;
        const outSt = strides(outDims);
        const data: Entry[] = new Array(elements(outDims));
        for (let i = 0; i < data.length; i++) {
          let src = 0;
          for (let d = 0; d < rank; d++) {
            const coord = Math.floor(i / (outSt[d] as number)) % (outDims[d] as number);
            src += (d === a ? (picks[coord] as number) : coord) * (st[d] as number);
          }
          data[i] = cur.data[src] ?? null;
        }
        cur = { dims: outDims, data };
      }
      return cur;
    }
    case "Add":
    case "Sub":
    case "Mul":
    case "Div":
      return arithmetic(op, inputs[0], inputs[1]);
    default:
      return undefined;
  }
}

/**
 * Elementwise arithmetic of shape computations (ShuffleNet's chunk: the channels divided by 2):
 * equal shapes or one operand a single value; an unknown entry stays unknown.
 */
function arithmetic(op: string, a: Value | undefined, b: Value | undefined): Value | undefined {
  if (a === undefined || b === undefined) return undefined;
  const n = Math.max(a.data.length, b.data.length);
  if (a.data.length !== n && a.data.length !== 1) return undefined;
  if (b.data.length !== n && b.data.length !== 1) return undefined;
  const float = a.float === true || b.float === true;
  const data: Entry[] = [];
  for (let i = 0; i < n; i++) {
    const x = a.data[a.data.length === 1 ? 0 : i];
    const y = b.data[b.data.length === 1 ? 0 : i];
    if (typeof x !== "number" || typeof y !== "number") {
      data.push(null);
      continue;
    }
    const q = op === "Div" ? (y === 0 ? null : float ? x / y : Math.trunc(x / y)) : null;
    data.push(op === "Add" ? x + y : op === "Sub" ? x - y : op === "Mul" ? x * y : q);
  }
  return { dims: a.data.length === n ? a.dims : b.dims, data, float };
}

/** The indices a Slice picks along one axis of `size` (ONNX's clamping rules). */
export function sliceIndices(size: number, start: number, end: number, step: number): number[] {
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  let s = start < 0 ? start + size : start;
  let e = end < 0 ? end + size : end;
  const out: number[] = [];
  if (step > 0) {
    s = clamp(s, 0, size);
    e = clamp(e, 0, size);
    for (let i = s; i < e; i += step) out.push(i);
  } else {
    s = clamp(s, -1, size - 1);
    e = clamp(e, -1, size - 1);
    for (let i = s; i > e; i += step) out.push(i);
  }
  return out;
}
