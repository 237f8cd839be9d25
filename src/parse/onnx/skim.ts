/*
 * Reading a large ONNX file without its weights: a ModelProto is re-assembled from the file's
 * protobuf fields, leaving out the payload of every large initializer's raw_data (the weights'
 * values, almost all of a file exported with its parameters) after checking its length against
 * the tensor's dims. Only the fields' headers and the small fields are read, through a
 * read-at-offset callback, so a 100 MB file costs a few hundred small reads instead of 100 MB of
 * memory. The result is an ordinary ModelProto the reader decodes as any other.
 */
import { cnnError } from "../../core/errors.js";
import { varint } from "../detect.js";
import { ELEMENT_BYTES, elements } from "./values.js";

/** Reads `length` bytes at `position` of the file (fewer only at its end). */
export type ReadAt = (position: number, length: number) => Uint8Array;

/** raw_data payloads up to this size stay: small constants (shapes, scales) are read. */
const KEEP_RAW = 64 * 1024;

/** A field as found: its number, wire type, where its header starts and its value ends. */
interface Field {
  number: number;
  wire: number;
  start: number;
  /** Where a length-delimited field's payload starts. */
  payload: number;
  end: number;
  /** A varint field's value. */
  value: number;
}

/** Not a protobuf this walk understands: the caller reads the file whole instead. */
class NotProtobuf extends Error {}

function varintAt(buf: Uint8Array, at: number): [number, number] {
  const read = varint(buf, at, 10);
  if (read === undefined) throw new NotProtobuf();
  return read;
}

/** The fields of the message between `from` and `to`, headers only. */
function* fields(read: ReadAt, from: number, to: number): Generator<Field> {
  let at = from;
  while (at < to) {
    const head = read(at, Math.min(20, to - at));
    const [key, afterKey] = varintAt(head, 0);
    const wire = key % 8;
    const number = Math.floor(key / 8);
    let payload = at + afterKey;
    let end: number;
    let value = 0;
    if (wire === 0) {
      const [v, next] = varintAt(head, afterKey);
      value = v;
      end = at + next;
    } else if (wire === 2) {
      const [len, next] = varintAt(head, afterKey);
      payload = at + next;
      end = payload + len;
    } else if (wire === 1) end = payload + 8;
    else if (wire === 5) end = payload + 4;
    else throw new NotProtobuf();
    if (end > to || number === 0) throw new NotProtobuf();
    yield { number, wire, start: at, payload, end, value };
    at = end;
  }
}

function varintBytes(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 128) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/** A length-delimited field with a new payload. */
function lengthField(number: number, parts: Uint8Array[]): Uint8Array[] {
  const len = parts.reduce((a, p) => a + p.length, 0);
  return [new Uint8Array([...varintBytes(number * 8 + 2), ...varintBytes(len)]), ...parts];
}

/** A TensorProto without a large raw_data payload, its length checked against its dims. */
function tensor(read: ReadAt, from: number, to: number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  const dims: number[] = [];
  let type = 0;
  let raw: number | undefined;
  let name = "";
  for (const f of fields(read, from, to)) {
    if (f.number === 1 && f.wire === 0) dims.push(f.value);
    if (f.number === 1 && f.wire === 2) {
      const packed = read(f.payload, f.end - f.payload);
      for (let at = 0; at < packed.length; ) {
        const [v, next] = varintAt(packed, at);
        dims.push(v);
        at = next;
      }
    }
    if (f.number === 2 && f.wire === 0) type = f.value;
    if (f.number === 8 && f.wire === 2)
      name = new TextDecoder().decode(read(f.payload, f.end - f.payload));
    if (f.number === 9 && f.wire === 2 && f.end - f.payload > KEEP_RAW) {
      raw = f.end - f.payload;
      continue;
    }
    parts.push(read(f.start, f.end - f.start));
  }
  const size = ELEMENT_BYTES[type];
  if (raw !== undefined && size !== undefined && raw !== elements(dims) * size) {
    throw cnnError(
      "onnx-invalid",
      `initializer '${name}' holds ${raw} bytes but its dims [${dims.join(", ")}] need ${elements(dims) * size} bytes`,
    );
  }
  return parts;
}

/** A GraphProto with its initializers skimmed. */
function graph(read: ReadAt, from: number, to: number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (const f of fields(read, from, to)) {
    if (f.number === 5 && f.wire === 2)
      parts.push(...lengthField(5, tensor(read, f.payload, f.end)));
    else parts.push(read(f.start, f.end - f.start));
  }
  return parts;
}

/**
 * The file's ModelProto without the values of its large initializers (their raw_data lengths
 * checked against their dims: an `onnx-invalid` error otherwise); undefined when the file does
 * not walk as a protobuf message (then it is read whole and its reader or the text path decides).
 */
export function skimModel(read: ReadAt, size: number): Uint8Array | undefined {
  try {
    const parts: Uint8Array[] = [];
    for (const f of fields(read, 0, size)) {
      if (f.number === 7 && f.wire === 2)
        parts.push(...lengthField(7, graph(read, f.payload, f.end)));
      else parts.push(read(f.start, f.end - f.start));
    }
    const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  } catch (e) {
    if (e instanceof NotProtobuf) return undefined;
    throw e;
  }
}
