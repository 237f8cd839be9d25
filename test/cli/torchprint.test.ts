import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { run } from "../helpers/io.js";
import { byTier } from "../helpers/tier.js";

// PyTorch's print(model) through the CLI: the "done when", the located error, and
// `convert` round trips (the spec it prints, read back, gives the same totals).
const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/torchprint/${name}.txt`, import.meta.url), "utf8");
const reference = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../fixtures/torchprint/${name}.json`, import.meta.url), "utf8"),
  ) as { input: number[]; trainable: number; nonTrainable: number; output: number[] };

describe("cnncalc on a print(model) text", () => {
  it("resnet18.txt --input 224x224x3: 11,689,512 trainable, 9,600 non-trainable, output 1000", async () => {
    const r = await run(["resnet18.txt", "--input", "224x224x3", "--summary"], {
      "resnet18.txt": fixture("resnet18"),
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(
      "Parameters: 11,699,112 (trainable 11,689,512, non-trainable 9,600)\nOutput: 1000\n",
    );
    expect(r.stdout).toContain(
      "assumption: Linear 'fc' (line 83) reads its 1×1×512 input flattened to 512 values: the forward's torch.flatten(x, 1), not a module, so not printed [torch-implied]",
    );
  });

  it("--from pytorch reads a text detection would not take for one", async () => {
    const r = await run(["net.txt", "--from", "pytorch", "--input", "4", "--json"], {
      "net.txt": "Linear(in_features=4, out_features=2, bias=True)\n",
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).totals.trainableParameters).toBe(10);
  });

  it("an unknown module: file:line:col, the line with a caret, exit 1", async () => {
    const r = await run(["model.txt", "--input", "8x8x3"], {
      "model.txt":
        "Net(\n  (conv): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1))\n  (attn): MyAttention()\n)\n",
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(
      `model.txt:3:11: error: unknown module MyAttention 'attn' (line 3): it has no children to read, and cnncalc does not know what it computes
3 |   (attn): MyAttention()
  |           ^^^^^^^^^^^^^
`,
    );
  });
});

describe("cnncalc convert on a print(model) text", () => {
  const totals = (stdout: string) => {
    const t = JSON.parse(stdout).totals;
    return [t.trainableParameters, t.nonTrainableParameters];
  };

  // five in the default tier; every fixture both ways in the full tier
  const all = readdirSync(new URL("../fixtures/torchprint/", import.meta.url))
    .filter((f) => f.endsWith(".txt"))
    .flatMap((f) => (["text", "json"] as const).map((to) => [f.slice(0, -4), to] as const));
  const cases = byTier(
    [
      ["resnet18", "text"],
      ["resnet18", "json"],
      ["convnext_tiny", "text"],
      ["googlenet", "json"],
      ["densenet121", "text"],
    ] as const,
    all,
  );
  it.each(cases)("%s --to %s, read back, gives PyTorch's totals", async (name, to) => {
    const ref = reference(name);
    const converted = await run(["convert", "model.txt", "--to", to], {
      "model.txt": fixture(name),
    });
    expect(converted.code).toBe(0);
    const file = to === "json" ? "spec.json" : "spec.cnn";
    const back = await run([file, "--input", ref.input.join("x"), "--json"], {
      [file]: converted.stdout,
    });
    expect(back.code).toBe(0);
    expect(totals(back.stdout)).toEqual([ref.trainable, ref.nonTrainable]);
    expect(JSON.parse(back.stdout).outputShape).toEqual(ref.output);
  });

  it("keeps the input a # input line states", async () => {
    const converted = await run(["convert", "examples/resnet18.torch.txt", "--to", "text"]);
    expect(converted.stdout.split("\n").slice(0, 3)).toEqual([
      'name "ResNet"',
      "input 224x224x3",
      'conv 64 7 name "conv1" stride 2 pad 3 nobias',
    ]);
  });
});
