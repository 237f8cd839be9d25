/*
 * Terminal widths of text: what a table's columns and a terminal's lines are measured in.
 */

/** ESC [ ... m: the colour codes chalk writes (global: for replace). */
export const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
const MARK = /^[\p{Mn}\p{Me}]$/u;

/** Combining marks, zero-width spaces and joiners, variation selectors: no column of their own. */
function isZeroWidth(ch: string): boolean {
  const c = ch.codePointAt(0) as number;
  return (c >= 0x200b && c <= 0x200f) || (c >= 0xfe00 && c <= 0xfe0f) || MARK.test(ch);
}
const WIDE =
  /[\p{Extended_Pictographic}\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;

// printable ASCII and Latin-1 (× included), one column each; © and ® are pictographs, so not here
const NARROW = /^[\x20-\x7e\xa0-\xa8\xaa-\xad\xaf-\xff]*$/;

/** Terminal columns a cell takes: colour codes none, wide East Asian and emoji two, marks none. */
export function displayWidth(text: string): number {
  // most cells (counts, shapes, names) are narrow: one test instead of one per character
  if (NARROW.test(text)) return text.length;
  let width = 0;
  for (const ch of text.replace(ANSI, "")) {
    if (isZeroWidth(ch)) continue;
    width += WIDE.test(ch) ? 2 : 1;
  }
  return width;
}

/** One terminal unit of text: a colour code (no column) or a character. */
function units(text: string): string[] {
  return text.split(new RegExp(`(${ANSI.source})`)).flatMap((part, i) =>
    // odd parts are the colour codes the split kept
    i % 2 === 1 ? [part] : [...part],
  );
}

/** Terminal columns of one unit: colour codes none. */
function unitWidth(unit: string): number {
  return unit.charCodeAt(0) === 27 ? 0 : displayWidth(unit);
}

/**
 * Text cut to at most `max` columns, the cut marked with an ellipsis (…); colour codes after the
 * cut are kept, so a style opened before it is still closed.
 */
export function abbreviate(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  let out = "";
  let width = 0;
  let cut = false;
  for (const u of units(text)) {
    const w = unitWidth(u);
    if (w === 0) out += u;
    else if (!cut && width + w <= max - 1) {
      out += u;
      width += w;
    } else if (!cut) {
      out += "…";
      cut = true;
    }
  }
  return out;
}

/**
 * A line broken at spaces into lines of at most `width` columns; the lines after the first start
 * with the line's own indentation plus `more`. A word wider than a line is broken where it must.
 */
export function wrapLine(line: string, width: number, more = "  "): string[] {
  if (displayWidth(line) <= width) return [line];
  const lead = /^ */.exec(line)?.[0] ?? "";
  const next = `${lead}${more}`.length < width / 2 ? `${lead}${more}` : "";
  const lines: string[] = [];
  let current = lead;
  let currentWidth = lead.length;
  let empty = true;
  const flush = () => {
    lines.push(current.trimEnd());
    current = next;
    currentWidth = next.length;
    empty = true;
  };
  for (const word of line.slice(lead.length).split(" ")) {
    const w = displayWidth(word);
    if (!empty && currentWidth + 1 + w > width) flush();
    if (!empty) {
      current += " ";
      currentWidth += 1;
    }
    if (currentWidth + w <= width) {
      current += word;
      currentWidth += w;
    } else {
      // a word longer than a whole line: broken by columns
      for (const u of units(word)) {
        const uw = unitWidth(u);
        if (uw > 0 && currentWidth + uw > width && currentWidth > next.length) flush();
        current += u;
        currentWidth += uw;
      }
    }
    empty = false;
  }
  lines.push(current);
  return lines;
}

/** Text whose lines are each wrapped to `width` columns (wrapLine). */
export function wrapText(text: string, width: number, more = "  "): string {
  return text
    .split("\n")
    .flatMap((l) => wrapLine(l, width, more))
    .join("\n");
}
