import type { NetworkSpec } from "../core/types.js";

/** A value on one line, JSON with a space after commas: `[8, 8]`, `"relu"`, `[[0, 1], [2]]`. */
function inline(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(inline).join(", ")}]`;
  return JSON.stringify(v);
}

const LIST_KEYS = new Set(["layers", "body", "shortcut", "branches"]);

/** Indentation stops growing past this depth, so deep nesting prints in linear size. */
const MAX_INDENT = 32;

function indent(depth: number): string {
  return "  ".repeat(Math.min(depth, MAX_INDENT));
}

type Work =
  | { line: string; depth: number }
  | { node: Record<string, unknown>; depth: number; comma: boolean }
  | { list: unknown[]; depth: number; branches: boolean };

/**
 * A spec as JSON in the layout of the examples: one line per layer, blocks spread over lines with
 * their children indented. Iterative, so any nesting depth prints; JSON.parse gives the spec back.
 */
export function specToJson(spec: NetworkSpec): string {
  const out: string[] = [];
  // the network's fields in the order people write them, whatever order the object has
  const top: Record<string, unknown> = { name: spec.name, input: spec.input, layers: spec.layers };
  const stack: Work[] = [{ node: top, depth: 0, comma: false }];
  const pushList = (list: readonly unknown[], depth: number, branches: boolean) => {
    for (let i = list.length - 1; i >= 0; i--) {
      const item = list[i];
      const comma = i < list.length - 1;
      if (branches) {
        stack.push({ line: `]${comma ? "," : ""}`, depth });
        pushList(item as unknown[], depth + 1, false);
        stack.push({ line: "[", depth });
      } else {
        stack.push({ node: item as Record<string, unknown>, depth, comma });
      }
    }
  };
  for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
    if ("line" in w) {
      out.push(`${indent(w.depth)}${w.line}`);
      continue;
    }
    if ("list" in w) {
      pushList(w.list, w.depth, w.branches);
      continue;
    }
    const pad = indent(w.depth);
    const entries = Object.entries(w.node).filter(([, v]) => v !== undefined);
    const nested = entries.some(([k]) => LIST_KEYS.has(k));
    if (!nested) {
      out.push(
        `${pad}{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`).join(", ")} }${w.comma ? "," : ""}`,
      );
      continue;
    }
    out.push(`${pad}{`);
    const later: Work[] = [];
    entries.forEach(([k, v], i) => {
      const comma = i < entries.length - 1 ? "," : "";
      const key = `${JSON.stringify(k)}: `;
      if (!LIST_KEYS.has(k) || !Array.isArray(v)) {
        later.push({ line: `${key}${inline(v)}${comma}`, depth: w.depth + 1 });
      } else if (v.length === 0) {
        later.push({ line: `${key}[]${comma}`, depth: w.depth + 1 });
      } else {
        later.push({ line: `${key}[`, depth: w.depth + 1 });
        later.push({ list: v, depth: w.depth + 2, branches: k === "branches" });
        later.push({ line: `]${comma}`, depth: w.depth + 1 });
      }
    });
    later.push({ line: `}${w.comma ? "," : ""}`, depth: w.depth });
    for (let i = later.length - 1; i >= 0; i--) stack.push(later[i] as Work);
  }
  return `${out.join("\n")}\n`;
}
