import { NORMS_PROSE_KINDS } from "../syntax/norms.js";
import { pass, type Tok } from "./tokens.js";

/*
 * The prose reader's allow-list. A sentence that names a kind of layer is read only when a clause
 * reader reads that kind; a sentence naming any other kind is an error that quotes it, never a
 * layer dropped without a word.
 */

/**
 * The kinds of layer the clause readers (clauses/) read: the allow-list. `kind` is how the error
 * messages name it, `types` the layer types it reads into, `example` a sentence it reads (a test
 * reads each one, after a pooling). The words that cue each reader are in words.ts (isConvVerb,
 * isPoolWord, isDenseWord, ACTIVATION_WORDS, ...).
 */
export const READ_KINDS = [
  {
    kind: "convolutions",
    types: ["conv"],
    example: "The first layer convolves 16 3 × 3 filters with stride 1.",
  },
  {
    kind: "pooling",
    types: ["maxpool", "avgpool", "globalmaxpool", "globalavgpool", "subsample"],
    example: "It is followed by 2 × 2 max-pooling with stride 2.",
  },
  {
    kind: "fully connected layers",
    types: ["dense"],
    example: "The final hidden layer is fully-connected and consists of 256 rectifier units.",
  },
  { kind: "dropout", types: ["dropout"], example: "This is followed by dropout with rate 0.5." },
  {
    kind: "activations",
    types: ["activation"],
    example: "The maps then go through a softmax.",
  },
  {
    kind: "upsampling",
    types: ["upsample"],
    example: "The feature maps are then upsampled by a factor of 2.",
  },
] as const;

/** The kinds READ_KINDS reads, as a phrase: "convolutions, pooling, ... and activations". */
export const READ_KINDS_TEXT = READ_KINDS.map((k) => k.kind)
  .join(", ")
  .replace(/, (?!.*, )/, " and ");

/**
 * Words and phrases that name a kind of layer (or a layer option) the clause readers do not read.
 * A phrase is words separated by spaces; a hyphenated word of the text matches as its parts
 * (`pixel-shuffle` is `pixel shuffle`, `up-sampled` is `up sampled`), and a last word ending in
 * `*` matches every word that begins with it ("unpool*": unpool, unpooled, unpooling).
 * `notAfter`, `notBefore`: words before or after the phrase that make it not a layer ("pay
 * attention", "attention to detail").
 * `changesCounts`: kinds refused since before the allow-list, with their own wording (a kind of
 * convolution or an option that would change the counts if it were read as a plain layer).
 *
 * To read a kind, give it a clause reader in NAMED_READERS (clauses/index.ts): the refusal then
 * gives way, and clauses that name the kind go to that reader.
 */
export const LAYER_KIND_WORDS = [
  { kind: "upsampling", phrases: ["upsampl*", "up sampl*", "unpool*", "un pool*"] },
  {
    kind: "transposed convolutions",
    phrases: ["transposed", "deconvolution*", "fractionally"],
    changesCounts: true,
  },
  {
    kind: "depthwise or separable convolutions",
    phrases: ["depthwise", "separable"],
    changesCounts: true,
  },
  { kind: "grouped convolutions", phrases: ["groups", "grouped"], changesCounts: true },
  {
    kind: "layers without bias",
    phrases: ["without bias", "without biases", "without a bias", "no bias", "no biases"],
    changesCounts: true,
  },
  {
    kind: "batch normalization",
    phrases: ["batchnorm*", "batch normalization", "batch normalisation", "batch norm"],
    changesCounts: true,
  },
  {
    kind: "pixel shuffle",
    phrases: ["pixel shuffle*", "pixelshuffl*", "sub pixel conv*", "subpixel conv*"],
  },
  ...NORMS_PROSE_KINDS,
  {
    kind: "local response normalization",
    phrases: ["response normalization", "response normalisation", "lrn"],
  },
  {
    kind: "attention",
    phrases: ["attention", "self attention", "multi head"],
    notAfter: [
      "pay",
      "pays",
      "paid",
      "paying",
      "close",
      "special",
      "particular",
      "careful",
      "more",
    ],
    notBefore: ["to"],
  },
  {
    kind: "squeeze and excitation",
    phrases: ["squeeze and excitation", "squeeze excitation", "se block*", "se module*"],
  },
  {
    kind: "skip or residual connections",
    phrases: [
      "skip connection*",
      "residual connection*",
      "shortcut connection*",
      "identity shortcut*",
      "projection shortcut*",
      "residual block*",
      "residual unit*",
      "identity mapping*",
    ],
  },
  { kind: "concatenation", phrases: ["concatenat*", "concat"] },
  {
    kind: "recurrent layers",
    phrases: ["recurrent layer*", "recurrent unit*", "lstm*", "gru", "grus"],
  },
] as const satisfies readonly {
  kind: string;
  phrases: readonly string[];
  notAfter?: readonly string[];
  notBefore?: readonly string[];
  changesCounts?: boolean;
}[];

/** A kind of layer named by LAYER_KIND_WORDS. */
export type NamedKind = (typeof LAYER_KIND_WORDS)[number]["kind"];

/** One entry of LAYER_KIND_WORDS, as the matcher sees it. */
interface KindWords {
  kind: NamedKind;
  phrases: readonly string[];
  notAfter?: readonly string[];
  notBefore?: readonly string[];
  changesCounts?: boolean;
}

/** A place where a clause or sentence names a kind: the entry and the tokens of the phrase. */
export interface NamedAt {
  kind: NamedKind;
  changesCounts: boolean;
  from: Tok;
  to: Tok;
}

/** A word of the text, or a part of a hyphenated word, with the token it is in. */
interface Part {
  text: string;
  tok: Tok;
}

/** The phrases, split into words once, by their first word (a `*` first word under ""). */
const BY_FIRST = new Map<string, { entry: KindWords; words: string[] }[]>();
for (const entry of LAYER_KIND_WORDS as readonly KindWords[]) {
  for (const phrase of entry.phrases) {
    const words = phrase.split(" ");
    const first = words[0] as string;
    const key = first.endsWith("*") ? "" : first;
    const list = BY_FIRST.get(key) ?? [];
    list.push({ entry, words });
    BY_FIRST.set(key, list);
  }
}

function matches(pattern: string, text: string): boolean {
  return pattern.endsWith("*") ? text.startsWith(pattern.slice(0, -1)) : text === pattern;
}

/**
 * The places where tokens name a kind of LAYER_KIND_WORDS, in order. Linear: each word is tried
 * against the few phrases that can start with it (and the few that start with a `*` word), each
 * at most four words long.
 */
export function namedKinds(toks: readonly Tok[]): NamedAt[] {
  pass(toks);
  const parts: Part[] = [];
  for (const tok of toks) {
    if (tok.k !== "w") {
      // punctuation and numbers end a phrase
      parts.push({ text: "", tok });
      continue;
    }
    for (const text of tok.text.split("-")) parts.push({ text, tok });
  }
  const found: NamedAt[] = [];
  const wild = BY_FIRST.get("") ?? [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as Part;
    if (part.text === "") continue;
    const before = parts[i - 1]?.text ?? "";
    for (const { entry, words } of [...(BY_FIRST.get(part.text) ?? []), ...wild]) {
      if (
        !words.every((w, k) => parts[i + k] !== undefined && matches(w, parts[i + k]?.text ?? ""))
      )
        continue;
      if (entry.notAfter?.includes(before)) continue;
      if (entry.notBefore?.includes(parts[i + words.length]?.text ?? "")) continue;
      found.push({
        kind: entry.kind,
        changesCounts: entry.changesCounts === true,
        from: part.tok,
        to: (parts[i + words.length - 1] as Part).tok,
      });
      break;
    }
  }
  return found;
}
