import { CnnError, type Span } from "../core/errors.js";
import type { LayerType, NetworkSpec } from "../core/types.js";
import { counted } from "../core/words.js";
import { pathSegments } from "./json.js";
import { lex, shown, syntaxError, type Token } from "./lexer.js";
import { didYouMean, LAYER_TYPES, typeAdvice } from "./names.js";
import { locateRaw, NO_SPANS, type SpanTable, setKeySpan, setSpan, spanTable } from "./spans.js";
import { type ParsedSpec, validateSpec } from "./spec.js";
import {
  ACTIVATION_WORDS,
  fold,
  RANKED_TYPE_WORDS,
  SYNTAX,
  TYPE_WORDS,
  usageLine,
} from "./textlang.js";
import { readLayer, tokenValue } from "./textlayer.js";

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
    const braces = SYNTAX[layerType].braces;
    if (braces !== null) {
      if (!opens) {
        throw syntaxError(
          "expected-brace",
          `expected '{' after '${source.slice(head.start, head.end)}' to open its ${braces === "branches" ? "branches" : "body"}; received ${shown(source, tokens[end] as Token)}`,
          { start: head.start, end: head.end },
          `write: ${usageLine(layerType)}`,
        );
      }
      const headText = source.slice(head.start, head.end);
      if (braces === "branches") {
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
        if (braces === "body+shortcut") f.residual = layer;
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
