import { CnnError } from "../core/errors.js";
import type { Assumption, Warning } from "../core/types.js";
import { type ParsedSpec, parseJsonSpec } from "./spec.js";

/** The input formats cnncalc reads. */
export const FORMATS = ["json", "text", "prose"] as const;
export type InputFormat = (typeof FORMATS)[number];

/** Options that reach a format's parser. */
export interface ParseOptions {
  /** Deepest nesting accepted (JSON levels or block levels). */
  maxDepth?: number;
  /** For prose: the number of outputs when the text gives a range. */
  outputs?: number;
}

/** A parsed source: the spec, a locator and what the parser assumed or warned about. */
export interface Parsed extends ParsedSpec {
  format: InputFormat;
  assumptions: Assumption[];
  warnings: Warning[];
}

/** Guesses the format of a text: JSON if it starts with `{`, else the text language or prose. */
export function detectFormat(text: string, file?: string): InputFormat {
  const ext = file?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  if (ext === "json") return "json";
  if (ext === "cnn") return "text";
  const body = text.replace(/^\uFEFF/, "").trimStart();
  if (body.startsWith("{") || body.startsWith("[")) return "json";
  return "text";
}

/** Parses a spec text in the given (or detected) format. */
export function parseSource(text: string, format: InputFormat, options: ParseOptions = {}): Parsed {
  switch (format) {
    case "json": {
      const p = parseJsonSpec(
        text,
        options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth },
      );
      return { ...p, format, assumptions: [], warnings: [] };
    }
    case "text":
    case "prose":
      throw new CnnError(
        {
          code: "unsupported-format",
          message: `the ${format} format is not available in this build; expected a JSON spec`,
        },
        "usage",
      );
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}
