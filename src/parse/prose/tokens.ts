import { isDigit, isLetter } from "./normalize.js";
import { SMALL_NUMBERS } from "./words.js";

/*
 * Tokens of a sentence (lower-case words, numbers, sizes such as `8 × 8`, punctuation), its
 * clauses, and the small helpers every clause reader uses to look at tokens.
 */

export type Tok =
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

export interface Sentence {
  start: number;
  end: number;
  toks: Tok[];
}

/**
 * Work done by the clause readers: each is one pass over a clause's tokens with a bounded window,
 * so each call adds the clause length. Reset and read by parseProse (synchronous, so no overlap).
 */
export const work = { passes: 0 };
export function pass(toks: readonly unknown[]): void {
  work.passes += toks.length;
}

/** The tokens of a sentence: lower-case words, numbers, sizes (`8 × 8`) and punctuation. */
export function tokenize(t: string, from: number, to: number, tick: () => void): Tok[] {
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

/** The value of a number or number word token. */
export function numberOf(t: Tok | undefined): number | undefined {
  if (t === undefined) return undefined;
  if (t.k === "n") return t.value;
  if (t.k === "w") return SMALL_NUMBERS.get(t.text);
  return undefined;
}

export function word(t: Tok | undefined, ...words: string[]): boolean {
  return t !== undefined && t.k === "w" && words.includes(t.text);
}

/** Splits a sentence's tokens into clauses at "followed by", "then", ";" and "after which". */
export function clauses(toks: readonly Tok[]): Tok[][] {
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
