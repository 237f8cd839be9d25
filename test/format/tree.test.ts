import { describe, expect, it } from "vitest";
import { cli } from "../helpers.js";

type Entry = {
  path: string;
  type: string;
  parameters: number;
  macs: number;
  layers?: Entry[];
  branches?: Entry[][];
};

/** Every entry of a JSON layer tree, depth first. */
const walk = (list: Entry[]): Entry[] =>
  list.flatMap((e) => [e, ...walk(e.layers ?? []), ...walk((e.branches ?? []).flat())]);

describe("JSON output of blocks", () => {
  it("nests children under `layers`, per branch under `branches`, each with its path", async () => {
    const { code, out } = await cli(["examples/googlenet.json", "--json"]);
    expect(code).toBe(0);
    const j = JSON.parse(out) as { layers: Entry[]; totals: { parameters: number } };
    const inception = j.layers.find((l) => l.path === "layers[11]") as Entry;
    expect(inception.type).toBe("concat");
    expect(inception.branches?.map((b) => b.map((l) => l.path))).toEqual([
      ["layers[11].branches[0][0]", "layers[11].branches[0][1]", "layers[11].branches[0][2]"],
      [
        "layers[11].branches[1][0]",
        "layers[11].branches[1][1]",
        "layers[11].branches[1][2]",
        "layers[11].branches[1][3]",
        "layers[11].branches[1][4]",
        "layers[11].branches[1][5]",
      ],
      [
        "layers[11].branches[2][0]",
        "layers[11].branches[2][1]",
        "layers[11].branches[2][2]",
        "layers[11].branches[2][3]",
        "layers[11].branches[2][4]",
        "layers[11].branches[2][5]",
      ],
      [
        "layers[11].branches[3][0]",
        "layers[11].branches[3][1]",
        "layers[11].branches[3][2]",
        "layers[11].branches[3][3]",
      ],
    ]);
    expect(inception.layers).toBeUndefined();
  });

  it("puts a residual's shortcut after its body under `layers`, and sums never double count", async () => {
    const { out } = await cli(["examples/resnet18.json", "--json"]);
    const j = JSON.parse(out) as { layers: Entry[]; totals: { parameters: number; macs: number } };
    const stage2 = j.layers[5] as Entry;
    const down = stage2.layers?.[0] as Entry;
    expect(down.type).toBe("residual");
    expect(down.layers?.map((l) => l.path)).toEqual([
      "layers[5].body[0]#1.body[0]",
      "layers[5].body[0]#1.body[1]",
      "layers[5].body[0]#1.body[2]",
      "layers[5].body[0]#1.body[3]",
      "layers[5].body[0]#1.body[4]",
      "layers[5].body[0]#1.shortcut[0]",
      "layers[5].body[0]#1.shortcut[1]",
    ]);
    expect(j.layers.reduce((s, l) => s + l.parameters, 0)).toBe(j.totals.parameters);
    expect(j.layers.reduce((s, l) => s + l.macs, 0)).toBe(j.totals.macs);
    for (const e of walk(j.layers)) {
      expect(e.path).toMatch(/^layers\[\d+\]/);
      const children = [...(e.layers ?? []), ...(e.branches ?? []).flat()];
      if (children.length > 0) {
        expect(
          children.reduce((s, c) => s + c.parameters, 0),
          e.path,
        ).toBe(e.parameters);
      }
    }
  });
});

describe("the table as a tree", () => {
  const bodyRows = (out: string) =>
    out
      .split("\n")
      .filter((l) => /^│ +\d+ │/.test(l))
      .map((l) => (l.split("│")[2] as string).trimEnd().slice(1));

  it("--depth 1 prints one row per ResNet stage, with the stage subtotals", async () => {
    const { code, out } = await cli(["examples/resnet18.json", "--depth", "1"]);
    expect(code).toBe(0);
    expect(bodyRows(out)).toEqual([
      "conv1",
      "batchnorm1",
      "activation1",
      "maxpool1",
      "layer1",
      "layer2",
      "layer3",
      "layer4",
      "avgpool",
      "fc",
    ]);
    expect(out).toMatch(/│ +6 │ layer2 +│ repeat +│ +28×28×128 │ .* │ +526,848 │/);
    expect(out).toMatch(/│ +│ Total .* │ +11,699,112 │/);
  });

  it("--depth 2 opens the stages into their residual blocks, indented", async () => {
    const { out } = await cli(["examples/resnet18.json", "--depth", "2"]);
    const rows = bodyRows(out);
    expect(rows.slice(4, 9)).toEqual([
      "layer1",
      "  residual1",
      "  activation3",
      "  residual2",
      "  activation5",
    ]);
    expect(rows.some((r) => r.includes("conv"))).toBe(true);
    expect(rows.filter((r) => r.startsWith("    "))).toEqual([]);
  });

  it("without --depth shows every layer, the shortcut under its own heading", async () => {
    const { out } = await cli(["examples/resnet18.json"]);
    expect(out).toContain("│    │     shortcut");
    expect(bodyRows(out).length).toBeGreaterThan(60);
  });

  it("--depth 0 is a usage error", async () => {
    const { code, err } = await cli(["examples/resnet18.json", "--depth", "0"]);
    expect(code).toBe(2);
    expect(err).toContain("expected a positive integer; received '0'");
  });

  it("--all adds MACs, FLOPs, receptive field, jump, start and memory", async () => {
    const { code, out } = await cli(["examples/lenet5.json", "--all"]);
    expect(code).toBe(0);
    expect(out).toMatch(
      /│ 1 │ C1 .*│ +117,600 │ +235,200 │ +5×5 │ +1×1 │ +2\.5×2\.5 │ +18\.82 kB │ +624 B │/,
    );
    expect(out).toMatch(/│ 5 │ C5 .*│ +32×32 │ +4×4 │ +16×16 │/);
  });

  it("memory columns add torchinfo-style totals for the chosen dtype", async () => {
    // input 32*32*1, outputs 4,704 + 1,176 + 1,600 + 400 + 120 + 84 + 10 = 8,094 values,
    // 60,840 parameters; 2 bytes each
    const { out } = await cli([
      "examples/lenet5.json",
      "--columns",
      "layer,activationMemory",
      "--dtype",
      "float16",
    ]);
    expect(out).toContain(
      "Memory (float16): input 2.05 kB + activations 16.19 kB + parameters 121.68 kB = estimated total 139.92 kB",
    );
    const { out: json } = await cli(["examples/lenet5.json", "--json", "--dtype", "float16"]);
    const t = JSON.parse(json).totals;
    expect([t.inputBytes, t.activationBytes, t.parameterBytes, t.totalBytes]).toEqual([
      2048, 16188, 121680, 139916,
    ]);
    const { out: plain } = await cli(["examples/lenet5.json"]);
    expect(plain).not.toContain("Memory");
  });
});
