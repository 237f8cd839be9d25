import { type AnalyzeOptions, analyze } from "./core/analyze.js";
import { CnnError, errorOf } from "./core/errors.js";
import type { Analysis, Warning } from "./core/types.js";
import {
  checkNotEmpty,
  detectFormat,
  formatOfName,
  type InputFormat,
  type Parsed,
  parseSource,
} from "./parse/index.js";

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
}

/** A spec read: its parse (spec, locator, what the reader assumed) and the format it was read as. */
export interface SourceRead {
  ok: true;
  format: InputFormat;
  parsed: Parsed;
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
  text: string,
  format: InputFormat,
  parsed: Parsed | undefined,
): SourceFailure {
  if (!(e instanceof CnnError)) throw e;
  e.source = text;
  locate(e, parsed);
  return { ok: false, format, error: e, ...(parsed ? { parsed } : {}) };
}

/**
 * Reads a spec's text: detects its format (unless `from` is given) and parses it. No analysis:
 * what `cnncalc convert` needs. Returns the parse, or the located failure; throws only on a bug.
 */
export function readSource(text: string, options: SourceOptions = {}): SourceRead | SourceFailure {
  const format = options.from ?? detectFormat(text, options.file);
  try {
    // before detection has guessed a format from nothing: only a named one narrows the message
    checkNotEmpty(text, options.from ?? formatOfName(options.file));
    const parsed = parseSource(text, format, {
      ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }),
      ...(options.outputs === undefined ? {} : { outputs: options.outputs }),
    });
    return { ok: true, format, parsed };
  } catch (e) {
    return failure(e, text, format, undefined);
  }
}

/**
 * The whole pipeline on a spec's text, as the CLI runs it: detect the format, parse, analyse.
 * Returns the analysis, with the reader's assumptions and warnings before the analysis' own, or
 * the failure with its located error (under `strict`, the first warning is that error). No I/O:
 * the caller reads the file and passes its text (and name). Throws only on a bug.
 */
export function analyzeSource(
  text: string,
  options: SourceOptions = {},
): SourceAnalysis | SourceFailure {
  const read = readSource(text, options);
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
    // concat, not unshift(...): notes of huge specs would overflow a spread's argument list
    analysis.assumptions = parsed.assumptions.concat(analysis.assumptions);
    analysis.warnings = parsed.warnings.concat(analysis.warnings);
    if (analysis.name === null && options.file !== undefined) analysis.name = options.file;
    return { ok: true, format, parsed, analysis };
  } catch (e) {
    return failure(e, text, format, parsed);
  }
}
