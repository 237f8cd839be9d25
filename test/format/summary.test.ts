import { describe, expect, it } from "vitest";
import { summedColumns, totalsLayout } from "../../src/format/columns.js";
import { run } from "../helpers/io.js";

describe("--summary totals every column shown", () => {
  // [what, arguments, lines expected in the output]
  const cases: [string, string[], string[]][] = [
    [
      "table: parameters and MACs of DQN, both totals",
      ["examples/dqn.json", "--summary", "--columns", "parameters,macs"],
      [
        "┌───────┬────────────┬───────────┐",
        "│       │ Parameters │      MACs │",
        "│ Total │    680,770 │ 2,970,112 │",
        "└───────┴────────────┴───────────┘",
      ],
    ],
    [
      "table: ResNet-18's MACs",
      ["examples/resnet18.json", "--summary", "--columns", "macs,flops"],
      ["│ Total │ 1,814,073,344 │ 3,628,146,688 │"],
    ],
    [
      "table: the default columns, only those that sum",
      ["examples/dqn.json", "--summary"],
      [
        "│       │ Neurons │ Connections │ Parameters │",
        "│ Total │   9,266 │   2,979,378 │    680,770 │",
      ],
    ],
    [
      "markdown",
      ["examples/dqn.json", "--summary", "--columns", "parameters,macs", "-f", "markdown"],
      ["|  | Parameters | MACs |", "| **Total** | **680,770** | **2,970,112** |"],
    ],
    [
      "latex",
      ["examples/dqn.json", "--summary", "--columns", "parameters,macs", "-f", "latex"],
      [
        "     & Parameters & MACs \\\\",
        "    \\textbf{Total} & \\textbf{680,770} & \\textbf{2,970,112} \\\\",
      ],
    ],
    [
      "csv keeps its header",
      ["examples/dqn.json", "--summary", "--columns", "parameters,macs", "-f", "csv"],
      ["path,Parameters,MACs", "total,680770,2970112"],
    ],
    [
      "every row, too: the label takes no total's place",
      ["examples/dqn.json", "--columns", "parameters,macs"],
      ["│       │      4,112 │ 1,638,400 │", "│ Total │    680,770 │ 2,970,112 │"],
    ],
  ];
  it.each(cases)("%s", async (_what, args, expected) => {
    const r = await run(args);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    for (const line of expected) expect(lines).toContain(line);
  });

  it("no column with a total: no table, the notes stay", async () => {
    const r = await run(["examples/dqn.json", "--summary", "--columns", "layer,type"]);
    expect(r.stdout.split("\n")).toEqual([
      "DQN (Mnih et al., 2013) (input 84×84×4)",
      "Parameters: 680,770 (trainable 680,770, non-trainable 0)",
      "Output: 18",
      "assumption: layers[2] (dense) reads its 9×9×32 input flattened to 2592 values [implied-flatten]",
      "",
    ]);
  });
});

describe("the totals row's label", () => {
  const cases: [string[], (string | null)[], number][] = [
    [["index", "layer", "parameters"], ["index", "layer", "parameters"], 1],
    [["parameters", "layer"], ["parameters", "layer"], 1],
    [["output", "parameters"], ["output", "parameters"], 0],
    [["index", "parameters"], [null, "index", "parameters"], 0],
    [["parameters", "macs"], [null, "parameters", "macs"], 0],
  ];
  it.each(cases)("%j → %j, label at %i", (columns, expected, labelAt) => {
    const layout = totalsLayout(columns as Parameters<typeof totalsLayout>[0]);
    expect(layout).toEqual({ columns: expected, labelAt });
  });

  it("--summary keeps the columns that sum", () => {
    expect(
      summedColumns(["index", "layer", "output", "neurons", "macs", "receptiveField"]),
    ).toEqual(["neurons", "macs"]);
  });
});
