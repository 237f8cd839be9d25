import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CnnError } from "../../src/core/errors.js";
import { parseProse } from "../../src/parse/prose.js";
import { parseTextSpec } from "../../src/parse/text.js";

/** Either a result or a CnnError: anything else would be an internal error in the CLI. */
function onlyCnnErrors(read: () => unknown): void {
  try {
    read();
  } catch (e) {
    if (!(e instanceof CnnError)) throw e;
    expect(e.diagnostic.message.length).toBeGreaterThan(0);
  }
}

const TEXT_WORDS = [
  "conv",
  "16",
  "8x8",
  "8",
  "x",
  "×",
  "stride",
  "pad",
  "same",
  "relu",
  "fc",
  "{",
  "}",
  ";",
  "\n",
  "residual",
  "shortcut",
  "concat",
  "branch",
  "repeat",
  "2",
  "denseblock",
  "[",
  "]",
  ",",
  '"',
  "#",
  "input",
  "name",
  "0.5",
  "-1",
  "nobias",
  "bias",
  "ceil",
  "false",
  "dropout",
  "1e3",
  "[[0,1],[2]]",
];
const PROSE_WORDS = [
  "The",
  "first",
  "layer",
  "convolves",
  "16",
  "8",
  "×",
  "x",
  "16.8",
  "filters",
  "with",
  "stride",
  "of",
  "4",
  "input",
  "is",
  "an",
  "84",
  "image",
  ".",
  ",",
  "followed",
  "by",
  "a",
  "rectifier",
  "max-pooling",
  "fully-connected",
  "units",
  "output",
  "for",
  "each",
  "action",
  "between",
  "and",
  "18",
  "$",
  "\\times",
  "[10, 18]",
  "zero-padding",
  "same",
  "padding",
  "\n\n",
  "# Head\n",
  "global",
];

describe("no input makes the readers fail with anything but a CnnError", () => {
  it("text language", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(fc.constantFrom(...TEXT_WORDS)).map((w) => w.join(" ")),
        ),
        (text) => onlyCnnErrors(() => parseTextSpec(text)),
      ),
      { numRuns: 500 },
    );
  });
  it("prose", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(fc.constantFrom(...PROSE_WORDS)).map((w) => w.join(" ")),
        ),
        fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }),
        (text, outputs) =>
          onlyCnnErrors(() => parseProse(text, outputs === undefined ? {} : { outputs })),
      ),
      { numRuns: 500 },
    );
  });
});
