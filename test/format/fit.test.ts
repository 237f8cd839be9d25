import { describe, expect, it } from "vitest";
import { type Io, terminalWidth } from "../../src/cli/io.js";
import { ALL_COLUMNS, FIT } from "../../src/format/columns.js";
import { type FitColumn, planFit, tableWidth } from "../../src/format/fit.js";
import { ANSI, abbreviate, displayWidth, wrapLine } from "../../src/format/width.js";
import { run } from "../helpers/io.js";

/** The widest line of a text, in terminal columns, colour codes left out. */
const widest = (text: string) =>
  Math.max(...text.split("\n").map((l) => displayWidth(l.replace(ANSI, ""))));

describe("terminalWidth: COLUMNS, else the terminal's own width; never for a pipe", () => {
  const io = (tty: boolean, columns: number | undefined, env: Record<string, string>) =>
    ({ stdoutIsTty: tty, env, ...(columns === undefined ? {} : { stdoutColumns: columns }) }) as Io;
  const cases: [string, boolean, number | undefined, Record<string, string>, number | undefined][] =
    [
      ["a terminal of 120", true, 120, {}, 120],
      ["COLUMNS wins over the terminal", true, 120, { COLUMNS: "60" }, 60],
      ["COLUMNS with spaces", true, undefined, { COLUMNS: " 72 " }, 72],
      ["COLUMNS=0 is no width", true, 100, { COLUMNS: "0" }, 100],
      ["COLUMNS not a number", true, 100, { COLUMNS: "wide" }, 100],
      ["a negative COLUMNS", true, undefined, { COLUMNS: "-5" }, undefined],
      ["a terminal of unknown width", true, undefined, {}, undefined],
      ["a terminal reporting 0", true, 0, {}, undefined],
      ["a pipe, even with COLUMNS", false, 80, { COLUMNS: "60" }, undefined],
    ];
  it.each(cases)("%s", (_what, tty, columns, env, expected) => {
    expect(terminalWidth(io(tty, columns, env))).toBe(expected);
  });
});

describe("abbreviate and wrapLine", () => {
  const cuts: [string, number, string][] = [
    ["dense relu", 10, "dense relu"],
    ["dense relu", 9, "dense re…"],
    ["    batchnorm2", 10, "    batch…"],
    ["名前の層", 5, "名前…"],
    ["ab", 1, "…"],
  ];
  it.each(cuts)("abbreviate(%j, %i) = %j", (text, max, expected) => {
    expect(abbreviate(text, max)).toBe(expected);
    expect(displayWidth(expected)).toBeLessThanOrEqual(max);
  });

  it("keeps colour codes around a cut, so a style is still closed", () => {
    const esc = String.fromCharCode(27);
    expect(abbreviate(`${esc}[2mactivation relu${esc}[22m`, 8)).toBe(`${esc}[2mactivat…${esc}[22m`);
  });

  const wraps: [string, number, string[]][] = [
    ["short line", 20, ["short line"]],
    [
      "assumption: layers[2] (dense) reads its 9×9×32 input flattened to 2592 values",
      40,
      ["assumption: layers[2] (dense) reads its", "  9×9×32 input flattened to 2592 values"],
    ],
    [
      "  indented words wrap under their indent",
      20,
      ["  indented words", "    wrap under their", "    indent"],
    ],
    ["abcdefghij klm", 6, ["abcdef", "  ghij", "  klm"]],
  ];
  it.each(wraps)("wrapLine(%j, %i)", (line, width, expected) => {
    expect(wrapLine(line, width)).toEqual(expected);
  });
});

describe("planFit", () => {
  const col = (name: FitColumn["name"], width: number, keep = false): FitColumn => ({
    name,
    width,
    ...(keep ? { keep } : {}),
  });
  // DQN's default table: 92 columns wide
  const dqn = [
    col("index", 1),
    col("layer", 6, true),
    col("type", 10),
    col("output", 8),
    col("weightsPerNeuron", 14),
    col("neurons", 7),
    col("connections", 11),
    col("parameters", 10),
  ];
  it("measures DQN's table as drawn: 92 columns", () => {
    expect(tableWidth(dqn.map((c) => c.width))).toBe(92);
  });
  const cases: [number, number[], number[]][] = [
    // width, hidden (indices), caps
    [92, [], [1, 6, 10, 8, 14, 7, 11, 10]],
    [88, [], [1, 6, 6, 8, 14, 7, 11, 10]],
    [80, [6], [1, 6, 10, 8, 14, 7, 11, 10]],
    [60, [6, 4], [1, 6, 9, 8, 14, 7, 11, 10]],
    [40, [6, 4, 5, 0, 2], [1, 6, 10, 8, 14, 7, 11, 10]],
    // narrower than anything: everything but the layer hidden, as narrow as it gets
    [10, [6, 4, 5, 0, 2, 3, 7], [1, 6, 10, 8, 14, 7, 11, 10]],
  ];
  it.each(cases)("within %i columns: hides %j", (width, hidden, caps) => {
    const plan = planFit(dqn, width);
    expect(plan).toEqual({ hidden, caps });
  });

  it("every column but the layer's has its place in the order of hiding", () => {
    expect([...FIT.hiddenFirst].sort()).toEqual(ALL_COLUMNS.filter((c) => c !== "layer").sort());
  });
});

describe("the table in a terminal", () => {
  it("DQN in 60 columns: a type cut, two columns hidden and a note saying which", async () => {
    const r = await run(["examples/dqn.json"], {}, { COLUMNS: "60", NO_COLOR: "1" }, {});
    expect(r.stdout).toBe(
      [
        "DQN (Mnih et al., 2013) (input 84×84×4)",
        "┌───┬────────┬───────────┬──────────┬─────────┬────────────┐",
        "│ # │ Layer  │ Type      │   Output │ Neurons │ Parameters │",
        "│ 1 │ conv1  │ conv relu │ 20×20×16 │   6,400 │      4,112 │",
        "│ 2 │ conv2  │ conv relu │   9×9×32 │   2,592 │      8,224 │",
        "│ 3 │ dense1 │ dense re… │      256 │     256 │    663,808 │",
        "│ 4 │ dense2 │ dense     │       18 │      18 │      4,626 │",
        "│   │ Total  │           │          │   9,266 │    680,770 │",
        "└───┴────────┴───────────┴──────────┴─────────┴────────────┘",
        "note: 2 columns hidden to fit 60 columns (connections,",
        "  weightsPerNeuron); widen the terminal or use --columns /",
        "  -f csv",
        "Parameters: 680,770 (trainable 680,770, non-trainable 0)",
        "Output: 18",
        "assumption: layers[2] (dense) reads its 9×9×32 input",
        "  flattened to 2592 values [implied-flatten]",
        "",
      ].join("\n"),
    );
  });

  const runs: [string[], number][] = [];
  for (const width of [40, 60, 80]) {
    for (const args of [
      ["examples/dqn.json"],
      ["examples/dqn.json", "--all"],
      ["examples/resnet18.json"],
      ["examples/resnet18.json", "--all"],
      ["examples/googlenet.json", "--depth", "2"],
      ["examples/vgg16.json", "--summary", "--all"],
      ["examples/dqn.json", "--explain"],
      ["--help"],
      ["check", "--help"],
      ["convert", "--help"],
    ]) {
      runs.push([args, width]);
    }
  }
  it.each(runs)("%j fits %i columns", async (args, width) => {
    const r = await run(args, {}, {}, { columns: width });
    expect(r.code).toBe(0);
    expect(widest(r.stdout)).toBeLessThanOrEqual(width);
  });

  it("the terminal's own width when COLUMNS is not set, colours and all", async () => {
    const r = await run(["examples/resnet18.json", "--color"], {}, {}, { columns: 70 });
    expect(widest(r.stdout)).toBeLessThanOrEqual(70);
    expect(r.stdout.replace(ANSI, "")).toContain("note: 2 columns hidden to fit 70 columns");
  });

  it("a pipe is never cut, COLUMNS or not; a wide terminal changes nothing", async () => {
    const piped = await run(["examples/resnet18.json", "--all"]);
    const narrow = await run(["examples/resnet18.json", "--all"], {}, { COLUMNS: "40" });
    const wide = await run(
      ["examples/resnet18.json", "--all", "--no-color"],
      {},
      {},
      { columns: 1000 },
    );
    expect(narrow.stdout).toBe(piped.stdout);
    expect(wide.stdout).toBe(piped.stdout);
    expect(widest(piped.stdout)).toBeGreaterThan(200);
  });

  it("a file written with -o is never cut", async () => {
    const r = await run(["examples/dqn.json", "-o", "out.txt"], {}, {}, { columns: 40 });
    const piped = await run(["examples/dqn.json"]);
    expect(r.written.get("out.txt")).toBe(piped.stdout);
  });
});
