/*
 * Decoding an ONNX ModelProto with protobufjs (light build: no .proto parser) from the vendored
 * onnx.proto's descriptor. Only the fields the reader uses are typed here. A tensor's values stay
 * undecoded: `raw_data` is a view into the file's bytes (protobufjs slices, it does not copy),
 * and the reader reads a tensor's values only for the small constants that give an operator's
 * settings (Resize scales, Pad pads, Reshape shapes). The message types are in messages.ts.
 */
import protobuf from "protobufjs/light.js";
import { cnnError } from "../../core/errors.js";
import type { OnnxModel } from "./messages.js";
import { ONNX_PROTO } from "./vendor/onnx-proto.js";

let modelType: protobuf.Type | undefined;

/** Decodes a ModelProto; a file protobuf cannot read is an `onnx-invalid` error. */
export function decodeModel(bytes: Uint8Array): OnnxModel {
  modelType ??= protobuf.Root.fromJSON(ONNX_PROTO).lookupType("onnx.ModelProto");
  try {
    return modelType.decode(bytes) as unknown as OnnxModel;
  } catch (e) {
    throw cnnError(
      "onnx-invalid",
      `not a readable ONNX model: ${(e as Error).message}; expected an ONNX ModelProto (.onnx)`,
    );
  }
}
