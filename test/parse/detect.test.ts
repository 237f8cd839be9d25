import { describe, expect, it } from "vitest";
import { detectFormat, looksLikeLayerText } from "../../src/parse/index.js";

describe("detectFormat", () => {
  it.each([
    ["net.json", "conv 16 3x3", "json"],
    ["net.cnn", "The first layer convolves 16 3 × 3 filters.", "text"],
    ["NET.CNN", "{}", "text"],
    ["net.txt", "# my net\ninput 32x32x3\nconv 16 3x3\n", "text"],
    ["net.md", "input 32x32x3\n\nConv2D 16 3x3 # first\nfc 10\n", "text"],
    ["net.txt", "The first hidden layer convolves 16 8 × 8 filters with stride 4.", "prose"],
    ["net.md", "# Architecture\n\nThe input is an 84 × 84 × 4 image.\n", "prose"],
    ["net.txt", "Input is an 84 × 84 × 4 image. Dense layers follow.", "prose"],
    ["net.txt", "cnv 16 3x3\nfc 10\n", "text"],
    [undefined, '  {"layers": []}', "json"],
    [undefined, "\uFEFF[1]", "json"],
    [undefined, "input 84x84x4\nconv 16 8x8 stride 4 relu", "text"],
    [
      undefined,
      '"The input to the neural network consists of an  $84 \\times 84 \\times 4$  image."',
      "prose",
    ],
  ])("%s: %j is %s", (file, text, format) => {
    expect(detectFormat(text, file)).toBe(format);
  });

  it("counts only the first lines, so a huge file is classified fast", () => {
    expect(looksLikeLayerText(`${"conv 8 3x3\n".repeat(60)}${"The end.\n".repeat(100_000)}`)).toBe(
      true,
    );
    expect(looksLikeLayerText("")).toBe(false);
  });
});
