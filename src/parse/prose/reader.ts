import { cnnError, type ErrorCode, type Span } from "../../core/errors.js";
import type { Assumption, Warning } from "../../core/types.js";
import { type SpanTable, setKeySpan, setSpan, spanTable } from "../spans.js";
import type { ParsedSpec } from "../spec.js";
import type { Normal } from "./normalize.js";
import type { Sentence, Tok } from "./tokens.js";

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

/** What has been read so far, where it came from, and what had to be assumed. */
export class Reader {
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

  /** Throws a problem of the sentence, pointing at a token (or tokens `at` to `to`) or at all of it. */
  fail(code: ErrorCode, s: Sentence, why: string, at?: Tok, to?: Tok): never {
    throw cnnError(
      code,
      `cannot read the ${code === "unreadable-input" ? "input" : "layer"} in ${this.quote(s)}: ${why}`,
      { span: at ? this.span(at.start, (to ?? at).end) : this.span(s.start, s.end) },
    );
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
