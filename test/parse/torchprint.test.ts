import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  analyzeSource,
  type SourceAnalysis,
  type SourceFailure,
} from "../../src/analyze-source.js";
import type { LayerSpec } from "../../src/core/types.js";
import { detectFormat } from "../../src/parse/index.js";
import { parseTorchPrint } from "../../src/parse/torchprint/index.js";

// Every fixture is print(model) of a real PyTorch model, with PyTorch's own counts beside it
// (scripts/torch/print_models.py, torch 1.13.1 and torchvision 0.14.1).
const DIR = new URL("../fixtures/torchprint/", import.meta.url);
const FIXTURES = readdirSync(DIR)
  .filter((f) => f.endsWith(".txt"))
  .map((f) => f.slice(0, -4))
  .sort();
const text = (name: string) => readFileSync(new URL(`${name}.txt`, DIR), "utf8");
interface Reference {
  input: number[];
  trainable: number;
  nonTrainable: number;
  output: number[];
}
const reference = (name: string): Reference =>
  JSON.parse(readFileSync(new URL(`${name}.json`, DIR), "utf8"));

function analysed(source: string, input?: number[]): SourceAnalysis {
  const r = analyzeSource(source, input ? { input } : {});
  if (!r.ok) throw new Error(`expected an analysis: ${r.error.message}`);
  return r;
}

/** The failure of a source, analysed with `input` (null: none, so the text's own or nothing). */
function failed(source: string, input: number[] | null = [8, 8, 3]): SourceFailure {
  const r = analyzeSource(source, input ? { input } : {});
  if (r.ok) throw new Error("expected an error");
  return r;
}

/** The 1-based line and column of a failure's span. */
function lineCol(source: string, r: SourceFailure): [number, number] {
  const start = r.error.diagnostic.span?.start ?? -1;
  const before = source.slice(0, start).split("\n");
  return [before.length, (before[before.length - 1] as string).length + 1];
}

const flat = (layers: readonly LayerSpec[]): LayerSpec[] =>
  layers.flatMap((l) => {
    const kids = "body" in l ? [...l.body, ...("shortcut" in l ? (l.shortcut ?? []) : [])] : [];
    const branches = "branches" in l ? l.branches.flat() : [];
    return [l, ...flat([...kids, ...branches])];
  });

describe("PyTorch print(model) fixtures", () => {
  it("has the models the script writes", () => {
    expect(FIXTURES).toEqual([
      "conv3d",
      "convnext_tiny",
      "densenet121",
      "efficientnet_b0",
      "googlenet",
      "mobilenet_v2",
      "mobilenet_v3_small",
      "nested_sequential",
      "resnet18",
      "resnet50",
      "smallnet",
      "squeezenet1_0",
      "stack_collapsed",
      "vgg16",
    ]);
  });

  it.each(FIXTURES)("%s: PyTorch's parameter counts and output shape", (name) => {
    const ref = reference(name);
    const r = analysed(text(name), ref.input);
    expect(r.format).toBe("pytorch");
    const { totals, output } = r.analysis;
    expect(totals.trainableParameters).toBe(BigInt(ref.trainable));
    expect(totals.nonTrainableParameters).toBe(BigInt(ref.nonTrainable));
    expect([...output.dims, output.channels]).toEqual(ref.output);
    // the totals from the arguments alone, printed as a note, are the same
    const note = r.analysis.assumptions.find((a) => a.code === "torch-parameters");
    const thousands = (n: number) => n.toLocaleString("en-US");
    expect(note?.message).toContain(
      `has ${thousands(ref.trainable)} trainable and ${thousands(ref.nonTrainable)} non-trainable parameters`,
    );
  });
});

describe("torchvision models", () => {
  it("resnet18: 11,689,512 trainable, 9,600 non-trainable, output [1000], and what it assumed", () => {
    const r = analysed(text("resnet18"), [224, 224, 3]);
    expect(r.analysis.totals.trainableParameters).toBe(11_689_512n);
    expect(r.analysis.totals.nonTrainableParameters).toBe(9_600n);
    expect(r.analysis.assumptions).toEqual([
      {
        code: "torch-order",
        message:
          "ResNet (line 1) runs its children in the printed order, as torchvision's ResNet.forward does (print() does not show forward())",
      },
      {
        code: "torch-implied",
        message:
          "Linear 'fc' (line 83) reads its 1×1×512 input flattened to 512 values: the forward's torch.flatten(x, 1), not a module, so not printed",
      },
      {
        code: "torch-parameters",
        message:
          "from the modules' arguments alone, ResNet has 11,689,512 trainable and 9,600 non-trainable parameters; the table's totals are checked against these",
      },
    ]);
  });

  it("resnet18: BasicBlocks become residual blocks, a downsample their shortcut", () => {
    const { spec } = parseTorchPrint(text("resnet18"));
    const layer2 = spec.layers[5];
    expect(layer2).toMatchObject({ type: "repeat", name: "layer2", times: 1 });
    const block = (layer2 as { body: LayerSpec[] }).body[0];
    expect(block).toMatchObject({
      type: "residual",
      name: "layer2.0",
      shortcut: [
        {
          type: "repeat",
          name: "layer2.0.downsample",
          body: [
            { type: "conv", filters: 128, kernel: 1, stride: 2, bias: false },
            { type: "batchnorm" },
          ],
        },
      ],
    });
    expect((layer2 as { body: LayerSpec[] }).body[1]).toEqual({
      type: "activation",
      function: "relu",
      name: "layer2.0.relu",
    });
  });

  it("mobilenet_v2: residual only where stride 1 keeps the channels, pooling from forward()", () => {
    const r = parseTorchPrint(text("mobilenet_v2"));
    const features = (r.spec.layers[0] as { body: LayerSpec[] }).body;
    // block 1 (32 -> 16) and 2 (stride 2) are plain, block 3 (24 -> 24, stride 1) residual
    expect(features.slice(1, 4).map((l) => l.type)).toEqual(["repeat", "repeat", "residual"]);
    expect(flat(r.spec.layers).filter((l) => l.type === "residual")).toHaveLength(10);
    expect(r.spec.layers[1]).toMatchObject({ type: "adaptiveavgpool", output: 1 });
    expect(r.assumptions[0]?.message).toContain("global average pooling");
  });

  it("efficientnet_b0: squeeze-and-excitation as a multiply block, StochasticDepth dropped", () => {
    const r = parseTorchPrint(text("efficientnet_b0"));
    const all = flat(r.spec.layers);
    expect(all.filter((l) => l.type === "multiply")).toHaveLength(16);
    expect(all.filter((l) => l.type === "residual")).toHaveLength(9);
    expect(r.assumptions.map((a) => a.message)).toContain(
      "StochasticDepth is the identity at inference (it drops paths in training only): not a layer of the spec",
    );
  });

  it("convnext_tiny: CNBlock's Linears are 1×1 convolutions, its unprinted layer_scale counted", () => {
    const r = parseTorchPrint(text("convnext_tiny"));
    const all = flat(r.spec.layers);
    expect(all.filter((l) => l.type === "layerscale")).toHaveLength(18);
    expect(all.filter((l) => l.type === "dense")).toHaveLength(1);
    expect(all.find((l) => l.name === "features.1.0.block.3")).toEqual({
      type: "conv",
      name: "features.1.0.block.3",
      filters: 384,
      kernel: 1,
    });
    expect(r.assumptions.map((a) => a.message)).toContain(
      "CNBlock has a layer_scale parameter of dim values that print() does not show: counted, as a layerscale layer before the residual add",
    );
    expect(r.assumptions.map((a) => a.message)).toContain(
      "LayerNorm does not print bias (PyTorch 2.1's bias=False): read as True, a β beside each γ",
    );
  });

  it("densenet121: each _DenseBlock a denseblock, relu and pooling from forward()", () => {
    const r = parseTorchPrint(text("densenet121"));
    const all = flat(r.spec.layers);
    const blocks = all.filter((l) => l.type === "denseblock");
    expect(blocks.map((b) => [b.name, (b as { repeat: number }).repeat])).toEqual([
      ["features.denseblock1", 6],
      ["features.denseblock2", 12],
      ["features.denseblock3", 24],
      ["features.denseblock4", 16],
    ]);
    expect((blocks[0] as { body: LayerSpec[] }).body.map((l) => l.type)).toEqual([
      "batchnorm",
      "activation",
      "conv",
      "batchnorm",
      "activation",
      "conv",
    ]);
    expect(r.spec.layers.slice(1, 3).map((l) => l.name)).toEqual([
      "forward:relu",
      "forward:adaptive_avg_pool2d",
    ]);
  });

  it("mobilenet_v3_small: InvertedResidual's `block` read as MobileNetV2's `conv`", () => {
    const all = flat(parseTorchPrint(text("mobilenet_v3_small")).spec.layers);
    expect(all.filter((l) => l.type === "residual").map((l) => l.name)).toEqual([
      "features.3",
      "features.5",
      "features.6",
      "features.8",
      "features.10",
      "features.11",
    ]);
  });

  it("googlenet and squeezenet1_0: Inception and Fire as concat blocks", () => {
    const g = flat(parseTorchPrint(text("googlenet")).spec.layers);
    expect(
      g
        .filter((l) => l.type === "concat")
        .map((l) => (l as { branches: unknown[] }).branches.length),
    ).toEqual(Array(9).fill(4));
    const s = parseTorchPrint(text("squeezenet1_0"));
    expect(flat(s.spec.layers).filter((l) => l.type === "concat")).toHaveLength(8);
    expect(s.spec.layers.at(-1)).toEqual({ type: "flatten", name: "forward:flatten" });
  });
});

describe("the layout", () => {
  it("is detected by content, and other formats are not taken for it", () => {
    for (const name of FIXTURES) expect(detectFormat(text(name))).toBe("pytorch");
    expect(detectFormat("# input: 8x8x3\n\nNet(\n  (a): ReLU()\n)\n", "model.txt")).toBe("pytorch");
    const examples = new URL("../../examples/", import.meta.url);
    expect(detectFormat(readFileSync(new URL("dqn-paper.txt", examples), "utf8"))).toBe("prose");
    expect(detectFormat("input 8x8x3\nconv 8 3x3\nrelu\n")).toBe("text");
    expect(detectFormat("Conv2d(3, 8, kernel_size=(3, 3))\n")).not.toBe("pytorch");
  });

  it("reads PyTorch 2's collapsed run of identical modules, (0-2): 3 x Block(", () => {
    const r = parseTorchPrint(text("stack_collapsed"));
    const blocks = r.spec.layers[1] as { type: string; body: LayerSpec[] };
    expect(blocks).toMatchObject({ type: "repeat", name: "blocks", times: 1 });
    expect(blocks.body[0]).toMatchObject({ type: "repeat", name: "blocks.0-2", times: 3 });
    expect(r.assumptions.map((a) => a.message)).toContain(
      "every ModuleList (the first: 'blocks' (line 3)) runs its modules in the printed order: a ModuleList is not callable, and print() does not show the forward() that iterates it",
    );
  });

  it("takes the input from a # input line, channels last as --input", () => {
    const source = `# input: 224x224x3\n${text("resnet18")}`;
    const r = analysed(source);
    expect(r.analysis.input).toEqual({ dims: [224, 224], channels: 3 });
    expect(r.analysis.totals.trainableParameters).toBe(11_689_512n);
  });

  it("needs an input shape: --input or a # input line", () => {
    const r = failed(text("resnet18"), null);
    expect(r.error.diagnostic.code).toBe("missing-input");
    expect(r.error.message).toContain("--input HxWxC");
  });

  it("reads every argument of a convolution", () => {
    const source = `Sequential(
  (0): Conv2d(3, 8, kernel_size=(3, 5), stride=(2, 1), padding=same, dilation=(2, 2), groups=1, bias=False, padding_mode=reflect)
  (1): Conv2d(8, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), groups=4)
  (2): ConvTranspose2d(16, 4, kernel_size=(2, 2), stride=(2, 2), output_padding=(1, 1), groups=2)
)`;
    const r = parseTorchPrint(source);
    expect(r.spec.layers).toEqual([
      {
        type: "conv",
        name: "0",
        filters: 8,
        kernel: [3, 5],
        stride: [2, 1],
        padding: "same",
        dilation: 2,
        bias: false,
      },
      { type: "conv", name: "1", filters: 16, kernel: 3, padding: 1, groups: 4 },
      {
        type: "convtranspose",
        name: "2",
        filters: 4,
        kernel: 2,
        stride: 2,
        outputPadding: 1,
        groups: 2,
      },
    ]);
    // 8·3·15 + 16·2·9 + 16 + 16·2·4 + 4 = 360 + 304 + 132
    expect(r.assumptions.at(-1)?.message).toContain("has 796 trainable and 0 non-trainable");
  });
});

describe("single modules on a 4×4×8 input, against PyTorch 1.13's counts and shapes", () => {
  // torch: sum of parameters, sum of floating-point buffers, output (NCHW turned channels last)
  it.each([
    [
      "InstanceNorm2d(8, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)",
      16,
      16,
      [4, 4, 8],
    ],
    ["GroupNorm(2, 8, eps=1e-05, affine=False)", 0, 0, [4, 4, 8]],
    ["LayerNorm((8, 4, 4), eps=1e-05, elementwise_affine=True)", 256, 0, [4, 4, 8]],
    ["PReLU(num_parameters=8)", 8, 0, [4, 4, 8]],
    [
      "ConvTranspose2d(8, 4, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1), groups=2, bias=False)",
      144,
      0,
      [8, 8, 4],
    ],
    [
      "BatchNorm2d(8, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)",
      16,
      16,
      [4, 4, 8],
    ],
  ] as const)("%s", (module, trainable, nonTrainable, output) => {
    const r = analysed(`Sequential(\n  (0): Identity()\n  (1): ${module}\n)\n`, [4, 4, 8]);
    const { totals, output: out } = r.analysis;
    expect([totals.trainableParameters, totals.nonTrainableParameters]).toEqual([
      BigInt(trainable),
      BigInt(nonTrainable),
    ]);
    expect([...out.dims, out.channels]).toEqual(output);
    expect(r.analysis.assumptions.find((a) => a.code === "torch-parameters")?.message).toContain(
      `has ${trainable} trainable and ${nonTrainable} non-trainable`,
    );
  });
});

describe("errors", () => {
  it("an unknown module is an error naming its line, with a caret at it", () => {
    const source =
      "Net(\n  (conv): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1))\n  (attn): MyAttention()\n)\n";
    const r = failed(source);
    expect(r.error.diagnostic.code).toBe("torch-module");
    expect(r.error.message).toBe(
      "unknown module MyAttention 'attn' (line 3): it has no children to read, and cnncalc does not know what it computes",
    );
    expect(lineCol(source, r)).toEqual([3, 11]);
  });

  it.each([
    [
      "a second model",
      "A(\n  (x): ReLU()\n)\nB(\n  (y): ReLU()\n)\n",
      [4, 1],
      "text after the model's closing",
    ],
    [
      "an unclosed container",
      "A(\n  (x): Sequential(\n    (0): ReLU()\n)\n",
      [1, 1],
      "A( on line 1 is never closed",
    ],
    [
      "a line that is not a module",
      "A(\n  (x): ReLU()\n  x = 3\n)\n",
      [3, 3],
      'expected a child module "(name): Class(...)"',
    ],
    ["a miscounted run", "A(\n  (0-2): 2 x ReLU()\n)\n", [2, 3], "must name a range of 2 modules"],
    [
      "a bad input line",
      "# input: 3 by 224\nA(\n  (x): ReLU()\n)\n",
      [1, 1],
      "the input line must give",
    ],
  ] as const)("torch-syntax: %s", (_what, source, at, message) => {
    const r = failed(source);
    expect(r.error.diagnostic.code).toBe("torch-syntax");
    expect(r.error.message).toContain(message);
    expect(lineCol(source, r)).toEqual(at);
  });

  it.each([
    [
      "BatchNorm without running statistics",
      "Sequential(\n  (0): BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=False)\n)\n",
      "track_running_stats=False",
    ],
    [
      "a Permute outside ConvNeXt's block",
      "Sequential(\n  (0): Permute()\n)\n",
      "print() does not show the axes it permutes to",
    ],
    [
      "an argument the class does not have",
      "Sequential(\n  (0): Linear(in_features=3, out_features=4, bias=True, rank=2)\n)\n",
      "the argument rank=2 is not one cnncalc reads",
    ],
    [
      "a LayerNorm over the width of a channels-first tensor",
      "Sequential(\n  (0): Conv2d(3, 8, kernel_size=(1, 1), stride=(1, 1))\n  (1): LayerNorm((8,), eps=1e-05, elementwise_affine=True)\n)\n",
      "covers the last 1 axes",
    ],
  ] as const)("torch-module: %s", (_what, source, message) => {
    const r = failed(source);
    expect(r.error.diagnostic.code).toBe("torch-module");
    expect(r.error.message).toContain(message);
    // the parameters are still known from the arguments, and said
    expect(r.error.message).toMatch(
      /; cnncalc has no layer for it\. From their arguments alone the model has [\d,]+ trainable and [\d,]+ non-trainable parameters$/,
    );
    expect(lineCol(source, r)[0]).toBe(source.split("\n").length - 2);
  });

  it("modules whose printed order does not chain: an error at the line, with the exact totals", () => {
    const source = `Mine(
  (head): Linear(in_features=64, out_features=10, bias=True)
  (conv): Conv2d(3, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
  (bn): BatchNorm2d(16, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
)`;
    // 64·10 + 10 + 16·3·9 + 16 + 2·16 trainable, 2·16 running statistics
    const totals =
      "the modules cannot run in the order read. From their arguments alone the model has 1,130 trainable and 32 non-trainable parameters";
    // with no input, the first module whose needs the order cannot meet
    const r = failed(source, null);
    expect(r.error.diagnostic.code).toBe("torch-shape");
    expect(r.error.message).toBe(
      `Conv2d 'conv' (line 3) reads 2 spatial dimensions, but the module before it gives a flat vector; ${totals}`,
    );
    expect(lineCol(source, r)).toEqual([3, 11]);
    // with --input, the Linear's features are checked against it
    const g = failed(source, [8, 8, 3]);
    expect(g.error.message).toBe(
      `Linear 'head' (line 2) reads 64 features, but the 8×8×3 tensor before it flattens to 192; ${totals}`,
    );
    // and the same with the input in the text
    const stated = `# input: 8x8x3\n${source}`;
    const s = failed(stated, null);
    expect(s.error.message).toBe(
      `Linear 'head' (line 3) reads 64 features, but the 8×8×3 tensor before it flattens to 192; ${totals}`,
    );
    expect(lineCol(stated, s)).toEqual([3, 11]);
  });

  it("a # input line whose channels the first module does not read", () => {
    const source = `# input: 32x32x1\n${text("resnet18")}`;
    const r = failed(source, null);
    expect(r.error.diagnostic.code).toBe("torch-shape");
    expect(r.error.message).toMatch(
      /^Conv2d 'conv1' \(line 3\) reads 3 channels, but the module before it gives 1;/,
    );
  });

  it("a # input line in PyTorch's order, channels first", () => {
    const source = `# input: 3x224x224\n${text("resnet18")}`;
    const r = failed(source, null);
    expect(r.error.diagnostic.code).toBe("torch-shape");
    expect(r.error.message).toBe(
      "the input line gives 224 channels, but the first convolution reads 3; expected the channels last, as --input takes them: 224x224x3. From their arguments alone the model has 11,689,512 trainable and 9,600 non-trainable parameters",
    );
    expect(lineCol(source, r)).toEqual([1, 1]);
  });

  it("a collapsed run whose modules change the channels cannot repeat", () => {
    const source = `Net(
  (blocks): ModuleList(
    (0-1): 2 x Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1))
  )
)`;
    const r = failed(source);
    expect(r.error.diagnostic.code).toBe("torch-shape");
    expect(r.error.message).toMatch(
      /^Conv2d 'blocks\.0-1' \(line 3\) reads 3 channels, but the module before it gives 8;/,
    );
  });

  it("nesting deeper than --max-depth (at most 1,000 levels) is too-deep at the line", () => {
    const levels = 30;
    const source = `${"Sequential(\n  (0): ".repeat(levels)}ReLU()\n${")\n".repeat(levels)}`;
    expect(analyzeSource(source, { input: [4], maxDepth: levels }).ok).toBe(true);
    const r = analyzeSource(source, { input: [4], maxDepth: levels - 1 });
    if (r.ok) throw new Error("expected an error");
    expect(r.error.diagnostic.code).toBe("too-deep");
    expect(r.error.message).toBe(
      "modules nest deeper than 29 levels; expected at most 29 (raise it with --max-depth)",
    );
    expect(lineCol(source, r)).toEqual([levels, 8]);
  });

  it("an unknown container: printed order, and no parameters of its own, both said", () => {
    const source =
      "Mine(\n  gain=2.0\n  (fc): Linear(in_features=4, out_features=2, bias=True)\n)\n";
    const r = analysed(source, [4]);
    expect(r.analysis.assumptions[0]).toEqual({
      code: "torch-order",
      message:
        "Mine (line 1) runs its children in the printed order, and has no parameters of its own besides theirs: print() shows neither its forward() nor the nn.Parameter attributes of a class cnncalc does not know; the arguments it prints (gain=2.0) are not read",
    });
  });

  it.each([
    [
      "Conv2d(3, 8, kernel_size=(3, 3), stride=(0, 0))",
      "stride",
      "expected a positive integer; received 0",
    ],
    ["Dropout(p=2, inplace=False)", "rate", "expected a number from 0 to 1; received 2"],
  ])(
    "a value no network has, %s, gets the JSON spec's check at its line",
    (module, key, message) => {
      const source = `Sequential(\n  (0): ReLU()\n  (1): ${module}\n)\n`;
      const r = failed(source);
      expect(r.error.diagnostic.code).toBe("invalid-value");
      expect(r.error.diagnostic.path).toBe(`layers[1].${key}`);
      expect(r.error.message).toBe(message);
      expect(lineCol(source, r)).toEqual([3, 8]);
    },
  );

  it("blocks of a class of its own: the order assumed once per class, at the first", () => {
    const block = (key: string) =>
      `  (${key}): MyBlock(\n    (conv): Conv2d(3, 3, kernel_size=(1, 1), stride=(1, 1))\n  )\n`;
    const r = analysed(`Net(\n${block("a")}${block("b")})\n`, [4, 4, 3]);
    const order = r.analysis.assumptions.filter((a) => a.code === "torch-order");
    expect(order.map((a) => a.message.split(" runs ")[0])).toEqual([
      "Net (line 1)",
      "every MyBlock (the first: 'a' (line 2))",
    ]);
  });

  it("a _DenseBlock whose layers differ in more than their input is refused at the layer", () => {
    const layer = (n: number, cin: number, k: number) => `    (denselayer${n}): _DenseLayer(
      (norm1): BatchNorm2d(${cin}, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
      (relu1): ReLU(inplace=True)
      (conv1): Conv2d(${cin}, 16, kernel_size=(1, 1), stride=(1, 1), bias=False)
      (norm2): BatchNorm2d(16, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
      (relu2): ReLU(inplace=True)
      (conv2): Conv2d(16, ${k}, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)
    )
`;
    const block = (second: number) =>
      `Sequential(\n  (0): _DenseBlock(\n${layer(1, 8, 4)}${layer(2, 12, second)}  )\n)\n`;
    // the same growth: a denseblock of 2, 8 + 4 + 4 channels out
    const ok = analysed(block(4), [8, 8, 8]);
    expect(ok.analysis.output.channels).toBe(16);
    const r = failed(block(6), [8, 8, 8]);
    expect(r.error.diagnostic.code).toBe("torch-shape");
    expect(r.error.message).toMatch(
      /^_DenseLayer '0\.denselayer2' \(line 11\) differs from '0\.denselayer1' \(line 3\) in more than the channels it reads/,
    );
  });

  it("an empty Sequential or ModuleList is nothing; an unknown class without children an error", () => {
    const source = "Net(\n  (a): Sequential()\n  (b): ModuleList()\n  (c): ReLU()\n)\n";
    const r = analysed(source, [4]);
    expect(r.parsed.spec.layers).toEqual([{ type: "activation", function: "relu", name: "c" }]);
    const e = failed("Net(\n  (a): MyBlock()\n)\n");
    expect(e.error.diagnostic.code).toBe("torch-module");
  });

  it("an InvertedResidual that starts the model is residual by its own convolutions", () => {
    const source = `InvertedResidual(
  (conv): Sequential(
    (0): Conv2d(8, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), groups=8, bias=False)
    (1): BatchNorm2d(8, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
  )
)`;
    expect(parseTorchPrint(source).spec.layers[0]).toMatchObject({ type: "residual" });
  });

  it("an analysis error points at the module's line", () => {
    // a 9×9 kernel on a 8×8 input
    const source =
      "Sequential(\n  (0): ReLU()\n  (1): Conv2d(3, 8, kernel_size=(9, 9), stride=(1, 1))\n)\n";
    const r = failed(source);
    expect(r.error.diagnostic.code).toBe("kernel-too-large");
    expect(lineCol(source, r)).toEqual([3, 8]);
  });
});

describe("the modules' declared sizes against the input given", () => {
  const net =
    "Net(\n  (conv): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1))\n  (flat): Flatten(start_dim=1, end_dim=-1)\n  (fc): Linear(in_features=1568, out_features=10, bias=True)\n)\n";

  it("an input the model accepts gives the arguments' totals", () => {
    expect(analysed(net, [16, 16, 3]).analysis.totals.parameters).toBe(224n + 15690n);
  });

  it("a Linear whose in_features does not fit the flattened input is an error at its line", () => {
    const r = failed(net, [20, 20, 3]);
    expect(r.error.diagnostic.code).toBe("torch-shape");
    expect(r.error.message).toBe(
      "Linear 'fc' (line 4) has 15,690 parameters from its arguments, but with the 2592 input it reads here it would have 25,930: its declared size does not fit this input (another --input?). From their arguments alone the model has 15,914 trainable and 0 non-trainable parameters",
    );
    expect(lineCol(net, r)).toEqual([4, 9]);
  });

  it("--input with other channels than the first convolution reads is an error at it", () => {
    const r = failed(net, [16, 16, 1]);
    expect(r.error.diagnostic.code).toBe("torch-shape");
    expect(lineCol(net, r)).toEqual([2, 11]);
  });

  it("--input in PyTorch's order gets the channels-last form", () => {
    const r = failed(net, [3, 16, 16]);
    expect(r.error.message).toContain(
      "the shape gives 16 channels, but the first convolution reads 3; expected the channels last, as --input takes them: 16x16x3",
    );
    expect(r.error.diagnostic.path).toBe("--input");
  });
});

describe("BatchNorm2d(affine=False)", () => {
  it("has no γ or β, only its running statistics (PyTorch: 0 parameters, 2 × 3 buffer values)", () => {
    const source =
      "Sequential(\n  (0): BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=False, track_running_stats=True)\n)\n";
    const { totals } = analysed(source, [4, 4, 3]).analysis;
    expect([totals.trainableParameters, totals.nonTrainableParameters]).toEqual([0n, 6n]);
  });
});
