import { NAMED_READERS } from "./clauses/index.js";
import { type Cues, cues } from "./cues.js";
import { namedKinds, READ_KINDS_TEXT } from "./kinds.js";
import type { Reader } from "./reader.js";
import { clauses, type Sentence, type Tok } from "./tokens.js";
import { isPoolWord, ORDINALS } from "./words.js";

/**
 * Refuses, with the sentence quoted, what this reader would otherwise read wrong without a word:
 * a sentence naming a kind of layer no clause reader reads (LAYER_KIND_WORDS: upsampling,
 * attention, ...; a transposed, depthwise or grouped convolution, no bias and batch normalization
 * change the counts), several layers in one clause ("two fully-connected layers", "32 5 × 5
 * filters ... and 64 3 × 3 filters"), and layers numbered out of order. The first ordinal of a clause numbers the layer it describes; later ones ("the output
 * of the first layer") only refer to others.
 */
export function refuseUnreadable(
  r: Reader,
  s: Sentence,
  order: { last: number; word: string },
): void {
  for (const named of namedKinds(s.toks)) {
    if (NAMED_READERS[named.kind] !== undefined) continue;
    r.fail(
      "unreadable-layer",
      s,
      named.changesCounts
        ? `the prose reader does not read ${named.kind}, which change the counts; expected them written in the layer language (see docs/input-formats.md)`
        : `cnncalc cannot read this sentence's ${named.kind} yet; it reads ${READ_KINDS_TEXT}; write the network as JSON or in the layer language (see docs/input-formats.md)`,
      named.from,
      named.to,
    );
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

/**
 * Refuses a clause that names two layers the dispatch would read as one, dropping the other
 * without a word: dropout beside a convolution, pooling or fully connected layer ("10 units and
 * dropout of 0.5"), or pooling beside a fully connected layer.
 */
export function refuseMixed(r: Reader, s: Sentence, toks: readonly Tok[], c: Cues): void {
  const other = c.conv
    ? "a convolution"
    : c.pool
      ? "pooling"
      : c.dense || c.outputLayer
        ? "a fully connected layer"
        : undefined;
  if (c.dropout && other !== undefined) {
    r.fail(
      "unreadable-layer",
      s,
      `it names dropout and ${other} in one clause; expected the dropout in a clause of its own ("..., followed by dropout with probability 0.5")`,
      toks.find((t) => t.k === "w" && t.text === "dropout"),
    );
  }
  if (c.pool && !c.conv && (c.dense || c.outputLayer)) {
    r.fail(
      "unreadable-layer",
      s,
      'it names pooling and a fully connected layer in one clause; expected one layer per clause ("..., followed by ...")',
      toks.find((t) => t.k === "w" && isPoolWord(t.text)),
    );
  }
}
