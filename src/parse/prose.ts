import { readActivation } from "./prose/clauses/activation.js";
import { readConv } from "./prose/clauses/conv.js";
import { readDense } from "./prose/clauses/dense.js";
import { readDropout } from "./prose/clauses/dropout.js";
import { namedReader } from "./prose/clauses/index.js";
import { readCount, readInput } from "./prose/clauses/input.js";
import { readPool } from "./prose/clauses/pool.js";
import { cues } from "./prose/cues.js";
import { normalize, sentences } from "./prose/normalize.js";
import { type ProseOptions, type ProseResult, Reader } from "./prose/reader.js";
import { refuseMixed, refuseUnreadable } from "./prose/refuse.js";
import { resolve } from "./prose/resolve.js";
import { clauses, type Sentence, tokenize, word, work } from "./prose/tokens.js";
import { findPadding } from "./prose/window.js";
import { isPoolWord } from "./prose/words.js";

export type { ProseOptions, ProseResult } from "./prose/reader.js";

/*
 * Paper prose ("The first hidden layer convolves 16 8 × 8 filters with stride 4 ...") read into a
 * layer list. The reader is a fact extractor, not a grammar: it normalises the text (LaTeX math,
 * citations, dashes), splits it into sentences and clauses ("followed by", "then", ";"), and reads
 * each clause with small patterns of bounded lookahead over its tokens. Every step is one pass,
 * so the whole read is linear in the text (a meter in the options counts the steps for tests);
 * no regular expression runs over unbounded input. Prose is never evaluated.
 */

/*
 * The parts, in src/parse/prose/: normalize.ts (the text normalised and split into sentences),
 * tokens.ts (tokens and clauses), words.ts (the word tables), cues.ts (what a clause talks
 * about), clauses/ (one reader per kind of clause), refuse.ts (what is refused rather than
 * misread), reader.ts (what has been read so far) and resolve.ts (the network assembled).
 */

/** Reads a paragraph of paper prose into a spec, with its assumptions and repair warnings. */
export function parseProse(text: string, options: ProseOptions = {}): ProseResult {
  work.passes = 0;
  try {
    return readProse(text, options);
  } finally {
    if (options.meter) options.meter.steps += work.passes;
  }
}

function readProse(text: string, options: ProseOptions): ProseResult {
  const meter = options.meter;
  const tick = meter
    ? () => {
        meter.steps++;
      }
    : () => {};
  const norm = normalize(text, tick);
  const r = new Reader(text, norm);
  const order = { last: 0, word: "" };
  for (const range of sentences(norm.text, tick)) {
    const s: Sentence = { ...range, toks: tokenize(norm.text, range.start, range.end, tick) };
    refuseUnreadable(r, s, order);
    for (const toks of clauses(s.toks)) {
      const named = namedReader(toks);
      if (named !== undefined) {
        named(r, s, toks);
        continue;
      }
      const c = cues(toks);
      refuseMixed(r, s, toks, c);
      if (c.conv && c.pool) {
        // "convolves 32 5 × 5 filters and applies 2 × 2 max-pooling": split at the pooling phrase
        let p = toks.findIndex((t) => t.k === "w" && isPoolWord(t.text));
        while (
          p > 0 &&
          (toks[p - 1]?.k === "s" ||
            word(toks[p - 1], "max", "average", "avg", "mean", "a", "an", "non-overlapping"))
        )
          p--;
        const convPart = toks.slice(0, p);
        readConv(r, s, convPart, cues(convPart));
        readPool(r, s, toks.slice(p));
      } else if (c.conv) readConv(r, s, toks, c);
      else if (c.pool) readPool(r, s, toks);
      else if (c.dense) readDense(r, s, toks, c);
      else if (c.outputLayer) {
        readDense(r, s, toks, c);
        r.assumptions.push({
          code: "output-dense",
          message: `the output layer (layers[${r.layers.length - 1}]) is not said to be fully connected; read as a dense layer`,
        });
      } else if (c.dropout) readDropout(r, s, toks);
      else if (c.activation !== undefined && c.activation !== "linear" && !c.input)
        readActivation(r, s, c.activation);
      else {
        // facts about the whole network; one clause may state several
        const input = c.input && readInput(r, s, toks);
        const count = c.counts && !c.layer && readCount(r, toks);
        const pad = c.layer ? undefined : findPadding(toks);
        if (pad !== undefined && "value" in pad)
          r.globalPadding = { value: pad.value, sentence: s };
        if (!input && !count && c.layer) {
          r.fail(
            "unreadable-layer",
            s,
            "it mentions a layer but says nothing cnncalc can read (kind, size, count)",
          );
        }
      }
    }
  }
  return resolve(r, options);
}
