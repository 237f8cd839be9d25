import type { Reader } from "../reader.js";
import { numberOf, pass, type Sentence, type Tok, word } from "../tokens.js";
import { sizeValue } from "../window.js";

/** A word of the upsampling kind itself (`upsampled`, `up-sampling`), not an unpooling. */
function isUpsamplingWord(t: Tok): boolean {
  return t.k === "w" && t.text.replace(/-/g, "").startsWith("upsampl");
}

/** Interpolation words and the mode they name; any other interpolation is refused. */
const MODES: ReadonlyMap<string, "nearest" | "linear"> = new Map([
  ["nearest", "nearest"],
  ["nearest-neighbour", "nearest"],
  ["nearest-neighbor", "nearest"],
  ["linear", "linear"],
  ["linearly", "linear"],
  ["bilinear", "linear"],
  ["bilinearly", "linear"],
  ["trilinear", "linear"],
  ["trilinearly", "linear"],
]);
const OTHER_MODES = ["bicubic", "cubic", "bicubically", "area", "lanczos"];

/**
 * Reads "upsampled by a factor of 2" (a scale) and "upsampled to 56 × 56" (a size), with an
 * optional "nearest-neighbour" or "bilinear" (the mode). Anything else about upsampling (no
 * factor or size, another interpolation, an unpooling) is refused with the sentence quoted.
 */
export function readUpsampling(r: Reader, s: Sentence, toks: Tok[]): void {
  pass(toks);
  const at = toks.findIndex(isUpsamplingWord);
  if (at === -1) {
    r.fail(
      "unreadable-layer",
      s,
      'cnncalc reads an upsampling by a factor or to a size ("upsampled by a factor of 2", "upsampled to 56 × 56"), not an unpooling',
    );
  }
  const layer: Record<string, unknown> = { type: "upsample" };
  for (let i = at + 1; i < toks.length; i++) {
    const t = toks[i] as Tok;
    if (word(t, "by") || word(t, "factor")) {
      // "by 2", "by a factor of 2", "by a factor 2"
      let j = i + 1;
      while (word(toks[j], "a", "factor", "of")) j++;
      const value = numberOf(toks[j]);
      if (value !== undefined) {
        r.key(layer, "scale", value, toks[j] as Tok);
        break;
      }
    }
    if (word(t, "to") && (toks[i + 1]?.k === "s" || toks[i + 1]?.k === "n")) {
      const size = toks[i + 1] as Tok;
      r.key(layer, "size", size.k === "s" ? sizeValue(size) : numberOf(size), size);
      break;
    }
  }
  if (layer.scale === undefined && layer.size === undefined) {
    r.fail(
      "unreadable-layer",
      s,
      'no upsampling factor or size found; expected e.g. "upsampled by a factor of 2" or "upsampled to 56 × 56"',
    );
  }
  const other = toks.find((t) => word(t, ...OTHER_MODES));
  if (other !== undefined) {
    r.fail(
      "unreadable-layer",
      s,
      `cnncalc's upsampling is nearest or linear; expected "nearest-neighbour" or "bilinear", received "${other.text}"`,
    );
  }
  const mode = toks.map((t) => (t.k === "w" ? MODES.get(t.text) : undefined)).find((m) => m);
  if (mode !== undefined) {
    const t = toks.find((x) => x.k === "w" && MODES.has(x.text)) as Tok;
    r.key(layer, "mode", mode, t);
  }
  r.add(layer, s, toks[0], toks[toks.length - 1]);
}
