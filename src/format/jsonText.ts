/*
 * JSON text for the CLI's output. JSON.stringify recurses (it overflows the stack a few thousand
 * levels deep, and a 2,000-level residual nest is 4,000 JSON levels) and its indentation grows
 * with depth, so its pretty output of a deep nest is quadratic in size. Small values keep
 * JSON.stringify's familiar layout; big or deep ones are written by an iterative writer that
 * puts each flat object (a plain layer) on one line and caps the indentation, so the text stays
 * linear in the number of layers. Both are the same JSON value.
 */

/**
 * An array whose elements are made when they are written (and dropped right after), so a big
 * output never holds every element at once: written as the array of `at(0) .. at(length - 1)`.
 */
export class LazyList {
  constructor(
    readonly length: number,
    readonly at: (i: number) => unknown,
  ) {}
}

/**
 * An object its maker knows to be flat (values scalars, arrays of scalars, or objects of those)
 * and to hold only finite numbers: the line layout writes it on one line without walking it
 * first. Layer entries are such objects (their counts come from integers), and skipping the
 * walk is a tenth of the time of a 100,000-layer output.
 */
export class FlatObject {
  constructor(readonly value: object) {}
}

/** Values with more containers than this, or nested deeper, use the line-per-object layout. */
export const PRETTY_LIMITS = { containers: 20_000, depth: 64 } as const;

/** Indentation stops growing past this many levels. */
export const MAX_INDENT_LEVELS = 32;

const NEWLINES: readonly string[] = Array.from(
  { length: MAX_INDENT_LEVELS + 1 },
  (_, d) => `\n${"  ".repeat(d)}`,
);

function newline(depth: number): string {
  return NEWLINES[Math.min(depth, MAX_INDENT_LEVELS)] as string;
}

function isContainer(v: unknown): v is object {
  return typeof v === "object" && v !== null;
}

/** Whether a value is small and shallow enough for JSON.stringify's layout (iterative). */
function fitsPretty(value: unknown): boolean {
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 0 }];
  let containers = 0;
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (!isContainer(item.v)) continue;
    if (++containers > PRETTY_LIMITS.containers || item.depth > PRETTY_LIMITS.depth) return false;
    const children = Array.isArray(item.v) ? item.v : Object.values(item.v);
    for (const c of children) if (isContainer(c)) stack.push({ v: c, depth: item.depth + 1 });
  }
  return true;
}

/** Fails on a number JSON cannot carry: JSON.stringify would print null, a silently wrong value. */
function checkScalar(v: unknown): void {
  if (typeof v === "number" && !Number.isFinite(v))
    throw new Error(`non-finite number ${v} in JSON output`);
}

/** An array of scalars (checked), or false. */
function isScalarArray(v: readonly unknown[]): boolean {
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x === "object" && x !== null) return false;
    checkScalar(x);
  }
  return true;
}

/** A container of scalars or scalar arrays (checked), or false. */
function isShallow(o: object): boolean {
  if (Array.isArray(o)) return isScalarArray(o);
  if (o instanceof LazyList) return false;
  for (const k in o) {
    const w = (o as Record<string, unknown>)[k];
    if (typeof w !== "object" || w === null) checkScalar(w);
    else if (!Array.isArray(w) || !isScalarArray(w)) return false;
  }
  return true;
}

/** A flat object: its values are scalars, arrays of scalars, or objects of those (one line). */
function isFlat(o: object): boolean {
  if (Array.isArray(o)) return isScalarArray(o);
  if (o instanceof LazyList) return false;
  for (const k in o) {
    const v = (o as Record<string, unknown>)[k];
    if (typeof v !== "object" || v === null) checkScalar(v);
    else if (!isShallow(v)) return false;
  }
  return true;
}

/** Checks a number JSON can carry exactly; JSON.stringify would print null for the others. */
function checkFinite(_key: string, v: unknown): unknown {
  checkScalar(v);
  return v;
}

const CHUNK_CHARS = 1 << 20;

interface Frame {
  array: readonly unknown[] | LazyList | null;
  object: Readonly<Record<string, unknown>> | null;
  keys: readonly string[];
  next: number;
  depth: number;
}

/**
 * A value in the line layout as ~1 MB strings, followed by `end`: the CLI writes them one by one,
 * since joining 39 MB of them and then writing the joined string costs more than all the writes
 * (bench/results.md).
 */
export function jsonLines(value: unknown, end = ""): string[] {
  // pieces are joined into ~1 MB chunks as they come: small strings then die young, and a chunk
  // lives in V8's large-object space, never copied by the young-generation collector
  let parts: string[] = [];
  let partsLength = 0;
  const chunks: string[] = [];
  const stack: Frame[] = [];
  const put = (v: unknown, depth: number) => {
    if (!isContainer(v)) checkScalar(v);
    const flat = v instanceof FlatObject;
    if (flat || !isContainer(v) || isFlat(v)) {
      const text = JSON.stringify(flat ? v.value : v) ?? "null";
      parts.push(text);
      partsLength += text.length;
      if (partsLength > CHUNK_CHARS) {
        chunks.push(parts.join(""));
        parts = [];
        partsLength = 0;
      }
      return;
    }
    if (Array.isArray(v) || v instanceof LazyList) {
      if (v.length === 0) {
        parts.push("[]");
        return;
      }
      parts.push("[");
      stack.push({ array: v, object: null, keys: [], next: 0, depth });
      return;
    }
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => o[k] !== undefined && typeof o[k] !== "function");
    parts.push("{");
    stack.push({ array: null, object: o, keys, next: 0, depth });
  };
  put(value, 0);
  for (let top = stack[stack.length - 1]; top !== undefined; top = stack[stack.length - 1]) {
    const i = top.next++;
    const n = top.array ? top.array.length : top.keys.length;
    if (i >= n) {
      parts.push(newline(top.depth), top.array ? "]" : "}");
      stack.pop();
      continue;
    }
    parts.push(i > 0 ? "," : "", newline(top.depth + 1));
    if (top.array) {
      put(top.array instanceof LazyList ? top.array.at(i) : top.array[i], top.depth + 1);
    } else {
      const key = top.keys[i] as string;
      parts.push(JSON.stringify(key), ": ");
      put((top.object as Record<string, unknown>)[key], top.depth + 1);
    }
  }
  parts.push(end);
  chunks.push(parts.join(""));
  return chunks;
}

/**
 * A plain JSON value (objects, arrays, strings, finite numbers, booleans, null) as indented JSON
 * text, linear in size and without recursion for big or deep values.
 */
export function jsonText(value: unknown, layout: "auto" | "lines" = "auto"): string {
  return layout === "auto" && fitsPretty(value) ? prettyText(value) : jsonLines(value).join("");
}

/**
 * JSON.stringify's layout, with arrays of numbers kept on one line (shapes read `[20, 20, 16]`):
 * such an array is first written as a string carrying a marker, then unquoted.
 */
function prettyText(value: unknown): string {
  // a fresh marker per call, so no string in the data can pose as one
  const nonce = Math.random().toString(36).slice(2, 10);
  const marker = `\u0000${nonce}:`;
  const text = JSON.stringify(
    value,
    (key, v: unknown) =>
      Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "number")
        ? `${marker}${v.map((x) => String(checkFinite(key, x))).join(", ")}`
        : checkFinite(key, v),
    2,
  );
  if (text === undefined) return "null";
  return text.replaceAll(new RegExp(`"\\\\u0000${nonce}:([-0-9.e+, ]*)"`, "g"), "[$1]");
}
