import type { ColumnName } from "./columns.js";
import { FIT } from "./columns.js";
import type { Style } from "./style.js";

/** A column as the fitting sees it: its name (null: the totals label's own) and widest cell. */
export interface FitColumn {
  name: ColumnName | null;
  /** Display width of its widest cell, title included. */
  width: number;
  /** A column that may not be hidden (the one holding the totals row's label). */
  keep?: boolean;
}

/** How to draw a table within a width: the columns hidden and each kept column's widest cell. */
export interface FitPlan {
  /** Indices of the hidden columns, in the order they were hidden. */
  hidden: number[];
  /** Per column index, the widest its cells may be (cells wider are abbreviated). */
  caps: number[];
}

/** Columns a table of cells this wide takes: `│ cell │ cell │`, one space either side. */
export function tableWidth(widths: readonly number[]): number {
  return widths.reduce((sum, w) => sum + w + 3, 1);
}

const NARROWEST: Partial<Record<ColumnName, number>> = FIT.narrowest;
const HIDDEN_FIRST: readonly ColumnName[] = FIT.hiddenFirst;

/**
 * Plans a table within `width` columns: abbreviates the text columns (the widest first, one
 * column at a time) only as far as needed, and if that is not enough hides one more column in
 * FIT.hiddenFirst order and tries again. A table already narrow enough is left as it is; one
 * that cannot fit even then is drawn as narrow as it gets.
 */
export function planFit(columns: readonly FitColumn[], width: number): FitPlan {
  const order = HIDDEN_FIRST.map((n) => columns.findIndex((c) => c.name === n && !c.keep)).filter(
    (i) => i !== -1,
  );
  let plan: FitPlan = { hidden: [], caps: columns.map((c) => c.width) };
  for (let k = 0; k <= order.length; k++) {
    const hidden = order.slice(0, k);
    const caps = columns.map((c) => c.width);
    const shown = columns.map((_, i) => i).filter((i) => !hidden.includes(i));
    let excess = tableWidth(shown.map((i) => caps[i] as number)) - width;
    while (excess > 0) {
      // the widest text column still above its narrowest gives one column
      let widest = -1;
      for (const i of shown) {
        const name = columns[i]?.name;
        const floor = name === null || name === undefined ? undefined : NARROWEST[name];
        if (floor === undefined || (caps[i] as number) <= floor) continue;
        if (widest === -1 || (caps[i] as number) > (caps[widest] as number)) widest = i;
      }
      if (widest === -1) break;
      caps[widest] = (caps[widest] as number) - 1;
      excess--;
    }
    plan = { hidden, caps };
    if (excess <= 0) return plan;
  }
  return plan;
}

/** The note under a table with hidden columns: which, and how to see them. */
export function hiddenNote(names: readonly ColumnName[], width: number, style: Style): string {
  const n = names.length;
  return `${style.dim("note:")} ${n} column${n === 1 ? "" : "s"} hidden to fit ${width} columns (${names.join(", ")}); widen the terminal or use --columns / -f csv`;
}
