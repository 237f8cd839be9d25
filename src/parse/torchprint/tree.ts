/**
 * The layout of PyTorch's `print(model)`: one module per line, `(name): Class(arguments)` for a
 * leaf and `(name): Class(` ... `)` around the children of a container, two spaces of indent per
 * level, the model's own class on the first line. PyTorch 2's ModuleList writes a run of
 * identical modules once, as `(0-2): 3 x Block(`. This file reads that layout into a tree of
 * modules with their places in the text, and a module's arguments (Python reprs) into values.
 */
import { cnnError, type Span } from "../../core/errors.js";

/** One module as printed. */
export interface TorchModule {
  /** Its attribute name in the parent (`conv1`, `0`, `0-2`); null for the model itself. */
  key: string | null;
  /** The dotted path from the model (`layer1.0.conv1`), empty for the model itself. */
  path: string;
  /** The class name (`Conv2d`, `BasicBlock`). */
  cls: string;
  /** The text between the parentheses of a one-line module (`3, 64, kernel_size=(7, 7)`). */
  args: string;
  /** Where `args` starts in the text. */
  argsAt: number;
  /** Whether it was printed as a container (`Class(` with its children on the lines below). */
  container: boolean;
  children: TorchModule[];
  /** How many identical modules the line stands for (`3 x Block`), 1 otherwise. */
  times: number;
  /** 1-based line number. */
  line: number;
  /** The class name and arguments on the line, for the caret. */
  span: Span;
}

/** A printed model: its root module and the input shape a `# input:` line states, if any. */
export interface TorchTree {
  root: TorchModule;
  input?: { shape: number[]; span: Span };
}

const CLASS = /^([A-Za-z_][A-Za-z0-9_]*)\(/;
const CHILD = /^\(([A-Za-z0-9_.]+|\d+-\d+)\): (?:(\d+) x )?/;
const INPUT = /^#\s*input\s*:\s*(.*?)\s*$/i;

/** Whether a text looks like `print(model)`: a first line `Name(`, a child line `(x): Class(` soon after. */
export function looksLikeTorchPrint(body: string): boolean {
  const lines = body.split("\n", 60);
  let i = 0;
  while (i < lines.length && /^\s*(#.*)?$/.test(lines[i] as string)) i++;
  if (!/^[A-Za-z_][A-Za-z0-9_]*\(\s*$/.test(lines[i] ?? "")) return false;
  // a container's own extra line (its extra_repr) may come before its first child
  return lines
    .slice(i + 1, i + 4)
    .some((l) => /^\s+\((?:[A-Za-z0-9_.]+|\d+-\d+)\): (?:\d+ x )?[A-Za-z_][A-Za-z0-9_]*\(/.test(l));
}

function syntax(message: string, span: Span, hint?: string): never {
  throw cnnError("torch-syntax", message, { span, ...(hint ? { hint } : {}) });
}

/** Where the parenthesis opened at `open` closes in `s` (quotes skipped), or -1. */
function closing(s: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < s.length; i++) {
    const c = s[i] as string;
    if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Reads an input statement's value (`224x224x3`, channels last as --input) or fails at it. */
function inputShape(value: string, span: Span): number[] {
  const parts = value.split(/\s*[x×,]\s*/);
  const shape = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : Number.NaN));
  if (
    shape.length < 1 ||
    shape.length > 4 ||
    !shape.every((n) => Number.isSafeInteger(n) && n > 0)
  ) {
    syntax(
      `the input line must give 1 to 4 positive whole numbers, channels last; expected e.g. "# input: 224x224x3". Received: "${value}"`,
      span,
    );
  }
  return shape;
}

/**
 * Most levels of nesting read: the reader recurses once per level, so a limit far beyond real
 * models (torchvision's deepest is under 10) keeps a pathological text from the stack's end.
 */
export const TORCH_MAX_NESTING = 1000;

/**
 * Reads the text of `print(model)` into its module tree; fails at the first line it cannot read.
 * `maxDepth` (at most TORCH_MAX_NESTING) bounds the nesting of containers.
 */
export function readTree(text: string, maxDepth = TORCH_MAX_NESTING): TorchTree {
  const limit = Math.min(maxDepth, TORCH_MAX_NESTING);
  let root: TorchModule | undefined;
  let input: TorchTree["input"];
  const stack: TorchModule[] = [];
  let closed = false;
  let offset = 0;
  const lines = text.split("\n");
  for (let n = 0; n < lines.length; n++) {
    const raw = (lines[n] as string).replace(/\r$/, "");
    const lineAt = offset;
    offset += (lines[n] as string).length + 1;
    const indent = raw.length - raw.trimStart().length;
    const body = raw.trim();
    const at = lineAt + indent;
    const lineSpan = { start: at, end: at + body.length };
    if (body === "") continue;
    if (body.startsWith("#")) {
      const m = INPUT.exec(body);
      if (m && stack.length === 0) {
        if (input) syntax("a second input line; expected one", lineSpan);
        input = { shape: inputShape(m[1] as string, lineSpan), span: lineSpan };
      }
      continue;
    }
    if (closed) {
      syntax(
        `text after the model's closing ")"; expected nothing but blank lines and # comments. Received: "${body.slice(0, 40)}"`,
        lineSpan,
      );
    }
    const parent = stack[stack.length - 1];
    if (body === ")") {
      if (!parent) syntax('a ")" with no module open', lineSpan);
      stack.pop();
      if (stack.length === 0) closed = true;
      continue;
    }
    let key: string | null = null;
    let times = 1;
    let rest = body;
    let restAt = at;
    const child = CHILD.exec(body);
    if (parent) {
      if (!child) {
        // a container's own extra line (its extra_repr) comes before its children
        if (parent.children.length === 0 && parent.args === "") {
          parent.args = body;
          parent.argsAt = at;
          continue;
        }
        syntax(
          `expected a child module "(name): Class(...)" or ")" inside ${parent.cls}. Received: "${body.slice(0, 40)}"`,
          lineSpan,
        );
      }
      key = child[1] as string;
      if (child[2] !== undefined) {
        times = Number(child[2]);
        const range = /^(\d+)-(\d+)$/.exec(key);
        if (!range || Number(range[2]) - Number(range[1]) + 1 !== times || times < 2) {
          syntax(
            `"(${key}): ${child[2]} x" must name a range of ${child[2]} modules, as "(0-2): 3 x Block(" does`,
            lineSpan,
          );
        }
      } else if (/-/.test(key)) syntax(`"(${key})" must be followed by "N x Class("`, lineSpan);
      rest = body.slice(child[0].length);
      restAt = at + child[0].length;
    } else if (root) {
      syntax("a second model; expected one model per text", lineSpan);
    } else if (child) {
      syntax(
        "a child module before the model's own line; expected the model's class first, as in \"ResNet(\"",
        lineSpan,
      );
    }
    const cls = CLASS.exec(rest);
    if (!cls) {
      syntax(
        `expected a module "Class(...)". Received: "${rest.slice(0, 40)}"`,
        { start: restAt, end: restAt + rest.length },
        "a line of print(model) is a module, (name): Class(arguments), or a closing )",
      );
    }
    const name = cls[1] as string;
    const open = name.length;
    const close = closing(rest, open);
    const path = key === null ? "" : parent?.path ? `${parent.path}.${key}` : key;
    const module: TorchModule = {
      key,
      path,
      cls: name,
      args: "",
      argsAt: restAt + open + 1,
      container: close === -1,
      children: [],
      times,
      line: n + 1,
      span: { start: restAt, end: restAt + rest.length },
    };
    if (close === -1) {
      if (rest.length !== open + 1) {
        syntax(`${name}( is not closed on its line; expected "${name}(...)" or "${name}(" alone`, {
          start: restAt,
          end: restAt + rest.length,
        });
      }
    } else {
      if (close !== rest.length - 1) {
        syntax(`text after ${name}(...); expected the line to end there`, {
          start: restAt + close + 1,
          end: restAt + rest.length,
        });
      }
      module.args = rest.slice(open + 1, close);
    }
    if (parent) parent.children.push(module);
    else root = module;
    if (module.container) {
      if (stack.length >= limit) {
        throw cnnError(
          "too-deep",
          `modules nest deeper than ${limit} levels; expected at most ${limit}${limit < TORCH_MAX_NESTING ? " (raise it with --max-depth)" : ""}`,
          { span: module.span },
        );
      }
      stack.push(module);
    } else if (!parent) closed = true;
  }
  if (!root) {
    return syntax(
      'found no module; expected the text print(model) prints, starting with the model\'s class, as in "ResNet("',
      { start: 0, end: Math.min(text.length, 1) },
    );
  }
  const open = stack[stack.length - 1];
  if (open) {
    syntax(
      `${open.cls}( on line ${open.line} is never closed; expected a ")" line for it`,
      open.span,
    );
  }
  return { root, ...(input ? { input } : {}) };
}

/** A value of a module's arguments as Python's repr prints it. */
export type PyValue = number | boolean | null | string | PyValue[];

/** A module's arguments: positional values and keyword values, each with its place. */
export interface PyArgs {
  positional: { value: PyValue; span: Span }[];
  keywords: Map<string, { value: PyValue; span: Span }>;
}

/** Splits `s` at commas outside brackets and quotes, with each part's offset. */
function splitTop(s: string): { text: string; at: number }[] {
  const out: { text: string; at: number }[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = s[i];
    if (quote !== null) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if ((c === "," && depth === 0) || c === undefined) {
      const part = s.slice(start, i);
      const lead = part.length - part.trimStart().length;
      if (part.trim() !== "" || c === ",") out.push({ text: part.trim(), at: start + lead });
      start = i + 1;
    }
  }
  return out;
}

/** Reads one Python repr value: a number, True/False/None, a tuple or list, a string or a word. */
function pyValue(text: string, span: Span): PyValue {
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  if (text === "True") return true;
  if (text === "False") return false;
  if (text === "None") return null;
  if (/^[-+]?inf$/.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
  const q = /^'([^']*)'$|^"([^"]*)"$/.exec(text);
  if (q) return (q[1] ?? q[2]) as string;
  if (/^[A-Za-z_][A-Za-z0-9_.]*$/.test(text)) return text;
  if (
    (text.startsWith("(") && text.endsWith(")")) ||
    (text.startsWith("[") && text.endsWith("]"))
  ) {
    const inner = text.slice(1, -1);
    const parts = splitTop(inner).filter((p) => p.text !== "");
    return parts.map((p) =>
      pyValue(p.text, {
        start: span.start + 1 + p.at,
        end: span.start + 1 + p.at + p.text.length,
      }),
    );
  }
  return syntax(
    `cannot read the value "${text}"; expected a Python value as print() shows it`,
    span,
  );
}

/** Reads a module's arguments (`3, 64, kernel_size=(7, 7), bias=False`). */
export function readArgs(module: TorchModule): PyArgs {
  const args: PyArgs = { positional: [], keywords: new Map() };
  for (const part of splitTop(module.args)) {
    const start = module.argsAt + part.at;
    if (part.text === "") {
      syntax("an empty argument; expected a value between the commas", { start, end: start + 1 });
    }
    const kw = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(part.text);
    if (kw) {
      const text = part.text.slice(kw[0].length);
      const vStart = start + kw[0].length;
      const span = { start: vStart, end: vStart + text.length };
      args.keywords.set(kw[1] as string, { value: pyValue(text, span), span });
    } else {
      const span = { start, end: start + part.text.length };
      if (args.keywords.size > 0) {
        syntax("a positional argument after keyword arguments", span);
      }
      args.positional.push({ value: pyValue(part.text, span), span });
    }
  }
  return args;
}
