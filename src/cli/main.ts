import { Command, CommanderError, Option } from "commander";
import { EXIT, EXIT_OF } from "../core/codes.js";
import { CnnError, cnnError } from "../core/errors.js";
import { ALL_COLUMNS } from "../format/columns.js";
import { formatDiagnostic } from "../format/diagnostic.js";
import { type AnalyzeFlags, analyzeFile, runAnalyze } from "./commands/analyze.js";
import { registerCheck } from "./commands/check.js";
import { registerConvert } from "./commands/convert.js";
import { fitHelp, fitHelpText } from "./help.js";
import { type Io, processIo, terminalWidth } from "./io.js";
import {
  addInputOptions,
  DTYPES,
  OUTPUT_FORMATS,
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
  $ cnncalc examples/resnet18.onnx --depth 1  an ONNX model (or Keras, PyTorch's print(model))
  $ cnncalc convert net.json --to text        convert between JSON and the layer language
  $ cnncalc examples/*.json -f csv            several specs as CSV
  $ cnncalc net.json --input 224x224x3        give or override the input shape
  $ cnncalc examples/vgg16.json --all         every column (MACs, receptive field, memory)
  $ cat net.json | cnncalc -                  read the spec from standard input
  $ cnncalc examples/dqn.json --explain       the working of every number, tutorial notation
  $ cnncalc check examples/dqn.json answers.txt   mark homework answers (see check --help)

Exit codes: 0 success, 1 bad spec (or a warning under --strict), 2 bad usage, 3 internal error.`;

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
    .argument(
      "<spec...>",
      "spec or model files (.json, .cnn, .txt, .onnx, .keras); - reads standard input",
    )
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
      // the spec's size limit: the default by content (a text spec or a binary model)
      analyzeFile(file, { dtype: "float32", ...options }, io),
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
