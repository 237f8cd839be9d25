import type { Reader } from "../reader.js";
import { numberOf, pass, type Sentence, type Tok } from "../tokens.js";

/** Reads "dropout (with probability|rate) 0.5". */
export function readDropout(r: Reader, s: Sentence, toks: Tok[]): void {
  pass(toks);
  const layer: Record<string, unknown> = { type: "dropout" };
  const at = toks.findIndex((t) => t.k === "n");
  if (at !== -1) r.key(layer, "rate", numberOf(toks[at]), toks[at] as Tok);
  r.add(layer, s, toks[0], toks[toks.length - 1]);
}
