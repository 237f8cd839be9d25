/*
 * The ONNX reader on files exported by PyTorch (scripts/onnx/export.py, each with PyTorch's own
 * counts beside it) and hand-made graphs: totals, the blocks found, the cross-check of weights,
 * and located errors naming the node.
 */
import { readdirSync, readFileSync } from "node:fs";
import protobuf from "protobufjs";
import { describe, expect, it } from "vitest";
import type { LayerSpec } from "../../src/core/types.js";
import { specToText } from "../../src/format/text.js";
import { analyzeSource, readSource } from "../../src/index.js";
import { binaryKind, looksLikeOnnx } from "../../src/parse/detect.js";
import { MERGE_OPS, OP_MAPPERS } from "../../src/parse/onnx/ops.js";
import { ONNX_PROTO } from "../../src/parse/onnx/vendor/onnx-proto.js";
import { layerName } from "../../src/parse/onnx.js";
import { byTier } from "../helpers/tier.js";

const DIR = new URL("../fixtures/onnx/", import.meta.url);
const bytes = (name: string) => new Uint8Array(readFileSync(new URL(name, DIR)));

interface Reference {
  trainable: number;
  nonTrainable: number;
  /** For a graph exported with BatchNorm folded: the graph's own counts, not the module's. */
  graphTrainable?: number;
  graphNonTrainable?: number;
  output: number[];
  weights: boolean;
}

const exported = readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .map((f) => ({
    name: f.replace(/\.json$/, ""),
    ref: JSON.parse(readFileSync(new URL(f, DIR), "utf8")) as Reference,
  }));

function analysisOf(source: string | Uint8Array, file: string, input?: number[]) {
  const r = analyzeSource(source, { file, ...(input ? { input } : {}) });
  if (!r.ok) throw new Error(r.error.message);
  return r.analysis;
}

function failureOf(name: string): { code: string; message: string } {
  const r = analyzeSource(bytes(name), { file: name });
  if (r.ok) throw new Error(`${name} was read`);
  return { code: r.error.diagnostic.code, message: r.error.message };
}

describe("models exported by PyTorch give PyTorch's counts", () => {
  it("has the fixtures", () => {
    expect(exported.map((e) => e.name).sort()).toEqual([
      "branches",
      "conv1d",
      "convnext-block",
      "mobilenet-v2",
      "ops",
      "resnet18",
      "resnet18-folded",
      "resnet50",
      "shuffle",
      "small-cnn",
      "small-cnn-dynamic-batch",
      "tiny-resnet-weights",
    ]);
  });
  it.each(exported)("$name", ({ name, ref }) => {
    const a = analysisOf(bytes(`${name}.onnx`), `${name}.onnx`);
    expect(a.totals.trainableParameters).toBe(BigInt(ref.graphTrainable ?? ref.trainable));
    expect(a.totals.nonTrainableParameters).toBe(BigInt(ref.graphNonTrainable ?? ref.nonTrainable));
    expect([...a.output.dims, a.output.channels]).toEqual(ref.output);
    // a folded export says so; a graph with its BatchNorm does not
    expect(a.assumptions.some((n) => n.code === "onnx-no-batchnorm")).toBe(
      ref.graphTrainable !== undefined,
    );
  });
  it("resnet18 exported in eval mode: BatchNorm folded, each conv with a bias", () => {
    const a = analysisOf(bytes("resnet18-folded.onnx"), "resnet18-folded.onnx");
    // 11,689,512 − 9,600 (BatchNorm's γ, β) + 4,800 (a bias per conv channel)
    expect(a.totals.trainableParameters).toBe(11_684_712n);
    expect(a.totals.nonTrainableParameters).toBe(0n);
  });
  it("resnet18: 11,689,512 trainable, 9,600 non-trainable, output [1000]", () => {
    const a = analysisOf(bytes("resnet18.onnx"), "resnet18.onnx");
    expect(a.totals.trainableParameters).toBe(11_689_512n);
    expect(a.totals.nonTrainableParameters).toBe(9_600n);
    expect(a.output).toEqual({ dims: [], channels: 1000 });
    // eight basic blocks, each an add of its body and its shortcut (three with a downsample)
    const adds = a.layers.filter((l) => l.type === "add");
    expect(adds).toHaveLength(8);
    expect(adds.map((l) => l.branches?.map((b) => b.length))).toEqual([
      [5, 0],
      [5, 0],
      [5, 2],
      [5, 0],
      [5, 2],
      [5, 0],
      [5, 2],
      [5, 0],
    ]);
  });
  // the big networks' round trips in the full tier only (each analyses the network three times)
  const roundTrips = byTier(
    exported.filter((e) => !["mobilenet-v2", "resnet50"].includes(e.name)),
    exported,
  );
  it.each(roundTrips)(
    "$name: convert --to text and --to json read back to the same totals",
    ({ name }) => {
      const read = readSource(bytes(`${name}.onnx`), { file: `${name}.onnx` });
      if (!read.ok) throw new Error(read.error.message);
      const a = analysisOf(bytes(`${name}.onnx`), `${name}.onnx`);
      const text = specToText(read.parsed.spec);
      const json = JSON.stringify(read.parsed.spec);
      for (const [src, file] of [
        [text, "back.cnn"],
        [json, "back.json"],
      ] as const) {
        const b = analysisOf(src, file);
        expect(b.totals).toEqual(a.totals);
        expect(b.output).toEqual(a.output);
      }
    },
  );
});

/** The layer types of a spec, blocks written as type(branch | branch). */
function outline(layers: readonly LayerSpec[]): string {
  return layers
    .map((l) =>
      "branches" in l
        ? `${l.type}(${l.branches.map(outline).join(" | ")})`
        : l.type === "activation"
          ? l.function
          : l.type,
    )
    .join(" ");
}

describe("operators and blocks", () => {
  it("branches: concat, a residual add, squeeze-and-excitation, x·σ(x) as SiLU", () => {
    const read = readSource(bytes("branches.onnx"));
    if (!read.ok) throw new Error(read.error.message);
    expect(outline(read.parsed.spec.layers)).toBe(
      "conv concat(conv | conv leakyrelu) add( | conv batchnorm elu) multiply( | globalavgpool conv relu conv sigmoid) silu conv hardswish hardsigmoid prelu tanh maxpool flatten dense",
    );
  });
  it("ops: Resize, DepthToSpace, Pad, ConvTranspose, norms, Split and Slice on channels", () => {
    const read = readSource(bytes("ops.onnx"));
    if (!read.ok) throw new Error(read.error.message);
    expect(outline(read.parsed.spec.layers)).toBe(
      "conv relu upsample conv pixelshuffle zeropad convtranspose instancenorm sigmoid conv layernorm concat(slice | slice) slice upsample conv globalavgpool flatten dense layernorm dense",
    );
  });
  it("convnext-block: channels-last view, LayerNorm, Linear as 1×1 convs, GELU's formula, layer scale", () => {
    const read = readSource(bytes("convnext-block.onnx"));
    if (!read.ok) throw new Error(read.error.message);
    expect(outline(read.parsed.spec.layers)).toBe(
      "conv layernorm add(conv layernorm conv gelu conv layerscale | ) globalavgpool flatten dense",
    );
  });
  it("shuffle: chunk as computed slices, channel_shuffle, mean over H and W", () => {
    const read = readSource(bytes("shuffle.onnx"));
    if (!read.ok) throw new Error(read.error.message);
    expect(outline(read.parsed.spec.layers)).toBe(
      "conv concat(slice | slice conv batchnorm relu conv batchnorm) channelshuffle globalavgpool dense",
    );
  });
  it("hand-made: asymmetric pads, SAME_UPPER, reflect padding, LayerScale, MatMul + Add", () => {
    const read = readSource(bytes("hand-ops.onnx"));
    if (!read.ok) throw new Error(read.error.message);
    const layers = read.parsed.spec.layers;
    expect(layers[0]).toEqual({
      type: "zeropad",
      name: "asym/pad",
      padding: [
        [0, 1],
        [1, 2],
      ],
    });
    expect(layers[1]).toMatchObject({
      type: "conv",
      filters: 4,
      kernel: 3,
      padding: 0,
      bias: true,
    });
    expect(layers[2]).toMatchObject({
      type: "conv",
      filters: 6,
      stride: 2,
      padding: "same",
      bias: false,
    });
    expect(layers.at(-1)).toEqual({ type: "dense", name: "mm", units: 5, bias: true });
    const a = analysisOf(bytes("hand-ops.onnx"), "hand-ops.onnx");
    // conv 4·(27+1) + conv 6·36 + layerscale 6 + dense 6·5+5
    expect(a.totals.trainableParameters).toBe(112n + 216n + 6n + 35n);
    expect(a.assumptions.map((n) => n.code)).toEqual(["onnx-pad-mode", "onnx-no-batchnorm"]);
  });
  it("a dynamic input needs --input, and reads with it", () => {
    expect(failureOf("dynamic-input.onnx")).toEqual({
      code: "onnx-input-shape",
      message:
        "the graph input 'x' has dynamic dimensions [?, 3, ?, ?]; give the input shape with --input (channels last, e.g. --input 224x224x3)",
    });
    const a = analysisOf(bytes("dynamic-input.onnx"), "dynamic-input.onnx", [16, 12, 3]);
    expect(a.output).toEqual({ dims: [16, 12], channels: 8 });
    expect(a.totals.trainableParameters).toBe(8n * 27n);
  });
});

describe("errors name the node", () => {
  it.each([
    [
      "unmapped-op.onnx",
      "onnx-unsupported-op",
      "node 2 'hardmax0' (op Hardmax): an operator with no cnncalc mapping; cnncalc cannot count it exactly",
    ],
    [
      "param-mismatch.onnx",
      "onnx-param-mismatch",
      "node 1 'fc' (op Gemm): cnncalc counts 170 parameters for it, the file's weights hold 180 values; the mapping is wrong for this node",
    ],
    [
      "not-series-parallel.onnx",
      "onnx-graph",
      "node 0 'a' (op Relu): it is reached twice; cnncalc reads graphs made of chains and of branches that fork from one tensor and merge once (series-parallel)",
    ],
  ])("%s", (name, code, message) => {
    expect(failureOf(name)).toEqual({ code, message });
  });
});

/** The tiny ResNet's model with one initializer changed by `edit`, re-encoded by protobufjs. */
function edited(edit: (tensor: { dims: number[]; raw_data: Uint8Array }) => void): Uint8Array {
  const Model = protobuf.Root.fromJSON(ONNX_PROTO).lookupType("onnx.ModelProto");
  const model = Model.toObject(Model.decode(bytes("tiny-resnet-weights.onnx")), {
    longs: Number,
  }) as { graph: { initializer: { name: string; dims: number[]; raw_data: Uint8Array }[] } };
  const fc = model.graph.initializer.find((t) => t.name === "fc.weight");
  if (fc === undefined) throw new Error("no fc.weight");
  edit(fc);
  return Model.encode(Model.fromObject(model)).finish();
}

describe("weights in the file", () => {
  it("tiny-resnet-weights carries its weights as initializers, checked against the counts", () => {
    const a = analysisOf(bytes("tiny-resnet-weights.onnx"), "tiny.onnx");
    expect(a.totals.trainableParameters).toBe(2930n);
    expect(a.totals.nonTrainableParameters).toBe(112n);
  });
  it("an initializer whose dims disagree with the layer is a mismatch naming its node", () => {
    // fc.weight [10, 16] declared as [10, 17] with 17·10 floats
    const model = edited((t) => {
      t.dims = [10, 17];
      t.raw_data = new Uint8Array(10 * 17 * 4);
    });
    const r = analyzeSource(model, { file: "edited.onnx" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.diagnostic.code).toBe("onnx-param-mismatch");
    expect(r.error.message).toMatch(
      /^node \d+ '\/fc\/Gemm' \(op Gemm\): cnncalc counts 170 parameters/,
    );
  });
  it("an initializer whose bytes do not fill its dims is an invalid file", () => {
    const model = edited((t) => {
      t.raw_data = t.raw_data.subarray(0, 8);
    });
    const r = analyzeSource(model, { file: "edited.onnx" });
    expect(r.ok ? "" : r.error.message).toBe(
      "initializer 'fc.weight' holds 8 bytes but its dims [10, 16] need 640 bytes",
    );
  });
});

describe("detection by content", () => {
  it("tells an ONNX model, a zip and text apart", () => {
    expect(binaryKind(bytes("resnet18.onnx"))).toBe("onnx");
    expect(binaryKind(readFileSync("test/fixtures/keras/keras3-functional-cnn.keras"))).toBe("zip");
    expect(binaryKind(new TextEncoder().encode('{"input": [4], "layers": []}'))).toBeUndefined();
    expect(looksLikeOnnx(bytes("resnet18.onnx").subarray(0, 100))).toBe(false);
  });
  it("reads text given as bytes as text, and refuses bytes that are neither", () => {
    const spec = '{"input": [4], "layers": [{"type": "dense", "units": 2}]}';
    expect(analysisOf(new TextEncoder().encode(spec), "net.json").totals.parameters).toBe(10n);
    const r = analyzeSource(new Uint8Array([0x7b, 0xff, 0x7d]), { file: "bad.json" });
    expect(r.ok ? "" : r.error.diagnostic.code).toBe("invalid-utf8");
  });
  it("a zip is read as a Keras 3 archive", () => {
    const keras = readFileSync("test/fixtures/keras/keras3-functional-cnn.keras");
    const r = analyzeSource(keras, { file: "model.keras" });
    expect(r.ok && [r.format, r.analysis.totals.parameters]).toEqual(["keras", 4714n]);
  });
});

describe("the vendored onnx.proto", () => {
  it("matches the descriptor the reader uses (node scripts/onnx/proto-json.mjs)", () => {
    const proto = readFileSync(
      new URL("../../src/parse/onnx/vendor/onnx.proto", import.meta.url),
      "utf8",
    );
    const { root } = protobuf.parse(proto, { keepCase: true });
    expect(JSON.parse(JSON.stringify(ONNX_PROTO))).toEqual(
      JSON.parse(JSON.stringify(root.toJSON())),
    );
  });
});

describe("docs/onnx.md", () => {
  it("lists every operator the reader maps", () => {
    const page = readFileSync(new URL("../../docs/onnx.md", import.meta.url), "utf8");
    const table = page.slice(page.indexOf("## Operators"), page.indexOf("## How blocks"));
    const listed = new Set([...table.matchAll(/`([A-Z][A-Za-z]+)`/g)].map((m) => m[1]));
    const mapped = [...Object.keys(OP_MAPPERS), ...Object.keys(MERGE_OPS), "Split"];
    expect(mapped.filter((op) => !listed.has(op))).toEqual([]);
  });
});

describe("--from overrides the content", () => {
  it("--from json on an ONNX file reads it as text: not UTF-8", () => {
    const r = analyzeSource(bytes("resnet18.onnx"), { file: "resnet18.onnx", from: "json" });
    expect(r.ok ? "" : r.error.message).toMatch(/^'resnet18.onnx' is not UTF-8 text/);
  });
  it("--from onnx on text is not a readable ONNX model", () => {
    const r = analyzeSource(new TextEncoder().encode('{"input": [4]}'), { from: "onnx" });
    expect(r.ok ? "" : r.error.diagnostic.code).toBe("onnx-invalid");
  });
});

describe("errors in the analysis name the node", () => {
  it("a pool larger than its input", () => {
    const r = analyzeSource(bytes("small-cnn.onnx"), { file: "small-cnn.onnx", input: [2, 2, 3] });
    expect(r.ok ? "" : r.error.message).toBe(
      "node 5 '/pool1/MaxPool' (op MaxPool): kernel 3 is larger than the padded input 2 (input 2 + padding 0 + 0) along rows; expected a kernel of at most 2. Received: kernel=3, input=2",
    );
  });
  it("an --input whose channels do not fit the weights", () => {
    const r = analyzeSource(bytes("dynamic-input.onnx"), { input: [8, 8, 4] });
    expect(r.ok ? "" : r.error.message).toBe(
      "node 0 'conv' (op Conv): cnncalc counts 288 parameters for it, the file's weights hold 216 values; the input shape given (--input) does not fit the model, or the mapping is wrong for this node",
    );
  });
});

describe("layer names from node names", () => {
  it.each([
    ["/conv1/Conv", "conv1"],
    ["/layer1/layer1.0/conv1/Conv", "layer1.0.conv1"],
    ["/layer1/layer1.0/relu_1/Relu", "layer1.0.relu_1"],
    ["/layer1/layer1.0/Add", "layer1.0"],
    ["/features/features.0/features.0.0/Conv", "features.0.0"],
    ["/Flatten", "Flatten"],
    ["conv_3", "conv_3"],
    ["", "Relu_7"],
  ])("%s → %s", (name, expected) => {
    expect(layerName({ name, op_type: "Relu" }, 7)).toBe(expected);
  });
});
