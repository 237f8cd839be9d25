import {
  computeView,
  isCheckError,
  joinTable,
  openFile,
  type PlaygroundView,
  type TableParts,
  workingHtml,
} from "./compute.js";
import { type DiagramReply, type DiagramRequest, drawDiagram } from "./diagram.js";
import { decodeHash, encodeHash } from "./hash.js";
import { escapeHtml, spanOf } from "./html.js";
import { PRESETS } from "./presets.js";

/*
 * The playground page: the DOM around computeView. Each input event recomputes the table,
 * totals, working, errors and marks synchronously (computeView is fast: see bench/results.md);
 * the URL hash and the diagram follow after a pause in typing, the diagram drawn in a worker
 * (dagre's layout is slow on big networks), so typing never waits on it.
 */

/** Milliseconds of quiet after the last keystroke before the diagram and the hash update. */
const DEFERRED_MS = 250;
/** The spec shown when the page opens without a hash. */
const DEFAULT_PRESET = "dqn.json";
/** Pixel height of an editor line: the CSS's `--line` (gutter and highlight follow it). */
const LINE_PX = 20;
/** Padding at the top of an editor, the CSS's `--pad`. */
const PAD_PX = 8;

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`the page has no #${id}`);
  return el as T;
}

const spec = byId<HTMLTextAreaElement>("spec");
const answers = byId<HTMLTextAreaElement>("answers");
const preset = byId<HTMLSelectElement>("preset");
const depth = byId<HTMLSelectElement>("depth");
const format = byId<HTMLElement>("format");
const errorBox = byId<HTMLElement>("error");
const results = byId<HTMLElement>("results");
const table = byId<HTMLElement>("table");
const summary = byId<HTMLElement>("summary");
const working = byId<HTMLElement>("working");
const workingPanel = byId<HTMLDetailsElement>("working-panel");
const check = byId<HTMLElement>("check");
const scoreBox = byId<HTMLElement>("score");
const diagram = byId<HTMLElement>("diagram");
const link = byId<HTMLAnchorElement>("link");

/** An editor's line-number gutter and its highlighted line. */
interface Editor {
  area: HTMLTextAreaElement;
  gutter: HTMLElement;
  mark: HTMLElement;
  lines: number;
  gutterKey: string;
}

function editorOf(area: HTMLTextAreaElement): Editor {
  const box = area.closest(".editor") as HTMLElement;
  const editor: Editor = {
    area,
    gutter: box.querySelector(".gutter") as HTMLElement,
    mark: box.querySelector(".mark") as HTMLElement,
    lines: 0,
    gutterKey: "",
  };
  area.addEventListener("scroll", () => {
    editor.gutter.style.transform = `translateY(${-area.scrollTop}px)`;
    placeMark(editor);
  });
  return editor;
}

const specEditor = editorOf(spec);
const answersEditor = editorOf(answers);

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** Gutter glyphs of the answers' verdicts. */
const GLYPH = {
  right: "✓",
  wrong: "✗",
  "no-layer": "✗",
  "not-applicable": "✗",
  "not-read": "?",
} as const;

/** Redraws a gutter: line numbers, and for answers each line's verdict. */
function drawGutter(editor: Editor, marks?: Map<number, keyof typeof GLYPH>): void {
  const lines = countLines(editor.area.value);
  const key = `${lines}|${marks ? [...marks].join(";") : ""}`;
  if (key === editor.gutterKey) return;
  editor.gutterKey = key;
  editor.lines = lines;
  if (marks === undefined) {
    let text = "1";
    for (let i = 2; i <= lines; i++) text += `\n${i}`;
    editor.gutter.textContent = text;
    return;
  }
  const out: string[] = [];
  for (let i = 1; i <= lines; i++) {
    const m = marks.get(i);
    out.push(
      m === undefined
        ? `<span>${i}</span>`
        : `<span class="v-${m}" title="${m}">${GLYPH[m]} ${i}</span>`,
    );
  }
  editor.gutter.innerHTML = out.join("\n");
}

/** Highlights one line of an editor (null: none). */
function markLine(editor: Editor, line: number | null): void {
  editor.mark.hidden = line === null;
  editor.mark.dataset.line = line === null ? "" : String(line);
  placeMark(editor);
}

function placeMark(editor: Editor): void {
  const line = Number(editor.mark.dataset.line);
  if (!line) return;
  editor.mark.style.top = `${PAD_PX + (line - 1) * LINE_PX - editor.area.scrollTop}px`;
}

/** Selects a line in an editor and scrolls it into view. */
function goToLine(editor: Editor, line: number): void {
  const text = editor.area.value;
  let start = 0;
  for (let i = 1; i < line; i++) start = text.indexOf("\n", start) + 1;
  const end = text.indexOf("\n", start);
  editor.area.focus();
  editor.area.setSelectionRange(start, end === -1 ? text.length : end);
  editor.area.scrollTop = Math.max(0, (line - 3) * LINE_PX);
}

/** A diagnostic's quoted line and caret line: `7 | text` and `  |   ^^` (emphasis or not). */
const QUOTED = new RegExp(`^(?:${spanOf("dim")})? *\\d* \\|`);

/**
 * A diagnostic's HTML in blocks: its message and hint wrap to the box, while the quoted line and
 * its caret keep their columns (one block that scrolls sideways), so the caret stays under its
 * place.
 */
function diagnosticHtml(html: string): string {
  const out: string[] = [];
  let quoted: string[] = [];
  const endQuote = () => {
    if (quoted.length > 0) out.push(`<div class="quoted">${quoted.join("\n")}</div>`);
    quoted = [];
  };
  for (const line of html.split("\n")) {
    if (QUOTED.test(line)) quoted.push(line);
    else {
      endQuote();
      out.push(`<div>${line}</div>`);
    }
  }
  endQuote();
  return `<div class="diag">${out.join("")}</div>`;
}

/** The error box's text with a button that selects the error's line in its editor. */
function showError(box: HTMLElement, html: string, editor: Editor, line: number | null): void {
  box.hidden = false;
  const go =
    line === null
      ? ""
      : `<button type="button" class="goto" data-line="${line}">Show line ${line} in the editor</button>`;
  box.innerHTML = `${diagnosticHtml(html)}${go}`;
  box.querySelector("button")?.addEventListener("click", () => goToLine(editor, line as number));
}

let view: PlaygroundView | null = null;
/** The table on the page, to replace only the rows that changed. */
let shownTable: TableParts | null = null;

/**
 * Puts the table on the page: when only some rows changed (a keystroke in one layer's line),
 * only those rows and the totals are replaced, which keeps the browser's relayout small.
 */
function showTable(t: TableParts): void {
  const old = shownTable;
  const tbody = table.querySelector("tbody");
  if (old === null || tbody === null || old.rows.length !== t.rows.length) {
    table.innerHTML = joinTable(t);
  } else {
    if (old.head !== t.head) {
      (table.querySelector("caption") as HTMLElement).outerHTML = t.head.slice(
        t.head.indexOf("<caption>"),
        t.head.indexOf("</caption>") + "</caption>".length,
      );
    }
    const changed = t.rows.filter((row, i) => row !== old.rows[i]).length;
    // many rows changed (a new input shape): one parse of the whole body beats one per row
    if (changed > t.rows.length / 4) tbody.innerHTML = t.rows.join("");
    else {
      t.rows.forEach((row, i) => {
        if (row !== old.rows[i]) (tbody.rows[i] as HTMLTableRowElement).outerHTML = row;
      });
    }
    if (old.foot !== t.foot) {
      const foot = table.querySelector("tfoot") as HTMLElement;
      foot.outerHTML = t.foot.slice("</tbody>".length, -"</table>".length);
    }
  }
  shownTable = t;
}
let deferred: ReturnType<typeof setTimeout> | undefined;

const depthValue = (): number | undefined =>
  depth.value === "all" ? undefined : Number(depth.value);

/**
 * The synchronous part of an update: everything but the diagram and the hash. Returns its time
 * in milliseconds (performance.now() around computing and updating the DOM; the browser's
 * layout follows, measured apart by `edit`).
 */
function recompute(): number {
  const start = performance.now();
  const depthShown = depthValue();
  view = computeView(spec.value, answers.value, {
    ...(depthShown === undefined ? {} : { depth: depthShown }),
    // the working is the longest text: made only while its panel is open
    working: workingPanel.open,
  });
  format.textContent = `read as ${view.format}`;
  drawGutter(specEditor);
  markLine(specEditor, view.error?.line ?? null);
  spec.setAttribute("aria-invalid", String(view.error !== null));
  if (view.error !== null) {
    showError(errorBox, view.error.html, specEditor, view.error.line);
    results.hidden = true;
    shownTable = null;
  } else {
    errorBox.hidden = true;
    errorBox.textContent = "";
    results.hidden = false;
    showTable(view.table as TableParts);
    summary.innerHTML = view.summary.map((l) => `<li>${l}</li>`).join("");
    working.innerHTML = view.working ?? "";
  }
  showCheck(view);
  diagram.classList.add("stale");
  return performance.now() - start;
}

function showCheck(v: PlaygroundView): void {
  const c = v.check;
  answers.setAttribute("aria-invalid", String(c !== null && isCheckError(c)));
  scoreBox.textContent = c !== null && !isCheckError(c) ? c.score : "";
  drawGutter(answersEditor, c !== null && !isCheckError(c) ? c.marks : new Map());
  markLine(answersEditor, c !== null && isCheckError(c) ? c.line : null);
  if (c === null) {
    // no answers, or a spec that does not read (nothing to mark them against)
    const typed = answers.value.trim() !== "";
    check.innerHTML =
      v.error !== null
        ? typed
          ? '<p class="hint">The answers are marked once the spec reads.</p>'
          : ""
        : '<p class="hint">Type answers above, one a line (e.g. <code>layer 1 neurons 6400</code>), to have them marked.</p>';
  } else if (isCheckError(c)) {
    showError(check, c.html, answersEditor, c.line);
  } else {
    check.innerHTML = `<pre>${c.html}</pre>`;
  }
}

/** The diagram worker's code, bundled by scripts/build.mjs. */
declare const __CNNCALC_DIAGRAM_WORKER__: string;

/** Starts the diagram worker; null where workers cannot start (the page then draws itself). */
function startWorker(): Worker | null {
  try {
    const code = new Blob([__CNNCALC_DIAGRAM_WORKER__], { type: "text/javascript" });
    const w = new Worker(URL.createObjectURL(code));
    w.onmessage = (e: MessageEvent<DiagramReply>) => showDiagram(e.data);
    w.onerror = () => {
      // a worker that fails to run: draw in the page from now on
      w.terminate();
      worker = null;
      if (pending !== null) showDiagram(drawDiagram(pending));
    };
    return w;
  } catch {
    return null;
  }
}

let worker = startWorker();
/** The diagram asked for and not yet drawn. */
let pending: DiagramRequest | null = null;
let lastRequest = 0;
/** Resolves when the latest diagram is on the page (for the tests' `flush`). */
let drawn: () => void = () => {};

function showDiagram(reply: DiagramReply): void {
  // an answer to an older request than the latest is dropped
  if (pending === null || reply.id !== pending.id) return;
  pending = null;
  diagram.innerHTML =
    "svg" in reply ? reply.svg : `<p class="hint">${escapeHtml(reply.message)}</p>`;
  diagram.classList.remove("stale");
  drawn();
}

/** Asks for the diagram of the spec as it is now; a request still running is abandoned. */
function requestDiagram(): void {
  if (view?.analysis == null) {
    pending = null;
    diagram.innerHTML = "";
    diagram.classList.remove("stale");
    drawn();
    return;
  }
  const depthShown = depthValue();
  const request: DiagramRequest = {
    id: ++lastRequest,
    text: spec.value,
    ...(depthShown === undefined ? {} : { depth: depthShown }),
  };
  if (pending !== null && worker !== null) {
    // the worker is busy with a diagram nobody will see: a fresh worker instead
    worker.terminate();
    worker = startWorker();
  }
  pending = request;
  if (worker !== null) worker.postMessage(request);
  else showDiagram(drawDiagram(request));
}

/** The slow part, after typing pauses: the diagram (in the worker), and the URL. */
function deferredUpdate(): void {
  deferred = undefined;
  const hash = encodeHash({
    spec: spec.value,
    ...(answers.value ? { answers: answers.value } : {}),
  });
  history.replaceState(null, "", `#${hash}`);
  link.href = `#${hash}`;
  requestDiagram();
}

function update(): void {
  recompute();
  if (deferred !== undefined) clearTimeout(deferred);
  deferred = setTimeout(deferredUpdate, DEFERRED_MS);
}

function loadPreset(file: string): void {
  const p = PRESETS.find((x) => x.file === file);
  if (p === undefined) return;
  preset.value = p.file;
  spec.value = p.text;
  answers.value = p.answers ?? "";
  spec.scrollTop = 0;
  update();
}

for (const p of PRESETS) {
  const option = document.createElement("option");
  option.value = p.file;
  option.textContent = p.file;
  preset.append(option);
}
preset.addEventListener("change", () => loadPreset(preset.value));
const modelInput = byId<HTMLInputElement>("model");
modelInput.addEventListener("change", async () => {
  const file = modelInput.files?.[0];
  if (file === undefined) return;
  const opened = await openFile(new Uint8Array(await file.arrayBuffer()), file.name);
  byId("notice").textContent = opened.note;
  // the same file chosen again is a change again
  modelInput.value = "";
  if (opened.text === undefined) return;
  spec.value = opened.text;
  preset.value = "";
  spec.scrollTop = 0;
  update();
});
spec.addEventListener("input", () => {
  preset.value = "";
  update();
});
answers.addEventListener("input", update);
depth.addEventListener("change", update);
workingPanel.addEventListener("toggle", () => {
  const a = view?.analysis;
  if (workingPanel.open && a) working.innerHTML = workingHtml(a, spec.value, depthValue());
});

/** Opens the state in the URL's hash, or the default example; false when the hash is bad. */
function openHash(): boolean {
  if (location.hash.length <= 1) {
    loadPreset(DEFAULT_PRESET);
    return true;
  }
  try {
    const state = decodeHash(location.hash);
    spec.value = state.spec ?? "";
    answers.value = state.answers ?? "";
    preset.value = PRESETS.find((p) => p.text === spec.value)?.file ?? "";
    update();
    return true;
  } catch {
    loadPreset(DEFAULT_PRESET);
    byId("notice").textContent =
      "The link's #spec=… could not be read (expected base64url of UTF-8 text); showing an example instead.";
    return false;
  }
}

openHash();
window.addEventListener("hashchange", () => {
  // our own replaceState fires no hashchange: this is a link followed or a hash typed
  openHash();
});

/**
 * For the browser test and the benchmark: `edit(text)` puts a text in the Spec box and runs the
 * synchronous recompute a keystroke runs, returning its time and that of the layout it causes,
 * in ms; `flush()` runs the deferred update (URL, diagram) now, resolving once the diagram is
 * drawn.
 */
(window as unknown as { cnncalcPlayground: unknown }).cnncalcPlayground = {
  edit: (text: string): { recompute: number; layout: number } => {
    spec.value = text;
    preset.value = "";
    // the text box's own layout of its new text is not the recompute's: done before timing
    void document.body.offsetHeight;
    const ms = recompute();
    const start = performance.now();
    void document.body.offsetHeight;
    return { recompute: ms, layout: performance.now() - start };
  },
  flush: (): Promise<void> => {
    if (deferred !== undefined) clearTimeout(deferred);
    const done = new Promise<void>((resolve) => {
      drawn = resolve;
    });
    deferredUpdate();
    return done;
  },
  /** Whether diagrams are drawn in a worker (false: in the page, where workers cannot start). */
  inWorker: (): boolean => worker !== null,
};
