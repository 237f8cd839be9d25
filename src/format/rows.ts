import { type ResultList, resultLists } from "../core/traits.js";
import type { Analysis, LayerResult } from "../core/types.js";

/** One line of a per-layer listing: a layer or block, or a branch heading inside a concat. */
export interface Row {
  result: LayerResult | null;
  /** Nesting depth: 0 for top-level layers. */
  depth: number;
  /** A branch heading's text ("branch 1"); empty for layer rows. */
  heading: string;
  /** True for a block whose children are shown below it. */
  expanded: boolean;
}

/**
 * The rows of an analysis in display order: blocks followed by their children, `maxDepth` levels
 * deep as torchinfo's `depth` (1: top-level rows only; blocks at the last level shown stand
 * collapsed, with their subtotals). Iterative, for deep nests.
 */
export function layerRows(analysis: Analysis, maxDepth = Number.POSITIVE_INFINITY): Row[] {
  const rows: Row[] = [];
  type Item = Row;
  const stack: Item[] = [];
  const pushList = (list: readonly LayerResult[], depth: number) => {
    for (let i = list.length - 1; i >= 0; i--) {
      stack.push({ result: list[i] as LayerResult, depth, heading: "", expanded: false });
    }
  };
  pushList(analysis.layers, 0);
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const r = item.result;
    const lists = r === null ? [] : resultLists(r);
    const expand = lists.length > 0 && item.depth + 1 < maxDepth;
    rows.push({ ...item, expanded: expand });
    if (!expand) continue;
    // pushed in reverse: a body's layers sit under the block, a shortcut or branch under a heading
    for (let l = lists.length - 1; l >= 0; l--) {
      const list = lists[l] as ResultList;
      if (list.key === "layers") {
        pushList(list.results, item.depth + 1);
        continue;
      }
      pushList(list.results, item.depth + 2);
      const heading = list.key === "shortcut" ? "shortcut" : `branch ${(list.index ?? 0) + 1}`;
      stack.push({ result: null, depth: item.depth + 1, heading, expanded: false });
    }
  }
  return rows;
}

/** Nesting shown by indentation up to this depth; deeper rows show their depth as a number. */
export const MAX_SHOWN_INDENT = 16;

/**
 * The indentation of a row: `unit` per level up to MAX_SHOWN_INDENT, then the level in brackets
 * (`[2000] `), so a 2,000-level nest keeps a readable table width instead of 4,000 spaces.
 */
export function indentFor(depth: number, unit: string): string {
  return depth <= MAX_SHOWN_INDENT
    ? unit.repeat(depth)
    : `${unit.repeat(MAX_SHOWN_INDENT)}[${depth}] `;
}
