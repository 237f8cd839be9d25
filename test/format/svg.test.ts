import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Analysis, LayerResult, LayerSpec } from "../../src/core/types.js";
import { MAX_DRAWN_DEPTH, MAX_DRAWN_NODES, renderSvg, xmlEscape } from "../../src/format/svg.js";
import { run as runCli } from "../helpers/io.js";
import { byTier } from "../helpers/tier.js";
import { example, run } from "../helpers.js";

/**
 * A strict well-formedness check, enough for what renderSvg writes: one XML declaration, then
 * elements whose tags balance under one root, attributes double-quoted, and `&` only in the five
 * predefined entities or character references; no `<` or `>` in text or attribute values.
 */
function checkXml(doc: string): void {
  const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;
  const cleanText = (t: string, where: string) => {
    const rest = t.replace(ENTITY, "");
    if (/[&<>]/.test(rest)) throw new Error(`bad character data in ${where}: ${t.slice(0, 80)}`);
  };
  let body = doc;
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/;
  if (!decl.test(body)) throw new Error("no XML declaration");
  body = body.replace(decl, "");
  const stack: string[] = [];
  let roots = 0;
  let pos = 0;
  const TAG = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>/y;
  while (pos < body.length) {
    const lt = body.indexOf("<", pos);
    const text = body.slice(pos, lt === -1 ? body.length : lt);
    if (stack.length === 0 && text.trim() !== "") throw new Error(`text outside the root: ${text}`);
    cleanText(text, "text");
    if (lt === -1) break;
    TAG.lastIndex = lt;
    const m = TAG.exec(body);
    if (m === null) throw new Error(`malformed tag at ${lt}: ${body.slice(lt, lt + 80)}`);
    const [whole, close, name, attrs, selfClose] = m as unknown as string[];
    for (const a of (attrs ?? "").matchAll(/([\w:-]+)="([^"]*)"/g))
      cleanText(a[2] ?? "", `${a[1]}=`);
    const names = [...(attrs ?? "").matchAll(/([\w:-]+)="/g)].map((a) => a[1]);
    if (new Set(names).size !== names.length) throw new Error(`repeated attribute in <${name}>`);
    if (close === "/") {
      if (stack.pop() !== name) throw new Error(`</${name}> closes nothing open`);
    } else if (selfClose !== "/") {
      if (stack.length === 0) roots++;
      stack.push(name as string);
    } else if (stack.length === 0) {
      roots++;
    }
    pos = lt + (whole as string).length;
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join("> <")}>`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
}

/** The leaves of an analysis (layers that are not blocks), in order. */
function leaves(list: readonly LayerResult[]): LayerResult[] {
  return list.flatMap((r) => {
    const kids = [...(r.layers ?? []), ...(r.shortcut ?? []), ...(r.branches ?? []).flat()];
    return kids.length === 0 ? [r] : leaves(kids);
  });
}

/** The texts labelled as layer names, unescaped. */
function nameLabels(svg: string): string[] {
  return [...svg.matchAll(/<text [^>]*class="name"[^>]*>([^<]*)<\/text>/g)].map((m) =>
    (m[1] ?? "")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, "&"),
  );
}

function edgesInto(svg: string, id: string): string[] {
  return [...svg.matchAll(new RegExp(`data-from="(n\\d+)" data-to="${id}"`, "g"))].map(
    (m) => m[1] ?? "",
  );
}

function idOf(svg: string, cls: string, text: string): string {
  const m = svg.match(
    new RegExp(`<g class="${cls}" id="(n\\d+)">(?:(?!</g>).)*>${text}</text>`, "s"),
  );
  if (!m?.[1]) throw new Error(`no ${cls} node with ${text}`);
  return m[1];
}

describe("the XML check", () => {
  it("catches what it is for", () => {
    const d = '<?xml version="1.0" encoding="UTF-8"?>\n';
    expect(() => checkXml(`${d}<svg><g></svg>`)).toThrow();
    expect(() => checkXml(`${d}<svg><text>a & b</text></svg>`)).toThrow();
    expect(() => checkXml(`${d}<svg><text>a < b</text></svg>`)).toThrow();
    expect(() => checkXml(`${d}<svg a="x<y"/>`)).toThrow();
    expect(() => checkXml(`${d}<svg a='x'/>`)).toThrow();
    expect(() => checkXml(`${d}<svg/><svg/>`)).toThrow();
    expect(() => checkXml(`${d}<svg><text>a &amp; &#215;</text><g/></svg>`)).not.toThrow();
  });
});

describe("renderSvg", () => {
  // the largest diagrams (each several hundred nodes for dagre) in the full tier only
  const files = [
    "dqn.json",
    "resnet18.json",
    "inception-v1.json",
    "unet-small.json",
    ...byTier([], ["googlenet.json", "densenet121.json", "efficientnet-b0.json"]),
  ];
  const cases: [string, Analysis][] = files.map((f) => [f.replace(/\.json$/, ""), example(f)]);
  it.each(cases)("%s: well-formed, each leaf's name once as a label", (_, a) => {
    const svg = renderSvg(a);
    checkXml(svg);
    expect(nameLabels(svg).sort()).toEqual(
      leaves(a.layers)
        .map((r) => r.name)
        .sort(),
    );
    // the size comes from the layout
    const [, w, h] = svg.match(/<svg [^>]*width="(\d+)" height="(\d+)" viewBox="0 0 \1 \2"/) ?? [];
    expect(Number(w)).toBeGreaterThan(100);
    expect(Number(h)).toBeGreaterThan(100);
  });

  it("escapes names with & < > \" and '", () => {
    const a = run(
      [8, 8, 3],
      [
        { type: "conv", name: `a&b<c>"d"'e'`, filters: 2, kernel: 3 },
        {
          type: "concat",
          name: "x<&>y",
          branches: [[{ type: "conv", name: "]]>&amp;", filters: 1, kernel: 1 }], []],
        },
      ],
    );
    const svg = renderSvg({ ...a, name: `net <&> "quoted"` });
    checkXml(svg);
    expect(svg).toContain("a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;");
    expect(nameLabels(svg).sort()).toEqual([`a&b<c>"d"'e'`, "]]>&amp;"].sort());
    expect(svg).toContain("x&lt;&amp;&gt;y (concat)");
    expect(xmlEscape(`<&>"'`)).toBe("&lt;&amp;&gt;&quot;&apos;");
  });

  it("draws a residual's identity shortcut as an edge from the block input into the add", () => {
    const svg = renderSvg(example("resnet-stage.json"));
    // block2 has no shortcut layers: its head (the block's input) goes straight to its +
    const head = idOf(svg, "block", "block2 \\(residual\\)[^<]*");
    const joins = [...svg.matchAll(/<g class="join" id="(n\d+)">/g)].map((m) => m[1] ?? "");
    expect(joins).toHaveLength(2);
    const into2 = edgesInto(svg, joins[1] as string);
    expect(into2).toHaveLength(2);
    expect(into2).toContain(head);
    expect(into2).toContain(idOf(svg, "layer", "bn4"));
    // block1's projection shortcut: the add takes the body's and the shortcut's last layers
    const into1 = edgesInto(svg, joins[0] as string).sort();
    expect(into1).toEqual([idOf(svg, "layer", "bn2"), idOf(svg, "layer", "downsample_bn")].sort());
  });

  it("merges concat, add and multiply branches into one join node; an empty branch is a direct edge", () => {
    const a = run(
      [8, 8, 4],
      [
        { type: "conv", name: "stem", filters: 4, kernel: 1 },
        {
          type: "multiply",
          name: "se",
          branches: [
            [],
            [
              { type: "globalavgpool", name: "gap" },
              { type: "dense", name: "fc", units: 4 },
            ],
          ],
        },
      ],
    );
    const svg = renderSvg(a);
    const join = idOf(svg, "join", "×");
    const into = edgesInto(svg, join).sort();
    expect(into).toEqual(
      [idOf(svg, "block", "se \\(multiply\\)[^<]*"), idOf(svg, "layer", "fc")].sort(),
    );
  });

  it(`draws frames at most ${MAX_DRAWN_DEPTH} deep, saying so`, () => {
    let layers: LayerSpec[] = [{ type: "dense", name: "core", units: 4 }];
    for (let i = 0; i < MAX_DRAWN_DEPTH + 2; i++) layers = [{ type: "residual", body: layers }];
    const svg = renderSvg(run([4], layers));
    checkXml(svg);
    expect(svg.match(/class="frame"/g)).toHaveLength(MAX_DRAWN_DEPTH - 1);
    expect(svg).toContain(`blocks deeper than ${MAX_DRAWN_DEPTH} levels collapsed`);
    expect(nameLabels(svg)).not.toContain("core");
    // within the limit: no note
    expect(renderSvg(example("resnet18.json"))).not.toContain("levels collapsed");
  });

  it(`refuses more than ${MAX_DRAWN_NODES} nodes; DenseNet-121 (docs/diagrams.md) draws 376`, () => {
    const drawn = renderSvg(example("densenet121.json")).match(
      /<g class="(?:layer|join|block|io)"/g,
    );
    expect(drawn).toHaveLength(376);
    // the input is a node too
    const layers: LayerSpec[] = Array(MAX_DRAWN_NODES - 1).fill({ type: "dense", units: 4 });
    expect(() => renderSvg(run([4], layers))).not.toThrow();
    const dense: LayerSpec = { type: "dense", units: 4 };
    expect(() => renderSvg(run([4], [...layers, dense, dense]))).toThrow(
      "draws at most 1,000 nodes; received a network of 1,002",
    );
  });

  it("--depth collapses blocks beyond it into one node with the block's subtotal", () => {
    const a = example("resnet-stage.json");
    const svg = renderSvg(a, { depth: 1 });
    checkXml(svg);
    expect(nameLabels(svg)).toEqual(["block1", "relu2", "block2", "relu4"]);
    expect(svg).toContain(">230,912 params<");
    expect(svg).not.toContain('class="frame"');
  });
});

const UPDATE = process.env.UPDATE_GOLDEN === "1";

/** Checks `actual` against a committed file; UPDATE_GOLDEN=1 rewrites it. */
function sameAsFile(path: string, actual: string): void {
  const url = new URL(`../../${path}`, import.meta.url);
  if (UPDATE) writeFileSync(url, actual);
  expect(existsSync(url), `missing ${path} (run with UPDATE_GOLDEN=1)`).toBe(true);
  expect(actual, `${path} differs (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(url, "utf8"));
}

describe("SVG golden files and the diagrams in docs", () => {
  const cases: [string, string[]][] = [
    ["test/golden/dqn.svg", ["examples/dqn.json", "--format", "svg"]],
    ["test/golden/resnet-stage.svg", ["examples/resnet-stage.json", "--format", "svg"]],
    [
      "test/golden/inception-v1.depth2.svg",
      ["examples/inception-v1.json", "--format", "svg", "--depth", "2"],
    ],
    // docs/diagrams.md shows these files, made by the commands it lists
    ["docs/img/resnet-stage.svg", ["examples/resnet-stage.json", "--format", "svg"]],
    [
      "docs/img/inception-v1.svg",
      ["examples/inception-v1.json", "--format", "svg", "--depth", "2"],
    ],
  ];
  it.each(cases)("%s", async (path, args) => {
    const r = await runCli(args);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    checkXml(r.stdout);
    sameAsFile(path, r.stdout);
  });

  it("-o x.svg writes SVG without --format; several specs are refused", async () => {
    const one = await runCli(["examples/dqn.json", "-o", "net.svg"]);
    expect(one.code).toBe(0);
    expect(one.written.get("net.svg")).toBe(
      readFileSync(new URL("../golden/dqn.svg", import.meta.url), "utf8"),
    );
    const many = await runCli(["examples/dqn.json", "examples/dqn.json", "--format", "svg"]);
    expect(many.code).toBe(2);
    expect(many.stderr).toContain("--format svg takes one spec");
    const explain = await runCli(["examples/dqn.json", "--format", "svg", "--explain"]);
    expect(explain.code).toBe(2);
    expect(explain.stderr).toContain("--explain has no SVG form");
  });
});
