import { CnnError, cnnError, type ErrorCode, type Span } from "../core/errors.js";

/* The lexer of the compact layer language (.cnn): source text to tokens, in one linear pass. */

export type Token =
  | { kind: "word"; text: string; start: number; end: number }
  | { kind: "num"; value: number; start: number; end: number }
  | { kind: "size"; parts: number[]; partSpans: Span[]; start: number; end: number }
  | { kind: "str"; value: string; start: number; end: number }
  | { kind: "list"; value: unknown[]; start: number; end: number }
  | { kind: "{" | "}" | ";" | "punct" | "eol" | "eof"; start: number; end: number }
  /** A lexical error, raised when the reader reaches it, so earlier errors come first. */
  | { kind: "bad"; error: CnnError; start: number; end: number };

const SPECIAL = new Set(["{", "}", "[", "]", ";", "#", '"', ","]);
const SIZE_SIGNS = new Set(["x", "X", "×"]);

function isSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\r" || c === "\u00a0" || c === "\ufeff";
}
function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}
function isWordChar(c: string | undefined): boolean {
  return c !== undefined && c !== "\n" && !isSpace(c) && !SPECIAL.has(c);
}

export function syntaxError(code: ErrorCode, message: string, span: Span, hint?: string): CnnError {
  return cnnError(code, message, hint ? { span, hint } : { span });
}

/** What a token looks like in a message. */
export function shown(source: string, t: Token): string {
  if (t.kind === "eol") return "the end of the line";
  if (t.kind === "eof") return "the end of the file";
  const text = source.slice(t.start, t.end);
  return `'${text.length > 40 ? `${text.slice(0, 37)}...` : text}'`;
}

/** Scans a number (JSON-like: sign, digits, fraction, exponent) at i; returns its end or -1. */
function scanNumber(s: string, i: number): number {
  let j = i;
  if (s[j] === "-" || s[j] === "+") j++;
  const digitsStart = j;
  while (isDigit(s[j])) j++;
  if (s[j] === "." && isDigit(s[j + 1])) {
    j++;
    while (isDigit(s[j])) j++;
  }
  if (j === digitsStart) return -1;
  if (
    (s[j] === "e" || s[j] === "E") &&
    (isDigit(s[j + 1]) || (/[-+]/.test(s[j + 1] ?? "") && isDigit(s[j + 2])))
  ) {
    j += 2;
    while (isDigit(s[j])) j++;
  }
  return j;
}

/** Splits a source into tokens, one pass; a lexical error becomes the last token. */
export function lex(s: string): Token[] {
  const tokens: Token[] = [];
  try {
    lexInto(s, tokens);
  } catch (e) {
    if (!(e instanceof CnnError)) throw e;
    const at = e.diagnostic.span?.start ?? s.length;
    tokens.push({ kind: "bad", error: e, start: at, end: at });
  }
  tokens.push({ kind: "eof", start: s.length, end: s.length });
  return tokens;
}

function lexInto(s: string, tokens: Token[]): void {
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s[i] as string;
    if (isSpace(c)) {
      i++;
    } else if (c === "\n") {
      tokens.push({ kind: "eol", start: i, end: i + 1 });
      i++;
    } else if (c === "#") {
      while (i < n && s[i] !== "\n") i++;
    } else if (c === "{" || c === "}" || c === ";") {
      tokens.push({ kind: c, start: i, end: i + 1 });
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < n && s[j] !== '"' && s[j] !== "\n")
        j += s[j] === "\\" && s[j + 1] !== "\n" ? 2 : 1;
      if (s[j] !== '"') {
        throw syntaxError(
          "unterminated-string",
          `unterminated string; expected a closing '"' before ${j >= n ? "the end of the file" : "the end of the line"}`,
          { start: i, end: Math.max(i + 1, j) },
        );
      }
      let value: string;
      try {
        value = JSON.parse(s.slice(i, j + 1)) as string;
      } catch {
        const bad = badStringPart(s, i + 1, j);
        throw syntaxError("invalid-string", bad.message, bad.span);
      }
      tokens.push({ kind: "str", value, start: i, end: j + 1 });
      i = j + 1;
    } else if (c === "[") {
      const end = lexList(s, i, tokens);
      i = end;
    } else if (c === "]" || c === ",") {
      // an error only where a layer reads it: `name My net, v2` takes the line as it is
      tokens.push({ kind: "punct", start: i, end: i + 1 });
      i++;
    } else {
      const numEnd = scanNumber(s, i);
      if (numEnd !== -1) {
        const tok = lexNumberOrSize(s, i, numEnd);
        if (!isWordChar(s[tok.end])) {
          tokens.push(tok);
          i = tok.end;
          continue;
        }
      }
      let j = i;
      while (isWordChar(s[j])) j++;
      tokens.push({ kind: "word", text: s.slice(i, j), start: i, end: j });
      i = j;
    }
  }
}

const STRING_ESCAPES = '"\\/bfnrt';

/**
 * The first part of a string's body (`from` to `to`, quotes excluded) that JSON refuses: an
 * escape it does not know or a raw control character such as a tab.
 */
function badStringPart(s: string, from: number, to: number): { message: string; span: Span } {
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k);
    if (c < 0x20) {
      const code = `U+${c.toString(16).padStart(4, "0").toUpperCase()}`;
      return {
        message: `invalid string: it holds the control character ${code}; expected it written as an escape such as \\t`,
        span: { start: k, end: k + 1 },
      };
    }
    if (s[k] !== "\\") continue;
    const e = s[k + 1] ?? "";
    if (e === "u" && /^[0-9a-fA-F]{4}$/.test(s.slice(k + 2, k + 6))) k += 5;
    else if (e !== "" && e !== "u" && STRING_ESCAPES.includes(e)) k += 1;
    else {
      const end = Math.min(to, e === "u" ? k + 6 : k + 2);
      return {
        message: `invalid escape '${s.slice(k, end)}' in a string; expected one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX`,
        span: { start: k, end },
      };
    }
  }
  return {
    message: "invalid string; expected a JSON string",
    span: { start: from - 1, end: to + 1 },
  };
}

/** A number, or a size `8x8` / `8 × 8 × 3` when a sign and another number follow. */
function lexNumberOrSize(s: string, start: number, numEnd: number): Token {
  const parts = [Number(s.slice(start, numEnd))];
  const partSpans: Span[] = [{ start, end: numEnd }];
  let end = numEnd;
  for (;;) {
    let j = end;
    while (isSpace(s[j])) j++;
    if (!SIZE_SIGNS.has(s[j] as string)) break;
    j++;
    while (isSpace(s[j])) j++;
    if (!isDigit(s[j])) break;
    const e = scanNumber(s, j);
    parts.push(Number(s.slice(j, e)));
    partSpans.push({ start: j, end: e });
    end = e;
  }
  if (parts.length === 1) return { kind: "num", value: parts[0] as number, start, end };
  return { kind: "size", parts, partSpans, start, end };
}

const MAX_LIST_DEPTH = 8;

/** Lexes a bracketed list of numbers and lists (`[[0, 1], [2]]`) at `[`; returns its end. */
function lexList(s: string, open: number, tokens: Token[]): number {
  const root: unknown[] = [];
  const stack: unknown[][] = [root];
  let i = open + 1;
  while (stack.length > 0) {
    const c = s[i];
    const top = stack[stack.length - 1] as unknown[];
    if (c === undefined) {
      throw syntaxError("unterminated-list", "unterminated list; expected ']'", {
        start: open,
        end: open + 1,
      });
    } else if (isSpace(c) || c === "\n" || c === ",") {
      i++;
    } else if (c === "[") {
      // the spec's lists nest two deep (connections); a deeper one is an error, not a deep value
      if (stack.length >= MAX_LIST_DEPTH) {
        throw syntaxError(
          "invalid-list",
          `lists nest deeper than ${MAX_LIST_DEPTH} levels; expected numbers or lists of numbers`,
          { start: i, end: i + 1 },
        );
      }
      const child: unknown[] = [];
      top.push(child);
      stack.push(child);
      i++;
    } else if (c === "]") {
      stack.pop();
      i++;
    } else {
      const e = scanNumber(s, i);
      if (e === -1) {
        throw syntaxError(
          "invalid-list",
          `expected a number, ',' or ']' in a list; received '${c}'`,
          { start: i, end: i + 1 },
        );
      }
      top.push(Number(s.slice(i, e)));
      i = e;
    }
  }
  tokens.push({ kind: "list", value: root, start: open, end: i });
  return i;
}
