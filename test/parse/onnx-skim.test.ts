/*
 * Reading an ONNX file without its weights' values (src/parse/onnx/skim.ts, used by the CLI for
 * files over 4 MiB): the re-assembled model is the file less the large raw_data payloads, whose
 * lengths are checked against their dims.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import protobuf from "protobufjs";
import { afterAll, describe, expect, it } from "vitest";
import { readBytes } from "../../src/cli/io.js";
import { analyzeSource } from "../../src/index.js";
import { skimModel } from "../../src/parse/onnx/skim.js";
import { ONNX_PROTO } from "../../src/parse/onnx/vendor/onnx-proto.js";

const Model = protobuf.Root.fromJSON(ONNX_PROTO).lookupType("onnx.ModelProto");
const tiny = new Uint8Array(
  readFileSync(new URL("../fixtures/onnx/tiny-resnet-weights.onnx", import.meta.url)),
);
const readAt = (bytes: Uint8Array) => (position: number, length: number) =>
  bytes.slice(position, position + length);

interface Tensor {
  name: string;
  dims: number[];
  data_type: number;
  raw_data?: Uint8Array;
}

/** The tiny ResNet with an extra (unused) float initializer of `n` elements and `bytes` bytes. */
function withExtra(n: number, bytes: number): Uint8Array {
  const model = Model.toObject(Model.decode(tiny), { longs: Number }) as {
    graph: { initializer: Tensor[] };
  };
  model.graph.initializer.push({
    name: "extra",
    dims: [n],
    data_type: 1,
    raw_data: new Uint8Array(bytes),
  });
  return Model.encode(Model.fromObject(model)).finish();
}

const initializers = (bytes: Uint8Array) =>
  (Model.toObject(Model.decode(bytes), { longs: Number }) as { graph: { initializer: Tensor[] } })
    .graph.initializer;

describe("skimModel", () => {
  it("re-assembles a model with only small tensors byte for byte", () => {
    expect(skimModel(readAt(tiny), tiny.length)).toEqual(tiny);
  });
  it("leaves out a large raw_data payload, keeping the tensor's dims", () => {
    const big = withExtra(100_000, 400_000);
    const skimmed = skimModel(readAt(big), big.length) as Uint8Array;
    expect(big.length - skimmed.length).toBeGreaterThanOrEqual(400_000);
    const extra = initializers(skimmed).find((t) => t.name === "extra");
    expect(extra?.dims).toEqual([100_000]);
    expect(extra?.raw_data?.length ?? 0).toBe(0);
    const a = analyzeSource(skimmed, { file: "skimmed.onnx" });
    expect(a.ok && a.analysis.totals.trainableParameters).toBe(2930n);
  });
  it("refuses a large raw_data whose length does not fill its dims", () => {
    const bad = withExtra(100_000, 400_004);
    expect(() => skimModel(readAt(bad), bad.length)).toThrow(
      "initializer 'extra' holds 400004 bytes but its dims [100000] need 400000 bytes",
    );
  });
  it("gives up on bytes that are not a protobuf message", () => {
    const text = new TextEncoder().encode('{"input": [4]}');
    expect(skimModel(readAt(text), text.length)).toBeUndefined();
  });
});

describe("the CLI reads a large ONNX file skimmed", () => {
  const dir = mkdtempSync(join(tmpdir(), "cnncalc-skim-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it("a 5 MB file arrives without its large payload and reads to the same totals", async () => {
    const file = join(dir, "big.onnx");
    const big = withExtra(1_310_720, 5_242_880);
    writeFileSync(file, big);
    const bytes = await readBytes(file);
    expect(bytes.length).toBeLessThan(big.length - 5_000_000);
    const a = analyzeSource(bytes, { file });
    expect(a.ok && a.analysis.totals.nonTrainableParameters).toBe(112n);
  });
});
