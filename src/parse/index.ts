import { cnnError } from "../core/errors.js";
import type { Analysis, Assumption, Warning } from "../core/types.js";
import { type BinaryKind, binaryKind } from "./detect.js";
import { looksLikeKeras, parseKeras, parseKerasArchive } from "./keras.js";
import type { parseOnnx } from "./onnx.js";
import { parseProse } from "./prose.js";
import { type ParsedSpec, parseJsonSpec } from "./spec.js";
import { parseTextSpec } from "./text.js";
import { ACTIVATION_WORDS, fold, TYPE_WORDS } from "./textlang.js";
import { looksLikeTorchPrint, parseTorchPrint } from "./torchprint/index.js";

/** The input formats cnncalc reads. */
export const FORMATS = ["json", "text", "prose", "keras", "pytorch", "onnx"] as const;
export type InputFormat = (typeof FORMATS)[number];

/** Options that reach a format's parser. */
export interface ParseOptions {
  /** Deepest nesting accepted (JSON levels or block levels). */
  maxDepth?: number;
  /** For prose: the number of outputs when the text gives a range. */
  outputs?: number;
  /**
   * For a model (ONNX, PyTorch's print): the input shape, replacing the one it declares
   * (`--input`), so the reader checks the model's declared sizes against it.
   */
  input?: number[];
}

/** A parsed source: the spec, a locator and what the parser assumed or warned about. */
export interface Parsed extends ParsedSpec {
  format: InputFormat;
  assumptions: Assumption[];
  warnings: Warning[];
  /**
   * The text the spans point into when it is not the input itself (config.json of a `.keras`
   * archive), and that member's name, for `model.keras:config.json:3:7`.
   */
  source?: string;
  member?: string;
  /**
   * A check of the analysis against what the model itself declares (PyTorch's print: the
   * modules' parameters from their arguments); throws a located error when they differ.
   */
  crossCheck?: (analysis: Analysis) => void;
}

/** Words that may start a statement of the text language besides layer types. */
const STATEMENT_WORDS = new Set(["input", "name", "branch", "shortcut", "}"]);

/** How many of the first lines to look at when telling the text language from prose. */
const SAMPLE_LINES = 50;

/**
 * Whether a text reads as the compact layer language rather than prose: at least half of its
 * first non-blank, non-comment lines start with a layer type, an activation or `input`/`name`
 * and do not end like a sentence (with `.` or `:`).
 */
export function looksLikeLayerText(text: string): boolean {
  let seen = 0;
  let known = 0;
  let start = 0;
  while (start <= text.length && seen < SAMPLE_LINES) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    let i = start;
    while (i < end && /\s/.test(text[i] as string)) i++;
    if (i < end && text[i] !== "#") {
      let j = i;
      while (j < end && !/[\s{};]/.test(text[j] as string)) j++;
      const word = j === i ? (text[i] as string) : fold(text.slice(i, j));
      // a line that ends like a sentence is prose even if it starts with "Input" or "Dense"
      let last = i;
      while (last < end && text[last] !== "#") last++;
      while (last > i && /\s/.test(text[last - 1] as string)) last--;
      const sentence = text[last - 1] === "." || text[last - 1] === ":";
      seen++;
      if (
        !sentence &&
        (TYPE_WORDS.has(word) || ACTIVATION_WORDS.has(word) || STATEMENT_WORDS.has(word))
      )
        known++;
    }
    start = end + 1;
  }
  return seen > 0 && (known * 2 >= seen || !hasSentence(text));
}

/**
 * Whether a text has a sentence ending (`.`, `!` or `?`, maybe closing a quote, before a space
 * or the end) outside `#`
 * comments: prose is written in sentences; a list of words and numbers without one is read as
 * the layer language, whose errors then point at the first line it cannot read.
 */
function hasSentence(text: string): boolean {
  for (const line of text.split("\n")) {
    const body = line.trimStart().startsWith("#") ? "" : line;
    if (/[.!?]["'\u201d\u2019)\]]*(\s|$)/.test(body)) return true;
  }
  return false;
}

/** The format a file name gives (`.json`, `.cnn`), or undefined when its content must tell. */
export function formatOfName(file: string | undefined): InputFormat | undefined {
  const ext = file?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  return ext === "json" ? "json" : ext === "cnn" ? "text" : ext === "onnx" ? "onnx" : undefined;
}

/**
 * Guesses the format of a text: `.json` is JSON and `.cnn` the layer language; otherwise JSON if
 * it starts with `{` or `[`, else the layer language or prose by content (looksLikeLayerText).
 */
export function detectFormat(text: string, file?: string): InputFormat {
  const named = formatOfName(file);
  const body = text.replace(/^\uFEFF/, "").trimStart();
  // a Keras or TF.js model is JSON too, told from a spec by its content
  if ((named === undefined || named === "json") && looksLikeKeras(body)) return "keras";
  if (named !== undefined) return named;
  if (body.startsWith("{") || body.startsWith("[")) return "json";
  if (looksLikeTorchPrint(body)) return "pytorch";
  return looksLikeLayerText(body) ? "text" : "prose";
}

/** What a spec of each format holds, for the message about an empty one. */
const EXPECTED_TEXT: Readonly<Record<InputFormat, string>> = {
  json: 'a JSON object with "input" and "layers"',
  text: 'layer lines such as "input 84x84x4" and "conv 16 8x8 stride 4"',
  keras: 'a Keras model\'s JSON ({"class_name": "Sequential", "config": …}) or a TF.js model.json',
  pytorch:
    'the text print(model) prints in PyTorch, as "ResNet(" then "(conv1): Conv2d(3, 64, ...)"',
  prose: 'sentences such as "The first hidden layer convolves 16 8 × 8 filters with stride 4"',
  onnx: "an ONNX model (a binary ModelProto, .onnx)",
};

/**
 * Fails with `empty-input` when a text is empty or only whitespace: said as such, rather than as
 * whatever the format's reader would make of nothing ("found no layer", "no input shape").
 * `format`, when the caller knows it, narrows what the message expects.
 */
export function checkNotEmpty(text: string, format?: InputFormat): void {
  // \s covers the byte order mark too
  if (!/^\s*$/.test(text)) return;
  const expected =
    format === undefined
      ? `a spec: ${EXPECTED_TEXT.json}, ${EXPECTED_TEXT.text}, or a paper's prose`
      : EXPECTED_TEXT[format];
  throw cnnError(
    "empty-input",
    `empty input: ${text.length === 0 ? "there is no text" : "there is only whitespace"}; expected ${expected}`,
  );
}

/** The format a binary file's kind is read as: an ONNX model, or a zip (a Keras 3 archive). */
const BINARY_FORMATS: Readonly<Record<BinaryKind, InputFormat>> = { onnx: "onnx", zip: "keras" };

/**
 * The format of a file's bytes when they are a binary model (by content, or `onnx` when its
 * name says so), undefined when they are to be read as text.
 */
export function detectBinary(bytes: Uint8Array, file?: string): InputFormat | undefined {
  const kind = binaryKind(bytes);
  if (kind !== undefined) return BINARY_FORMATS[kind];
  return formatOfName(file) === "onnx" ? "onnx" : undefined;
}

/**
 * The ONNX reader, loaded on demand: it brings a protobuf library, which a CLI run on a JSON
 * spec should not load (loadReader). The library entry (src/index.ts) loads it at once.
 */
let onnxReader: typeof parseOnnx | undefined;

/** Installs the ONNX reader (what loadReader does after its dynamic import). */
export function useOnnxReader(reader: typeof parseOnnx): void {
  onnxReader = reader;
}

/** Loads the reader a format needs before parseSource runs it (only ONNX's is loaded lazily). */
export async function loadReader(format: InputFormat): Promise<void> {
  if (format === "onnx" && onnxReader === undefined) {
    useOnnxReader((await import("./onnx.js")).parseOnnx);
  }
}

/**
 * Reads a binary archive (a zip) as a Keras 3 `.keras` file: its config.json through the Keras
 * reader. The spans point into config.json, which the result carries as `source`.
 */
export function readArchive(bytes: Uint8Array, options: ParseOptions): Parsed {
  const depth = options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth };
  return { ...parseKerasArchive(bytes, depth), format: "keras", assumptions: [] };
}

/** Parses a spec text, or a binary model's bytes, in the given (or detected) format. */
export function parseSource(
  source: string | Uint8Array,
  format: InputFormat,
  options: ParseOptions = {},
): Parsed {
  const depth = options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth };
  if (typeof source !== "string") {
    switch (format) {
      case "onnx": {
        if (onnxReader === undefined) throw new Error("the ONNX reader is not loaded (loadReader)");
        const read = onnxReader(source, {
          ...depth,
          ...(options.input === undefined ? {} : { input: options.input }),
        });
        return { ...read, format, warnings: [] };
      }
      case "keras":
        return readArchive(source, options);
      case "json":
      case "text":
      case "prose":
      case "pytorch":
        throw new Error(`bytes passed for the text format ${format}`);
      default: {
        const never: never = format;
        throw new Error(`unknown format ${String(never)}`);
      }
    }
  }
  const text = source;
  checkNotEmpty(text, format);
  switch (format) {
    case "json":
      return { ...parseJsonSpec(text, depth), format, assumptions: [], warnings: [] };
    case "text":
      return { ...parseTextSpec(text, depth), format, assumptions: [], warnings: [] };
    case "keras":
      return { ...parseKeras(text, depth), format, assumptions: [] };
    case "pytorch":
      return {
        ...parseTorchPrint(text, {
          ...depth,
          ...(options.input === undefined ? {} : { input: options.input }),
        }),
        format,
        warnings: [],
      };
    case "prose":
      return {
        ...parseProse(text, options.outputs === undefined ? {} : { outputs: options.outputs }),
        format,
      };
    case "onnx":
      throw cnnError(
        "onnx-invalid",
        "the input is text, not an ONNX model; expected the bytes of an ONNX ModelProto (.onnx)",
      );
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}
