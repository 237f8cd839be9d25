import { describe, expect, it } from "vitest";
import { CnnError } from "../../src/core/errors.js";
import { type ClauseReader, NAMED_READERS } from "../../src/parse/prose/clauses/index.js";
import { LAYER_KIND_WORDS, type NamedKind, READ_KINDS } from "../../src/parse/prose/kinds.js";
import { parseProse } from "../../src/parse/prose.js";

/*
 * The prose reader is an allow-list: a sentence that names a kind of layer no clause reader
 * reads is an error that quotes it and points at the words, never a layer dropped without a word.
 */

const BEFORE =
  "The input is 32 × 32 × 3. The first layer convolves 16 3 × 3 filters with stride 1.";
const AFTER = "The output layer is fully connected with 10 units.";
const paragraph = (sentence: string) => `${BEFORE} ${sentence} ${AFTER}`;

const CANNOT = `it reads convolutions, pooling, fully connected layers, dropout, activations and upsampling; write the network as JSON or in the layer language (see docs/input-formats.md)`;

/** The diagnostic of reading a text that must fail, with the text its span covers. */
function refusal(source: string): { code: string; message: string; at: string } {
  try {
    parseProse(source);
  } catch (e) {
    if (!(e instanceof CnnError)) throw e;
    const { code, message, span } = e.diagnostic;
    return { code, message, at: span ? source.slice(span.start, span.end) : "" };
  }
  throw new Error("expected an error");
}

/** For each kind of LAYER_KIND_WORDS: a sentence naming it, and the words the error points at. */
const NAMING: readonly [NamedKind, string, string][] = [
  [
    "transposed convolutions",
    "A 4 × 4 deconvolution with stride 2 doubles the size.",
    "deconvolution",
  ],
  ["depthwise or separable convolutions", "Each block uses a depthwise convolution.", "depthwise"],
  ["grouped convolutions", "The convolutions are grouped in pairs.", "grouped"],
  ["layers without bias", "The convolutions have no bias.", "no bias"],
  ["layers without bias", "The convolutions are used without a bias.", "without a bias"],
  [
    "skip or residual connections",
    "Projection shortcuts match the dimensions.",
    "Projection shortcuts",
  ],
  ["batch normalization", "Batch norm is applied after every convolution.", "Batch norm"],
  ["pixel shuffle", "A pixel shuffle layer rearranges the channels.", "pixel shuffle"],
  ["pixel shuffle", "The last layer is a sub-pixel convolution.", "sub-pixel convolution"],
  ["layer normalization", "Layer normalization follows each block.", "Layer normalization"],
  ["group normalization", "We use group norm with 32 groups.", "group norm"],
  [
    "instance normalization",
    "Each block ends with instance normalisation.",
    "instance normalisation",
  ],
  [
    "local response normalization",
    "Response-normalization layers follow the first and second convolutional layers.",
    "Response-normalization",
  ],
  ["attention", "A self-attention layer is inserted after the third block.", "self-attention"],
  ["attention", "The maps then go through an attention module.", "attention"],
  [
    "squeeze and excitation",
    "Each block ends with a squeeze-and-excitation module.",
    "squeeze-and-excitation",
  ],
  [
    "skip or residual connections",
    "Skip connections add each block's input to its output.",
    "Skip connections",
  ],
  [
    "skip or residual connections",
    "A residual connection adds the input to the output.",
    "residual connection",
  ],
  ["concatenation", "The outputs of the two branches are concatenated.", "concatenated"],
  ["recurrent layers", "An LSTM with 256 units follows.", "LSTM"],
];

const COUNTS_KINDS = new Set<string>(
  LAYER_KIND_WORDS.filter((k) => "changesCounts" in k && k.changesCounts).map((k) => k.kind),
);

describe("a sentence naming a layer the reader cannot read is an error quoting it", () => {
  it.each(NAMING)("%s: %s", (kind, sentence, at) => {
    const r = refusal(paragraph(sentence));
    expect(r.code).toBe("unreadable-layer");
    const why = COUNTS_KINDS.has(kind)
      ? `the prose reader does not read ${kind}, which change the counts; expected them written in the layer language (see docs/input-formats.md)`
      : `cnncalc cannot read this sentence's ${kind} yet; ${CANNOT}`;
    expect(r.message).toBe(`cannot read the layer in "${sentence}": ${why}`);
    expect(r.at).toBe(at);
  });

  it("has a sentence for every kind in the table", () => {
    const tested = new Set(NAMING.map(([kind]) => kind));
    // a kind with a clause reader is read, not refused: its tests are with its reader
    const refused = LAYER_KIND_WORDS.map((k) => k.kind).filter((k) => !(k in NAMED_READERS));
    expect(refused.filter((k) => !tested.has(k))).toEqual([]);
  });

  it("the issue's example: an upsampling in the DQN paragraph is read as an upsample", () => {
    const source =
      "The input is an 84 × 84 × 4 image. The first hidden layer convolves 16 8 × 8 filters with stride 4. The feature maps are then upsampled by a factor of 2. The final hidden layer is fully-connected and consists of 256 rectifier units.";
    expect(parseProse(source).spec.layers[1]).toEqual({ type: "upsample", scale: 2 });
  });
});

describe("the kinds it reads", () => {
  it.each(READ_KINDS.map((k) => [k.kind, k] as const))("%s", (_, k) => {
    // after a pooling, which takes no activation, so an activation is a layer of its own
    const { spec } = parseProse(
      `The input is 32 × 32 × 3. It begins with 2 × 2 max-pooling. ${k.example}`,
    );
    expect(spec.layers).toHaveLength(2);
    expect(k.types as readonly string[]).toContain(spec.layers[1]?.type);
  });
});

describe("a clause naming two layers is refused rather than read as one", () => {
  it.each([
    [
      "The output layer is fully connected with 10 units and dropout of 0.5.",
      "it names dropout and a fully connected layer in one clause",
      "dropout",
    ],
    [
      "It applies 2 × 2 max-pooling and a fully connected layer of 64 units.",
      "it names pooling and a fully connected layer in one clause",
      "max-pooling",
    ],
  ])("%s", (sentence, why, at) => {
    const r = refusal(`${BEFORE} ${sentence}`);
    expect(r.message).toContain(`cannot read the layer in "${sentence}": ${why}`);
    expect(r.at).toBe(at);
  });
});

describe("ordinary sentences stay fine", () => {
  it.each([
    "We trained the network for ten days on one GPU.",
    "We refer to convolutional networks trained with our approach as Deep Q-Networks (DQN).",
    "The frames are sampled uniformly from the replay memory.",
    "The pixel values are normalized to zero mean.",
    "We pay attention to the learning rate.",
    "The residual error is small.",
    "We skip the first frames of each episode.",
    "Training takes a batch of 32 transitions.",
    "Attention to the initialization matters.",
    "As a shortcut, we reuse the weights of the first run.",
    "The maps are located with sub-pixel accuracy.",
  ])("%s", (sentence) => {
    const plain = parseProse(`${BEFORE} ${AFTER}`);
    const read = parseProse(paragraph(sentence));
    expect(read.spec).toStrictEqual(plain.spec);
    expect(read.assumptions).toStrictEqual(plain.assumptions);
    expect(read.warnings).toStrictEqual(plain.warnings);
  });
});

describe("reading a kind is one clause reader in NAMED_READERS", () => {
  it("a registered reader reads the clauses that name its kind, and the refusal gives way", () => {
    const readers = NAMED_READERS as Partial<Record<NamedKind, ClauseReader>>;
    readers["pixel shuffle"] = (r, s, toks) => {
      r.add({ type: "dropout" }, s, toks[0], toks[toks.length - 1]);
    };
    try {
      const { spec } = parseProse(paragraph("A pixel shuffle layer rearranges the channels."));
      expect(spec.layers.map((l) => l.type)).toEqual(["conv", "dropout", "dense"]);
    } finally {
      delete readers["pixel shuffle"];
    }
    expect(refusal(paragraph("The maps go through a pixel shuffle.")).at).toBe("pixel shuffle");
  });
});

describe("upsampling: read when its factor or size is said, refused with the sentence otherwise", () => {
  it.each([
    ["The feature maps are then upsampled by a factor of 2.", { scale: 2 }],
    ["The maps are upsampled by 2.", { scale: 2 }],
    ["The maps are upsampled by a factor of 1.5.", { scale: 1.5 }],
    ["The maps are upsampled to 56 × 56.", { size: [56, 56] }],
    ["The maps are bilinearly upsampled by a factor of 2.", { scale: 2, mode: "linear" }],
    ["Nearest-neighbour up-sampling by a factor of 4 follows.", { scale: 4, mode: "nearest" }],
  ])("%s", (sentence, fields) => {
    const { spec } = parseProse(paragraph(sentence));
    expect(spec.layers.map((l) => l.type)).toEqual(["conv", "upsample", "dense"]);
    expect(spec.layers[1]).toEqual({ type: "upsample", ...fields });
  });

  it.each([
    [
      "The maps are upsampled.",
      'no upsampling factor or size found; expected e.g. "upsampled by a factor of 2" or "upsampled to 56 × 56"',
    ],
    [
      "The decoder applies nearest-neighbour up-sampling.",
      'no upsampling factor or size found; expected e.g. "upsampled by a factor of 2" or "upsampled to 56 × 56"',
    ],
    [
      "The maps are upsampled with bicubic interpolation by a factor of 2.",
      'cnncalc\'s upsampling is nearest or linear; expected "nearest-neighbour" or "bilinear", received "bicubic"',
    ],
    [
      "Max unpooling restores the size of the maps.",
      'cnncalc reads an upsampling by a factor or to a size ("upsampled by a factor of 2", "upsampled to 56 × 56"), not an unpooling',
    ],
  ])("%s", (sentence, why) => {
    const r = refusal(paragraph(sentence));
    expect(r).toEqual({
      code: "unreadable-layer",
      message: `cannot read the layer in "${sentence}": ${why}`,
      at: sentence,
    });
  });
});
