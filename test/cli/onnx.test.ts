/*
 * ONNX files through the CLI: the table, --json, --explain, convert, check, the located error of
 * an unmapped operator (exit 1), the default size limit of a binary model, and one run of the
 * built bundle (bin/cnncalc.js), whose ONNX reader is split off and loaded on demand.
 */
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readBytes } from "../../src/cli/io.js";
import { run } from "../helpers/io.js";

const RESNET = "test/fixtures/onnx/resnet18.onnx";
const ROOT = new URL("../../", import.meta.url).pathname;

describe("cnncalc model.onnx", () => {
  it("resnet18: 11,689,512 trainable, 9,600 non-trainable, output [1000]", async () => {
    const r = await run([RESNET]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "Parameters: 11,699,112 (trainable 11,689,512, non-trainable 9,600)\nOutput: 1000\n",
    );
    const j = await run([RESNET, "--json"]);
    const parsed = JSON.parse(j.stdout);
    expect(parsed.totals.trainableParameters).toBe(11689512);
    expect(parsed.totals.nonTrainableParameters).toBe(9600);
    expect(parsed.outputShape).toEqual([1000]);
  });
  it("--explain shows the working", async () => {
    const r = await run(["test/fixtures/onnx/small-cnn.onnx", "--explain"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Layer 1: conv1 (conv), 32×32×3 → 32×32×16");
    expect(r.stdout).toMatch(/1,216/);
  });
  it("an unmapped operator is an error naming the node, exit 1", async () => {
    const r = await run(["test/fixtures/onnx/unmapped-op.onnx"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "test/fixtures/onnx/unmapped-op.onnx: error: node 2 'hardmax0' (op Hardmax): an operator with no cnncalc mapping; cnncalc cannot count it exactly\n",
    );
  });
  it("check marks answers against an ONNX model", async () => {
    const r = await run(["check", RESNET, "answers.txt"], {
      "answers.txt": "layer 1 parameters 9408\n",
    });
    expect(r.stdout).toContain("1/1 right");
    expect(r.code).toBe(0);
  });
});

describe("cnncalc convert model.onnx", () => {
  it.each(["text", "json"])("--to %s reads back to the same totals", async (to) => {
    const c = await run(["convert", RESNET, "--to", to]);
    expect(c.code).toBe(0);
    const file = to === "text" ? "back.cnn" : "back.json";
    const r = await run([file, "--json"], { [file]: c.stdout });
    const totals = JSON.parse(r.stdout).totals;
    expect([totals.trainableParameters, totals.nonTrainableParameters]).toEqual([11689512, 9600]);
    expect(JSON.parse(r.stdout).outputShape).toEqual([1000]);
  });
  it("--input gives a dynamic model its shape", async () => {
    const c = await run(["convert", "test/fixtures/onnx/dynamic-input.onnx", "--input", "8x8x3"]);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain(`"input": [8, 8, 3]`);
  });
});

describe("the default size limit", () => {
  const dir = mkdtempSync(join(tmpdir(), "cnncalc-onnx-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** A sparse file of `size` bytes starting with `head`. */
  const sparse = (name: string, head: number[], size: number) => {
    const path = join(dir, name);
    const fd = openSync(path, "w");
    writeSync(fd, new Uint8Array(head), 0, head.length, 0);
    writeSync(fd, new Uint8Array([0]), 0, 1, size - 1);
    closeSync(fd);
    return path;
  };
  it("lets a model file past 16 MiB through, not a text file", async () => {
    const big = 17 * 1024 * 1024;
    const model = sparse("big.onnx", [0x08, 0x08], big);
    expect((await readBytes(model)).length).toBe(big);
    const text = sparse("big.json", [0x7b], big);
    await expect(readBytes(text)).rejects.toThrow(
      `'${text}' is ${big} bytes, more than the limit of 16777216; expected a smaller spec (raise the limit with --max-size)`,
    );
    await expect(readBytes(model, 1000)).rejects.toThrow("more than the limit of 1000");
  });
});

describe("the built CLI", () => {
  it("reads an ONNX file (the reader loaded on demand in the bundle)", () => {
    const r = spawnSync(process.execPath, ["bin/cnncalc.js", RESNET, "--json"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout).totals.parameters).toBe(11699112);
  });
  it("draws an SVG (dagre, like protobufjs, a bundle of its own: dist/dagre.cjs)", () => {
    const r = spawnSync(
      process.execPath,
      ["bin/cnncalc.js", "examples/dqn.json", "--format", "svg"],
      {
        cwd: ROOT,
        encoding: "utf8",
      },
    );
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg /);
    expect(r.stdout).toContain("conv1");
  });
});
