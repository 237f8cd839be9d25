/*
 * Telling a binary model from text by its first bytes, with no protobuf library: this runs for
 * every file the CLI reads, so it must be cheap and load nothing.
 */

/** The binary containers cnncalc recognises by content. */
export type BinaryKind = "onnx" | "zip";

/** A zip archive's local file header signature, `PK\x03\x04` (a Keras 3 `.keras` file). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** ModelProto's field numbers (onnx.proto) and the wire type each must have. */
const MODEL_FIELDS: ReadonlyMap<number, number> = new Map([
  [1, 0], // ir_version
  [2, 2], // producer_name
  [3, 2], // producer_version
  [4, 2], // domain
  [5, 0], // model_version
  [6, 2], // doc_string
  [7, 2], // graph
  [8, 2], // opset_import
  [14, 2], // metadata_props
  [20, 2], // training_info
  [25, 2], // functions
  [26, 2], // configuration
]);

/**
 * Reads a protobuf varint at `at` of at most `maxBytes` bytes (8 keeps it below 2^56; 10 is any
 * 64-bit value); returns [value, next offset], or undefined past the end or past `maxBytes`.
 */
export function varint(bytes: Uint8Array, at: number, maxBytes = 8): [number, number] | undefined {
  let value = 0;
  let scale = 1;
  for (let i = at; i < bytes.length && i < at + maxBytes; i++) {
    const b = bytes[i] as number;
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) return [value, i + 1];
    scale *= 128;
  }
  return undefined;
}

/**
 * Whether bytes are an ONNX ModelProto: they parse, to the last byte, as top-level protobuf
 * fields that ModelProto has, each with its wire type, and hold a graph (field 7). Only the top
 * level is walked (a length-delimited field is skipped by its length), so a 100 MB file costs a
 * few dozen steps. Text cannot pass: its first byte would have to be a valid field key, and its
 * lengths would have to land exactly on the end.
 */
export function looksLikeOnnx(bytes: Uint8Array): boolean {
  let at = 0;
  let graph = false;
  while (at < bytes.length) {
    const key = varint(bytes, at);
    if (key === undefined) return false;
    const field = Math.floor(key[0] / 8);
    const wire = key[0] % 8;
    if (MODEL_FIELDS.get(field) !== wire) return false;
    const value = varint(bytes, key[1]);
    if (value === undefined) return false;
    at = wire === 2 ? value[1] + value[0] : value[1];
    if (at > bytes.length) return false;
    if (field === 7) graph = true;
  }
  return graph;
}

/**
 * Whether a file's first bytes look like a binary model rather than text, for the size limit:
 * a zip header, or a first ModelProto field key as every ONNX writer puts first (ir_version,
 * 0x08). The full test (looksLikeOnnx) needs the whole file.
 */
export function startsLikeModel(head: Uint8Array): boolean {
  return isZip(head) || head[0] === 0x08;
}

/** The binary kind of a file's bytes, or undefined for text. */
export function binaryKind(bytes: Uint8Array): BinaryKind | undefined {
  if (isZip(bytes)) return "zip";
  if (looksLikeOnnx(bytes)) return "onnx";
  return undefined;
}
