import type { Answer, AnswerSheet } from "../core/check.js";
import { type CnnError, cnnError, errorOf } from "../core/errors.js";

/*
 * The answers file of `cnncalc check`: plain lines (`layer 1 neurons 6400`,
 * `conv2 connections 666,144`, or the tutorial's layout: a heading such as `First Convolutional
 * Layer:` and then `Weights per filter: 257`) or JSON. A line that cannot be read is a problem
 * (data with a code, a message, a span and maybe a hint), collected per line so that every other
 * line can still be marked; the CLI shows it with its line number and a caret.
 */

import { readAnswerJson } from "./answers/json.js";
import { readAnswerLines } from "./answers/lines.js";

export { readAnswerJson } from "./answers/json.js";
export { readAnswerLines } from "./answers/lines.js";
export { parseLayerRef, parseValue, QUANTITY_ALIASES, quantityOf } from "./answers/values.js";

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
