import type { Reader } from "./reader.js";
import { numberOf, pass, type Sentence, type Tok, word } from "./tokens.js";

/* Stride, padding and dilation: the options of a window (a convolution's or a pooling's). */

/** Index of the value after a keyword at i, skipping "of", "a", "size", "length" (bounded). */
export function valueAfter(toks: readonly Tok[], i: number): number {
  let j = i + 1;
  while (
    j < toks.length &&
    j - i <= 4 &&
    word(toks[j], "of", "a", "an", "size", "length", "rate", "factor", "by")
  )
    j++;
  const t = toks[j];
  return t !== undefined && (t.k === "n" || t.k === "s") ? j : -1;
}

export function sizeValue(t: Tok): number | number[] {
  return t.k === "s" ? t.parts : (numberOf(t) as number);
}

/** Reads "stride S", "a stride of S pixels", "S-pixel stride"; -1 when absent. */
export function findStride(toks: readonly Tok[]): { at: number; key: number } | undefined {
  pass(toks);
  for (let i = 0; i < toks.length; i++) {
    if (!word(toks[i], "stride", "strides", "striding")) continue;
    const j = valueAfter(toks, i);
    if (j !== -1) return { at: j, key: i };
    if (word(toks[i - 1], "pixel", "pixels") && toks[i - 2]?.k === "n")
      return { at: i - 2, key: i };
    return { at: -1, key: i };
  }
  return undefined;
}

export type PaddingRead =
  | { value: number | number[] | "same" | "valid"; tok: Tok }
  | { missing: Tok }
  | undefined;

/** Reads "zero-padding of P", "P-pixel padding", "same padding", "no padding". */
export function findPadding(toks: readonly Tok[]): PaddingRead {
  pass(toks);
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Tok;
    if (
      t.k !== "w" ||
      !(t.text.includes("padding") || t.text.includes("padded") || t.text === "pad")
    )
      continue;
    const j = valueAfter(toks, i);
    if (j !== -1) return { value: sizeValue(toks[j] as Tok), tok: toks[j] as Tok };
    let k = i - 1;
    if (toks[k]?.k === "p" && (toks[k]?.text === "'" || toks[k]?.text === '"')) k--;
    if (word(toks[k], "zero")) k--;
    if (word(toks[k], "pixel", "pixels")) k--;
    const before = toks[k];
    if (before?.k === "n") return { value: before.value, tok: before };
    if (word(before, "same")) return { value: "same", tok: before as Tok };
    if (word(before, "valid")) return { value: "valid", tok: before as Tok };
    if (word(before, "no", "without")) return { value: 0, tok: before as Tok };
    return { missing: t };
  }
  return undefined;
}

/** Reads "dilation (rate) of D" or "dilated by D". */
export function findDilation(toks: readonly Tok[]): Tok | undefined {
  pass(toks);
  for (let i = 0; i < toks.length; i++) {
    if (!word(toks[i], "dilation", "dilated", "dilations")) continue;
    const j = valueAfter(toks, i);
    if (j !== -1) return toks[j];
  }
  return undefined;
}

/** Stride, padding and dilation of a conv or pooling clause, with assumptions for gaps. */
export function readWindowOptions(
  r: Reader,
  s: Sentence,
  toks: Tok[],
  layer: Record<string, unknown>,
  kind: "conv" | "pool",
): void {
  const path = r.layers.length;
  const stride = findStride(toks);
  if (stride !== undefined) {
    if (stride.at === -1)
      r.fail(
        "unreadable-layer",
        s,
        "'stride' without a value; expected e.g. \"stride 4\"",
        toks[stride.key],
      );
    r.key(layer, "stride", sizeValue(toks[stride.at] as Tok), toks[stride.at] as Tok);
  } else if (kind === "conv") r.noStride.push(path);
  else r.poolStride.push(path);
  const pad = findPadding(toks);
  if (pad === undefined) r.noPadding.push(path);
  else if ("missing" in pad)
    r.fail(
      "unreadable-layer",
      s,
      'padding without an amount; expected e.g. "zero-padding of 1" or "same padding"',
      pad.missing,
    );
  else r.key(layer, "padding", pad.value, pad.tok);
  if (kind === "conv") {
    const d = findDilation(toks);
    if (d) r.key(layer, "dilation", sizeValue(d), d);
  }
}
