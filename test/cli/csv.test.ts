import { describe, expect, it } from "vitest";
import { run } from "../helpers/io.js";

const DQN_NOTE =
  "assumption: layers[2] (dense) reads its 9×9×32 input flattened to 2592 values [implied-flatten]";
const LENET_NOTE =
  "assumption: layers[5] (dense) reads its 1×1×120 input flattened to 120 values [implied-flatten]";

describe("CSV keeps the notes: standard error, as the table prints them", () => {
  const cases: [string, string[], string[], string][] = [
    ["one spec: notes as they are", ["examples/dqn.json", "-f", "csv"], [DQN_NOTE], ""],
    [
      "several specs: each note named by its spec",
      ["examples/dqn.json", "examples/lenet5.json", "-f", "csv"],
      [`examples/dqn.json: ${DQN_NOTE}`, `examples/lenet5.json: ${LENET_NOTE}`],
      "",
    ],
    [
      "a warning is a note too",
      ["net.cnn", "-f", "csv"],
      [
        "warning: layers[0]: (J + Pb + Pa - D(M-1) - 1) = (8 + 0 + 0 - 2 - 1) = 5 is not a multiple of stride 2: the last input row is never covered by a window (output floored to 3) [uncovered-input]",
      ],
      "net.cnn",
    ],
    ["no notes, nothing on standard error", ["examples/vgg11.json", "-f", "csv"], [], ""],
  ];
  it.each(cases)("%s", async (_what, args, notes) => {
    const r = await run(args, { "net.cnn": "input 8x9x3\nconv 4 3x3 stride 2\n" });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(notes.map((l) => `${l}\n`).join(""));
    // the notes are the table's own lines, word for word
    const table = await run(
      args.filter((a) => a !== "-f" && a !== "csv"),
      {
        "net.cnn": "input 8x9x3\nconv 4 3x3 stride 2\n",
      },
    );
    for (const l of notes) expect(table.stdout).toContain(l.replace(/^examples\/\S+: /, ""));
    expect(r.stdout).not.toContain("assumption");
  });

  it("--json keeps them in the document, standard error stays empty", async () => {
    const r = await run(["examples/dqn.json", "--json"]);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout).assumptions.map((a: { code: string }) => a.code)).toEqual([
      "implied-flatten",
    ]);
  });

  it("Markdown and LaTeX print them under the table", async () => {
    const md = await run(["examples/dqn.json", "-f", "markdown"]);
    expect(md.stdout).toContain(`- ${DQN_NOTE}\n`);
    const tex = await run(["examples/dqn.json", "-f", "latex"]);
    expect(tex.stdout).toContain(
      "\\item assumption: layers[2] (dense) reads its 9\\ensuremath{\\times}9\\ensuremath{\\times}32 input flattened to 2592 values [implied-flatten]",
    );
  });
});

describe("several specs make one CSV", () => {
  it("one header, a first spec column naming each row's spec", async () => {
    const r = await run([
      "examples/dqn.json",
      "examples/lenet5.json",
      "-f",
      "csv",
      "--columns",
      "layer,parameters",
    ]);
    expect(r.stdout.split("\n")).toEqual([
      "spec,path,Layer,Parameters",
      "examples/dqn.json,layers[0],conv1,4112",
      "examples/dqn.json,layers[1],conv2,8224",
      "examples/dqn.json,layers[2],dense1,663808",
      "examples/dqn.json,layers[3],dense2,4626",
      "examples/dqn.json,total,,680770",
      "examples/lenet5.json,layers[0],C1,156",
      "examples/lenet5.json,layers[1],S2,12",
      "examples/lenet5.json,layers[2],C3,1516",
      "examples/lenet5.json,layers[3],S4,32",
      "examples/lenet5.json,layers[4],C5,48120",
      "examples/lenet5.json,layers[5],F6,10164",
      "examples/lenet5.json,layers[6],OUTPUT (RBF),840",
      "examples/lenet5.json,total,,60840",
      "",
    ]);
  });

  it("a spec that fails leaves the others, the header on the first that works", async () => {
    const r = await run(["bad.json", "examples/dqn.json", "-f", "csv", "--columns", "parameters"], {
      "bad.json": "{",
    });
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n").slice(0, 2)).toEqual([
      "spec,path,Parameters",
      "examples/dqn.json,layers[0],4112",
    ]);
  });

  it("one spec keeps today's columns, no spec column", async () => {
    const r = await run(["examples/dqn.json", "-f", "csv", "--columns", "parameters"]);
    expect(r.stdout.split("\n")[0]).toBe("path,Parameters");
  });
});
