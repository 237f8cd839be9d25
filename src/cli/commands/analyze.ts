import { analyzeSource } from "../../analyze-source.js";
import { EXIT, EXIT_OF } from "../../core/codes.js";
import { CnnError, cnnError } from "../../core/errors.js";
import type { InitScheme } from "../../core/init.js";
import type { Dtype } from "../../core/memory.js";
import type { Analysis } from "../../core/types.js";
import { ALL_COLUMNS, type ColumnName, DEFAULT_COLUMNS } from "../../format/columns.js";
import type { CsvPart } from "../../format/csv.js";
import { formatDiagnostic, lineCol } from "../../format/diagnostic.js";
import { jsonText } from "../../format/jsonText.js";
import { noteLines } from "../../format/notes.js";
import type { Style } from "../../format/style.js";
import { specToText } from "../../format/text.js";
import type { InputFormat, Parsed } from "../../parse/index.js";
import { type Io, type Output, outputText, terminalWidth } from "../io.js";
import { type OutputFormat, sourceOptions } from "../options.js";
import { jsonOf, type RenderFlags, render } from "../render.js";
import { makeStyle, wantColor } from "../style.js";

/** The main command's options, as commander parses them. */
export interface AnalyzeFlags extends RenderFlags {
  format?: OutputFormat;
  json?: boolean;
  input?: number[];
  strict?: boolean;
  color?: boolean;
  debug?: boolean;
  columns?: ColumnName[];
  all?: boolean;
  depth?: number;
  summary?: boolean;
  dtype: Dtype;
  from?: InputFormat;
  output?: string;
  maxDepth: number;
  /** Undefined: the default limits by content (io.ts' MAX_TEXT_SIZE, MAX_MODEL_SIZE). */
  maxSize?: number;
  maxLayers?: number;
  outputs?: number;
  explain?: boolean;
  init?: InitScheme;
  showLayers?: boolean;
}

/** A failure of one file, kept with its source for the caret display. */
export interface Failure {
  file: string;
  error: CnnError;
  source?: string;
}

/**
 * Reads and analyses one file (`-`: standard input) through the library's analyzeSource;
 * returns the analysis or the failure.
 */
export async function analyzeFile(
  file: string,
  flags: AnalyzeFlags,
  io: Io,
): Promise<{ analysis: Analysis; parsed: Parsed } | { failure: Failure }> {
  const name = file === "-" ? "<stdin>" : file;
  let source: string | Uint8Array;
  try {
    source = await io.readInput(file, flags.maxSize);
  } catch (e) {
    if (!(e instanceof CnnError)) throw e;
    return { failure: { file: name, error: e } };
  }
  const r = analyzeSource(source, {
    ...(await sourceOptions(file, source, flags)),
    strict: flags.strict === true,
    ...(flags.maxLayers === undefined ? {} : { maxLayers: flags.maxLayers }),
  });
  if (!r.ok) {
    const text = r.error.source;
    // an error inside an archive's member points at it: model.keras:config.json:3:7
    const at = r.error.file === undefined ? name : `${name}:${r.error.file}`;
    return {
      failure: { file: at, error: r.error, ...(text === undefined ? {} : { source: text }) },
    };
  }
  return { analysis: r.analysis, parsed: r.parsed };
}

function errorJson(f: Failure): Record<string, unknown> {
  const d = f.error.diagnostic;
  const at = d.span && f.source !== undefined ? lineCol(f.source, d.span.start) : undefined;
  return {
    file: f.file,
    error: {
      code: d.code,
      message: d.message,
      path: d.path ?? null,
      line: at?.line ?? null,
      column: at?.col ?? null,
      ...(d.hint ? { hint: d.hint } : {}),
    },
  };
}

/** Runs the main command on its files; returns the exit code. */
export async function runAnalyze(files: string[], flags: AnalyzeFlags, io: Io): Promise<number> {
  // -o net.svg without --format means SVG: a table in a .svg file would be no use
  const svgFile = flags.output !== undefined && /\.svg$/i.test(flags.output);
  const format: OutputFormat = flags.json ? "json" : (flags.format ?? (svgFile ? "svg" : "table"));
  if (format === "svg" && files.length > 1) {
    // one SVG document per output: several cannot share standard output or a file
    throw cnnError(
      "svg-one-spec",
      `--format svg takes one spec (an SVG file is one document); received ${files.length}, expected one per run, e.g. cnncalc a.json -o a.svg`,
    );
  }
  if ((format === "csv" || format === "svg") && (flags.explain || flags.init)) {
    throw cnnError(
      "csv-extras",
      `--${flags.explain ? "explain" : "init"} has no ${format.toUpperCase()} form; expected --format table, json, markdown or latex`,
    );
  }
  const columns = flags.columns ?? (flags.all ? ALL_COLUMNS : DEFAULT_COLUMNS);
  const toFile = flags.output !== undefined;
  // a table for a terminal fits its width; a file or a pipe gets every column
  const width = toFile ? undefined : terminalWidth(io);
  const style = await makeStyle(
    !toFile && format === "table" && wantColor(flags.color, io.env, io.stdoutIsTty),
  );
  // made at the first error: a clean run never touches stderr
  let errStyle: Style | undefined;
  const stderrColor = () => wantColor(flags.color, io.env, io.stderrIsTty);
  let csvRows = 0;
  const outputs: Output[] = [];
  const jsonItems: unknown[] = [];
  let exit: number = EXIT.ok;
  for (const file of files) {
    const r = await analyzeFile(file, flags, io);
    if ("failure" in r) {
      const f = r.failure;
      errStyle ??= await makeStyle(stderrColor());
      io.stderr(
        `${formatDiagnostic(f.error.diagnostic, errStyle, { file: f.file, ...(f.source === undefined ? {} : { source: f.source }) })}\n`,
      );
      exit = Math.max(exit, EXIT_OF[f.error.kind]);
      if (format === "json" && files.length > 1) jsonItems.push(errorJson(f));
      continue;
    }
    if (flags.showLayers) {
      // the layer list as read, in the text language: before the table, or on stderr when
      // stdout is for machines, a report or a picture (json, csv, markdown, latex, svg)
      const listing = `# layers read from ${file === "-" ? "<stdin>" : file}\n${specToText(r.parsed.spec)}`;
      if (format === "table") outputs.push(listing);
      else io.stderr(listing);
    }
    if (format === "json" && files.length > 1) {
      jsonItems.push({ file, ...jsonOf(r.analysis, flags) });
    } else {
      // several specs make one CSV: a first column names each one's rows, one header on top
      const csvPart: CsvPart =
        files.length > 1 ? { spec: file, header: csvRows === 0 } : { header: true };
      outputs.push(await render(r.analysis, format, flags, columns, style, csvPart, width));
      csvRows++;
    }
    if (format === "csv") {
      // CSV has no place for notes: they go to standard error, as the table prints them, named
      // by their spec when several share the output
      if (r.analysis.assumptions.length + r.analysis.warnings.length > 0) {
        errStyle ??= await makeStyle(stderrColor());
        const from = files.length > 1 ? `${file}: ` : "";
        const notes = noteLines(r.analysis, errStyle).map((l) => `${from}${l}\n`);
        io.stderr(notes.join(""));
      }
    }
  }
  // one file's output goes out as it is (a big JSON output is a list of strings); several are
  // joined
  const text: Output =
    format === "json" && files.length > 1
      ? `${jsonText(jsonItems)}\n`
      : outputs.length === 1
        ? (outputs[0] as Output)
        : outputs.map(outputText).join(format === "table" ? "\n" : "");
  if (toFile) {
    if (exit === EXIT.ok) await io.writeFileAtomic(flags.output as string, text);
  } else if (text.length > 0) {
    io.stdout(text);
  }
  return exit;
}
