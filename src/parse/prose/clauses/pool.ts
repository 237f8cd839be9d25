import { cues } from "../cues.js";
import type { Reader } from "../reader.js";
import { pass, type Sentence, type Tok, word } from "../tokens.js";
import { readWindowOptions, sizeValue } from "../window.js";

/** Reads a clause that describes pooling. */
export function readPool(r: Reader, s: Sentence, toks: Tok[]): void {
  pass(toks);
  const words = toks.filter((t) => t.k === "w").map((t) => t.text);
  const has = (f: (w: string) => boolean) => words.some(f);
  const global = has((w) => w === "global");
  const max = has((w) => w === "max" || w.startsWith("max-") || w.startsWith("maxpool"));
  const avg = has(
    (w) =>
      w === "average" ||
      w === "avg" ||
      w === "mean" ||
      w.startsWith("average-") ||
      w.startsWith("avg-") ||
      w.startsWith("mean-"),
  );
  const sub = has((w) => w === "subsampling" || w === "sub-sampling");
  if (max === avg && !sub) {
    r.fail(
      "unreadable-layer",
      s,
      'cannot tell max pooling from average pooling; expected "max-pooling" or "average pooling"',
    );
  }
  if (global) {
    r.add({ type: max ? "globalmaxpool" : "globalavgpool" }, s, toks[0], toks[toks.length - 1]);
    return;
  }
  const layer: Record<string, unknown> = { type: sub ? "subsample" : max ? "maxpool" : "avgpool" };
  let at = -1;
  for (let i = 0; i < toks.length && at === -1; i++) {
    const t = toks[i] as Tok;
    const prev = toks[i - 1];
    if (t.k === "s" && !word(prev, "stride", "strides")) at = i;
    else if (
      t.k === "n" &&
      word(prev, "size", "over", "of", "window") &&
      !toks
        .slice(Math.max(0, i - 3), i)
        .some((x) => word(x, "stride", "strides", "padding", "zero-padding"))
    )
      at = i;
  }
  if (at === -1)
    r.fail(
      "unreadable-layer",
      s,
      'no pooling size found; expected e.g. "2 × 2 max-pooling" or "max-pooling over 3 × 3 regions"',
    );
  r.key(layer, "kernel", sizeValue(toks[at] as Tok), toks[at] as Tok);
  readWindowOptions(r, s, toks, layer, "pool");
  if (sub) {
    const c = cues(toks);
    if (c.activation !== undefined && c.activation !== "linear") layer.activation = c.activation;
  }
  r.add(layer, s, toks[0], toks[toks.length - 1]);
}
