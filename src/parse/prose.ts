import { CnnError, type Span } from "../core/errors.js";
import type { ActivationName, Assumption, NetworkSpec, Warning } from "../core/types.js";
import { plural } from "../core/words.js";
import { locateRaw, type SpanTable, setKeySpan, setSpan, spanTable } from "./spans.js";
import { type ParsedSpec, validateSpec } from "./spec.js";

/*
 * Paper prose ("The first hidden layer convolves 16 8 × 8 filters with stride 4 ...") read into a
 * layer list. The reader is a fact extractor, not a grammar: it normalises the text (LaTeX math,
 * citations, dashes), splits it into sentences and clauses ("followed by", "then", ";"), and reads
 * each clause with small patterns of bounded lookahead over its tokens. Every step is one pass,
 * so the whole read is linear in the text (a meter in the options counts the steps for tests);
 * no regular expression runs over unbounded input. Prose is never evaluated.
 */

/** Options of the prose reader. */
export interface ProseOptions {
  /** The number of outputs, when the text gives a range or ties outputs to "each action". */
  outputs?: number;
  /** Counts the reader's elementary steps (for tests of linear time). */
  meter?: { steps: number };
}

/** A spec read from prose, with the assumptions it needed and the repairs it made. */
export interface ProseResult extends ParsedSpec {
  assumptions: Assumption[];
  warnings: Warning[];
}

/**
 * Work done by the clause readers: each is one pass over a clause's tokens with a bounded window,
 * so each call adds the clause length. Reset and read by parseProse (synchronous, so no overlap).
 */
let passes = 0;
function pass(toks: readonly unknown[]): void {
  passes += toks.length;
}

/** The normalised text and, for each of its characters, the offset in the original. */
interface Normal {
  text: string;
  map: number[];
}

type Tok =
  | { k: "w"; text: string; start: number; end: number }
  | { k: "n"; text: string; value: number; start: number; end: number }
  | {
      k: "s";
      text: string;
      parts: number[];
      partTexts: string[];
      start: number;
      end: number;
    }
  | { k: "p"; text: string; start: number; end: number };

interface Sentence {
  start: number;
  end: number;
  toks: Tok[];
}

const LATEX_TIMES = new Set(["times", "cdot", "by"]);
const LATEX_KEEP = new Set(["text", "mathrm", "mathbf", "textrm", "textbf", "mathit", "emph"]);
const ABBREVIATIONS = new Set([
  "al",
  "e.g",
  "i.e",
  "fig",
  "figs",
  "eq",
  "eqs",
  "cf",
  "vs",
  "resp",
  "sec",
  "approx",
  "ref",
  "no",
]);
const DASHES = new Set(["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212"]);

function isLetter(c: string | undefined): boolean {
  if (c === undefined) return false;
  if ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z")) return true;
  return c > "\u007f" && c.toLowerCase() !== c.toUpperCase();
}
function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}
function isBlank(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\r" || c === "\u00a0" || c === "\ufeff";
}

/** Normalises prose: math delimiters and LaTeX commands, citations, dashes, whitespace. */
function normalize(raw: string, tick: () => void): Normal {
  const out: string[] = [];
  const map: number[] = [];
  const n = raw.length;
  const emit = (ch: string, at: number) => {
    out.push(ch);
    map.push(at);
  };
  const space = (at: number) => {
    const last = out[out.length - 1];
    if (last !== undefined && last !== " " && last !== "\n") emit(" ", at);
  };
  let lineStart = true;
  let i = 0;
  while (i < n) {
    tick();
    const c = raw[i] as string;
    if (lineStart && c === "#") {
      // a Markdown heading: not part of the paragraph, but it ends a sentence
      while (i < n && raw[i] !== "\n") {
        tick();
        i++;
      }
      if (out.length > 0 && out[out.length - 1] !== "\n") emit("\n", i);
      continue;
    }
    if (c === "\n") {
      let newlines = 0;
      let j = i;
      while (j < n && (raw[j] === "\n" || isBlank(raw[j]))) {
        tick();
        if (raw[j] === "\n") newlines++;
        j++;
      }
      if (newlines >= 2) {
        if (out.length > 0 && out[out.length - 1] !== "\n") {
          if (out[out.length - 1] === " ") {
            out.pop();
            map.pop();
          }
          emit("\n", i);
        }
      } else {
        space(i);
      }
      i = j;
      lineStart = true;
      continue;
    }
    if (isBlank(c) || c === "~") {
      space(i);
      i++;
      continue;
    }
    lineStart = false;
    if (c === "$" || c === "{" || c === "}") {
      i++;
    } else if (c === "\\") {
      let j = i + 1;
      while (isLetter(raw[j])) {
        tick();
        j++;
      }
      const name = raw.slice(i + 1, j);
      if (LATEX_TIMES.has(name)) emit("×", i);
      else if (!LATEX_KEEP.has(name)) space(i);
      i = j === i + 1 ? i + 2 : j;
    } else if (c === "[") {
      // a citation such as [10, 18] is not part of the description
      let j = i + 1;
      while (
        j < n &&
        j - i < 40 &&
        (isDigit(raw[j]) || raw[j] === "," || isBlank(raw[j]) || raw[j] === "-")
      )
        j++;
      tick();
      if (raw[j] === "]" && j > i + 1) i = j + 1;
      else {
        emit(c, i);
        i++;
      }
    } else if (DASHES.has(c)) {
      emit("-", i);
      i++;
    } else if (c === "\u2019" || c === "\u2018") {
      emit("'", i);
      i++;
    } else if (c === "\u201c" || c === "\u201d") {
      emit('"', i);
      i++;
    } else {
      emit(c, i);
      i++;
    }
  }
  map.push(n);
  return { text: out.join(""), map };
}

/** Splits normalised text into sentences at `.`, `!`, `?` before a capital, and at paragraph breaks. */
function sentences(t: string, tick: () => void): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let start = 0;
  const push = (end: number) => {
    let s = start;
    while (s < end && (t[s] === " " || t[s] === "\n" || t[s] === '"')) s++;
    let e = end;
    while (e > s && (t[e - 1] === " " || t[e - 1] === "\n" || t[e - 1] === '"')) e--;
    if (e > s) out.push({ start: s, end: e });
  };
  for (let i = 0; i < t.length; i++) {
    tick();
    const c = t[i];
    if (c === "\n") {
      push(i);
      start = i + 1;
      continue;
    }
    if (c !== "." && c !== "!" && c !== "?") continue;
    let j = i + 1;
    while (t[j] === '"' || t[j] === "'" || t[j] === ")") j++;
    if (j < t.length && t[j] !== " " && t[j] !== "\n") continue;
    while (t[j] === " " || t[j] === '"' || t[j] === "(") j++;
    const next = t[j];
    const capital =
      next === undefined || next === "\n" || (isLetter(next) && next !== next.toLowerCase());
    if (!capital) continue;
    if (c === ".") {
      let k = i;
      while (k > 0 && i - k < 8 && (isLetter(t[k - 1]) || t[k - 1] === ".")) k--;
      if (ABBREVIATIONS.has(t.slice(k, i).toLowerCase())) continue;
    }
    push(i + 1);
    start = i + 1;
  }
  push(t.length);
  return out;
}

/** The tokens of a sentence: lower-case words, numbers, sizes (`8 × 8`) and punctuation. */
function tokenize(t: string, from: number, to: number, tick: () => void): Tok[] {
  const toks: Tok[] = [];
  let i = from;
  const number = (at: number): number => {
    let j = at;
    while (isDigit(t[j])) j++;
    if (t[j] === "." && isDigit(t[j + 1])) {
      j++;
      while (isDigit(t[j])) j++;
    }
    if (
      t[j] === "," &&
      isDigit(t[j + 1]) &&
      isDigit(t[j + 2]) &&
      isDigit(t[j + 3]) &&
      !isDigit(t[j + 4])
    ) {
      // a thousands separator: 1,000
      j += 4;
    }
    return j;
  };
  while (i < to) {
    tick();
    const c = t[i] as string;
    if (isDigit(c)) {
      const e = number(i);
      const parts = [Number(t.slice(i, e).replaceAll(",", ""))];
      const partTexts = [t.slice(i, e)];
      let end = e;
      for (;;) {
        let j = end;
        while (t[j] === " ") j++;
        if (t[j] === "×" || t[j] === "x" || t[j] === "X" || t[j] === "*") j++;
        else if (t[j] === "b" && t[j + 1] === "y" && t[j + 2] === " ") j += 2;
        else break;
        while (t[j] === " ") j++;
        if (!isDigit(t[j]) || j >= to) break;
        const e2 = number(j);
        tick();
        parts.push(Number(t.slice(j, e2).replaceAll(",", "")));
        partTexts.push(t.slice(j, e2));
        end = e2;
      }
      if (parts.length === 1 && isLetter(t[end]) && t[end] !== "x" && t[end] !== "X") {
        // an ordinal or unit glued to the number (4th, 3D): one word
        let j = end;
        while (isLetter(t[j]) || isDigit(t[j])) j++;
        toks.push({ k: "w", text: t.slice(i, j).toLowerCase(), start: i, end: j });
        i = j;
        continue;
      }
      toks.push(
        parts.length === 1
          ? { k: "n", text: partTexts[0] as string, value: parts[0] as number, start: i, end }
          : { k: "s", text: t.slice(i, end), parts, partTexts, start: i, end },
      );
      i = t[end] === "-" && isLetter(t[end + 1]) ? end + 1 : end;
    } else if (isLetter(c)) {
      let j = i;
      while (
        isLetter(t[j]) ||
        isDigit(t[j]) ||
        ((t[j] === "-" || t[j] === "'") && isLetter(t[j + 1]))
      )
        j++;
      toks.push({ k: "w", text: t.slice(i, j).toLowerCase(), start: i, end: j });
      i = j;
    } else if (c === " ") {
      i++;
    } else {
      toks.push({ k: "p", text: c, start: i, end: i + 1 });
      i++;
    }
  }
  return toks;
}

const FILTER_WORDS = new Set([
  "filters",
  "filter",
  "kernels",
  "kernel",
  "maps",
  "channels",
  "convolutions",
  "feature",
]);
/** Words naming a convolution's kernel; "feature maps" name its output, so they are not here. */
const KERNEL_WORDS = new Set(["filters", "filter", "kernels", "kernel", "convolutions"]);
/** Words after which a size is an output size, not a kernel ("feature maps of size 28 × 28"). */
const OUTPUT_SIZE_WORDS = new Set(["maps", "map", "output", "outputs", "input", "image", "images"]);
const UNIT_WORDS = new Set([
  "units",
  "unit",
  "neurons",
  "neuron",
  "nodes",
  "node",
  "outputs",
  "output",
]);
const CLASS_WORDS = new Set([
  "actions",
  "action",
  "classes",
  "class",
  "categories",
  "category",
  "labels",
]);
const LAYER_WORDS = new Set(["layer", "layers"]);
const ACTIVATION_WORDS: ReadonlyMap<string, ActivationName> = new Map([
  ["rectifier", "relu"],
  ["rectifiers", "relu"],
  ["rectified", "relu"],
  ["relu", "relu"],
  ["relus", "relu"],
  ["relu6", "relu6"],
  ["tanh", "tanh"],
  ["sigmoid", "sigmoid"],
  ["sigmoidal", "sigmoid"],
  ["logistic", "sigmoid"],
  ["softmax", "softmax"],
  ["elu", "elu"],
  ["gelu", "gelu"],
  ["swish", "silu"],
  ["silu", "silu"],
  ["leaky", "leakyrelu"],
]);
const SMALL_NUMBERS: ReadonlyMap<string, number> = new Map([
  ["one", 1],
  ["single", 1],
  ["two", 2],
  ["three", 3],
  ["four", 4],
  ["five", 5],
  ["six", 6],
  ["seven", 7],
  ["eight", 8],
  ["nine", 9],
  ["ten", 10],
]);

function isConvVerb(w: string): boolean {
  return w.startsWith("convolv");
}
function isPoolWord(w: string): boolean {
  // "pooling", "max-pooling", "maxpool", "max-pool"; not "pooled" ("the pooled output of ...")
  return w.endsWith("pooling") || w.endsWith("pool") || w === "subsampling" || w === "sub-sampling";
}
function isDenseWord(w: string): boolean {
  return w === "fully-connected" || w === "full-connected" || w === "dense" || w === "fc";
}

/** What a clause talks about, found in one pass over its tokens. */
interface Cues {
  conv: boolean;
  pool: boolean;
  dense: boolean;
  /** "the output layer" without "fully-connected": read as dense, with an assumption. */
  outputLayer: boolean;
  dropout: boolean;
  layer: boolean;
  input: boolean;
  counts: boolean;
  activation: ActivationName | "linear" | undefined;
}

function cues(toks: readonly Tok[]): Cues {
  pass(toks);
  let convVerb = false;
  let convNoun = false;
  let filters = false;
  let size = false;
  const c: Cues = {
    conv: false,
    pool: false,
    dense: false,
    outputLayer: false,
    dropout: false,
    layer: false,
    input: false,
    counts: false,
    activation: undefined,
  };
  let relu = false;
  let other: ActivationName | undefined;
  let linear = false;
  toks.forEach((t, i) => {
    if (t.k === "s") size = true;
    if (t.k !== "w") return;
    const w = t.text;
    const next = toks[i + 1];
    const prev = toks[i - 1];
    if (isConvVerb(w)) convVerb = true;
    if (w === "convolutional" || w === "convolution" || w === "conv") convNoun = true;
    if (KERNEL_WORDS.has(w)) filters = true;
    if (isPoolWord(w)) c.pool = true;
    if (isDenseWord(w) || (w === "fully" && next?.k === "w" && next.text === "connected"))
      c.dense = true;
    if (
      UNIT_WORDS.has(w) &&
      w !== "output" &&
      prev !== undefined &&
      (prev.k === "n" || prev.k === "w")
    ) {
      c.dense =
        c.dense ||
        toks
          .slice(Math.max(0, i - 4), i)
          .some((x, k, near) => x.k === "n" && !LAYER_WORDS.has(near[k - 1]?.text ?? ""));
    }
    if (w === "way" && prev?.k === "n") c.dense = true;
    if (w === "dropout") c.dropout = true;
    if (w === "output" && next?.k === "w" && LAYER_WORDS.has(next.text)) c.outputLayer = true;
    if (LAYER_WORDS.has(w)) c.layer = true;
    if (w === "input" || w === "inputs" || w === "image" || w === "images") c.input = true;
    if (CLASS_WORDS.has(w)) c.counts = true;
    const act = ACTIVATION_WORDS.get(w);
    if (act === "relu") relu = true;
    else if (act !== undefined) other = act;
    if (w === "linear" && prev?.text !== "rectified") linear = true;
  });
  c.conv = convVerb || (convNoun && c.layer) || (filters && size && !c.pool);
  c.activation = relu ? "relu" : (other ?? (linear ? "linear" : undefined));
  if (c.conv && c.pool && !convVerb && !convNoun) c.conv = false;
  if (c.dense) c.outputLayer = false;
  return c;
}

/** What has been read so far, where it came from, and what had to be assumed. */
class Reader {
  readonly table: SpanTable = spanTable();
  readonly assumptions: Assumption[] = [];
  readonly warnings: Warning[] = [];
  readonly layers: Record<string, unknown>[] = [];
  input: number[] | undefined;
  inputSpan: Span | undefined;
  /** Number of outputs stated ("18 actions") or a range ("between 4 and 18"). */
  count: { min: number; max: number; span: Span } | undefined;
  /** Layers whose units are "one per action", resolved at the end. */
  perAction: { layer: Record<string, unknown>; span: Span }[] = [];
  /** Indices of layers that leave these open, for the assumptions. */
  noPadding: number[] = [];
  /** Padding stated for the whole network ("there is no padding", "all convolutions are padded by 1"). */
  globalPadding: { value: number | number[] | "same" | "valid"; sentence: Sentence } | undefined;
  noStride: number[] = [];
  poolStride: number[] = [];

  constructor(
    readonly raw: string,
    readonly norm: Normal,
  ) {}

  /** The original-text span of a normalised range. */
  span(start: number, end: number): Span {
    const s = this.norm.map[start] ?? this.raw.length;
    const e = end > start ? (this.norm.map[end - 1] ?? this.raw.length - 1) + 1 : s;
    return { start: s, end: Math.max(e, s + 1) };
  }

  quote(s: Sentence): string {
    const text = this.norm.text.slice(s.start, s.end);
    return `"${text.length > 160 ? `${text.slice(0, 157)}...` : text}"`;
  }

  fail(code: string, s: Sentence, why: string, at?: Tok): never {
    throw new CnnError({
      code,
      message: `cannot read the ${code === "unreadable-input" ? "input" : "layer"} in ${this.quote(s)}: ${why}`,
      span: at ? this.span(at.start, at.end) : this.span(s.start, s.end),
    });
  }

  /** Line and column of an offset; offsets asked for only grow, so a cursor keeps this linear. */
  where(at: number): string {
    const c = this.cursor;
    if (at < c.at) Object.assign(c, { at: 0, line: 1, col: 1 });
    for (; c.at < at && c.at < this.raw.length; c.at++) {
      if (this.raw[c.at] === "\n") {
        c.line++;
        c.col = 1;
      } else c.col++;
    }
    return `line ${c.line}, column ${c.col}`;
  }

  private readonly cursor = { at: 0, line: 1, col: 1 };

  add(
    layer: Record<string, unknown>,
    s: Sentence,
    from: Tok | undefined,
    to: Tok | undefined,
  ): string {
    this.layers.push(layer);
    setSpan(
      this.table,
      layer,
      from && to ? this.span(from.start, to.end) : this.span(s.start, s.end),
    );
    return `layers[${this.layers.length - 1}]`;
  }

  key(layer: Record<string, unknown>, key: string, value: unknown, t: Tok): void {
    layer[key] = value;
    setKeySpan(this.table, layer, key, this.span(t.start, t.end));
  }
}

/** The value of a number or number word token. */
function numberOf(t: Tok | undefined): number | undefined {
  if (t === undefined) return undefined;
  if (t.k === "n") return t.value;
  if (t.k === "w") return SMALL_NUMBERS.get(t.text);
  return undefined;
}

function word(t: Tok | undefined, ...words: string[]): boolean {
  return t !== undefined && t.k === "w" && words.includes(t.text);
}

/** Index of the value after a keyword at i, skipping "of", "a", "size", "length" (bounded). */
function valueAfter(toks: readonly Tok[], i: number): number {
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

function sizeValue(t: Tok): number | number[] {
  return t.k === "s" ? t.parts : (numberOf(t) as number);
}

/** Reads "stride S", "a stride of S pixels", "S-pixel stride"; -1 when absent. */
function findStride(toks: readonly Tok[]): { at: number; key: number } | undefined {
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

type PaddingRead =
  | { value: number | number[] | "same" | "valid"; tok: Tok }
  | { missing: Tok }
  | undefined;

/** Reads "zero-padding of P", "P-pixel padding", "same padding", "no padding". */
function findPadding(toks: readonly Tok[]): PaddingRead {
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
function findDilation(toks: readonly Tok[]): Tok | undefined {
  pass(toks);
  for (let i = 0; i < toks.length; i++) {
    if (!word(toks[i], "dilation", "dilated", "dilations")) continue;
    const j = valueAfter(toks, i);
    if (j !== -1) return toks[j];
  }
  return undefined;
}

/** Splits a sentence's tokens into clauses at "followed by", "then", ";" and "after which". */
function clauses(toks: readonly Tok[]): Tok[][] {
  pass(toks);
  const out: Tok[][] = [];
  let cur: Tok[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Tok;
    const next = toks[i + 1];
    if (word(t, "followed") && word(next, "by")) {
      out.push(cur);
      cur = [];
      i++;
    } else if (word(t, "then") || (t.k === "p" && t.text === ";")) {
      out.push(cur);
      cur = [];
    } else if (word(t, "after") && word(next, "which")) {
      out.push(cur);
      cur = [];
      i++;
    } else {
      cur.push(t);
    }
  }
  out.push(cur);
  return out.filter((c) => c.some((t) => t.k !== "p"));
}

/** The kernel of a conv clause: "N K×K filters", "filters of (size) K×K", "K×K convolutions". */
function findKernel(toks: readonly Tok[]): number {
  pass(toks);
  let fallback = -1;
  let sizes = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Tok;
    const prev = toks[i - 1];
    if (t.k === "s") {
      if (word(prev, "stride", "strides", "of") && word(toks[i - 2], "stride", "strides", "stride"))
        continue;
      if (word(prev, "stride", "strides")) continue;
      const after = toks[i + 1];
      if (after?.k === "w" && (KERNEL_WORDS.has(after.text) || after.text.startsWith("conv")))
        return i;
      const after2 = toks[i + 2];
      if (after?.k === "w" && after2?.k === "w" && KERNEL_WORDS.has(after2.text)) return i;
      const before = toks.slice(Math.max(0, i - 4), i);
      if (word(prev, "size", "of") && before.some((x) => x.k === "w" && KERNEL_WORDS.has(x.text)))
        return i;
      // a lone size is the kernel only when nothing names it an input or output size
      const near = toks.slice(Math.max(0, i - 3), i + 3);
      if (!near.some((x) => x.k === "w" && OUTPUT_SIZE_WORDS.has(x.text))) {
        sizes++;
        if (fallback === -1) fallback = i;
      }
    } else if (t.k === "n" && word(prev, "size")) {
      const back = toks.slice(Math.max(0, i - 5), i);
      if (back.some((x) => x.k === "w" && (KERNEL_WORDS.has(x.text) || x.text === "receptive")))
        return i;
    }
  }
  return sizes === 1 ? fallback : -1;
}

/** The filter count of a conv clause: "16 8×8 filters", "32 filters", "with 64 kernels". */
function findFilters(toks: readonly Tok[], kernelAt: number): number {
  pass(toks);
  if (kernelAt > 0 && toks[kernelAt - 1]?.k === "n") return kernelAt - 1;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Tok;
    if (t.k !== "n") continue;
    const a = toks[i + 1];
    const b = toks[i + 2];
    if (a?.k === "w" && FILTER_WORDS.has(a.text)) return i;
    if (a?.k === "w" && b?.k === "w" && FILTER_WORDS.has(b.text) && !FILTER_WORDS.has(a.text))
      return i;
  }
  return -1;
}

/** Reads a clause that describes a convolution. */
function readConv(r: Reader, s: Sentence, toks: Tok[], c: Cues): void {
  const layer: Record<string, unknown> = { type: "conv" };
  const kernelAt = findKernel(toks);
  const kernelTok = toks[kernelAt];
  let filtersAt = -1;
  if (kernelTok?.k === "s" && (kernelTok.partTexts[0] as string).includes(".")) {
    // "16.8 × 8": a PDF extraction merged the count "16" and the kernel "8 × 8"
    const [count, first] = (kernelTok.partTexts[0] as string).split(".") as [string, string];
    const rest = kernelTok.parts.slice(1);
    if (first !== kernelTok.partTexts[1]) {
      r.fail(
        "merged-number",
        s,
        `'${kernelTok.text}' has a decimal where a filter count and a kernel size are expected (a merged "N K × K"?); expected e.g. "16 8 × 8 filters"`,
        kernelTok,
      );
    }
    const kernel = [Number(first), ...rest];
    const at = r.span(kernelTok.start, kernelTok.end);
    r.key(layer, "filters", Number(count), kernelTok);
    r.key(layer, "kernel", kernel, kernelTok);
    r.warnings.push({
      code: "merged-number",
      message: `read '${r.raw.slice(at.start, at.end)}' (${r.where(at.start)}) as ${count} ${plural(Number(count), "filter")} of ${kernel.join(" × ")}: the text looks like a PDF extraction that merged "${count} ${kernel.join(" × ")}"; check it against the paper`,
      layer: `layers[${r.layers.length}]`,
      span: at,
    });
  } else {
    if (kernelAt === -1) {
      r.fail(
        "unreadable-layer",
        s,
        'no kernel size found; expected e.g. "16 8 × 8 filters" or "filters of size 5 × 5"',
      );
    }
    const k = kernelTok as Tok;
    let kernel = sizeValue(k);
    if (Array.isArray(kernel) && kernel.length === 3) {
      r.assumptions.push({
        code: "kernel-depth",
        message: `read the kernel '${k.text}' of layers[${r.layers.length}] as ${kernel[0]} × ${kernel[1]} over all input channels (its depth ${kernel[2]} is not checked)`,
      });
      kernel = kernel.slice(0, 2);
    }
    r.key(layer, "kernel", kernel, k);
    filtersAt = findFilters(toks, kernelAt);
    if (filtersAt === -1) {
      r.fail(
        "unreadable-layer",
        s,
        'no number of filters found; expected e.g. "16 8 × 8 filters" or "32 filters of 5 × 5"',
      );
    }
    r.key(layer, "filters", numberOf(toks[filtersAt]), toks[filtersAt] as Tok);
  }
  readWindowOptions(r, s, toks, layer, "conv");
  if (c.activation !== undefined && c.activation !== "linear") layer.activation = c.activation;
  r.add(layer, s, toks[0], toks[toks.length - 1]);
}

/** Stride, padding and dilation of a conv or pooling clause, with assumptions for gaps. */
function readWindowOptions(
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

/** Reads a clause that describes pooling. */
function readPool(r: Reader, s: Sentence, toks: Tok[]): void {
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

/** Reads a clause that describes a fully-connected layer. */
function readDense(r: Reader, s: Sentence, toks: Tok[], c: Cues): void {
  pass(toks);
  const layer: Record<string, unknown> = { type: "dense" };
  let unitsAt = -1;
  let perAction = false;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Tok;
    // "layer 3 neurons ..." numbers a layer; it is not a count of units
    if (t.k === "n" && !(toks[i - 1]?.k === "w" && LAYER_WORDS.has((toks[i - 1] as Tok).text))) {
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

/** Reads "dropout (with probability|rate) 0.5". */
function readDropout(r: Reader, s: Sentence, toks: Tok[]): void {
  pass(toks);
  const layer: Record<string, unknown> = { type: "dropout" };
  const at = toks.findIndex((t) => t.k === "n");
  if (at !== -1) r.key(layer, "rate", numberOf(toks[at]), toks[at] as Tok);
  r.add(layer, s, toks[0], toks[toks.length - 1]);
}

/** Reads an input shape: "an 84 × 84 × 4 image", "32 × 32 RGB images". */
function readInput(r: Reader, s: Sentence, toks: Tok[]): boolean {
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
function readCount(r: Reader, toks: Tok[]): boolean {
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

/** Sets an activation clause ("followed by a rectifier") on the layer before it. */
function readActivation(r: Reader, s: Sentence, act: ActivationName): void {
  const prev = r.layers[r.layers.length - 1];
  if (prev === undefined)
    r.fail("unreadable-layer", s, `a ${act} activation with no layer before it`);
  if (
    (prev.type === "conv" || prev.type === "dense" || prev.type === "subsample") &&
    prev.activation === undefined
  ) {
    prev.activation = act;
    return;
  }
  if (prev.activation === act) return;
  r.add({ type: "activation", function: act }, s, undefined, undefined);
}

/** Reads a paragraph of paper prose into a spec, with its assumptions and repair warnings. */
export function parseProse(text: string, options: ProseOptions = {}): ProseResult {
  passes = 0;
  try {
    return readProse(text, options);
  } finally {
    if (options.meter) options.meter.steps += passes;
  }
}

/** Ordinal words that number layers, and their positions. */
const ORDINALS: ReadonlyMap<string, number> = new Map(
  [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
  ].map((w, i) => [w, i + 1]),
);

/**
 * Refuses, with the sentence quoted, what this reader would otherwise read wrong without a word:
 * layer kinds and options it does not know (a transposed, depthwise or grouped convolution, no
 * bias, batch normalization change the counts), several layers in one clause ("two
 * fully-connected layers", "32 5 × 5 filters ... and 64 3 × 3 filters"), and layers numbered out
 * of order. The first ordinal of a clause numbers the layer it describes; later ones ("the output
 * of the first layer") only refer to others.
 */
function refuseUnreadable(r: Reader, s: Sentence, order: { last: number; word: string }): void {
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
      const c = cues(toks);
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
  if (r.layers.length === 0) {
    throw new CnnError({
      code: "no-layers-found",
      message:
        'found no layer in the text; expected sentences such as "The first hidden layer convolves 16 8 × 8 filters with stride 4"',
    });
  }
  for (const p of r.perAction) {
    let units: number;
    if (options.outputs !== undefined) units = options.outputs;
    else if (r.count === undefined) {
      throw new CnnError({
        code: "unknown-outputs",
        message:
          'the output layer has one output per action (or class), but the text never says how many; expected a sentence such as "there are 18 valid actions", or --outputs N',
        span: p.span,
      });
    } else {
      units = r.count.max;
      if (r.count.min !== r.count.max) {
        r.assumptions.push({
          code: "outputs-range",
          message: `the text gives the number of outputs as a range, ${r.count.min} to ${r.count.max}; assumed ${r.count.max}, the largest (use --outputs N for another)`,
        });
      }
    }
    p.layer.units = units;
    setKeySpan(r.table, p.layer, "units", r.count?.span ?? p.span);
  }
  if (options.outputs !== undefined && r.perAction.length === 0) {
    r.warnings.push({
      code: "outputs-unused",
      message: `--outputs ${options.outputs} is not used: no layer in the text has one output per action or class`,
      layer: null,
    });
  }
  const list = (indices: number[]) => indices.map((i) => `layers[${i}]`).join(", ");
  const global = r.globalPadding;
  if (global !== undefined && global.value !== 0) {
    // padding stated once for the network applies to each convolution that gives none
    const convs = r.noPadding.filter((i) => r.layers[i]?.type === "conv");
    for (const i of convs) (r.layers[i] as Record<string, unknown>).padding = global.value;
    if (convs.length > 0) {
      r.assumptions.push({
        code: "padding-global",
        message: `read ${r.quote(global.sentence)} as the padding (${JSON.stringify(global.value)}) of ${list(convs)}`,
      });
    }
    r.noPadding = r.noPadding.filter((i) => !convs.includes(i));
  }
  if (r.noPadding.length > 0 && global?.value !== 0) {
    r.assumptions.push({
      code: "padding-zero",
      message: `no padding is mentioned for ${list(r.noPadding)}; assumed 0`,
    });
  }
  if (r.noStride.length > 0) {
    r.assumptions.push({
      code: "stride-one",
      message: `no stride is mentioned for ${list(r.noStride)}; assumed 1`,
    });
  }
  if (r.poolStride.length > 0) {
    r.assumptions.push({
      code: "pool-stride",
      message: `no stride is mentioned for the pooling ${list(r.poolStride)}; assumed equal to its size (non-overlapping)`,
    });
  }
  const root: Record<string, unknown> = { layers: r.layers };
  if (r.input !== undefined) {
    root.input = r.input;
    setKeySpan(r.table, root, "input", r.inputSpan as Span);
    setSpan(r.table, r.input, r.inputSpan as Span);
  }
  const locate = (path: string) => locateRaw(root, r.table, path);
  let spec: NetworkSpec;
  try {
    spec = validateSpec(root);
  } catch (e) {
    if (e instanceof CnnError && e.diagnostic.path !== undefined)
      e.diagnostic.span ??= locate(e.diagnostic.path);
    throw e;
  }
  return { spec, locate, assumptions: r.assumptions, warnings: r.warnings };
}
