import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/core/analyze.js";
import { CnnError } from "../../src/core/errors.js";
import { formatDiagnostic } from "../../src/format/diagnostic.js";
import { PLAIN } from "../../src/format/style.js";
import { specToText } from "../../src/format/text.js";
import { detectFormat, parseSource } from "../../src/parse/index.js";
import { parseProse } from "../../src/parse/prose.js";
import { byTier } from "../helpers/tier.js";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const PAPER = read("examples/dqn-paper.txt");
const TUTORIAL = read("test/fixtures/dqn-tutorial.txt");
const COMPACT = read("examples/dqn.cnn");

/** The tutorial's question 1: (a) weights per neuron, (c) neurons, (d) connections, (e) parameters. */
const TUTORIAL_ROWS = [
  [257n, 6400n, 1644800n, 4112n],
  [257n, 2592n, 666144n, 8224n],
  [2593n, 256n, 663808n, 663808n],
  [257n, 18n, 4626n, 4626n],
];

function errorOf(source: string, options = {}): string {
  try {
    parseProse(source, options);
  } catch (e) {
    if (e instanceof CnnError)
      return formatDiagnostic(e.diagnostic, PLAIN, { file: "p.txt", source });
    throw e;
  }
  throw new Error("expected an error");
}

describe("the Mnih et al. (2013) paragraph, three ways", () => {
  it.each([
    ["the paper's text", PAPER, "prose"],
    ["the tutorial file's text (LaTeX math, merged numbers)", TUTORIAL, "prose"],
    ["the compact language", COMPACT, "text"],
  ])("%s gives exactly the tutorial's numbers", (_, source, format) => {
    expect(detectFormat(source, format === "text" ? "dqn.cnn" : "dqn.txt")).toBe(format);
    expect(detectFormat(source)).toBe(format);
    const parsed = parseSource(source, format as "text" | "prose");
    const a = analyze(parsed.spec);
    expect(
      a.layers.map((r) =>
        r.outputShape.dims.length
          ? [...r.outputShape.dims, r.outputShape.channels]
          : [r.outputShape.channels],
      ),
    ).toEqual([[20, 20, 16], [9, 9, 32], [256], [18]]);
    expect(
      a.layers.map((r) => [
        r.weightsPerNeuron,
        r.neurons,
        r.connections,
        r.trainableParameters + r.nonTrainableParameters,
      ]),
    ).toEqual(TUTORIAL_ROWS);
    expect(a.totals.parameters).toBe(680770n);
  });

  it("reads the same layer list from all three", () => {
    const compact = parseSource(COMPACT, "text").spec;
    for (const prose of [PAPER, TUTORIAL]) {
      const spec = parseProse(prose).spec;
      expect(spec.layers).toStrictEqual(compact.layers);
      expect(spec.input).toStrictEqual(compact.input);
    }
    expect(specToText(parseProse(PAPER).spec)).toBe(`input 84x84x4
conv 16 8x8 stride 4 relu
conv 32 4x4 stride 2 relu
dense 256 relu
dense 18
`);
  });

  it("lists what the paper leaves open as assumptions", () => {
    expect(parseProse(PAPER).assumptions).toStrictEqual([
      {
        code: "outputs-range",
        message:
          "the text gives the number of outputs as a range, 4 to 18; assumed 18, the largest (use --outputs N for another)",
      },
      {
        code: "padding-zero",
        message: "no padding is mentioned for layers[0], layers[1]; assumed 0",
      },
    ]);
    expect(parseProse(PAPER).warnings).toStrictEqual([]);
  });

  it("--outputs replaces the range", () => {
    const p = parseProse(PAPER, { outputs: 6 });
    expect(p.spec.layers[3]).toStrictEqual({ type: "dense", units: 6 });
    expect(p.assumptions.map((a) => a.code)).toEqual(["padding-zero"]);
  });

  it("applies padding stated for the whole network to the convolutions", () => {
    const p = parseProse(
      "The input is 32 × 32 × 3. The first layer convolves 8 3 × 3 filters with stride 1. Then 2 × 2 max-pooling with stride 2. All convolutions use zero-padding of 1.",
    );
    expect(specToText(p.spec)).toBe(
      "input 32x32x3\nconv 8 3x3 stride 1 pad 1\nmaxpool 2x2 stride 2\n",
    );
    expect(p.assumptions).toStrictEqual([
      {
        code: "padding-global",
        message: 'read "All convolutions use zero-padding of 1." as the padding (1) of layers[0]',
      },
      { code: "padding-zero", message: "no padding is mentioned for layers[1]; assumed 0" },
    ]);
  });

  it("says when --outputs has nothing to replace", () => {
    const p = parseProse(
      "The input is 8 × 8 × 1. The last layer is fully connected with 10 units.",
      {
        outputs: 6,
      },
    );
    expect(p.spec.layers).toStrictEqual([{ type: "dense", units: 10 }]);
    expect(p.warnings).toStrictEqual([
      {
        code: "outputs-unused",
        message: "--outputs 6 is not used: no layer in the text has one output per action or class",
        layer: null,
      },
    ]);
  });

  it("takes the tutorial's stated 18 actions and no padding over the paper's silence", () => {
    const p = parseProse(
      `${TUTORIAL}\n\nYou should assume the input images are gray-scale, there is no padding, and there are 18 valid actions (outputs).`,
    );
    expect(p.spec.layers[3]).toStrictEqual({ type: "dense", units: 18 });
    // "there is no padding" is stated, not assumed
    expect(p.assumptions).toStrictEqual([]);
  });

  it("repairs the tutorial file's merged '16.8 × 8' and says so, with its span", () => {
    const { warnings } = parseProse(TUTORIAL);
    expect(
      warnings.map((w) => [w.code, w.layer, w.span && TUTORIAL.slice(w.span.start, w.span.end)]),
    ).toEqual([
      ["merged-number", "layers[0]", "16.8 \\times 8"],
      ["merged-number", "layers[1]", "32.4 \\times 4"],
    ]);
    expect(warnings[0]?.message).toBe(
      `read '16.8 \\times 8' (line 1, column 117) as 16 filters of 8 × 8: the text looks like a PDF extraction that merged "16 8 × 8"; check it against the paper`,
    );
  });

  it("locates layers and their facts in the prose", () => {
    const { locate } = parseProse(TUTORIAL);
    const at = (path: string) => {
      const s = locate(path);
      return s && TUTORIAL.slice(s.start, s.end);
    };
    expect(at("layers[0].kernel")).toBe("16.8 \\times 8");
    expect(at("layers[0].stride")).toBe("4");
    expect(at("layers[2].units")).toBe("256");
    expect(at("layers[3].units")).toBe("between 4 and 18");
    expect(at("input")).toBe("84 \\times 84 \\times 4");
    expect(at("layers[1]")?.startsWith("The second hidden layer convolves")).toBe(true);
  });
});

describe("phrasings papers use", () => {
  it.each([
    [
      "The input is a 32 × 32 × 3 image. The first convolutional layer has 32 filters of 5 × 5 with stride 1 and zero-padding of 2, followed by a ReLU. It is followed by 2 × 2 max-pooling with stride 2.",
      "input 32x32x3\nconv 32 5x5 stride 1 pad 2 relu\nmaxpool 2x2 stride 2",
      ["padding-zero"],
    ],
    [
      "The network takes 28 × 28 grayscale images. A convolutional layer applies 20 kernels of size 5×5×1 with a stride of 1 pixel.",
      "input 28x28x1\nconv 20 5x5 stride 1",
      ["kernel-depth", "padding-zero"],
    ],
    [
      "Inputs are 32x32 RGB images. Then a third convolutional layer that convolves 64 filters of 3 × 3 with stride 1.",
      "input 32x32x3\nconv 64 3x3 stride 1",
      ["padding-zero"],
    ],
    [
      "The input is 84 × 84 × 4. The final hidden layer is fully-connected and consists of 512 rectifier units.",
      "input 84x84x4\ndense 512 relu",
      [],
    ],
    [
      "The input is 84 × 84 × 4. The output layer is a fully-connected linear layer with a single output for each valid action. There are 6 valid actions.",
      "input 84x84x4\ndense 6",
      [],
    ],
    [
      "The input is 84 × 84 × 4. The output layer has a single output for each valid action. The number of valid actions varied from 4 to 18.",
      "input 84x84x4\ndense 18",
      ["output-dense", "outputs-range"],
    ],
    [
      "The input is 7 × 7 × 512. The last layer is a 1000-way softmax.",
      "input 7x7x512\ndense 1000 softmax",
      [],
    ],
    [
      "The input is 55 × 55 × 96. Next comes max-pooling over 3 × 3 regions with stride 2.",
      "input 55x55x96\nmaxpool 3x3 stride 2",
      ["padding-zero"],
    ],
    [
      "The input is 24x24x8. This is followed by average pooling of size 2.",
      "input 24x24x8\navgpool 2",
      ["padding-zero", "pool-stride"],
    ],
    [
      "The input is 7 × 7 × 512. We then apply global average pooling.",
      "input 7x7x512\nglobalavgpool",
      [],
    ],
    [
      "The input is 100 × 1 × 1. A fully connected layer with 10 neurons, followed by dropout with probability 0.5.",
      "input 100x1x1\ndense 10\ndropout 0.5",
      [],
    ],
    [
      "The first convolutional layer filters the 224×224×3 input image with 96 kernels of size 11×11×3 with a stride of 4 pixels.",
      "conv 96 11x11 stride 4",
      ["kernel-depth", "padding-zero"],
    ],
    [
      "The input is 32 × 32 × 3. The first layer convolves 32 5 × 5 filters with stride 1 and applies 2 × 2 max-pooling.",
      "input 32x32x3\nconv 32 5x5 stride 1\nmaxpool 2x2",
      ["padding-zero", "pool-stride"],
    ],
    [
      "The input is 32 × 32 × 3. The first layer convolves 16 3 × 3 filters with 'same' padding; then a second layer convolves 16 3 × 3 filters with a 1-pixel zero-padding.",
      "input 32x32x3\nconv 16 3x3 pad same\nconv 16 3x3 pad 1",
      ["stride-one"],
    ],
    [
      "The input is 27 × 27 × 96. The second convolutional layer takes as input the (response-normalized and pooled) output of the first convolutional layer and filters it with 256 kernels of size 5 × 5 × 96.",
      "input 27x27x96\nconv 256 5x5",
      ["kernel-depth", "padding-zero", "stride-one"],
    ],
    [
      "The input is $32 \\times 32 \\times 3$. The first layer convolves 8 filters of size 3 with no padding, followed by a tanh nonlinearity.",
      "input 32x32x3\nconv 8 3 pad 0 tanh",
      ["stride-one"],
    ],
    [
      "The input is 32 × 32 × 1. The first layer convolves the input with 32 filters, each 5 × 5.",
      "input 32x32x1\nconv 32 5x5",
      ["padding-zero", "stride-one"],
    ],
    [
      "The input is 32 × 32 × 1. The first layer has 64 feature maps and uses 3 × 3 kernels.",
      "input 32x32x1\nconv 64 3x3",
      ["padding-zero", "stride-one"],
    ],
  ])("%s", (prose, text, assumptions) => {
    const p = parseProse(prose);
    expect(specToText(p.spec)).toBe(`${text}\n`);
    expect(p.assumptions.map((a) => a.code)).toEqual(assumptions);
  });
});

describe("prose it cannot fully read", () => {
  it("quotes the sentence and points at it", () => {
    expect(
      errorOf(
        "The input is 32 × 32 × 3. The second hidden layer convolves 32 filters with stride 2.",
      ),
    ).toBe(
      `p.txt:1:27: error: cannot read the layer in "The second hidden layer convolves 32 filters with stride 2.": no kernel size found; expected e.g. "16 8 × 8 filters" or "filters of size 5 × 5"
1 | The input is 32 × 32 × 3. The second hidden layer convolves 32 filters with stride 2.
  |                           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^`,
    );
    expect(errorOf("The first layer convolves 16.3 × 5 filters.")).toBe(
      `p.txt:1:27: error: cannot read the layer in "The first layer convolves 16.3 × 5 filters.": '16.3 × 5' has a decimal where a filter count and a kernel size are expected (a merged "N K × K"?); expected e.g. "16 8 × 8 filters"
1 | The first layer convolves 16.3 × 5 filters.
  |                           ^^^^^^^^`,
    );
    expect(errorOf("The input is 32 × 32 × 3. There are three convolutional layers.")).toBe(
      `p.txt:1:57: error: cannot read the layer in "There are three convolutional layers.": it describes several layers at once; expected one layer per sentence ("The first layer convolves ...", "The second layer ...")
1 | The input is 32 × 32 × 3. There are three convolutional layers.
  |                                                         ^^^^^^`,
    );
    expect(errorOf("The input is 8 × 8 × 1. Each hidden layer is wide.")).toBe(
      `p.txt:1:25: error: cannot read the layer in "Each hidden layer is wide.": it mentions a layer but says nothing cnncalc can read (kind, size, count)
1 | The input is 8 × 8 × 1. Each hidden layer is wide.
  |                         ^^^^^^^^^^^^^^^^^^^^^^^^^^`,
    );
    expect(errorOf("A layer uses pooling over 2 × 2 windows.")).toBe(
      `p.txt:1:1: error: cannot read the layer in "A layer uses pooling over 2 × 2 windows.": cannot tell max pooling from average pooling; expected "max-pooling" or "average pooling"
1 | A layer uses pooling over 2 × 2 windows.
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^`,
    );
  });

  it("does not take the size of feature maps for a kernel", () => {
    expect(
      errorOf(
        "The input is 32 × 32 × 1. Layer C1 is a convolutional layer with 6 feature maps of size 28 × 28.",
      ),
    ).toContain(
      '"Layer C1 is a convolutional layer with 6 feature maps of size 28 × 28.": no kernel size found',
    );
  });

  it("needs the number of outputs when the output layer has one per action", () => {
    const source =
      "The output layer is fully-connected with a single output for each valid action.";
    expect(errorOf(source)).toBe(
      `p.txt:1:1: error: the output layer has one output per action (or class), but the text never says how many; expected a sentence such as "there are 18 valid actions", or --outputs N
1 | The output layer is fully-connected with a single output for each valid action.
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^`,
    );
    expect(parseProse(source, { outputs: 4 }).spec.layers).toStrictEqual([
      { type: "dense", units: 4 },
    ]);
  });

  it("calls an input size that is not whole numbers a problem of the input, not of a layer", () => {
    expect(errorOf("The input is a 32.5 × 32 × 3 image.").split("\n")[0]).toBe(
      `p.txt:1:16: error: cannot read the input in "The input is a 32.5 × 32 × 3 image.": the input size '32.5 × 32 × 3' is not whole numbers; expected e.g. "32 × 32 × 3"`,
    );
  });

  it("says so when the text describes no layer at all", () => {
    expect(errorOf("We trained it for a week. It worked well.")).toBe(
      `p.txt: error: found no layer in the text; expected sentences such as "The first hidden layer convolves 16 8 × 8 filters with stride 4"`,
    );
  });
});

describe("linear time on pathological prose", () => {
  const fill = (unit: string, size: number) =>
    unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  const KB = 1024;
  const shapes: Record<string, (size: number) => string> = {
    "a huge size": (n) => `The first layer convolves ${fill("1 × ", n)}`,
    "one endless sentence about layers": (n) => fill("layer ", n),
    "merged numbers everywhere": (n) =>
      fill("The first layer convolves 16.8 × 8 filters with stride 4. ", n),
    "abbreviations and dots": (n) => fill("et al. a. ", n),
    "citations and math": (n) => fill("[1, 2] $\\times$ \\, ", n),
    "keywords without values": (n) =>
      `The first layer convolves 16 filters ${fill("stride of padding ", n)}`,
    numbers: (n) => fill("1 2.5 3,000 ", n),
  };
  // 1 MB in the full tier, 256 KB in `npm test`; the small text is a 16th of the big one either way
  const size = byTier(256 * KB, 1024 * KB);
  const label = size >= 1024 * KB ? `${size / (1024 * KB)} MB` : `${size / KB} KB`;
  it.each(Object.keys(shapes))(
    `%s: ${label} finishes with work proportional to its length`,
    (name) => {
      const make = shapes[name] as (size: number) => string;
      const steps = (text: string) => {
        const meter = { steps: 0 };
        try {
          parseProse(text, { meter });
        } catch (e) {
          if (!(e instanceof CnnError)) throw e;
          // failing is fine; failing slowly is not
        }
        return meter.steps;
      };
      const small = make(size / 16);
      const big = make(size);
      const t0 = performance.now();
      const bigSteps = steps(big);
      expect(performance.now() - t0).toBeLessThan(15_000);
      expect(bigSteps).toBeLessThan(12 * big.length);
      // 16 times the text, at most 16 times the work (plus a little): no quadratic term
      expect(bigSteps).toBeLessThan(17 * steps(small) + 1000);
    },
  );
});

// Sentences the reader would otherwise turn into a different network without a word.
describe("prose it refuses rather than misread", () => {
  it.each([
    [
      "The first layer convolves 32 5 × 5 filters with stride 2, and the second layer convolves 64 3 × 3 filters with stride 1.",
      "it gives more than one set of filters",
    ],
    [
      "The first layer convolves 32 5 × 5 filters with stride 2 and 64 3 × 3 filters with stride 1.",
      "it gives more than one set of filters",
    ],
    ["The first two layers each convolve 32 3 × 3 filters.", "it describes several layers at once"],
    [
      "The second and third layers convolve 64 3 × 3 filters.",
      "it describes several layers at once",
    ],
    [
      "The first layer convolves 32 3 × 3 filters, followed by two fully-connected layers of 512 units each.",
      "it describes several layers at once",
    ],
    [
      "The second layer convolves 64 3 × 3 filters. The first layer convolves 32 5 × 5 filters.",
      "the first layer is described after the second",
    ],
    [
      "The first layer is a transposed convolution with 32 3 × 3 filters and stride 2.",
      "does not read transposed convolutions",
    ],
    [
      "The first layer is a depthwise convolution with 3 3 × 3 filters.",
      "does not read depthwise or separable convolutions",
    ],
    [
      "The first layer convolves 32 3 × 3 filters with 4 groups.",
      "does not read grouped convolutions",
    ],
    [
      "The first layer convolves 32 3 × 3 filters without bias.",
      "does not read layers without bias",
    ],
    [
      "The first layer convolves 32 3 × 3 filters. Batch normalization is applied after every convolution.",
      "does not read batch normalization",
    ],
  ])("%s", (text, why) => {
    const message = errorOf(`The input is 32 × 32 × 3. ${text}`);
    expect(message).toContain("error: cannot read the layer in");
    expect(message).toContain(why);
  });

  it("a later ordinal that only refers to another layer is not a second layer", () => {
    const { spec } = parseProse(
      "The input is 27 × 27 × 96. The second convolutional layer takes as input the output of the first convolutional layer and filters it with 256 kernels of size 5 × 5 × 96.",
    );
    expect(spec.layers).toHaveLength(1);
  });
});
