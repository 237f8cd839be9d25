import { cues } from "./cues.js";
import type { Reader } from "./reader.js";
import { clauses, type Sentence, type Tok, word } from "./tokens.js";
import { ORDINALS } from "./words.js";

/**
 * Refuses, with the sentence quoted, what this reader would otherwise read wrong without a word:
 * layer kinds and options it does not know (a transposed, depthwise or grouped convolution, no
 * bias, batch normalization change the counts), several layers in one clause ("two
 * fully-connected layers", "32 5 × 5 filters ... and 64 3 × 3 filters"), and layers numbered out
 * of order. The first ordinal of a clause numbers the layer it describes; later ones ("the output
 * of the first layer") only refer to others.
 */
export function refuseUnreadable(
  r: Reader,
  s: Sentence,
  order: { last: number; word: string },
): void {
  for (let i = 0; i < s.toks.length; i++) {
    const t = s.toks[i] as Tok;
    if (t.k !== "w") continue;
    const w = t.text;
    const next = s.toks[i + 1];
    const unsupported =
      w === "transposed" || w.startsWith("deconvolution") || w === "fractionally"
        ? "transposed convolutions"
        : w === "depthwise" || w === "separable"
          ? "depthwise or separable convolutions"
          : w === "groups" || w === "grouped"
            ? "grouped convolutions"
            : (w === "without" || w === "no") && word(next, "bias", "biases")
              ? "layers without bias"
              : w === "batchnorm" ||
                  (w === "batch" && word(next, "normalization", "normalisation", "norm"))
                ? "batch normalization"
                : undefined;
    if (unsupported !== undefined) {
      r.fail(
        "unreadable-layer",
        s,
        `the prose reader does not read ${unsupported}, which change the counts; expected them written in the layer language (see docs/input-formats.md)`,
        t,
      );
    }
  }
  for (const toks of clauses(s.toks)) {
    const cue = cues(toks);
    const makesLayer = cue.conv || cue.pool || cue.dense || cue.outputLayer;
    let sizedFilters = 0;
    let numbered = false;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i] as Tok;
      if (t.k === "n" && toks[i + 1]?.k === "s") sizedFilters++;
      if (t.k !== "w") continue;
      if (t.text === "layers" && makesLayer) {
        r.fail(
          "unreadable-layer",
          s,
          'it describes several layers at once; expected one layer per sentence ("The first layer convolves ...", "The second layer ...")',
          t,
        );
      }
      const n = ORDINALS.get(t.text);
      if (n !== undefined && !numbered && makesLayer) {
        numbered = true;
        if (n < order.last) {
          r.fail(
            "unreadable-layer",
            s,
            `the ${t.text} layer is described after the ${order.word}; expected the layers in order`,
            t,
          );
        }
        order.last = n;
        order.word = t.text;
      }
    }
    if (sizedFilters > 1 && cue.conv) {
      r.fail(
        "unreadable-layer",
        s,
        'it gives more than one set of filters ("N K × K filters"); expected one convolution per clause',
      );
    }
  }
}
