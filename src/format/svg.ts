import dagre, { type EdgeLabel, type GraphLabel, type NodeLabel } from "@dagrejs/dagre";
import { cnnError } from "../core/errors.js";
import { resultLists } from "../core/traits.js";
import type { Analysis, LayerResult, Shape } from "../core/types.js";
import { COLUMNS } from "./columns.js";
import { grouped } from "./numbers.js";
import { shapeCell } from "./shape.js";

/**
 * An analysis as a standalone SVG diagram, laid out by dagre: a chain as boxes top to bottom,
 * a block as a frame (its name and parameter subtotal) around its branches, which merge into a
 * join node (residual and add: `+`, multiply: `×`, concat: `concat`); an empty branch or an
 * identity shortcut is a direct arrow into the join. Blocks beyond `depth` levels stand as one
 * node, as in the table. This module loads dagre, so the CLI imports it only for `--format svg`.
 */
export interface SvgOptions {
  /** Levels of nesting drawn, as the table's `--depth` (1: top-level layers only). */
  depth?: number;
}

const FONT = 12;
/** Width of one character of the monospace font, a little generous. */
const CHAR = FONT * 0.62;
const LINE = FONT + 4;
const PAD = 8;
const HEADER = 2 * LINE + 8;
/**
 * Frames drawn at most this deep (the table's indentation limit too): dagre's nested clusters
 * cost about the square of the nesting, so deeper blocks stand collapsed, with a note.
 */
export const MAX_DRAWN_DEPTH = 16;
/**
 * Nodes drawn at most: dagre's layout recurses along paths, and a chain of about 2,000 nodes
 * overflows Node's stack. The largest example, DenseNet-121, draws 376.
 */
export const MAX_DRAWN_NODES = 1000;

function tooLarge(count: string): Error {
  return cnnError(
    "svg-too-large",
    `--format svg draws at most ${grouped(MAX_DRAWN_NODES)} nodes; received a network of ${count}, expected fewer (a smaller --depth draws each block beyond it as one node)`,
  );
}

/** Text for XML content and attribute values. */
export function xmlEscape(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

interface BoxNode {
  kind: "box";
  lines: string[];
  /** A collapsed block: drawn with a double frame. */
  collapsed: boolean;
  io: boolean;
}
interface JoinNode {
  kind: "join";
  text: string;
}
interface Frame {
  kind: "frame";
  title: string;
}
interface HeadNode {
  kind: "head";
  text: string;
}
type Node = BoxNode | JoinNode | Frame | HeadNode;

function params(r: { trainableParameters: bigint; nonTrainableParameters: bigint }): bigint {
  return r.trainableParameters + r.nonTrainableParameters;
}

function paramText(p: bigint): string {
  return `${grouped(p)} param${p === 1n ? "" : "s"}`;
}

function joinText(r: LayerResult): string {
  if (r.type === "residual" || r.type === "add") return "+";
  if (r.type === "multiply") return "×";
  return r.type;
}

function boxSize(lines: readonly string[]): { width: number; height: number } {
  const chars = Math.max(...lines.map((l) => [...l].length));
  return { width: Math.ceil(chars * CHAR + 2 * PAD), height: lines.length * LINE + 2 * PAD - 4 };
}

/** The graph of an analysis: nodes, edges and frames, before layout. */
function buildGraph(a: Analysis, maxDepth: number) {
  let capped = false;
  const g = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({
    compound: true,
    multigraph: false,
  });
  g.setGraph({ rankdir: "TB", nodesep: 24, ranksep: 28, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}) as EdgeLabel);
  const nodes = new Map<string, Node>();
  let next = 0;
  const add = (node: Node, parent: string | undefined, size: { width: number; height: number }) => {
    const id = `n${next++}`;
    nodes.set(id, node);
    g.setNode(id, { ...size });
    if (parent !== undefined) g.setParent(id, parent);
    return id;
  };
  const box = (lines: string[], parent: string | undefined, collapsed: boolean, io = false) =>
    add({ kind: "box", lines, collapsed, io }, parent, boxSize(lines));
  const edge = (from: string, to: string) => g.setEdge(from, to);

  const inputId = box(["input", shapeCell(a.input)], undefined, false, true);
  // iterative over the block nesting would be longer; recursion depth is the nesting depth,
  // which the parser already bounds (--max-depth)
  const chain = (
    list: readonly LayerResult[],
    from: string,
    parent: string | undefined,
    depth: number,
  ): string => {
    let prev = from;
    for (const r of list) {
      const lists = resultLists(r);
      const shape = shapeCell(r.outputShape as Shape);
      if (lists.length > 0 && depth + 1 >= MAX_DRAWN_DEPTH && depth + 1 < maxDepth) capped = true;
      if (lists.length === 0 || depth + 1 >= Math.min(maxDepth, MAX_DRAWN_DEPTH)) {
        // the type as the table shows it (with the activation: `conv relu`)
        const type = COLUMNS.type.cell(r, { dtype: "float32" });
        const lines = [r.name, `${type}  ${shape}`, paramText(params(r))];
        const id = box(lines, parent, lists.length > 0);
        edge(prev, id);
        prev = id;
        continue;
      }
      // the frame's title is its entry node: the arrow into the block passes through it, and
      // the block's branches (a residual's identity shortcut too) leave from it
      const title = `${r.name} (${r.type})  ${paramText(params(r))}`;
      const frame = `n${next++}`;
      nodes.set(frame, { kind: "frame", title });
      g.setNode(frame, {});
      if (parent !== undefined) g.setParent(frame, parent);
      const head = add({ kind: "head", text: title }, frame, {
        width: Math.ceil([...title].length * CHAR + 2 * PAD),
        height: LINE + 6,
      });
      edge(prev, head);
      prev = head;
      const branched = r.type === "residual" || r.branches !== undefined;
      if (!branched) {
        // repeat, denseblock: the expanded layers in order
        prev = chain(r.layers ?? [], prev, frame, depth + 1);
        continue;
      }
      // built last to first: dagre then places branch 1 on the left
      const ends = [...lists].reverse().map((l) => chain(l.results, prev, frame, depth + 1));
      // a residual's identity shortcut: the block's input goes straight to the merge
      if (r.type === "residual" && (r.shortcut === undefined || r.shortcut.length === 0)) {
        ends.push(prev);
      }
      const text = joinText(r);
      const size = text.length === 1 ? 28 : Math.ceil(text.length * CHAR + 2 * PAD);
      const join = add({ kind: "join", text: `${text}` }, frame, {
        width: size,
        height: text.length === 1 ? 28 : LINE + 2 * PAD - 4,
      });
      g.setNode(join, { ...g.node(join), label: shape });
      for (const e of ends) {
        // two edges between the same nodes (concat of two empty branches) are drawn once
        edge(e, join);
      }
      prev = join;
    }
    return prev;
  };
  chain(a.layers, inputId, undefined, 0);
  return { g, nodes, capped };
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

/** An SVG document for the analysis (UTF-8 text, a trailing newline). */
export function renderSvg(a: Analysis, options: SvgOptions = {}): string {
  const { g, nodes, capped } = buildGraph(a, options.depth ?? Number.POSITIVE_INFINITY);
  const drawn = [...nodes.values()].filter((n) => n.kind !== "frame").length;
  if (drawn > MAX_DRAWN_NODES) throw tooLarge(grouped(drawn));
  try {
    dagre.layout(g);
  } catch (e) {
    // the stack limit reached in a shape the node count did not foresee
    if (e instanceof RangeError) throw tooLarge("more");
    throw e;
  }
  const graph = g.graph();
  const title = a.name ?? "network";
  const cap = capped ? `; blocks deeper than ${MAX_DRAWN_DEPTH} levels collapsed` : "";
  const totals = `${paramText(a.totals.parameters)} in total; output ${shapeCell(a.output)}${cap}`;
  // the title is set a size larger (and bold) than the rest
  const headerWidth = Math.ceil(
    Math.max([...title].length * ((FONT + 2) / FONT) * CHAR, [...totals].length * CHAR) + 32,
  );
  const width = Math.ceil(Math.max(graph.width ?? 0, headerWidth));
  const height = Math.ceil((graph.height ?? 0) + HEADER);
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="${FONT}">`,
  );
  out.push(`<title>${xmlEscape(title)}</title>`);
  out.push(
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" fill="#555"/></marker></defs>',
  );
  out.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  out.push(
    `<text x="16" y="${LINE + 4}" font-weight="bold" font-size="${FONT + 2}">${xmlEscape(title)}</text>`,
  );
  out.push(`<text x="16" y="${2 * LINE + 6}" fill="#444">${xmlEscape(totals)}</text>`);
  out.push(`<g transform="translate(0,${HEADER})">`);
  // frames first, outer before inner (an outer frame is the larger one)
  const frames = [...nodes].filter(([, n]) => n.kind === "frame");
  frames.sort(([p], [q]) => (g.node(q).width ?? 0) - (g.node(p).width ?? 0));
  for (const [id, n] of frames) {
    const l = g.node(id);
    const x = l.x - l.width / 2;
    const y = l.y - l.height / 2;
    out.push(
      `<g class="frame"><title>${xmlEscape((n as Frame).title)}</title><rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(l.width)}" height="${fmt(l.height)}" rx="6" fill="#000" fill-opacity="0.035" stroke="#99a" stroke-dasharray="4 3"/></g>`,
    );
  }
  for (const e of g.edges()) {
    const points: readonly { x: number; y: number }[] = (g.edge(e) as EdgeLabel).points ?? [];
    const d = points.map((p, i) => `${i === 0 ? "M" : "L"}${fmt(p.x)},${fmt(p.y)}`).join("");
    out.push(
      `<path class="edge" data-from="${e.v}" data-to="${e.w}" d="${d}" fill="none" stroke="#555" marker-end="url(#arrow)"/>`,
    );
  }
  for (const [id, n] of nodes) {
    if (n.kind === "frame") continue;
    const l = g.node(id);
    const x = l.x - l.width / 2;
    const y = l.y - l.height / 2;
    if (n.kind === "head") {
      out.push(
        `<g class="block" id="${id}"><rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(l.width)}" height="${fmt(l.height)}" rx="3" fill="#e4e6f0" stroke="#99a"/><text x="${fmt(l.x)}" y="${fmt(l.y + FONT / 3)}" text-anchor="middle" fill="#224">${xmlEscape(n.text)}</text></g>`,
      );
      continue;
    }
    if (n.kind === "join") {
      const shape = typeof l.label === "string" ? `<title>${xmlEscape(l.label)}</title>` : "";
      out.push(
        `<g class="join" id="${id}">${shape}<rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(l.width)}" height="${fmt(l.height)}" rx="${fmt(l.height / 2)}" fill="#fff4d6" stroke="#a80"/><text x="${fmt(l.x)}" y="${fmt(l.y + FONT / 3)}" text-anchor="middle">${xmlEscape(n.text)}</text></g>`,
      );
      continue;
    }
    const fill = n.io ? "#e8f4e8" : n.collapsed ? "#eef0ff" : "#f4f7fb";
    const stroke = n.collapsed ? ' stroke-width="2.5"' : "";
    const parts = [
      `<g class="${n.io ? "io" : "layer"}" id="${id}"><rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(l.width)}" height="${fmt(l.height)}" rx="4" fill="${fill}" stroke="#567"${stroke}/>`,
    ];
    for (const [i, line] of n.lines.entries()) {
      const cls =
        i > 0 ? ' fill="#333"' : n.io ? ' font-weight="bold"' : ' class="name" font-weight="bold"';
      parts.push(
        `<text x="${fmt(x + PAD)}" y="${fmt(y + PAD + (i + 1) * LINE - 5)}"${cls}>${xmlEscape(line)}</text>`,
      );
    }
    parts.push("</g>");
    out.push(parts.join(""));
  }
  out.push("</g>");
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
