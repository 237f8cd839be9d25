import type { Answer, AnswerProblem, AnswerQuantity, AnswerSheet } from "../../core/check.js";
import type { Span } from "../../core/errors.js";
import {
  type Heading,
  headingTypo,
  namesLayer,
  readHeading,
  SPACE_GROUP,
  type Word,
  words,
} from "./headings.js";
import {
  bad,
  isProblem,
  type Problem,
  parseLayerRef,
  parseValue,
  QUANTITY_LIST,
  quantityOf,
  SIZES,
} from "./values.js";

/* Plain answer lines: one line read into an answer, a heading or a problem. */

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
