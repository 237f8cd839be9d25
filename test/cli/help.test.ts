import { describe, expect, it } from "vitest";
import { fitHelpText } from "../../src/cli/help.js";

describe("fitHelpText: cnncalc's own help text in a narrow terminal", () => {
  const text = [
    "Examples:",
    "  $ cnncalc examples/dqn.json --json          the same as JSON, for scripts",
    "  $ cat net.json | cnncalc -                  read the spec from standard input",
    "",
    "Exit codes: 0 success, 1 bad spec (or a warning under",
    "--strict), 2 bad usage, 3 internal error.",
  ].join("\n");
  const cases: [string, number | undefined, string[]][] = [
    ["a pipe: as written", undefined, text.split("\n")],
    ["wide enough: as written", 80, text.split("\n")],
    [
      "40 columns: descriptions under their commands, prose joined and rewrapped",
      40,
      [
        "Examples:",
        "  $ cnncalc examples/dqn.json --json",
        "      the same as JSON, for scripts",
        "  $ cat net.json | cnncalc -",
        "      read the spec from standard input",
        "",
        "Exit codes: 0 success, 1 bad spec (or a",
        "warning under --strict), 2 bad usage, 3",
        "internal error.",
      ],
    ],
  ];
  it.each(cases)("%s", (_what, width, expected) => {
    expect(fitHelpText(text, width).split("\n")).toEqual(expected);
  });
});
