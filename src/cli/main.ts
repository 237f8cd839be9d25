import { Command, CommanderError, Option } from "commander";
import { analyze } from "../core/analyze.js";
import { EXIT, EXIT_OF } from "../core/codes.js";
import { CnnError, cnnError, errorOf } from "../core/errors.js";
import { type InitAnalysis, type InitScheme, initAnalysis, SCHEME_RULES } from "../core/init.js";
import type { Dtype } from "../core/memory.js";
import type { Analysis } from "../core/types.js";
import { ALL_COLUMNS, type ColumnName, DEFAULT_COLUMNS, summedColumns } from "../format/columns.js";
import { type CsvPart, renderCsv } from "../format/csv.js";
import { formatDiagnostic, lineCol } from "../format/diagnostic.js";
import {
  explainLayer,
  renderExplainMarkdown,
  renderExplainText,
  workingRecord,
} from "../format/explain.js";
import { initLayerJson, renderInitMarkdown, renderInitTable, schemeName } from "../format/init.js";
import { analysisJson, analysisJsonOutput, type JsonOptions } from "../format/json.js";
import { jsonText } from "../format/jsonText.js";
import { renderLatex } from "../format/latex.js";
import { renderMarkdown } from "../format/markdown.js";
import { noteLines } from "../format/notes.js";
import type { Style } from "../format/style.js";
import { renderTable } from "../format/table.js";
import { specToText } from "../format/text.js";
import { wrapText } from "../format/width.js";
import type { InputFormat, Parsed } from "../parse/index.js";
import { registerCheck } from "./commands/check.js";
import { registerConvert } from "./commands/convert.js";
import { fitHelp, fitHelpText } from "./help.js";
import { type Io, type Output, outputText, processIo, terminalWidth } from "./io.js";
import { loadSpec } from "./load.js";
import {
  addInputOptions,
  DTYPES,
  MAX_SIZE,
  OUTPUT_FORMATS,
  type OutputFormat,
  parseColumns,
  parseInitScheme,
  parsePositive,
  parseShapeArg,
} from "./options.js";
import { makeStyle, wantColor } from "./style.js";

declare const __CNNCALC_VERSION__: string | undefined;
/** The package version, injected by the build. */
export const VERSION = typeof __CNNCALC_VERSION__ === "string" ? __CNNCALC_VERSION__ : "0.0.0-dev";

const EXAMPLES = `
Examples:
  $ cnncalc examples/dqn.json                 per-layer table of the DQN network
  $ cnncalc examples/dqn.json --json          the same as JSON, for scripts
  $ cnncalc examples/dqn.cnn                  the layer language: conv 16 8x8 stride 4 relu
  $ cnncalc examples/dqn-paper.txt            a paper's prose (--show-layers: what it read)
  $ cnncalc convert net.json --to text        convert between JSON and the layer language
  $ cnncalc examples/*.json -f csv            several specs as CSV
  $ cnncalc net.json --input 224x224x3        give or override the input shape
  $ cnncalc examples/vgg16.json --all         every column (MACs, receptive field, memory)
  $ cat net.json | cnncalc -                  read the spec from standard input
  $ cnncalc examples/dqn.json --explain       the working of every number, tutorial notation
  $ cnncalc check examples/dqn.json answers.txt   mark homework answers (see check --help)

Exit codes: 0 success, 1 bad spec (or a warning under --strict), 2 bad usage, 3 internal error.`;

interface AnalyzeFlags {
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
  maxSize: number;
  maxLayers?: number;
  outputs?: number;
  explain?: boolean;
  init?: InitScheme;
  showLayers?: boolean;
}

/** A failure of one file, kept with its source for the caret display. */
interface Failure {
  file: string;
  error: CnnError;
  source?: string;
  locate?: Parsed["locate"];
}

function locateError(f: Failure): void {
  const d = f.error.diagnostic;
  // a command-line option (`--input`) has no place in the file: no caret into it
  if (d.span === undefined && d.path !== undefined && !d.path.startsWith("--") && f.locate) {
    const span = f.locate(d.path);
    if (span) d.span = span;
  }
}

/** Analyses one file; returns the analysis or the failure. */
async function analyzeFile(
  file: string,
  flags: AnalyzeFlags,
  io: Io,
): Promise<{ analysis: Analysis; parsed: Parsed } | { failure: Failure }> {
  let source: string | undefined;
  let parsed: Parsed | undefined;
  try {
    ({ source, parsed } = await loadSpec(file, flags, io));
    if (flags.strict && parsed.warnings.length > 0) {
      const w = parsed.warnings[0] as Analysis["warnings"][number];
      throw errorOf({
        code: w.code,
        message: `${w.message} (an error under --strict)`,
        ...(w.layer ? { path: w.layer } : {}),
        // the warning's own place (a prose repair) beats its layer's, for the caret
        ...(w.span ? { span: w.span } : {}),
      });
    }
    const analysis = analyze(parsed.spec, {
      ...(flags.input ? { input: flags.input } : {}),
      strict: flags.strict === true,
      ...(flags.maxLayers === undefined ? {} : { maxLayers: flags.maxLayers }),
    });
    // concat, not unshift(...): notes of huge specs would overflow a spread's argument list
    analysis.assumptions = parsed.assumptions.concat(analysis.assumptions);
    analysis.warnings = parsed.warnings.concat(analysis.warnings);
    if (analysis.name === null && file !== "-") analysis.name = file;
    return { analysis, parsed };
  } catch (e) {
    if (!(e instanceof CnnError)) throw e;
    const failure: Failure = { file: file === "-" ? "<stdin>" : file, error: e };
    source ??= e.source;
    if (source !== undefined) failure.source = source;
    if (parsed) failure.locate = parsed.locate;
    locateError(failure);
    return { failure };
  }
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

/** JSON options with the per-layer extras the flags ask for (`working`, `init`). */
function jsonOptions(flags: AnalyzeFlags, init: InitAnalysis | undefined): JsonOptions {
  if (flags.explain !== true && init === undefined) return { dtype: flags.dtype };
  const byResult = new Map(init?.layers.map((l) => [l.result, l]));
  return {
    dtype: flags.dtype,
    extra: (r) => {
      const out: Record<string, unknown> = {};
      if (flags.explain) out.working = workingRecord(explainLayer(r));
      const l = byResult.get(r);
      if (l) out.init = initLayerJson(l);
      return out;
    },
  };
}

/** The analysis as JSON, with the initialization summary when asked for. */
function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function jsonOf(a: Analysis, flags: AnalyzeFlags): Record<string, unknown> {
  const init = flags.init ? initAnalysis(a, flags.init) : undefined;
  const out = analysisJson(a, jsonOptions(flags, init));
  if (init) {
    out.init = {
      scheme: schemeName(init.scheme),
      rule: SCHEME_RULES[init.scheme.kind],
      // beyond float64's range the product has only its log10
      inputProduct: init.layers[0] ? finiteOrNull(10 ** init.layers[0].productLog10) : null,
      inputProductLog10: init.layers[0]?.productLog10 ?? null,
      notes: init.notes,
    };
  }
  return out;
}

function render(
  a: Analysis,
  format: OutputFormat,
  flags: AnalyzeFlags,
  columns: readonly ColumnName[],
  style: Style,
  csvPart: CsvPart,
  width: number | undefined,
): Output {
  const explain = flags.explain === true;
  const init = flags.init ? initAnalysis(a, flags.init) : undefined;
  // --summary: the report formats show the totals and notes without per-layer rows (JSON, data
  // for scripts, always carries every layer)
  const shown: Analysis = flags.summary ? { ...a, layers: [] } : a;
  // and of the columns, those with a total (CSV, for scripts, keeps its header)
  const reportColumns = flags.summary ? summedColumns(columns) : columns;
  switch (format) {
    case "table": {
      const table = `${renderTable(a, {
        columns,
        style,
        dtype: flags.dtype,
        ...(flags.depth === undefined ? {} : { depth: flags.depth }),
        summary: flags.summary === true,
        ...(width === undefined ? {} : { width }),
      })}\n`;
      const initText = init ? `\n${renderInitTable(init, style)}` : "";
      // the working is lines of prose and formulas: they wrap to a terminal's width
      const working = explain ? renderExplainText(a, style, flags.depth) : "";
      const fitted = width === undefined ? working : wrapText(working, width);
      return `${table}${initText}${explain ? `\n${fitted}` : ""}`;
    }
    case "csv":
      return renderCsv(shown, columns, flags.dtype, flags.depth, csvPart);
    case "markdown": {
      const md = renderMarkdown(shown, reportColumns, flags.dtype, flags.depth);
      const initText = init ? `\n${renderInitMarkdown(init)}` : "";
      return `${md}${initText}${explain ? `\n${renderExplainMarkdown(a, flags.depth)}` : ""}`;
    }
    case "latex":
      return renderLatex(shown, {
        columns: reportColumns,
        dtype: flags.dtype,
        ...(flags.depth === undefined ? {} : { depth: flags.depth }),
        explain,
        ...(init ? { init } : {}),
      });
    case "json":
      // --init adds a top-level key, so that output is built whole; otherwise the streaming
      // writer keeps huge analyses linear
      return flags.init
        ? `${jsonText(jsonOf(a, flags))}\n`
        : analysisJsonOutput(a, jsonOptions(flags, undefined), "\n");
    default: {
      const never: never = format;
      return never;
    }
  }
}

async function runAnalyze(files: string[], flags: AnalyzeFlags, io: Io): Promise<number> {
  const format: OutputFormat = flags.json ? "json" : (flags.format ?? "table");
  if (format === "csv" && (flags.explain || flags.init)) {
    throw cnnError(
      "csv-extras",
      `--${flags.explain ? "explain" : "init"} has no CSV form; expected --format table, json, markdown or latex`,
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
      // stdout is for machines or a report (json, csv, markdown, latex)
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
      outputs.push(render(r.analysis, format, flags, columns, style, csvPart, width));
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

/** Builds the command-line program; `io` receives all output. */
export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command();
  // help for a terminal fits its width (the subcommands, made below, copy this)
  const width = terminalWidth(io);
  fitHelp(program, width);
  program
    .name("cnncalc")
    .description(
      "Per-layer arithmetic of a convolutional network: output shapes, weights per neuron, neurons, connections and parameters.",
    )
    .version(VERSION, "-V, --version", "print the version")
    .helpOption("-h, --help", "show this help")
    .argument("<spec...>", "spec files (.json, .cnn, .txt); - reads standard input")
    .addOption(
      new Option("-f, --format <format>", "output format")
        .choices(OUTPUT_FORMATS)
        .default(undefined, "table"),
    )
    .option("--json", "the same as --format json")
    .option("--input <shape>", "give or override the input shape, e.g. 84x84x4", parseShapeArg)
    .option("--strict", "treat warnings as errors")
    .option("--color", "force colour")
    .option("--no-color", "never colour (also NO_COLOR=1)")
    .option(
      "--columns <list>",
      `table columns, comma-separated, of: ${ALL_COLUMNS.join(", ")}`,
      parseColumns,
    )
    .option("--all", "every column")
    .option(
      "--depth <n>",
      "levels of nesting shown, like torchinfo's depth (1: top-level rows only, blocks collapsed)",
      parsePositive,
    )
    .option("--summary", "title, totals and notes only, no per-layer rows")
    .option("--explain", "show the working of every number in the tutorial's notation")
    .option(
      "--init <scheme>",
      "initialization analysis: he, glorot, lecun, normal:STD or uniform:A",
      parseInitScheme,
    )
    .addOption(
      new Option("--dtype <dtype>", "bytes per value for memory columns")
        .choices(DTYPES)
        .default("float32"),
    )
    .option("--show-layers", "print the layer list as read (text language) before the table")
    .option(
      "--max-layers <n>",
      "most layers a network may expand to, repeats multiplied out (default: 1000000)",
      parsePositive,
    )
    .option("--debug", "print stack traces of internal errors")
    .addHelpText("after", () => fitHelpText(EXAMPLES, width))
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      // commander's own guess reads process.stdout; a terminal of unknown width gets 80
      getOutHelpWidth: () => width ?? 80,
    })
    .action(async (files: string[], flags: AnalyzeFlags) => {
      const stdin = files.filter((f) => f === "-").length;
      if (stdin > 1) {
        // the first reading would take all of it and leave the second nothing
        throw cnnError(
          "two-stdin",
          `standard input ('-') is named ${stdin} times; expected it once, as it can be read only once`,
        );
      }
      setExit(await runAnalyze(files, flags, io));
    });
  // options before `check` belong to the main command, those after it to `check`
  program.enablePositionalOptions();
  registerCheck(program, {
    io,
    setExit,
    analyzeSpec: (file, options) =>
      analyzeFile(file, { dtype: "float32", maxSize: MAX_SIZE, ...options }, io),
  });
  // after the main command's own options, so --help lists them below --format and friends
  addInputOptions(program);
  registerConvert(program, io, setExit);
  return program;
}

/** What a bare `cnncalc` prints: the usage of each command and where to read more. */
function bareUsage(program: Command): string {
  const name = program.name();
  const forms = [
    `${name} ${program.usage()}`,
    ...program.commands.map((c) => `${name} ${c.name()} ${c.usage()}`),
  ];
  return `Usage: ${forms.join("\n       ")}\n\nerror: no spec file given; for example: ${name} examples/dqn.json\nRun '${name} --help' for every option and more examples.\n`;
}

/** Runs the CLI on arguments (without node and script); returns the exit code. One error boundary. */
export async function main(args: string[], io: Io = processIo()): Promise<number> {
  let code: number = EXIT.ok;
  const debug = args.includes("--debug");
  try {
    const program = buildProgram(io, (c) => {
      code = c;
    });
    if (args.length === 0) {
      io.stderr(bareUsage(program));
      return EXIT.usage;
    }
    await program.parseAsync(args, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit 0; commander has already printed its one-line message
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof CnnError) {
      io.stderr(
        `${formatDiagnostic(e.diagnostic, await makeStyle(wantColor(undefined, io.env, io.stderrIsTty)))}\n`,
      );
      return EXIT_OF[e.kind];
    }
    const err = e as Error;
    io.stderr(
      `cnncalc: internal error: ${err?.message ?? String(e)}${debug ? `\n${err?.stack ?? ""}` : " (run with --debug for details; please report it)"}\n`,
    );
    return EXIT.internal;
  }
  return code;
}
