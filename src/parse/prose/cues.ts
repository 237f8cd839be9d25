import type { ActivationName } from "../../core/types.js";
import { pass, type Tok } from "./tokens.js";
import {
  ACTIVATION_WORDS,
  CLASS_WORDS,
  isConvVerb,
  isDenseWord,
  isPoolWord,
  KERNEL_WORDS,
  LAYER_NOUNS,
  UNIT_WORDS,
} from "./words.js";

/** What a clause talks about, found in one pass over its tokens. */
export interface Cues {
  conv: boolean;
  pool: boolean;
  dense: boolean;
  /** "the output layer" without "fully-connected": read as dense, with an assumption. */
  outputLayer: boolean;
  dropout: boolean;
  layer: boolean;
  input: boolean;
  counts: boolean;
  activation: ActivationName | "linear" | undefined;
}

export function cues(toks: readonly Tok[]): Cues {
  pass(toks);
  let convVerb = false;
  let convNoun = false;
  let filters = false;
  let size = false;
  const c: Cues = {
    conv: false,
    pool: false,
    dense: false,
    outputLayer: false,
    dropout: false,
    layer: false,
    input: false,
    counts: false,
    activation: undefined,
  };
  let relu = false;
  let other: ActivationName | undefined;
  let linear = false;
  toks.forEach((t, i) => {
    if (t.k === "s") size = true;
    if (t.k !== "w") return;
    const w = t.text;
    const next = toks[i + 1];
    const prev = toks[i - 1];
    if (isConvVerb(w)) convVerb = true;
    if (w === "convolutional" || w === "convolution" || w === "conv") convNoun = true;
    if (KERNEL_WORDS.has(w)) filters = true;
    if (isPoolWord(w)) c.pool = true;
    if (isDenseWord(w) || (w === "fully" && next?.k === "w" && next.text === "connected"))
      c.dense = true;
    if (
      UNIT_WORDS.has(w) &&
      w !== "output" &&
      prev !== undefined &&
      (prev.k === "n" || prev.k === "w")
    ) {
      c.dense =
        c.dense ||
        toks
          .slice(Math.max(0, i - 4), i)
          .some((x, k, near) => x.k === "n" && !LAYER_NOUNS.has(near[k - 1]?.text ?? ""));
    }
    if (w === "way" && prev?.k === "n") c.dense = true;
    if (w === "dropout") c.dropout = true;
    if (w === "output" && next?.k === "w" && LAYER_NOUNS.has(next.text)) c.outputLayer = true;
    if (LAYER_NOUNS.has(w)) c.layer = true;
    if (w === "input" || w === "inputs" || w === "image" || w === "images") c.input = true;
    if (CLASS_WORDS.has(w)) c.counts = true;
    const act = ACTIVATION_WORDS.get(w);
    if (act === "relu") relu = true;
    else if (act !== undefined) other = act;
    if (w === "linear" && prev?.text !== "rectified") linear = true;
  });
  c.conv = convVerb || (convNoun && c.layer) || (filters && size && !c.pool);
  c.activation = relu ? "relu" : (other ?? (linear ? "linear" : undefined));
  if (c.conv && c.pool && !convVerb && !convNoun) c.conv = false;
  if (c.dense) c.outputLayer = false;
  return c;
}
