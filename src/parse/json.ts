import { cnnError, type ErrorCode, type Span } from "../core/errors.js";
import { counted } from "../core/words.js";

/** Where each value of a parsed JSON document stands in its text. */
export interface JsonSourceMap {
  root: Span;
  /** For an object: each key's span and its value's span. */
  objects: WeakMap<object, Map<string, { key: Span; value: Span }>>;
  /** For an array: each element's span. */
  arrays: WeakMap<unknown[], Span[]>;
}

/** Options for the JSON reader. */
export interface JsonOptions {
  /** Deepest nesting of arrays and objects accepted (default 10,000). */
  maxDepth?: number;
  /**
   * Record the span of every key and value (default true). Without spans the reader allocates
   * nothing but the values, for the common case where the spec turns out valid; callers re-read
   * with spans to point at a problem.
   */
  spans?: boolean;
}

type Container =
  | {
      kind: "object";
      value: Record<string, unknown>;
      start: number;
      key?: string;
      keySpan?: Span;
      keys: Map<string, { key: Span; value: Span }> | undefined;
    }
  | { kind: "array"; value: unknown[]; start: number; spans: Span[] | undefined };

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

/** Describes the character at an offset for messages: `'x'` or "the end of the file". */
function received(text: string, at: number): string {
  if (at >= text.length) return "the end of the file";
  const ch = text.codePointAt(at) as number;
  return ch < 0x20
    ? `control character U+${ch.toString(16).padStart(4, "0").toUpperCase()}`
    : `'${String.fromCodePoint(ch)}'`;
}

/**
 * Parses JSON text, recording the span of every key and value, without recursion (any depth up
 * to the limit) and without prototype pollution (`__proto__` is defined as a plain own key, never
 * set as a prototype). Errors are CnnErrors with a span and say what was expected and what was
 * received.
 */
export function parseJson(
  text: string,
  options: JsonOptions = {},
): { value: unknown; map: JsonSourceMap } {
  const maxDepth = options.maxDepth ?? 10_000;
  const record = options.spans !== false;
  const objects: JsonSourceMap["objects"] = new WeakMap();
  const arrays: JsonSourceMap["arrays"] = new WeakMap();
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const stack: Container[] = [];

  const error = (code: ErrorCode, message: string, start: number, end = start + 1): never => {
    throw cnnError(code, message, {
      span: { start, end: Math.min(end, Math.max(text.length, start + 1)) },
    });
  };
  const skipWs = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const readString = (): string => {
    const start = i;
    i++; // opening quote
    let out = "";
    let chunk = i;
    for (;;) {
      if (i >= text.length)
        error("json-syntax", "unterminated string; expected a closing '\"'", start, i);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(chunk, i);
        i++;
        return out;
      }
      if (c < 0x20)
        error(
          "json-syntax",
          `expected a character or '"' in a string; received ${received(text, i)}`,
          i,
        );
      if (c === 0x5c) {
        out += text.slice(chunk, i);
        const e = text[i + 1] ?? "";
        if (e === "u") {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex))
            error("json-syntax", `expected 4 hex digits after '\\u'; received '${hex}'`, i, i + 6);
          out += String.fromCharCode(Number.parseInt(hex, 16));
          i += 6;
        } else if (e in ESCAPES) {
          out += ESCAPES[e];
          i += 2;
        } else {
          error(
            "json-syntax",
            `expected an escape such as \\n or \\"; received '\\${e}'`,
            i,
            i + 2,
          );
        }
        chunk = i;
        continue;
      }
      i++;
    }
  };
  // A spec repeats a few keys and words ("type", "kernel", "conv", "same") thousands of times.
  // Each is read into the string it was read as last time (found by its length and first
  // letter): the engine has already interned that string, so the duplicate check and the property
  // store skip hashing a new one, and the spec holds one copy (a fifth of the reading time of a
  // 100,000-layer spec).
  const seen: (string | undefined)[] = new Array(64);
  const readPlainString = (): string => {
    const from = i + 1;
    let end = from;
    for (let c = text.charCodeAt(end); c !== 0x22; c = text.charCodeAt(++end)) {
      // escapes, control characters and the end of the text take the general path
      if (c === 0x5c || c < 0x20 || Number.isNaN(c)) return readString();
    }
    const slot = (text.charCodeAt(from) * 7 + (end - from)) & 63;
    const last = seen[slot];
    i = end + 1;
    if (last !== undefined && last.length === end - from) {
      // compared here rather than with startsWith, whose call costs more than these few letters
      let k = 0;
      while (k < last.length && last.charCodeAt(k) === text.charCodeAt(from + k)) k++;
      if (k === last.length) return last;
    }
    const read = text.slice(from, end);
    seen[slot] = read;
    return read;
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  /**
   * A plain integer of at most 15 digits at i (the usual number in a spec), read without the
   * regex and its match allocations; undefined when the number is anything else.
   */
  const readSmallInteger = (): number | undefined => {
    let j = i;
    const negative = text.charCodeAt(j) === 0x2d;
    if (negative) j++;
    const first = text.charCodeAt(j);
    // written so that NaN (the end of the text) is not a digit either
    if (!(first >= 0x30 && first <= 0x39)) return undefined;
    let value = first - 0x30;
    j++;
    // JSON allows no leading zeros: after a 0 the number ends (what follows is an error later)
    if (first !== 0x30) {
      for (let d = text.charCodeAt(j); d >= 0x30 && d <= 0x39; d = text.charCodeAt(++j)) {
        value = value * 10 + (d - 0x30);
      }
    }
    const next = text.charCodeAt(j);
    // fractions, exponents and long integers take the general path
    if (next === 0x2e || next === 0x65 || next === 0x45 || j - i > 15) return undefined;
    i = j;
    return negative ? -value : value;
  };
  /** Reads a scalar at i, or returns undefined at the start of a container. */
  const readScalar = (): unknown => {
    const small = readSmallInteger();
    if (small !== undefined) return small;
    const c = text[i];
    if (c === '"') return readPlainString();
    if (c === "t" && text.startsWith("true", i)) {
      i += 4;
      return true;
    }
    if (c === "f" && text.startsWith("false", i)) {
      i += 5;
      return false;
    }
    if (c === "n" && text.startsWith("null", i)) {
      i += 4;
      return null;
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m && m[0].length > 0 && m[0] !== "-") {
      const literal = m[0];
      const value = Number(literal);
      // a number that cannot be held exactly is refused here, so no message shows a rounded value
      if (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value)))
        error(
          "number-range",
          `the number ${literal.length > 40 ? `${literal.slice(0, 37)}...` : literal} is beyond the exact range of numbers cnncalc reads; expected an integer of at most 2^53 - 1 (9007199254740991)`,
          i,
          i + literal.length,
        );
      i += literal.length;
      return value;
    }
    let end = i;
    while (end < text.length && end - i < 40 && /[A-Za-z0-9_.+-]/.test(text[end] as string)) end++;
    const word = end > i ? `'${text.slice(i, end)}'` : received(text, i);
    return error(
      "json-syntax",
      `expected a JSON value (object, array, string, number, true, false or null); received ${word}`,
      i,
      Math.max(end, i + 1),
    );
  };

  let result: unknown;
  let done = false;
  // `attach` puts a finished value into its parent (or makes it the result)
  const attach = (value: unknown, start: number, end: number) => {
    const top = stack[stack.length - 1];
    if (top === undefined) {
      result = value;
      done = true;
      return;
    }
    if (top.kind === "array") {
      top.value.push(value);
      top.spans?.push({ start, end });
    } else {
      const key = top.key as string;
      // ordinary objects (fast in V8); only "__proto__" needs defining, as assigning it would
      // replace the prototype instead of adding a key
      if (key === "__proto__")
        Object.defineProperty(top.value, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else top.value[key] = value;
      top.keys?.set(key, { key: top.keySpan as Span, value: { start, end } });
    }
  };

  skipWs();
  if (i >= text.length)
    error(
      "empty-input",
      'the file is empty; expected a JSON object with "input" and "layers"',
      0,
      0,
    );
  for (;;) {
    // at a value position
    skipWs();
    const start = i;
    const c = text[i];
    if (c === "{" || c === "[") {
      if (stack.length >= maxDepth) {
        error(
          "too-deep",
          `the JSON nests deeper than ${counted(maxDepth, "level")}; expected at most ${maxDepth} (raise it with --max-depth)`,
          i,
        );
      }
      i++;
      if (c === "{") {
        const value = {} as Record<string, unknown>;
        const keys = record ? new Map<string, { key: Span; value: Span }>() : undefined;
        if (keys) objects.set(value, keys);
        stack.push({ kind: "object", value, start, keys });
      } else {
        const value: unknown[] = [];
        const spans: Span[] | undefined = record ? [] : undefined;
        if (spans) arrays.set(value, spans);
        stack.push({ kind: "array", value, start, spans });
      }
      skipWs();
      const top = stack[stack.length - 1] as Container;
      const close = top.kind === "object" ? "}" : "]";
      if (text[i] === close) {
        i++;
        stack.pop();
        attach(top.value, top.start, i);
      } else if (top.kind === "object") {
        if (text[i] !== '"')
          error(
            "json-syntax",
            `expected a property name in double quotes or '}'; received ${received(text, i)}`,
            i,
          );
        readKey(top);
        continue;
      } else {
        continue;
      }
    } else {
      const value = readScalar();
      attach(value, start, i);
    }
    // after a value: close containers or move to the next element
    for (;;) {
      if (done) {
        skipWs();
        if (i < text.length)
          error(
            "json-syntax",
            `expected the end of the file after the JSON value; received ${received(text, i)}`,
            i,
          );
        return { value: result, map: { root: { start: 0, end: text.length }, objects, arrays } };
      }
      skipWs();
      const top = stack[stack.length - 1] as Container;
      const close = top.kind === "object" ? "}" : "]";
      if (text[i] === ",") {
        i++;
        skipWs();
        if (top.kind === "object") {
          if (text[i] !== '"')
            error(
              "json-syntax",
              `expected a property name in double quotes after ','; received ${received(text, i)}`,
              i,
            );
          readKey(top);
        }
        break;
      }
      if (text[i] === close) {
        i++;
        stack.pop();
        attach(top.value, top.start, i);
        continue;
      }
      error(
        "json-syntax",
        `expected ',' or '${close}' after ${top.kind === "object" ? "a property value" : "an array element"}; received ${received(text, i)}`,
        i,
      );
    }
  }

  function readKey(top: Extract<Container, { kind: "object" }>): void {
    const keyStart = i;
    const key = readPlainString();
    const keyEnd = i;
    if (Object.hasOwn(top.value, key))
      error(
        "duplicate-key",
        `duplicate key "${key}"; expected each key once per object`,
        keyStart,
        i,
      );
    skipWs();
    if (text[i] !== ":")
      error(
        "json-syntax",
        `expected ':' after the property name "${key}"; received ${received(text, i)}`,
        i,
      );
    i++;
    top.key = key;
    if (record) top.keySpan = { start: keyStart, end: keyEnd };
  }
}

/** Splits a spec path (`layers[3].body[1]#2.kernel`) into keys and indices; `#k` tags are dropped. */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.replace(/#\d+/g, "").matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

/**
 * The span of the value at a spec path, or of the deepest part of it that exists (so a missing
 * key points at its object); `preferKey` points at a key rather than its value.
 */
export function locateJson(
  value: unknown,
  map: JsonSourceMap,
  path: string,
  preferKey = false,
): Span {
  let span = map.root;
  let node = value;
  for (const seg of pathSegments(path)) {
    if (typeof seg === "number" && Array.isArray(node)) {
      const spans = map.arrays.get(node);
      const s = spans?.[seg];
      if (!s) break;
      span = s;
      node = node[seg];
    } else if (
      typeof seg === "string" &&
      node !== null &&
      typeof node === "object" &&
      !Array.isArray(node)
    ) {
      const entry = map.objects.get(node)?.get(seg);
      if (!entry) break;
      span = preferKey ? entry.key : entry.value;
      node = (node as Record<string, unknown>)[seg];
    } else {
      break;
    }
  }
  return span;
}
