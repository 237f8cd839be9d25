/*
 * The ONNX messages as the reader uses them (the fields it reads of protobufjs' decoded objects),
 * and helpers for their values. No protobuf library here: skim.ts and values.ts use these
 * without loading one (the CLI loads protobufjs only for an ONNX file).
 */
/** An int64 as protobufjs gives it: a number, or a Long when the `long` package is there. */
export type Int64 = number | { toNumber(): number };

export interface OnnxTensor {
  name: string;
  dims: Int64[];
  data_type: number;
  raw_data?: Uint8Array;
  float_data: number[];
  int32_data: number[];
  int64_data: Int64[];
  double_data: number[];
  data_location?: number;
}

export interface OnnxAttribute {
  name: string;
  type: number;
  f?: number;
  i?: Int64;
  s?: Uint8Array;
  t?: OnnxTensor;
  floats: number[];
  ints: Int64[];
}

export interface OnnxNode {
  name: string;
  op_type: string;
  domain: string;
  input: string[];
  output: string[];
  attribute: OnnxAttribute[];
}

export interface OnnxDim {
  dim_value?: Int64;
  dim_param?: string;
}

export interface OnnxValueInfo {
  name: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim: OnnxDim[] } } };
}

export interface OnnxGraph {
  name: string;
  node: OnnxNode[];
  initializer: OnnxTensor[];
  input: OnnxValueInfo[];
  output: OnnxValueInfo[];
}

export interface OnnxModel {
  ir_version?: Int64;
  producer_name?: string;
  producer_version?: string;
  opset_import: { domain?: string; version?: Int64 }[];
  graph?: OnnxGraph;
}

/** An int64 field as a JS number (exact up to 2^53, which every size in a model is). */
export function int(v: Int64 | undefined): number {
  if (v === undefined) return 0;
  return typeof v === "number" ? v : v.toNumber();
}

/** Whether an optional proto2 field was present in the file (protobufjs keeps defaults on the prototype). */
export function has(message: object, field: string): boolean {
  return Object.hasOwn(message, field);
}
