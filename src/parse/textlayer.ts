import type { Span } from "../core/errors.js";
import type { LayerType } from "../core/types.js";
import { shown, syntaxError, type Token } from "./lexer.js";
import { didYouMean, entryOf, FRAMEWORK_KEYS } from "./names.js";
import { type SpanTable, setKeySpan, setSpan } from "./spans.js";
import {
  ACTIVATION_WORDS,
  BOOLEAN_WORDS,
  fold,
  KEY_KINDS,
  OPTION_ALIASES,
  optionKey,
  optionKeys,
  POSITIONALS,
  PRINTED_KEY,
  usageLine,
} from "./textlang.js";

/* One layer statement of the compact layer language: its positional values, options and flags. */

/** The raw value of a value token, recording spans of size parts. */
export function tokenValue(t: Token, table: SpanTable): unknown {
  switch (t.kind) {
    case "num":
    case "str":
      return t.value;
    case "size": {
      const arr = [...t.parts];
      setSpan(table, arr, { start: t.start, end: t.end });
      t.partSpans.forEach((span, i) => {
        setKeySpan(table, arr, i, span);
      });
      return arr;
    }
    case "list":
      setSpan(table, t.value, { start: t.start, end: t.end });
      return t.value;
    case "word":
      return t.text;
    default:
      return undefined;
  }
}

export const VALUE_KINDS = new Set(["num", "size", "str", "list"]);

/** Option words that may follow a type, for messages and suggestions. */
export function optionWords(type: LayerType, withActivations = true): string[] {
  const keys = optionKeys(type);
  const words = keys.map((k) => PRINTED_KEY[k] ?? k);
  for (const [alias, key] of Object.entries(OPTION_ALIASES))
    if (keys.includes(key)) words.push(alias);
  if (keys.includes("bias")) words.push("nobias");
  if (keys.includes("padding")) words.push("same", "valid");
  if (withActivations && keys.includes("activation")) words.push(...ACTIVATION_WORDS.keys());
  return [...new Set(words)];
}

/** Reads a layer statement's options into a raw layer object (validated later by zod). */
export function readLayer(
  source: string,
  tokens: Token[],
  p: number,
  end: number,
  type: LayerType,
  table: SpanTable,
  into?: Record<string, unknown>,
): Record<string, unknown> {
  const layer: Record<string, unknown> = into ?? { type };
  const positionals = POSITIONALS[type];
  const keys = optionKeys(type);
  const set = (key: string, value: unknown, span: Span, at: Token) => {
    if (layer[key] !== undefined) {
      throw syntaxError(
        "duplicate-option",
        `'${PRINTED_KEY[key] ?? key}' is given twice in this ${type} layer; expected it once`,
        { start: at.start, end: at.end },
      );
    }
    layer[key] = value;
    setKeySpan(table, layer, key, span);
  };
  let i = p + 1;
  while (i < end) {
    const t = tokens[i] as Token;
    const span: Span = { start: t.start, end: t.end };
    if (VALUE_KINDS.has(t.kind)) {
      const slot = positionals.find((k) => layer[k] === undefined);
      if (slot === undefined) {
        const given = positionals.map((k) => k.toUpperCase()).join(" ");
        throw syntaxError(
          "unexpected-value",
          `unexpected value ${shown(source, t)}; ${type} takes ${given ? `${given}, then ` : ""}options such as ${optionKeys(
            type,
          )
            .filter((k) => !positionals.includes(k) && k !== "name")
            .slice(0, 4)
            .map((k) => PRINTED_KEY[k] ?? k)
            .join(", ")}`,
          span,
          `write: ${usageLine(type)}`,
        );
      }
      set(slot, tokenValue(t, table), span, t);
      i++;
      continue;
    }
    if (t.kind !== "word") {
      throw syntaxError(
        "unexpected-character",
        `unexpected ${shown(source, t)}; expected an option or a value`,
        span,
      );
    }
    const key = optionKey(type, t.text);
    const f = fold(t.text);
    if (key !== undefined) {
      const kind = KEY_KINDS[key] ?? "value";
      const next = tokens[i + 1] as Token;
      const nextIsValue = i + 1 < end;
      if (kind === "bool") {
        const b =
          next.kind === "word" && nextIsValue
            ? BOOLEAN_WORDS.get(next.text.toLowerCase())
            : undefined;
        if (b !== undefined) {
          set(key, b, { start: next.start, end: next.end }, t);
          i += 2;
        } else {
          set(key, true, span, t);
          i++;
        }
        continue;
      }
      if (!nextIsValue) {
        throw syntaxError(
          "missing-value",
          `expected a value after '${t.text}'; received ${shown(source, next)}`,
          span,
          `write: ${usageLine(type)}`,
        );
      }
      let value: unknown;
      if (next.kind === "word") {
        if (kind === "value" && optionKey(type, next.text) !== undefined) {
          throw syntaxError(
            "missing-value",
            `expected a value after '${t.text}'; received the option '${next.text}'`,
            span,
          );
        }
        const w = next.text.toLowerCase();
        value =
          kind === "word"
            ? (ACTIVATION_WORDS.get(fold(w)) ?? w)
            : kind === "string"
              ? next.text
              : w;
      } else {
        value = tokenValue(next, table);
      }
      set(key, value, { start: next.start, end: next.end }, t);
      i += 2;
      continue;
    }
    const act = ACTIVATION_WORDS.get(f);
    const actKey = keys.includes("activation")
      ? "activation"
      : keys.includes("function")
        ? "function"
        : undefined;
    if (act !== undefined && actKey !== undefined) {
      set(actKey, act, span, t);
    } else if (f === "nobias" && keys.includes("bias")) {
      set("bias", false, span, t);
    } else if ((f === "same" || f === "valid") && keys.includes("padding")) {
      set("padding", f, span, t);
    } else if (type === "activation" && layer.function === undefined) {
      set("function", t.text.toLowerCase(), span, t);
    } else {
      // a framework's key for a value cnncalc derives (`in_features`) is not a typo of another
      const hint =
        entryOf(FRAMEWORK_KEYS, f) === null
          ? `leave out '${t.text}' and its value (cnncalc takes it from the layer's input)`
          : didYouMean(t.text, optionWords(type));
      throw syntaxError(
        "unknown-option",
        `unknown option '${t.text}' for ${type}; expected one of: ${optionKeys(type)
          .map((k) => PRINTED_KEY[k] ?? k)
          .join(", ")}${keys.includes("activation") ? ", or an activation (relu, tanh, ...)" : ""}`,
        span,
        hint,
      );
    }
    i++;
  }
  return layer;
}
