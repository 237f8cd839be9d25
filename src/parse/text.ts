import { CnnError, type Diagnostic, type Span } from "../core/errors.js";
import type { LayerType, NetworkSpec } from "../core/types.js";
import { counted } from "../core/words.js";
import { pathSegments } from "./json.js";
import { didYouMean, entryOf, FRAMEWORK_KEYS, LAYER_TYPES, typeAdvice } from "./names.js";
import { locateRaw, NO_SPANS, type SpanTable, setKeySpan, setSpan, spanTable } from "./spans.js";
import { type ParsedSpec, validateSpec } from "./spec.js";
import {
  ACTIVATION_WORDS,
  BLOCK_TYPES,
  BOOLEAN_WORDS,
  fold,
  KEY_KINDS,
  OPTION_ALIASES,
  optionKey,
  optionKeys,
  POSITIONALS,
  PRINTED_KEY,
  RANKED_TYPE_WORDS,
  TYPE_WORDS,
  usageLine,
} from "./textlang.js";

/*
 * The compact layer language (.cnn): one statement per line, `#` comments, blocks in braces.
 *
 *   file      := (statement? (NEWLINE | ';' | '{' | '}'))*
 *   statement := 'input' SHAPE | 'name' (STRING | words...) | LAYER | 'branch' '{' | 'shortcut' '{'
 *   LAYER     := TYPE (POSITIONAL | OPTION | FLAG)* '{'?      (a '{' only after a block type)
 *   OPTION    := KEY VALUE           (KEY: any schema key or alias, folded: `Kernel_Size` = kernel)
 *   FLAG      := ACTIVATION | 'nobias' | 'same' | 'valid' | BOOLKEY [true|false|yes|no|on|off]
 *   VALUE     := NUMBER | SIZE | LIST | STRING | WORD
 *   SIZE      := NUMBER (('x' | 'X' | '×') NUMBER)+, spaces allowed around the sign
 *   LIST      := '[' (NUMBER | LIST) (','? (NUMBER | LIST))* ']'
 *
 * Reading is two linear passes (lexer, then statements) with an explicit stack for blocks, so
 * nesting depth costs no call stack. The values go through the same zod schemas as JSON.
 */

type Token =
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

function syntaxError(code: string, message: string, span: Span, hint?: string): CnnError {
  const d: Diagnostic = { code, message, span };
  if (hint) d.hint = hint;
  return new CnnError(d);
}

/** What a token looks like in a message. */
function shown(source: string, t: Token): string {
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
function lex(s: string): Token[] {
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

/** A list being filled: the network's layers, a block's body or shortcut, or a concat's branches. */
interface Frame {
  list: unknown[];
  /** `concat` frames hold `branch { }` statements only. */
  concat: boolean;
  /** The `{` that opened it and the statement that owns it, for "unterminated" errors. */
  open?: Span;
  head?: Span;
  headText?: string;
  /** Set when this frame is a residual's body: closing it allows a `shortcut {` next. */
  residual?: Record<string, unknown>;
  /** A residual just closed in this list, waiting for an optional `shortcut {`. */
  pendingResidual?: Record<string, unknown>;
}

/** The raw value of a value token, recording spans of size parts. */
function tokenValue(t: Token, table: SpanTable): unknown {
  switch (t.kind) {
    case "num":
    case "str":
      return t.value;
    case "size": {
      const arr = [...t.parts];
      setSpan(table, arr, { start: t.start, end: t.end });
      t.partSpans.forEach((span, i) => {
        setKeySpan(table, arr, i, span);
      });
      return arr;
    }
    case "list":
      setSpan(table, t.value, { start: t.start, end: t.end });
      return t.value;
    case "word":
      return t.text;
    default:
      return undefined;
  }
}

const VALUE_KINDS = new Set(["num", "size", "str", "list"]);

/** Option words that may follow a type, for messages and suggestions. */
function optionWords(type: LayerType, withActivations = true): string[] {
  const keys = optionKeys(type);
  const words = keys.map((k) => PRINTED_KEY[k] ?? k);
  for (const [alias, key] of Object.entries(OPTION_ALIASES))
    if (keys.includes(key)) words.push(alias);
  if (keys.includes("bias")) words.push("nobias");
  if (keys.includes("padding")) words.push("same", "valid");
  if (withActivations && keys.includes("activation")) words.push(...ACTIVATION_WORDS.keys());
  return [...new Set(words)];
}

/**
 * Parses a compact layer language text into a spec; errors carry spans into the text. The text
 * is read once without recording where each value came from (a valid spec never needs it) and
 * read again with spans only when a place has to be shown, as the JSON reader does.
 */
export function parseTextSpec(source: string, options: { maxDepth?: number } = {}): ParsedSpec {
  const maxDepth = options.maxDepth ?? 10_000;
  const root = readRaw(source, maxDepth, NO_SPANS);
  let mapped: { root: Record<string, unknown>; table: SpanTable } | undefined;
  const locate = (path: string): Span | undefined => {
    if (mapped === undefined) {
      const table = spanTable();
      mapped = { root: readRaw(source, maxDepth, table), table };
    }
    return locateRaw(mapped.root, mapped.table, path);
  };
  let spec: NetworkSpec;
  try {
    spec = validateSpec(root);
  } catch (e) {
    if (e instanceof CnnError && e.diagnostic.path !== undefined) {
      const d = e.diagnostic;
      d.span ??= locate(d.path as string);
      if (!d.hint && d.code === "missing-key") {
        const type = layerTypeAt(root, d.path as string);
        if (type) d.hint = `write: ${usageLine(type)}`;
      }
    }
    throw e;
  }
  return { spec, locate };
}

/** Reads the text into a raw (not yet validated) spec, recording spans into `table`. */
function readRaw(source: string, maxDepth: number, table: SpanTable): Record<string, unknown> {
  const tokens = lex(source);
  const root: Record<string, unknown> = { layers: [] };
  const stack: Frame[] = [{ list: root.layers as unknown[], concat: false }];
  let p = 0;

  const statementEnd = (from: number): number => {
    let j = from;
    for (;;) {
      const tok = tokens[j] as Token;
      if (tok.kind === "bad") throw tok.error;
      const k = tok.kind;
      if (k === "eol" || k === ";" || k === "{" || k === "}" || k === "eof") return j;
      j++;
    }
  };

  const openBlock = (frame: Frame, at: number, headSpan: Span, headText: string) => {
    const brace = tokens[at] as Token;
    if (stack.length > maxDepth) {
      throw syntaxError(
        "too-deep",
        `blocks nest deeper than ${counted(maxDepth, "level")}; expected fewer (raise the limit with --max-depth)`,
        { start: brace.start, end: brace.end },
      );
    }
    frame.open = { start: brace.start, end: brace.end };
    frame.head = headSpan;
    frame.headText = headText;
    stack.push(frame);
  };

  while (p < tokens.length) {
    const t = tokens[p] as Token;
    const frame = stack[stack.length - 1] as Frame;
    if (t.kind === "eof") break;
    if (t.kind === "eol" || t.kind === ";") {
      p++;
      continue;
    }
    if (t.kind === "}") {
      if (stack.length === 1) {
        throw syntaxError("unmatched-brace", "unexpected '}'; no block is open here", {
          start: t.start,
          end: t.end,
        });
      }
      stack.pop();
      const parent = stack[stack.length - 1] as Frame;
      parent.pendingResidual = frame.residual;
      p++;
      continue;
    }
    if (t.kind === "{") {
      throw syntaxError(
        "unexpected-brace",
        "unexpected '{'; expected a block before it (residual, concat, branch, shortcut, repeat N, denseblock N)",
        { start: t.start, end: t.end },
      );
    }
    const end = statementEnd(p);
    const last = tokens[end - 1] as Token;
    const head: Span = { start: t.start, end: last.end };
    const opens = (tokens[end] as Token).kind === "{";
    if (t.kind !== "word") {
      throw syntaxError(
        "expected-layer",
        `expected a layer type (${LAYER_TYPES.slice(0, 4).join(", ")}, ...) or 'input' at the start of a statement; received ${shown(source, t)}`,
        { start: t.start, end: t.end },
      );
    }
    const word = fold(t.text);
    const pending = frame.pendingResidual;
    frame.pendingResidual = undefined;

    if (frame.concat) {
      if (word !== "branch") {
        throw syntaxError(
          "expected-branch",
          `a concat block holds branches; expected 'branch {'; received ${shown(source, t)}`,
          { start: t.start, end: t.end },
        );
      }
      expectBareBlock(source, tokens, p, end, "branch");
      const branch: unknown[] = [];
      frame.list.push(branch);
      setSpan(table, branch, { start: t.start, end: (tokens[end] as Token).end });
      openBlock({ list: branch, concat: false }, end, head, "branch");
      p = end + 1;
      continue;
    }
    if (word === "shortcut") {
      if (!pending) {
        throw syntaxError(
          "misplaced-shortcut",
          "'shortcut { ... }' must follow a residual block's closing '}'; expected it right after 'residual { ... }'",
          { start: t.start, end: t.end },
        );
      }
      expectBareBlock(source, tokens, p, end, "shortcut");
      const list: unknown[] = [];
      pending.shortcut = list;
      setSpan(table, list, { start: t.start, end: (tokens[end] as Token).end });
      openBlock({ list, concat: false }, end, head, "shortcut");
      p = end + 1;
      continue;
    }
    if (word === "branch") {
      throw syntaxError("misplaced-branch", "'branch { ... }' belongs inside 'concat { ... }'", {
        start: t.start,
        end: t.end,
      });
    }
    if ((word === "input" || word === "name") && stack.length === 1 && !TYPE_WORDS.has(word)) {
      readNetworkField(source, tokens, p, end, word, root, table);
      if (opens) {
        const b = tokens[end] as Token;
        throw syntaxError("unexpected-brace", `unexpected '{' after '${word}'`, {
          start: b.start,
          end: b.end,
        });
      }
      p = end;
      continue;
    }
    const type = TYPE_WORDS.get(word);
    const rank = RANKED_TYPE_WORDS.get(word);
    if (rank !== undefined) {
      // `conv1d` on a 2-D input would silently be a 2-D conv: the name must agree with the input
      const input = Array.isArray(root.input) ? (root.input as unknown[]) : undefined;
      const have = input === undefined ? undefined : input.length - 1;
      if (have !== rank) {
        throw syntaxError(
          "rank-mismatch",
          have === undefined
            ? `'${t.text}' names a ${rank}-D layer, but no input line comes before it to check that against; expected an 'input' line first, or '${type}' (the dimensionality comes from the input)`
            : `'${t.text}' names a ${rank}-D layer, but the input is ${have}-D (${input?.join("×")}); expected '${type}' (the dimensionality comes from the input) or a ${rank}-D input`,
          { start: t.start, end: t.end },
        );
      }
    }
    const activation = type === undefined ? ACTIVATION_WORDS.get(word) : undefined;
    if (type === undefined && activation === undefined) {
      const candidates = [...TYPE_WORDS.keys(), ...ACTIVATION_WORDS.keys()];
      if (stack.length === 1) candidates.push("input", "name");
      const advice = typeAdvice(t.text);
      const hint = advice?.text ?? didYouMean(t.text, candidates);
      throw syntaxError(
        word === "input" || word === "name" ? "misplaced-statement" : "unknown-type",
        word === "input" || word === "name"
          ? `'${t.text}' is only allowed at the top level, outside blocks`
          : `${advice?.unsupported ? `'${t.text}' is not supported yet: ${advice.unsupported}` : `unknown layer type '${t.text}'`}; expected one of: ${LAYER_TYPES.join(", ")} (or an activation such as relu)`,
        { start: t.start, end: t.end },
        hint,
      );
    }
    // a bare activation word is an activation layer: `relu` = `activation relu`
    const layer =
      type === undefined
        ? readLayer(source, tokens, p, end, "activation", table, {
            type: "activation",
            function: activation,
          })
        : readLayer(source, tokens, p, end, type, table);
    if (type === undefined) setKeySpan(table, layer, "function", { start: t.start, end: t.end });
    setSpan(table, layer, head);
    frame.list.push(layer);
    const layerType = layer.type as LayerType;
    if (BLOCK_TYPES.has(layerType)) {
      if (!opens) {
        throw syntaxError(
          "expected-brace",
          `expected '{' after '${source.slice(head.start, head.end)}' to open its ${layerType === "concat" ? "branches" : "body"}; received ${shown(source, tokens[end] as Token)}`,
          { start: head.start, end: head.end },
          `write: ${usageLine(layerType)}`,
        );
      }
      const headText = source.slice(head.start, head.end);
      if (layerType === "concat") {
        const branches: unknown[] = [];
        layer.branches = branches;
        setSpan(table, branches, {
          start: (tokens[end] as Token).start,
          end: (tokens[end] as Token).end,
        });
        openBlock({ list: branches, concat: true }, end, head, headText);
      } else {
        const body: unknown[] = [];
        layer.body = body;
        setSpan(table, body, {
          start: (tokens[end] as Token).start,
          end: (tokens[end] as Token).end,
        });
        const f: Frame = { list: body, concat: false };
        if (layerType === "residual") f.residual = layer;
        openBlock(f, end, head, headText);
      }
      p = end + 1;
    } else {
      if (opens) {
        const b = tokens[end] as Token;
        throw syntaxError(
          "unexpected-brace",
          `${layerType} is not a block; expected the end of the line; received '{'`,
          { start: b.start, end: b.end },
          "blocks are: residual, concat, denseblock N, repeat N",
        );
      }
      p = end;
    }
  }
  if (stack.length > 1) {
    const open = stack[stack.length - 1] as Frame;
    throw syntaxError(
      "unterminated-block",
      `unterminated block '${open.headText} {'; expected '}' before the end of the file`,
      open.head as Span,
      stack.length > 2 ? `${stack.length - 1} blocks are still open` : undefined,
    );
  }

  return root;
}

/** Fails unless a statement is exactly `word {`. */
function expectBareBlock(
  source: string,
  tokens: Token[],
  p: number,
  end: number,
  word: string,
): void {
  if (end > p + 1) {
    const extra = tokens[p + 1] as Token;
    throw syntaxError(
      "unexpected-value",
      `unexpected ${shown(source, extra)} after '${word}'; expected '{'`,
      {
        start: extra.start,
        end: extra.end,
      },
    );
  }
  if ((tokens[end] as Token).kind !== "{") {
    const t = tokens[p] as Token;
    throw syntaxError(
      "expected-brace",
      `expected '{' after '${word}'; received ${shown(source, tokens[end] as Token)}`,
      { start: t.start, end: t.end },
    );
  }
}

/** Reads `input SHAPE` or `name "..."` into the network. */
function readNetworkField(
  source: string,
  tokens: Token[],
  p: number,
  end: number,
  word: "input" | "name",
  root: Record<string, unknown>,
  table: SpanTable,
): void {
  const kw = tokens[p] as Token;
  if (root[word] !== undefined) {
    throw syntaxError("duplicate-option", `'${word}' is given twice; expected it once`, {
      start: kw.start,
      end: kw.end,
    });
  }
  const first = tokens[p + 1] as Token;
  if (end === p + 1) {
    throw syntaxError(
      "missing-value",
      `expected ${word === "input" ? "a shape such as 84x84x4" : 'a name such as "DQN"'} after '${word}'; received ${shown(source, first)}`,
      { start: kw.start, end: kw.end },
    );
  }
  const span: Span = { start: first.start, end: (tokens[end - 1] as Token).end };
  if (word === "name") {
    root.name =
      end === p + 2 && first.kind === "str" ? first.value : source.slice(span.start, span.end);
  } else {
    if (end > p + 2 || !(first.kind === "num" || first.kind === "size" || first.kind === "list")) {
      throw syntaxError(
        "invalid-input",
        `expected a shape such as 84x84x4 after 'input'; received '${source.slice(span.start, span.end)}'`,
        span,
      );
    }
    const v = tokenValue(first, table);
    root.input = typeof v === "number" ? [v] : v;
  }
  setKeySpan(table, root, word, span);
}

/** Reads a layer statement's options into a raw layer object (validated later by zod). */
function readLayer(
  source: string,
  tokens: Token[],
  p: number,
  end: number,
  type: LayerType,
  table: SpanTable,
  into?: Record<string, unknown>,
): Record<string, unknown> {
  const layer: Record<string, unknown> = into ?? { type };
  const positionals = POSITIONALS[type];
  const keys = optionKeys(type);
  const set = (key: string, value: unknown, span: Span, at: Token) => {
    if (layer[key] !== undefined) {
      throw syntaxError(
        "duplicate-option",
        `'${PRINTED_KEY[key] ?? key}' is given twice in this ${type} layer; expected it once`,
        { start: at.start, end: at.end },
      );
    }
    layer[key] = value;
    setKeySpan(table, layer, key, span);
  };
  let i = p + 1;
  while (i < end) {
    const t = tokens[i] as Token;
    const span: Span = { start: t.start, end: t.end };
    if (VALUE_KINDS.has(t.kind)) {
      const slot = positionals.find((k) => layer[k] === undefined);
      if (slot === undefined) {
        const given = positionals.map((k) => k.toUpperCase()).join(" ");
        throw syntaxError(
          "unexpected-value",
          `unexpected value ${shown(source, t)}; ${type} takes ${given ? `${given}, then ` : ""}options such as ${optionKeys(
            type,
          )
            .filter((k) => !positionals.includes(k) && k !== "name")
            .slice(0, 4)
            .map((k) => PRINTED_KEY[k] ?? k)
            .join(", ")}`,
          span,
          `write: ${usageLine(type)}`,
        );
      }
      set(slot, tokenValue(t, table), span, t);
      i++;
      continue;
    }
    if (t.kind !== "word") {
      throw syntaxError(
        "unexpected-character",
        `unexpected ${shown(source, t)}; expected an option or a value`,
        span,
      );
    }
    const key = optionKey(type, t.text);
    const f = fold(t.text);
    if (key !== undefined) {
      const kind = KEY_KINDS[key] ?? "value";
      const next = tokens[i + 1] as Token;
      const nextIsValue = i + 1 < end;
      if (kind === "bool") {
        const b =
          next.kind === "word" && nextIsValue
            ? BOOLEAN_WORDS.get(next.text.toLowerCase())
            : undefined;
        if (b !== undefined) {
          set(key, b, { start: next.start, end: next.end }, t);
          i += 2;
        } else {
          set(key, true, span, t);
          i++;
        }
        continue;
      }
      if (!nextIsValue) {
        throw syntaxError(
          "missing-value",
          `expected a value after '${t.text}'; received ${shown(source, next)}`,
          span,
          `write: ${usageLine(type)}`,
        );
      }
      let value: unknown;
      if (next.kind === "word") {
        if (kind === "value" && optionKey(type, next.text) !== undefined) {
          throw syntaxError(
            "missing-value",
            `expected a value after '${t.text}'; received the option '${next.text}'`,
            span,
          );
        }
        const w = next.text.toLowerCase();
        value =
          kind === "word"
            ? (ACTIVATION_WORDS.get(fold(w)) ?? w)
            : kind === "string"
              ? next.text
              : w;
      } else {
        value = tokenValue(next, table);
      }
      set(key, value, { start: next.start, end: next.end }, t);
      i += 2;
      continue;
    }
    const act = ACTIVATION_WORDS.get(f);
    const actKey = keys.includes("activation")
      ? "activation"
      : keys.includes("function")
        ? "function"
        : undefined;
    if (act !== undefined && actKey !== undefined) {
      set(actKey, act, span, t);
    } else if (f === "nobias" && keys.includes("bias")) {
      set("bias", false, span, t);
    } else if ((f === "same" || f === "valid") && keys.includes("padding")) {
      set("padding", f, span, t);
    } else if (type === "activation" && layer.function === undefined) {
      set("function", t.text.toLowerCase(), span, t);
    } else {
      // a framework's key for a value cnncalc derives (`in_features`) is not a typo of another
      const hint =
        entryOf(FRAMEWORK_KEYS, f) === null
          ? `leave out '${t.text}' and its value (cnncalc takes it from the layer's input)`
          : didYouMean(t.text, optionWords(type));
      throw syntaxError(
        "unknown-option",
        `unknown option '${t.text}' for ${type}; expected one of: ${optionKeys(type)
          .map((k) => PRINTED_KEY[k] ?? k)
          .join(", ")}${keys.includes("activation") ? ", or an activation (relu, tanh, ...)" : ""}`,
        span,
        hint,
      );
    }
    i++;
  }
  return layer;
}

/** The type of the deepest layer object on a spec path, for usage hints. */
function layerTypeAt(root: Record<string, unknown>, path: string): LayerType | undefined {
  let node: unknown = root;
  let type: LayerType | undefined;
  for (const seg of pathSegments(path)) {
    if (node === null || typeof node !== "object") break;
    node = (node as Record<string | number, unknown>)[seg];
    const t = (node as { type?: unknown } | undefined)?.type;
    if (typeof t === "string" && TYPE_WORDS.has(t)) type = TYPE_WORDS.get(t);
  }
  return type;
}
