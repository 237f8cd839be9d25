import type { Cues } from "../cues.js";
import type { Reader } from "../reader.js";
import { numberOf, pass, type Sentence, type Tok, word } from "../tokens.js";
import { CLASS_WORDS, LAYER_NOUNS, UNIT_WORDS } from "../words.js";

/** Reads a clause that describes a fully-connected layer. */
export function readDense(r: Reader, s: Sentence, toks: Tok[], c: Cues): void {
  pass(toks);
  const layer: Record<string, unknown> = { type: "dense" };
  let unitsAt = -1;
  let perAction = false;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Tok;
    // "layer 3 neurons ..." numbers a layer; it is not a count of units
    if (t.k === "n" && !(toks[i - 1]?.k === "w" && LAYER_NOUNS.has((toks[i - 1] as Tok).text))) {
      // "256 units", "256 rectifier units", "256 rectified linear units", "1000-way softmax"
      for (let j = i + 1; j < toks.length && j - i <= 3; j++) {
        const u = toks[j] as Tok;
        if (u.k !== "w") break;
        if (
          UNIT_WORDS.has(u.text) ||
          (u.text === "way" && j === i + 1) ||
          (CLASS_WORDS.has(u.text) && j - i <= 2)
        ) {
          if (unitsAt === -1 || numberOf(toks[unitsAt]) === t.value) unitsAt = i;
          else
            r.fail(
              "unreadable-layer",
              s,
              `two different sizes, ${numberOf(toks[unitsAt])} and ${t.value}; expected one number of units`,
              t,
            );
          break;
        }
      }
      if (
        unitsAt === -1 &&
        word(toks[i - 1], "of", "with") &&
        word(toks[i - 2], "consists", "size", "consisting")
      )
        unitsAt = i;
    } else if (word(t, "each", "every", "per")) {
      if (toks.slice(i + 1, i + 4).some((x) => x.k === "w" && CLASS_WORDS.has(x.text)))
        perAction = true;
    }
  }
  if (unitsAt === -1 && !perAction) {
    r.fail(
      "unreadable-layer",
      s,
      'no number of units found; expected e.g. "256 rectifier units" or "a single output for each valid action"',
    );
  }
  if (unitsAt !== -1) r.key(layer, "units", numberOf(toks[unitsAt]), toks[unitsAt] as Tok);
  if (c.activation !== undefined && c.activation !== "linear") layer.activation = c.activation;
  r.add(layer, s, toks[0], toks[toks.length - 1]);
  if (unitsAt === -1) r.perAction.push({ layer, span: r.span(s.start, s.end) });
}
