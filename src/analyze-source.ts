import { type AnalyzeOptions, analyze } from "./core/analyze.js";
import { CnnError, errorOf } from "./core/errors.js";
import type { Analysis, Warning } from "./core/types.js";
import {
  checkNotEmpty,
  detectBinary,
  detectFormat,
  formatOfName,
  type InputFormat,
  type Parsed,
  parseSource,
} from "./parse/index.js";
import { decodeUtf8 } from "./parse/utf8.js";

/** How to read a spec's text: what the CLI's input options say. Every field may be left out. */
export interface SourceOptions {
  /**
   * The file the text came from: its extension names the format (`.json`, `.cnn`) and it names
   * an analysis whose spec has no name. Leave it out for standard input or a text box.
   */
  file?: string;
  /** The format, instead of detecting it (`--from`). */
  from?: InputFormat;
  /** Deepest nesting accepted, JSON levels or blocks (`--max-depth`, default 10,000). */
  maxDepth?: number;
  /** For prose: the number of outputs when the text gives a range (`--outputs`). */
  outputs?: number;
  /** The input shape, giving or overriding the spec's (`--input`). */
  input?: number[];
  /** Warnings are errors (`--strict`). */
  strict?: boolean;
  /** Most layers the network may expand to (`--max-layers`, default 1,000,000). */
  maxLayers?: number;
  /**
   * How messages name the input when it is bytes that are not UTF-8 text (default: the file in
   * quotes, or "the input"); the CLI says "standard input" for `-`.
   */
  inputName?: string;
}

/** A spec read: its parse (spec, locator, what the reader assumed) and the format it was read as. */
export interface SourceRead {
  ok: true;
  format: InputFormat;
  parsed: Parsed;
  /** The text read (decoded, when the source was bytes); absent for a binary model. */
  text?: string;
}

/** A spec read and analysed; the analysis holds every warning and assumption, the reader's first. */
export interface SourceAnalysis extends SourceRead {
  analysis: Analysis;
}

/**
 * A spec that failed: the error, its diagnostic located (a span into the text whenever its path
 * names a place in it), with the text as `error.source`. `parsed` is there when the failure came
 * after reading (in the analysis).
 */
export interface SourceFailure {
  ok: false;
  format: InputFormat;
  error: CnnError;
  parsed?: Parsed;
}

/** Gives a located span to a diagnostic that has only a path into the spec. */
function locate(error: CnnError, parsed: Parsed | undefined): void {
  const d = error.diagnostic;
  // a command-line option (`--input`) has no place in the file: no caret into it
  if (d.span === undefined && d.path !== undefined && !d.path.startsWith("--") && parsed) {
    const span = parsed.locate(d.path);
    if (span) d.span = span;
  }
}

function failure(
  e: unknown,
  text: string | undefined,
  format: InputFormat,
  parsed: Parsed | undefined,
): SourceFailure {
  if (!(e instanceof CnnError)) throw e;
  if (parsed?.source !== undefined) {
    // spans into an archive's member (config.json of a .keras file), not the input
    e.source = parsed.source;
    if (parsed.member !== undefined) e.file = parsed.member;
  } else if (text !== undefined) e.source = text;
  // else a binary model has no text to point into: its errors name the node instead
  locate(e, parsed);
  return { ok: false, format, error: e, ...(parsed ? { parsed } : {}) };
}

/**
 * The format a source is read as: `from`, a binary model's by content or name, else (text given
 * as bytes included) the text's; the CLI asks first, to load the ONNX reader only when needed.
 */
export function sourceFormat(
  source: string | Uint8Array,
  options: SourceOptions = {},
): InputFormat {
  if (options.from !== undefined) return options.from;
  if (typeof source === "string") return detectFormat(source, options.file);
  return detectBinary(source, options.file) ?? formatOfName(options.file) ?? "text";
}

/**
 * Reads a spec's text, or a model file's bytes (ONNX; text given as bytes is decoded as UTF-8):
 * detects its format (unless `from` is given) and parses it. No analysis: what `cnncalc convert`
 * needs. Returns the parse, or the located failure; throws only on a bug. The ONNX reader must
 * be loaded (loadReader; the library entry loads it).
 */
export function readSource(
  source: string | Uint8Array,
  options: SourceOptions = {},
): SourceRead | SourceFailure {
  let format = sourceFormat(source, options);
  let text: string | undefined = typeof source === "string" ? source : undefined;
  try {
    // bytes are a model when read as ONNX, or as Keras and a zip (a .keras archive); with any
    // other format (`--from json` on a model file) they are text, refused if not UTF-8
    const binary =
      typeof source !== "string" &&
      (format === "onnx" || (format === "keras" && detectBinary(source) === "keras"));
    if (typeof source !== "string" && !binary) {
      text = decodeUtf8(
        source,
        options.inputName ?? (options.file === undefined ? "the input" : `'${options.file}'`),
      );
      format = options.from ?? detectFormat(text, options.file);
    }
    if (text !== undefined) {
      // before detection has guessed a format from nothing: only a named one narrows the message
      checkNotEmpty(text, options.from ?? formatOfName(options.file));
    }
    const parsed = parseSource(text ?? source, format, {
      ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }),
      ...(options.outputs === undefined ? {} : { outputs: options.outputs }),
      ...(options.input === undefined ? {} : { input: options.input }),
    });
    return { ok: true, format, parsed, ...(text === undefined ? {} : { text }) };
  } catch (e) {
    return failure(e, text, format, undefined);
  }
}

/**
 * The whole pipeline on a spec's text, as the CLI runs it: detect the format, parse, analyse.
 * Returns the analysis, with the reader's assumptions and warnings before the analysis' own, or
 * the failure with its located error (under `strict`, the first warning is that error). No I/O:
 * the caller reads the file and passes its text or bytes (and name). Throws only on a bug.
 */
export function analyzeSource(
  source: string | Uint8Array,
  options: SourceOptions = {},
): SourceAnalysis | SourceFailure {
  const read = readSource(source, options);
  if (!read.ok) return read;
  const { format, parsed } = read;
  try {
    if (options.strict && parsed.warnings.length > 0) {
      const w = parsed.warnings[0] as Warning;
      throw errorOf({
        code: w.code,
        message: `${w.message} (an error under --strict)`,
        ...(w.layer ? { path: w.layer } : {}),
        // the warning's own place (a prose repair) beats its layer's, for the caret
        ...(w.span ? { span: w.span } : {}),
      });
    }
    const analyzeOptions: AnalyzeOptions = {
      ...(options.input ? { input: options.input } : {}),
      strict: options.strict === true,
      ...(options.maxLayers === undefined ? {} : { maxLayers: options.maxLayers }),
    };
    const analysis = analyze(parsed.spec, analyzeOptions);
    parsed.crossCheck?.(analysis);
    // concat, not unshift(...): notes of huge specs would overflow a spread's argument list
    analysis.assumptions = parsed.assumptions.concat(analysis.assumptions);
    analysis.warnings = parsed.warnings.concat(analysis.warnings);
    if (analysis.name === null && options.file !== undefined) analysis.name = options.file;
    return { ok: true, format, parsed, analysis };
  } catch (e) {
    return failure(e, typeof source === "string" ? source : read.text, format, parsed);
  }
}
