/*
 * Operators and settings the PyTorch fixtures do not cover, on graphs built here with protobufjs
 * from the vendored onnx.proto: each maps to its layer with the right counts, or is an error
 * naming the node.
 */
import protobuf from "protobufjs";
import { describe, expect, it } from "vitest";
import { analyzeSource } from "../../src/index.js";
import { ONNX_PROTO } from "../../src/parse/onnx/vendor/onnx-proto.js";

const Model = protobuf.Root.fromJSON(ONNX_PROTO).lookupType("onnx.ModelProto");
const FLOAT = 1;
const INT64 = 7;

interface Node {
  op: string;
  inputs: string[];
  attrs?: Record<string, number | number[] | string>;
}

const info = (name: string, dims: number[]) => ({
  name,
  type: { tensor_type: { elem_type: FLOAT, shape: { dim: dims.map((d) => ({ dim_value: d })) } } },
});

function attribute(name: string, v: number | number[] | string) {
  if (typeof v === "string") return { name, type: 3, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: 7, ints: v };
  return Number.isInteger(v) ? { name, type: 2, i: v } : { name, type: 1, f: v };
}

/**
 * A model: input x of `shape`, the nodes in a chain (each reads the previous output and its
 * other inputs), weights as graph inputs of the given shapes, int64 constants as initializers.
 */
function model(
  shape: number[],
  nodes: Node[],
  weights: Record<string, number[]> = {},
  consts: Record<string, number[]> = {},
  opset = 17,
): Uint8Array {
  const graphNodes = nodes.map((n, i) => ({
    name: `n${i}`,
    op_type: n.op,
    input: [i === 0 ? "x" : `t${i - 1}`, ...n.inputs],
    output: [i === nodes.length - 1 ? "y" : `t${i}`],
    attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attribute(k, v)),
  }));
  const initializer = Object.entries(consts).map(([name, values]) => {
    const raw = new Uint8Array(values.length * 8);
    const view = new DataView(raw.buffer);
    values.forEach((v, i) => {
      view.setBigInt64(i * 8, BigInt(v), true);
    });
    return { name, dims: [values.length], data_type: INT64, raw_data: raw };
  });
  return Model.encode(
    Model.fromObject({
      ir_version: 8,
      opset_import: [{ domain: "", version: opset }],
      graph: {
        name: "g",
        node: graphNodes,
        initializer,
        input: [info("x", shape), ...Object.entries(weights).map(([n, d]) => info(n, d))],
        output: [info("y", [])],
      },
    }),
  ).finish();
}

function read(bytes: Uint8Array) {
  const r = analyzeSource(bytes, { file: "m.onnx" });
  if (!r.ok) return { error: r.error.message };
  const a = r.analysis;
  return {
    types: r.parsed.spec.layers.map((l) => (l.type === "activation" ? l.function : l.type)),
    params: Number(a.totals.parameters),
    output: [...a.output.dims, a.output.channels],
  };
}

describe("mapped operators", () => {
  it.each([
    [
      "GroupNormalization (opset 21)",
      model(
        [1, 8, 4, 4],
        [{ op: "GroupNormalization", inputs: ["s", "b"], attrs: { num_groups: 2 } }],
        { s: [8], b: [8] },
        {},
        21,
      ),
      { types: ["groupnorm"], params: 16, output: [4, 4, 8] },
    ],
    [
      "Gelu, Mish, Elu, Softmax on channels",
      model(
        [1, 4, 2, 2],
        [
          { op: "Gelu", inputs: [] },
          { op: "Mish", inputs: [] },
          { op: "Softmax", inputs: [], attrs: { axis: 1 } },
        ],
      ),
      { types: ["gelu", "mish", "softmax"], params: 0, output: [2, 2, 4] },
    ],
    [
      "SpaceToDepth",
      model([1, 3, 4, 4], [{ op: "SpaceToDepth", inputs: [], attrs: { blocksize: 2 } }]),
      { types: ["pixelunshuffle"], params: 0, output: [2, 2, 12] },
    ],
    [
      "Upsample (opset 9) by constant scales",
      model([1, 2, 3, 3], [{ op: "Upsample", inputs: ["sc"] }], {}, { sc: [1, 1, 2, 2] }, 9),
      { types: ["upsample"], params: 0, output: [6, 6, 2] },
    ],
    [
      "Resize to constant sizes",
      model([1, 2, 3, 3], [{ op: "Resize", inputs: ["", "", "sz"] }], {}, { sz: [1, 2, 6, 9] }),
      { types: ["upsample"], params: 0, output: [6, 9, 2] },
    ],
    [
      "ConvTranspose with groups",
      model(
        [1, 4, 3, 3],
        [{ op: "ConvTranspose", inputs: ["w"], attrs: { group: 2, strides: [2, 2] } }],
        { w: [4, 3, 2, 2] },
      ),
      { types: ["convtranspose"], params: 48, output: [6, 6, 6] },
    ],
    [
      "a channels-last view: LayerNorm over the channels, MatMul as a 1×1 conv, and back",
      model(
        [1, 4, 3, 3],
        [
          { op: "Transpose", inputs: [], attrs: { perm: [0, 2, 3, 1] } },
          { op: "LayerNormalization", inputs: ["g", "b"], attrs: { axis: -1 } },
          { op: "MatMul", inputs: ["w"] },
          { op: "Transpose", inputs: [], attrs: { perm: [0, 3, 1, 2] } },
        ],
        { g: [4], b: [4], w: [4, 6] },
      ),
      { types: ["layernorm", "conv"], params: 8 + 24, output: [3, 3, 6] },
    ],
    [
      "a 3-D Conv",
      model(
        [1, 2, 4, 4, 4],
        [{ op: "Conv", inputs: ["w", "b"], attrs: { pads: [1, 1, 1, 1, 1, 1] } }],
        { w: [5, 2, 3, 3, 3], b: [5] },
      ),
      { types: ["conv"], params: 275, output: [4, 4, 4, 5] },
    ],
    [
      "Reshape computed from Shape (x.view(x.size(0), -1) without constant folding)",
      model([1, 2, 3, 3], [{ op: "Reshape", inputs: ["shape"] }], {}, { shape: [0, -1] }),
      { types: ["flatten"], params: 0, output: [18] },
    ],
  ])("%s", (_name, bytes, expected) => {
    expect(read(bytes)).toEqual(expected);
  });
});

describe("settings with no exact mapping are errors naming the node", () => {
  it.each([
    [
      "GroupNormalization before opset 21",
      model(
        [1, 8, 4, 4],
        [{ op: "GroupNormalization", inputs: ["s", "b"], attrs: { num_groups: 2 } }],
        { s: [2], b: [2] },
        {},
        18,
      ),
      "node 0 'n0' (op GroupNormalization): opset 18 (its scale and bias are per group before opset 21); cnncalc cannot count it exactly",
    ],
    [
      "Softmax over the width",
      model([1, 4, 2, 2], [{ op: "Softmax", inputs: [], attrs: { axis: -1 } }]),
      "node 0 'n0' (op Softmax): axis -1 (only the channels, axis 1); cnncalc cannot count it exactly",
    ],
    [
      "auto_pad SAME_LOWER",
      model([1, 2, 4, 4], [{ op: "Conv", inputs: ["w"], attrs: { auto_pad: "SAME_LOWER" } }], {
        w: [3, 2, 2, 2],
      }),
      "node 0 'n0' (op Conv): auto_pad SAME_LOWER (only NOTSET, VALID, SAME_UPPER); cnncalc cannot count it exactly",
    ],
    [
      "a Reshape that is not a flatten",
      model([1, 2, 3, 3], [{ op: "Reshape", inputs: ["shape"] }], {}, { shape: [1, 2, 9] }),
      "node 0 'n0' (op Reshape): a reshape to [1, 2, 9] (only a flatten to [N, -1], or a channel shuffle); cnncalc cannot count it exactly",
    ],
    [
      "a Slice of the width",
      model(
        [1, 2, 3, 3],
        [{ op: "Slice", inputs: ["s", "e", "a"] }],
        {},
        { s: [0], e: [2], a: [3] },
      ),
      "node 0 'n0' (op Slice): a slice of other axes than the channels; cnncalc cannot count it exactly",
    ],
    [
      "Clip to other bounds",
      model([1, 2, 3, 3], [{ op: "Clip", inputs: [], attrs: { min: -1.5, max: 1.5 } }], {}, {}, 6),
      "node 0 'n0' (op Clip): Clip(min=-1.5, max=1.5) (only ReLU6 and ReLU); cnncalc cannot count it exactly",
    ],
    [
      "a Transpose of H and W",
      model([1, 2, 3, 3], [{ op: "Transpose", inputs: [], attrs: { perm: [0, 1, 3, 2] } }]),
      "node 0 'n0' (op Transpose): a transpose [0,1,3,2] (only to channels-last and back, or a channel shuffle's); cnncalc cannot count it exactly",
    ],
    [
      "a Conv on a channels-last view",
      model(
        [1, 2, 3, 3],
        [
          { op: "Transpose", inputs: [], attrs: { perm: [0, 2, 3, 1] } },
          { op: "Conv", inputs: ["w"] },
        ],
        { w: [4, 2, 1, 1] },
      ),
      "node 1 'n1' (op Conv): a channels-last view (after a Transpose) as its input; cnncalc cannot count it exactly",
    ],
    [
      "MatMul on a spatial tensor",
      model([1, 2, 3, 3], [{ op: "MatMul", inputs: ["w"] }], { w: [3, 4] }),
      "node 0 'n0' (op MatMul): a spatial input (it reads a flat [N, features] one); cnncalc cannot count it exactly",
    ],
  ])("%s", (_name, bytes, message) => {
    expect(read(bytes)).toEqual({ error: message });
  });
});
