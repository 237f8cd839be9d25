/*
 * The first steps of the prose reader: the text normalised (LaTeX math, citations, dashes,
 * whitespace) with a map back to the original offsets, and split into sentences. Both are one
 * pass over the text.
 */

/** The normalised text and, for each of its characters, the offset in the original. */
export interface Normal {
  text: string;
  map: number[];
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

export function isLetter(c: string | undefined): boolean {
  if (c === undefined) return false;
  if ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z")) return true;
  return c > "\u007f" && c.toLowerCase() !== c.toUpperCase();
}
export function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}
function isBlank(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\r" || c === "\u00a0" || c === "\ufeff";
}

/** Normalises prose: math delimiters and LaTeX commands, citations, dashes, whitespace. */
export function normalize(raw: string, tick: () => void): Normal {
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
export function sentences(t: string, tick: () => void): { start: number; end: number }[] {
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
