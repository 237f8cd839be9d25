import type {
  Answer,
  AnswerProblem,
  AnswerQuantity,
  AnswerSheet,
  AnswerValue,
  LayerRef,
  LayerRole,
} from "../core/check.js";
import { type CnnError, cnnError, type ErrorCode, errorOf, type Span } from "../core/errors.js";
import { type JsonSourceMap, parseJson } from "./json.js";
import { didYouMean, entryOf, suggest, TYPE_ALIASES } from "./names.js";

/*
 * The answers file of `cnncalc check`: plain lines (`layer 1 neurons 6400`,
 * `conv2 connections 666,144`, or the tutorial's layout: a heading such as `First Convolutional
 * Layer:` and then `Weights per filter: 257`) or JSON. A line that cannot be read is a problem
 * (data with a code, a message, a span and maybe a hint), collected per line so that every other
 * line can still be marked; the CLI shows it with its line number and a caret.
 */

/** Every spelling of a quantity an answer may use (lower case, words separated by one space). */
export const QUANTITY_ALIASES: Readonly<Record<string, AnswerQuantity>> = {
  a: "weightsPerNeuron",
  weights: "weightsPerNeuron",
  weight: "weightsPerNeuron",
  "weights per neuron": "weightsPerNeuron",
  "weight per neuron": "weightsPerNeuron",
  "weights per filter": "weightsPerNeuron",
  "weight per filter": "weightsPerNeuron",
  "weights per unit": "weightsPerNeuron",
  "weights per kernel": "weightsPerNeuron",
  weightsperneuron: "weightsPerNeuron",
  width: "width",
  "output width": "width",
  height: "height",
  "output height": "height",
  depth: "depth",
  "output depth": "depth",
  length: "length",
  "output length": "length",
  b: "size",
  size: "size",
  "output size": "size",
  "width and height": "size",
  "height and width": "size",
  "width height": "size",
  "height width": "size",
  output: "output",
  shape: "output",
  "output shape": "output",
  c: "neurons",
  neurons: "neurons",
  "neurons in layer": "neurons",
  "neurons in this layer": "neurons",
  units: "neurons",
  d: "connections",
  connections: "connections",
  "connections into the neurons": "connections",
  edges: "connections",
  e: "parameters",
  parameters: "parameters",
  params: "parameters",
  "independent parameters": "parameters",
};

/** A problem found while reading, before it is tied to its line. */
type Problem = Omit<AnswerProblem, "line">;

function bad(code: ErrorCode, message: string, span: Span, hint?: string): Problem {
  return hint === undefined ? { code, message, span } : { code, message, span, hint };
}

function isProblem<T>(x: T | Problem): x is Problem {
  return typeof x === "object" && x !== null && "message" in x && "span" in x;
}

const QUANTITY_LIST =
  "weights per neuron, width, height, size, output, neurons, connections, parameters";

/** Normalises quantity words: lower case, no brackets or trailing `:`/`=`, single spaces. */
function normalQuantity(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[()[\]:=]/g, " ")
      .replace(/[-_/&,]+/g, " ")
      .replace(/\band\b/g, " and ")
      .replace(/\s+/g, " ")
      .trim()
      // the tutorial's own wording: "weight per filter (including bias)", "neurons in this layer"
      .replace(/ (?:including|incl|with) bias$/, "")
      .replace(/ (?:of|in|into) (?:the |this )?layer$/, "")
      .replace(/^(?:the )?number of /, "")
  );
}

/** The quantity of some normalised words, trying them without `and` too. */
function quantityOfKey(key: string): AnswerQuantity | undefined {
  return entryOf(QUANTITY_ALIASES, key) ?? entryOf(QUANTITY_ALIASES, key.replace(/ and /g, " "));
}

/**
 * The quantity named by some words, or a problem pointing at them. A tutorial label before the
 * words (`(c) neurons`, `a. weights per filter`) is dropped: the words say more than the label.
 */
export function quantityOf(text: string, span: Span): AnswerQuantity | Problem {
  const key = normalQuantity(text);
  const labelled = /^[a-e]\.? (.+)$/.exec(key);
  const q =
    (labelled ? quantityOfKey(normalQuantity(labelled[1] as string)) : undefined) ??
    quantityOfKey(key);
  if (q !== undefined) return q;
  const hint = didYouMean(labelled ? (labelled[1] as string) : key, Object.keys(QUANTITY_ALIASES));
  return bad(
    key === "" ? "missing-quantity" : "unknown-quantity",
    key === ""
      ? `missing the quantity; expected one of: ${QUANTITY_LIST}`
      : `unknown quantity '${text.trim()}'; expected one of: ${QUANTITY_LIST}`,
    span,
    hint,
  );
}

const GROUPED = /^\d{1,3}(?:[,_' \u00a0\u2009\u202f]\d{3})+$/;
const SIZES = /^\d+(?:\s*[x×X*]\s*\d+)+$/;

/** Reads a count with optional thousands separators (`1,644,800`, `1 644 800`, `1_644_800`). */
export function parseValue(text: string, span: Span): AnswerValue | Problem {
  const t = text.trim();
  if (/^\d+$/.test(t) || GROUPED.test(t)) {
    return { kind: "count", value: BigInt(t.replace(/\D/g, "")) };
  }
  if (SIZES.test(t)) {
    return { kind: "sizes", values: t.split(/\s*[x×X*]\s*/).map(Number) };
  }
  return bad(
    "invalid-number",
    `expected a whole number (digits, optionally grouped in threes by commas, spaces or underscores, e.g. 1,644,800) or sizes such as 20x20x16; received '${t}'`,
    span,
  );
}

/** Reads a layer reference: `1`, `3.1`, `conv2`, `fc1` (also tried as `dense1`), `layers[2]`. */
export function parseLayerRef(text: string): LayerRef {
  const t = text.trim();
  if (/^\d+(?:\.\d+)*$/.test(t)) return { kind: "index", indices: t.split(".").map(Number) };
  if (/^layers\[/.test(t)) return { kind: "path", path: t };
  const names = [t];
  const m = /^([a-z]+)(\d+)$/i.exec(t);
  const alias = m ? entryOf(TYPE_ALIASES, (m[1] as string).toLowerCase()) : undefined;
  if (m && alias) names.push(`${alias}${m[2]}`);
  return { kind: "name", names };
}

const SPACE_GROUP = /^\d{3}$/;

interface Word {
  text: string;
  start: number;
  end: number;
}

/** Splits a line into words with their offsets. */
function words(line: string, base: number): Word[] {
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
interface Heading {
  layer: LayerRef;
  layerText: string;
}

/**
 * Reads a heading at the start of some words: `[the] [ordinal] [family] layer [n]`, as in
 * "First Convolutional Layer:", "fully connected layer", "output layer", "conv layer 2",
 * "layer 3"; also a name or index alone with a colon ("conv2:"). Returns the heading and the
 * number of words it took, or null.
 */
function readHeading(ws: readonly Word[]): { heading: Heading; used: number } | null {
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
function headingTypo(ws: readonly Word[]): string | undefined {
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
function namesLayer(word: string): boolean {
  return /^(?:layer|l[-_#]?\d|#?\d|layers\[|[a-z_][a-z_-]*\d+[:,]?$)/i.test(word);
}

/** What the lines before say the current layer is: a heading read, or one that was not. */
type Context = Heading | { unread: number } | null;

/** A line read: an answer, a heading (sets the context), a problem. */
type LineResult = { answer: Answer } | { heading: Heading } | { problem: Problem };

/**
 * Parses one non-empty line (comment already removed): a heading alone, or an answer whose layer
 * comes first (`layer 1 neurons 6400`), from a heading on the line (`output layer parameters
 * 4,626`) or from the heading above (`(c) neurons in layer: 6400`). In the tutorial's layout the
 * working may stand between the label and the value: `Neurons in layer: 20 × 20 × 16 = 6400`.
 */
function parseLine(line: string, lineStart: number, lineNo: number, context: Context): LineResult {
  const ws = words(line, lineStart);
  const alone = readHeading(ws);
  if (alone && alone.used === ws.length) return { heading: alone.heading };
  const last = ws[ws.length - 1] as Word;
  // the value: the last word, joined with the words before it when they are space-grouped
  // digits (`1 644 800`) or a size written with spaces (`20 x 20`)
  let first = ws.length - 1;
  const isSizes = (from: number) =>
    SIZES.test(
      ws
        .slice(from)
        .map((w) => w.text)
        .join(" "),
    );
  while (first > 0) {
    const prev = ws[first - 1] as Word;
    const cur = ws[first] as Word;
    if (/^\d{1,3}$/.test(prev.text) && SPACE_GROUP.test(cur.text) && first - 1 > 0) {
      first--;
      continue;
    }
    if (first - 1 > 0 && (isSizes(first - 1) || /^[x×X*]$/.test(prev.text))) {
      first--;
      continue;
    }
    break;
  }
  let valueWords = ws.slice(first);
  // `layer 1 width 20 400` style grouping must leave the layer and quantity words alone
  while (valueWords.length > 1 && !/\d/.test((valueWords[0] as Word).text)) {
    valueWords = valueWords.slice(1);
    first++;
  }
  const valueSpan = { start: (ws[first] as Word).start, end: last.end };
  const valueText = line.slice(valueSpan.start - lineStart, valueSpan.end - lineStart);
  if (!/\d/.test(valueText)) {
    return {
      problem: bad(
        "missing-value",
        `expected a number at the end of the line, as in 'layer 1 neurons 6400', or a heading such as 'first convolutional layer'; received '${line.trim()}'`,
        { start: last.end, end: last.end + 1 },
        headingTypo(ws),
      ),
    };
  }
  let head = ws.slice(0, first);
  // working before the value (`Connections: 20 × 20 × 16 × 257 = 1644800`): the label is what
  // stands before the first `:` or `=`
  if (head.length > 0 && /=$/.test((head[head.length - 1] as Word).text)) {
    const cut = head.findIndex((w) => /[:=]/.test(w.text));
    const w = head[cut] as Word;
    const keep = w.text.search(/[:=]/);
    head = head.slice(0, cut);
    if (keep > 0) head.push({ text: w.text.slice(0, keep), start: w.start, end: w.start + keep });
  }
  if (head.length === 0) {
    return {
      problem: bad(
        "missing-layer",
        `expected a layer and a quantity before the value, as in 'layer 1 neurons 6400'; received '${line.trim()}'`,
        valueSpan,
      ),
    };
  }
  // the words' span, without the `:` or `=` that ends a label
  const spanOf = (from: readonly Word[]): Span => {
    const last = from[from.length - 1] as Word;
    const trail = /[:=]+$/.exec(last.text)?.[0].length ?? 0;
    return {
      start: (from[0] as Word).start,
      end: last.end - (trail < last.text.length ? trail : 0),
    };
  };
  const answer = (
    layer: Heading,
    quantityWords: readonly Word[],
    start: number,
    quantity: AnswerQuantity | Problem,
  ): LineResult => {
    if (isProblem(quantity)) return { problem: quantity };
    const value = parseValue(valueText, valueSpan);
    if (isProblem(value)) return { problem: value };
    const qSpan = spanOf(quantityWords);
    const quantityText = line.slice(qSpan.start - lineStart, qSpan.end - lineStart);
    return {
      answer: {
        line: lineNo,
        layerText: layer.layerText,
        layer: layer.layer,
        quantityText: quantityText.replace(/\s*[:=]\s*$/, ""),
        quantity,
        valueText,
        value,
        span: { start, end: valueSpan.end },
      },
    };
  };
  const firstWord = head[0] as Word;
  if (!namesLayer(firstWord.text)) {
    // a heading on the line: `fully connected layer neurons 256`
    const lead = readHeading(head);
    if (lead) {
      const rest = head.slice(lead.used);
      if (rest.length === 0) {
        const at = (head[head.length - 1] as Word).end;
        return {
          problem: bad(
            "missing-quantity",
            `missing the quantity; expected one of: ${QUANTITY_LIST}`,
            {
              start: at,
              end: at + 1,
            },
          ),
        };
      }
      return answer(
        lead.heading,
        rest,
        firstWord.start,
        quantityOf(wordsText(line, lineStart, rest), spanOf(rest)),
      );
    }
    // no layer on the line: the heading above gives it
    const whole = quantityOf(wordsText(line, lineStart, head), spanOf(head));
    if (context !== null || !isProblem(whole)) {
      if (context === null || "unread" in context) {
        return {
          problem: bad(
            "missing-layer",
            context === null
              ? `expected a layer before the quantity, as in 'layer 1 neurons 6400', or a heading such as 'first convolutional layer' on a line above; received '${line.trim()}'`
              : `the line names no layer, and the heading above it (line ${context.unread}) was not read; expected a heading such as 'first convolutional layer'`,
            spanOf(head),
          ),
        };
      }
      return answer(context, head, firstWord.start, whole);
    }
  }
  // `layer 1`, `layer conv1`, `layer1`, `L1`, or just `1` / `conv1`
  let layerWord = firstWord;
  let layerText = layerWord.text;
  const glued = /^(?:layer|l)[-_#]?(\d+(?:\.\d+)*)$/i.exec(layerText);
  if (/^layer$/i.test(layerText)) {
    if (head.length < 2) {
      return {
        problem: bad("missing-layer", "expected a layer index or name after 'layer'", {
          start: layerWord.end,
          end: layerWord.end + 1,
        }),
      };
    }
    layerWord = head[1] as Word;
    layerText = layerWord.text;
    head = head.slice(2);
  } else {
    head = head.slice(1);
    if (glued) layerText = glued[1] as string;
  }
  layerText = layerText.replace(/[:,]$/, "").replace(/^#/, "");
  if (head.length === 0) {
    return {
      problem: bad("missing-quantity", `missing the quantity; expected one of: ${QUANTITY_LIST}`, {
        start: layerWord.end,
        end: layerWord.end + 1,
      }),
    };
  }
  return answer(
    { layer: parseLayerRef(layerText), layerText },
    head,
    firstWord.start,
    quantityOf(wordsText(line, lineStart, head), spanOf(head)),
  );
}

/** The text some words of a line stand in, the spaces between them kept. */
function wordsText(line: string, lineStart: number, ws: readonly Word[]): string {
  const first = ws[0] as Word;
  const last = ws[ws.length - 1] as Word;
  return line.slice(first.start - lineStart, last.end - lineStart);
}

/**
 * The givens the tutorial's solution lists under each heading, `J = K = 84, L = 4, M = N = 8`:
 * letters set to numbers, no answer in them.
 */
const GIVENS =
  /^\s*[A-Za-z]\s*=\s*(?:[A-Za-z]\s*=\s*)*\d+(?:\s*,\s*[A-Za-z]\s*=\s*(?:[A-Za-z]\s*=\s*)*\d+)*\s*,?\s*$/;

/** A label of the tutorial's layout, `Connections:` or `(e) Independent parameters:`. */
const LABEL =
  /(?<=^|\s)(?:\(?[a-e][).]\s*)?(?:weights? per (?:filter|neuron|unit)|width and height|height and width|neurons|connections|(?:independent )?parameters|output (?:size|shape))(?: (?:of|in|into) (?:the |this )?layer)?(?: \((?:including|incl\.?|with) bias\))?\s*:/gi;

/**
 * The parts of a line holding several answers, as the tutorial's solution writes two on one
 * line (`Connections: 20 × 20 × 16 × 257 = 1644800 Independent parameters: 16 × 257 = 4112`),
 * each the whole line with the rest blanked so that offsets stay those of the text. A label
 * starts a new part only when the part before it has a value after its own colon, so that
 * "connections into the neurons in this layer: 1644800" stays one answer.
 */
function answerParts(line: string): string[] {
  const starts = [0];
  for (const m of line.matchAll(LABEL)) {
    const at = m.index as number;
    if (at > 0 && /:[^:]*\d/.test(line.slice(starts[starts.length - 1], at))) starts.push(at);
  }
  return starts.map((from, i) => {
    const to = starts[i + 1] ?? line.length;
    return " ".repeat(from) + line.slice(from, to) + " ".repeat(line.length - to);
  });
}

/** A Markdown heading (`### First Convolutional Layer:`) is a heading, not a comment. */
const MARKDOWN_HEADING = /^\s*#{1,6}\s+(?=\S)/;

/**
 * Reads the plain-line form, one answer or heading per line; `#` and `//` start comments. Every
 * line is read: one that cannot be is a problem of the sheet, and the lines after it still count.
 */
export function readAnswerLines(text: string): AnswerSheet {
  const answers: Answer[] = [];
  const problems: AnswerProblem[] = [];
  let context: Context = null;
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let lineNo = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    lineNo++;
    // same-length replacements keep every offset, so spans still point into the text: LaTeX's
    // `$...$` and `\times` as the tutorial's solution writes them, a list's leading `-`
    let line = text
      .slice(start, end)
      .replace(/\r$/, "")
      .replace(/\$/g, " ")
      .replace(/\\times/g, "×     ")
      .replace(/^(\s*)[-*•](?=\s)/, "$1 ");
    const md = MARKDOWN_HEADING.exec(line);
    const asHeading = md ? line.slice(md[0].length) : line;
    if (
      md &&
      readHeading(words(asHeading, start + md[0].length))?.used === words(asHeading, 0).length
    ) {
      line = " ".repeat(md[0].length) + asHeading;
    } else {
      const comment = /(?:^|\s)(?:#|\/\/)/.exec(line);
      if (comment) line = line.slice(0, comment.index);
    }
    for (const part of line.trim() === "" || GIVENS.test(line) ? [] : answerParts(line)) {
      const r = parseLine(part, start, lineNo, context);
      if ("answer" in r) {
        answers.push(r.answer);
        context = { layer: r.answer.layer, layerText: r.answer.layerText };
      } else if ("heading" in r) {
        context = r.heading;
      } else {
        problems.push({ line: lineNo, ...r.problem });
        // a heading that could not be read leaves the lines under it without a layer
        if (r.problem.code === "missing-value" && /\blayer\b/i.test(part)) {
          context = { unread: lineNo };
        }
      }
    }
    start = end + 1;
  }
  return { answers, problems };
}

/** 1-based line of an offset. */
function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

function spanOfKey(map: JsonSourceMap, obj: object, key: string, which: "key" | "value"): Span {
  const entry = map.objects.get(obj)?.get(key);
  return entry ? entry[which] : map.root;
}

/** A JSON value as an answer value: an integer, a string with separators, or a list of sizes. */
function jsonValue(
  raw: unknown,
  span: Span,
  text: string,
): { value: AnswerValue; text: string } | Problem {
  if (typeof raw === "number") {
    if (!Number.isSafeInteger(raw) || raw < 0) {
      return bad(
        "invalid-number",
        Number.isInteger(raw) && raw > 0
          ? `the number ${text.slice(span.start, span.end)} is beyond the exact range of JSON numbers; expected it as a string, e.g. "${text.slice(span.start, span.end)}"`
          : `expected a whole number; received ${text.slice(span.start, span.end)}`,
        span,
      );
    }
    return { value: { kind: "count", value: BigInt(raw) }, text: String(raw) };
  }
  if (typeof raw === "string") {
    const value = parseValue(raw, span);
    return isProblem(value) ? value : { value, text: raw };
  }
  if (Array.isArray(raw) && raw.length > 0 && raw.every((v) => Number.isSafeInteger(v) && v > 0)) {
    return { value: { kind: "sizes", values: raw as number[] }, text: raw.join("×") };
  }
  return bad(
    "invalid-number",
    `expected a whole number, a string such as "1,644,800" or a list of sizes; received ${text.slice(span.start, span.end)}`,
    span,
  );
}

function jsonLayer(
  raw: unknown,
  span: Span,
  text: string,
): { ref: LayerRef; text: string } | Problem {
  if (typeof raw === "number" && Number.isSafeInteger(raw) && raw > 0) {
    return { ref: { kind: "index", indices: [raw] }, text: String(raw) };
  }
  if (typeof raw === "string" && raw.trim() !== "") {
    return { ref: parseLayerRef(raw), text: raw.trim() };
  }
  return bad(
    "invalid-layer",
    `expected a layer index (1, 2, ...) or name (conv1); received ${text.slice(span.start, span.end)}`,
    span,
  );
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** One entry of a JSON answer list, or the problem with it. */
function jsonListItem(
  item: unknown,
  span: Span,
  map: JsonSourceMap,
  text: string,
): Answer | Problem {
  if (!isObject(item)) {
    return bad(
      "invalid-answer",
      `expected an answer object such as {"layer": 1, "quantity": "neurons", "value": 6400}; received ${text.slice(span.start, span.end)}`,
      span,
    );
  }
  for (const key of Object.keys(item)) {
    if (!["layer", "quantity", "value"].includes(key)) {
      return bad(
        "unknown-key",
        `unknown key '${key}'; expected layer, quantity and value`,
        spanOfKey(map, item, key, "key"),
        didYouMean(key, ["layer", "quantity", "value"]),
      );
    }
  }
  for (const key of ["layer", "quantity", "value"]) {
    if (!(key in item)) {
      return bad("missing-key", `missing '${key}'; expected layer, quantity and value`, span);
    }
  }
  const qSpan = spanOfKey(map, item, "quantity", "value");
  const layer = jsonLayer(item.layer, spanOfKey(map, item, "layer", "value"), text);
  if (isProblem(layer)) return layer;
  if (typeof item.quantity !== "string") {
    return bad(
      "unknown-quantity",
      `expected the quantity as a string such as "neurons"; received ${text.slice(qSpan.start, qSpan.end)}`,
      qSpan,
    );
  }
  const v = jsonValue(item.value, spanOfKey(map, item, "value", "value"), text);
  if (isProblem(v)) return v;
  const quantity = quantityOf(item.quantity, qSpan);
  if (isProblem(quantity)) return quantity;
  return {
    line: lineOf(text, span.start),
    layerText: layer.text,
    layer: layer.ref,
    quantityText: item.quantity,
    quantity,
    valueText: v.text,
    value: v.value,
    span,
  };
}

/**
 * Reads the JSON form: a list of `{ "layer", "quantity", "value" }` (also under `"answers"`),
 * or an object from layer to `{ quantity: value }`. An entry that cannot be read is a problem of
 * the sheet; only a file that is not JSON, or not of either shape, throws.
 */
export function readAnswerJson(text: string): AnswerSheet {
  const { value: root, map } = parseJson(text);
  const answers: Answer[] = [];
  const problems: AnswerProblem[] = [];
  const add = (a: Answer | Problem) => {
    if (isProblem(a)) problems.push({ line: lineOf(text, a.span.start), ...a });
    else answers.push(a);
  };
  let list: unknown = root;
  if (isObject(root) && Array.isArray(root.answers) && Object.keys(root).length === 1) {
    list = root.answers;
  }
  if (Array.isArray(list)) {
    const spans = map.arrays.get(list) ?? [];
    list.forEach((item, i) => {
      add(jsonListItem(item, spans[i] ?? map.root, map, text));
    });
    return { answers, problems };
  }
  if (!isObject(root)) {
    throw cnnError(
      "invalid-answers",
      'expected a list of answers or an object from layer to answers, e.g. {"1": {"neurons": 6400}}',
      { span: map.root },
    );
  }
  for (const [layerKey, entries] of Object.entries(root)) {
    const keySpan = spanOfKey(map, root, layerKey, "key");
    const entriesSpan = spanOfKey(map, root, layerKey, "value");
    if (!isObject(entries)) {
      add(
        bad(
          "invalid-answers",
          `expected the answers for layer '${layerKey}' as an object such as {"neurons": 6400}; received ${text.slice(entriesSpan.start, entriesSpan.end)}`,
          entriesSpan,
        ),
      );
      continue;
    }
    const layer = jsonLayer(layerKey, keySpan, text);
    for (const [qKey, raw] of Object.entries(entries)) {
      const qSpan = spanOfKey(map, entries, qKey, "key");
      const vSpan = spanOfKey(map, entries, qKey, "value");
      const v = jsonValue(raw, vSpan, text);
      const quantity = quantityOf(qKey, qSpan);
      const bad = [layer, quantity, v].find(isProblem);
      if (bad) {
        add(bad);
        continue;
      }
      const l = layer as { ref: LayerRef; text: string };
      const got = v as { value: AnswerValue; text: string };
      add({
        line: lineOf(text, qSpan.start),
        layerText: l.text,
        layer: l.ref,
        quantityText: qKey,
        quantity: quantity as AnswerQuantity,
        valueText: got.text,
        value: got.value,
        span: { start: qSpan.start, end: vSpan.end },
      });
    }
  }
  return { answers, problems };
}

/**
 * Reads an answers file, JSON when it starts with `{` or `[`, plain lines otherwise: every
 * answer that can be read, and a problem for each line that cannot. Throws only when the file as
 * a whole cannot be read (JSON that is not JSON, or not a list or an object of layers).
 */
export function readAnswers(text: string): AnswerSheet {
  const body = text.replace(/^\uFEFF/, "").trimStart();
  return body.startsWith("{") || body.startsWith("[")
    ? readAnswerJson(text)
    : readAnswerLines(text);
}

/** The error for an answers file without a single answer or line that could not be read. */
export function noAnswersError(): CnnError {
  return cnnError(
    "no-answers",
    "the answers file has no answers; expected lines such as 'layer 1 neurons 6400' or JSON",
  );
}

/**
 * Parses an answers file strictly: its answers, or the first line that cannot be read as a
 * CnnError (`readAnswers` reads past such lines).
 */
export function parseAnswers(text: string): Answer[] {
  const { answers, problems } = readAnswers(text);
  const first = problems[0];
  if (first !== undefined) {
    const { line: _line, ...diagnostic } = first;
    throw errorOf(diagnostic);
  }
  if (answers.length === 0) throw noAnswersError();
  return answers;
}
