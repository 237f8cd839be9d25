import type { Style } from "../format/style.js";

/*
 * The renderers write text with a Style for emphasis; the page wants HTML. An HTML style cannot
 * wrap in tags directly (the text around them is the user's and must be escaped after), so it
 * wraps in private-use marks that survive escaping and become spans afterwards.
 */

const OPEN = "\uE000";
const CLOSE = "\uE001";

/** Emphasis names, each the class `s-<name>` of a span in the page's CSS. */
const EMPHASIS = ["bold", "dim", "warn", "error", "good"] as const;
type Emphasis = (typeof EMPHASIS)[number];

/** The opening tag `toHtml` writes for an emphasis. */
export function spanOf(e: Emphasis): string {
  return `<span class="s-${e}">`;
}

const wrap = (e: Emphasis) => (s: string) => `${OPEN}${EMPHASIS.indexOf(e)}${s}${CLOSE}`;

/** Marks emphasis for `toHtml`; use only on text without the marks (see `hasMarks`). */
export const MARKED: Style = {
  bold: wrap("bold"),
  dim: wrap("dim"),
  warn: wrap("warn"),
  error: wrap("error"),
  good: wrap("good"),
};

/** Whether a text holds the characters MARKED uses: then it must be rendered PLAIN. */
export function hasMarks(text: string): boolean {
  return text.includes(OPEN) || text.includes(CLOSE);
}

/** Text as HTML: `& < > "` escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;",
  );
}

const MARK = new RegExp(`${OPEN}(\\d)|${CLOSE}`, "g");

/** Text rendered with MARKED (or PLAIN) as escaped HTML, its emphasis as spans. */
export function toHtml(marked: string): string {
  return escapeHtml(marked).replace(MARK, (m, i: string | undefined) =>
    m === CLOSE ? "</span>" : spanOf(EMPHASIS[Number(i)] as Emphasis),
  );
}
