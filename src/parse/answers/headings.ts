import type { LayerRef, LayerRole } from "../../core/check.js";
import { entryOf, suggest } from "../names.js";
import { parseLayerRef } from "./values.js";

/* Headings (`First Convolutional Layer:`) and the words of a line. */

/** A group of three digits, as in `1 644 800`. */
export const SPACE_GROUP = /^\d{3}$/;

/** A word of a line and where it starts. */
export interface Word {
  text: string;
  start: number;
  end: number;
}

/** Splits a line into words with their offsets. */
export function words(line: string, base: number): Word[] {
  const out: Word[] = [];
  for (const m of line.matchAll(/\S+/g)) {
    const start = base + (m.index as number);
    out.push({ text: m[0], start, end: start + m[0].length });
  }
  return out;
}

/** Ordinal words of headings ("second convolutional layer"); "last" and "final" count back. */
const ORDINALS: Readonly<Record<string, number | "last">> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  last: "last",
  final: "last",
};

/** The words of headings that name a family of layers, one or two words long. */
const HEADING_WORDS: Readonly<Record<string, LayerRole>> = {
  conv: "conv",
  convolutional: "conv",
  convolution: "conv",
  "fully connected": "dense",
  "full connected": "dense",
  fc: "dense",
  dense: "dense",
  linear: "dense",
  pooling: "pool",
  pool: "pool",
  "max pooling": "pool",
  "average pooling": "pool",
  subsampling: "pool",
  hidden: "hidden",
  output: "output",
};

/** A layer named by a heading, with how it was written. */
export interface Heading {
  layer: LayerRef;
  layerText: string;
}

/**
 * Reads a heading at the start of some words: `[the] [ordinal] [family] layer [n]`, as in
 * "First Convolutional Layer:", "fully connected layer", "output layer", "conv layer 2",
 * "layer 3"; also a name or index alone with a colon ("conv2:"). Returns the heading and the
 * number of words it took, or null.
 */
export function readHeading(ws: readonly Word[]): { heading: Heading; used: number } | null {
  const lower = ws.map((w) => w.text.toLowerCase().replace(/^#+/, ""));
  const bare = (i: number) => (lower[i] ?? "").replace(/[:,.]$/, "");
  if (ws.length === 1 && /^[a-z_]*\d+(?:\.\d+)*:$/i.test(lower[0] as string)) {
    const text = (ws[0] as Word).text.slice(0, -1);
    return { heading: { layer: parseLayerRef(text), layerText: text }, used: 1 };
  }
  let i = 0;
  if (bare(i) === "the") i++;
  const from = i;
  let nth: number | "last" | null = null;
  const numbered = /^(\d+)(?:st|nd|rd|th)$/.exec(bare(i));
  const ord = entryOf(ORDINALS, bare(i));
  if (numbered || ord !== undefined) {
    nth = numbered ? Number(numbered[1]) : (ord as number | "last");
    i++;
  }
  let role: LayerRole | undefined;
  const two = `${bare(i)} ${bare(i + 1)}`.replace(/-/g, " ");
  const one = bare(i).replace(/-/g, " ");
  if (entryOf(HEADING_WORDS, two) !== undefined) {
    role = HEADING_WORDS[two];
    i += 2;
  } else if (entryOf(HEADING_WORDS, one) !== undefined) {
    role = HEADING_WORDS[one];
    i++;
  }
  // "hidden" may follow a family: "final hidden layer", "fully connected hidden layer"
  if (bare(i) === "hidden" && role !== undefined) i++;
  if (bare(i) !== "layer") return null;
  const layerAt = i;
  i++;
  const n = /^\d+(?:\.\d+)*$/.test(bare(i)) ? bare(i) : undefined;
  // a number after "layer" numbers it ("conv layer 2"), but not after an ordinal or "output":
  // "first layer 6400" and "output layer 18" give the number as a value
  if (n !== undefined && nth === null && role !== "output") i++;
  const layerText = ws
    .slice(from, i)
    .map((w) => w.text)
    .join(" ")
    .replace(/[:,.]$/, "");
  const used = i;
  const taken = i - 1 > layerAt ? n : undefined;
  if (role === undefined) {
    if (nth !== null)
      return { heading: { layer: { kind: "role", role: "layer", nth }, layerText }, used };
    if (taken === undefined) return null;
    return { heading: { layer: parseLayerRef(taken), layerText: taken }, used };
  }
  if (role === "output") {
    return { heading: { layer: { kind: "role", role, nth: null }, layerText }, used };
  }
  const index = taken === undefined ? nth : Number(taken.split(".")[0]);
  return { heading: { layer: { kind: "role", role, nth: index }, layerText }, used };
}

/** The words headings are made of, for suggestions. */
const HEADING_VOCABULARY = [
  ...Object.keys(ORDINALS),
  ...Object.keys(HEADING_WORDS).flatMap((w) => w.split(" ")),
  "layer",
];

/**
 * "did you mean 'First Convolutional Layer'?" for a line that is a heading but for a misspelt
 * word ("Frist Convolutional Layer"), or undefined.
 */
export function headingTypo(ws: readonly Word[]): string | undefined {
  let changed = false;
  const fixed = ws.map((w) => {
    const bare = w.text.toLowerCase().replace(/[:,.]$/, "");
    if (HEADING_VOCABULARY.includes(bare)) return w;
    const s = suggest(bare, HEADING_VOCABULARY);
    if (s === undefined) return w;
    changed = true;
    const cased = /^[A-Z]/.test(w.text) ? s[0]?.toUpperCase() + s.slice(1) : s;
    return { ...w, text: cased };
  });
  if (!changed || readHeading(fixed)?.used !== fixed.length) return undefined;
  return `did you mean '${fixed.map((w) => w.text).join(" ")}'?`;
}

/**
 * Whether a word starts an answer by naming its layer the usual way: `layer`, `L2`, `layer2`,
 * `2`, `3.1`, `#2`, `layers[2]`, or a name ending in a number (`conv2`, `fc1`).
 */
export function namesLayer(word: string): boolean {
  return /^(?:layer|l[-_#]?\d|#?\d|layers\[|[a-z_][a-z_-]*\d+[:,]?$)/i.test(word);
}
