import type { Reader } from "../reader.js";
import { numberOf, pass, type Sentence, type Tok, word } from "../tokens.js";
import { CLASS_WORDS } from "../words.js";

/** Reads an input shape: "an 84 × 84 × 4 image", "32 × 32 RGB images". */
export function readInput(r: Reader, s: Sentence, toks: Tok[]): boolean {
  pass(toks);
  const at = toks.findIndex((t) => t.k === "s" && t.parts.length >= 2 && t.parts.length <= 3);
  const t = toks[at];
  if (t === undefined || t.k !== "s" || r.input !== undefined) return false;
  if (t.parts.some((p) => !Number.isSafeInteger(p))) {
    r.fail(
      "unreadable-input",
      s,
      `the input size '${t.text}' is not whole numbers; expected e.g. "32 × 32 × 3"`,
      t,
    );
  }
  let shape = [...t.parts];
  if (shape.length === 2) {
    const words = new Set(toks.filter((x) => x.k === "w").map((x) => x.text));
    let channels: number | undefined;
    const chAt = toks.findIndex(
      (x, i) => x.k === "n" && i > at && word(toks[i + 1], "channels", "frames", "planes"),
    );
    if (chAt !== -1) channels = numberOf(toks[chAt]);
    else if (["rgb", "colour", "color"].some((w) => words.has(w))) channels = 3;
    else if (
      ["grayscale", "gray-scale", "greyscale", "grey-scale", "monochrome"].some((w) => words.has(w))
    )
      channels = 1;
    if (channels === undefined) {
      channels = 1;
      r.assumptions.push({
        code: "input-channels",
        message: `the input '${t.text}' gives no channel count; assumed 1 (gray-scale; use --input HxWxC for another)`,
      });
    }
    shape = [...shape, channels];
  }
  r.input = shape;
  r.inputSpan = r.span(t.start, t.end);
  return true;
}

/** Reads "between A and B", "from A to B" or "A valid actions" in a sentence about outputs. */
export function readCount(r: Reader, toks: Tok[]): boolean {
  pass(toks);
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Tok;
    if (word(t, "between", "from")) {
      const a = numberOf(toks[i + 1]);
      const b = numberOf(toks[i + 3]);
      if (a !== undefined && b !== undefined && word(toks[i + 2], "and", "to")) {
        r.count = {
          min: Math.min(a, b),
          max: Math.max(a, b),
          span: r.span(t.start, (toks[i + 3] as Tok).end),
        };
        return true;
      }
    }
    if (t.k === "n") {
      for (let j = i + 1; j < toks.length && j - i <= 3; j++) {
        const u = toks[j] as Tok;
        if (u.k !== "w") break;
        if (CLASS_WORDS.has(u.text)) {
          r.count = { min: t.value, max: t.value, span: r.span(t.start, u.end) };
          return true;
        }
      }
    }
  }
  return false;
}
