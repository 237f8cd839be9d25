import type { Command } from "commander";
import { type AnswerProblem, gradeAnswers, score } from "../../core/check.js";
import { EXIT, EXIT_OF } from "../../core/codes.js";
import { CnnError, cnnError } from "../../core/errors.js";
import type { Analysis } from "../../core/types.js";
import { checkJson, renderCheck } from "../../format/check.js";
import { formatDiagnostic } from "../../format/diagnostic.js";
import { jsonText } from "../../format/jsonText.js";
import { noAnswersError, readAnswers } from "../../parse/answers.js";
import type { InputFormat } from "../../parse/index.js";
import { fitHelpText } from "../help.js";
import { type Io, terminalWidth } from "../io.js";
import { addDepthOption, addSpecOptions, parsePositive, parseShapeArg } from "../options.js";
import { makeStyle, wantColor } from "../style.js";
import type { Failure } from "./analyze.js";

/** A spec that failed to load, as the main command reports it. */
export type SpecFailure = Failure;

/** How to read the spec: the main command's input options. */
export interface SpecReadOptions {
  input?: number[];
  from?: InputFormat;
  outputs?: number;
  maxDepth: number;
}

/** What `check` needs from the main program. */
export interface CheckDeps {
  io: Io;
  setExit(code: number): void;
  /**
   * Reads, parses and analyses a spec file as the main command does, its assumptions and
   * warnings (prose's, the analysis') on the analysis.
   */
  analyzeSpec(
    file: string,
    options: SpecReadOptions,
  ): Promise<{ analysis: Analysis } | { failure: SpecFailure }>;
}

interface CheckFlags {
  json?: boolean;
  input?: number[];
  from?: InputFormat;
  outputs?: number;
  color?: boolean;
  maxDepth: number;
  maxSize: number;
}

const HELP = `
The spec is read as the main command reads it: JSON, the layer language
(.cnn) or a paper's prose (.txt); --from, --outputs and --input as there.

Answers file, one answer per line ('#' starts a comment):
  layer 1 weights per filter 257
  layer 1 (b) width and height: 20
  conv2 connections 666,144
  fully connected layer neurons 256
  4 parameters 4 626
or the tutorial's layout, a heading and the answers under it:
  Second Convolutional Layer:
  (a) Weights per filter: 1 + 4 x 4 x 16 = 257
  (c) Neurons in layer: 2592
Layers: 1-based index (3.1: first layer inside block 3), name (fc1 also
finds dense1), or a heading: first/second convolutional layer, fully
connected layer, hidden layer, output layer, third layer, conv layer 2.
Quantities: weights (per neuron/filter), width, height, size (width and
height), output (20x20x16), neurons, connections, parameters; (a) to (e)
as in the tutorial. JSON works too:
  [{"layer": 1, "quantity": "neurons", "value": 6400}]
  {"conv2": {"connections": "666,144"}}
A line that cannot be read is listed as not read, and the others are
marked; it counts as an answer not given.

Exit codes: 0 every line read and every answer right; 1 some answer wrong
(or for a layer or quantity that does not exist), a line not read, or a
bad spec or answers file; 2 bad usage or an unreadable file.`;

async function runCheck(
  specFile: string,
  answersFile: string,
  flags: CheckFlags,
  deps: CheckDeps,
): Promise<number> {
  const { io } = deps;
  const errStyle = await makeStyle(wantColor(flags.color, io.env, io.stderrIsTty));
  const outStyle = await makeStyle(!flags.json && wantColor(flags.color, io.env, io.stdoutIsTty));
  const loaded = await deps.analyzeSpec(specFile, {
    maxDepth: flags.maxDepth,
    ...(flags.input === undefined ? {} : { input: flags.input }),
    ...(flags.from === undefined ? {} : { from: flags.from }),
    ...(flags.outputs === undefined ? {} : { outputs: flags.outputs }),
  });
  if ("failure" in loaded) {
    const f = loaded.failure;
    io.stderr(
      `${formatDiagnostic(f.error.diagnostic, errStyle, { file: f.file, ...(f.source === undefined ? {} : { source: f.source }) })}\n`,
    );
    return EXIT_OF[f.error.kind];
  }
  const file = answersFile === "-" ? "<stdin>" : answersFile;
  let source: string | undefined;
  try {
    source = await io.readText(answersFile, flags.maxSize);
    const { answers, problems } = readAnswers(source);
    if (answers.length === 0) {
      if (problems.length === 0) throw noAnswersError();
      // not one answer read: the file is not an answers file, or not one this reads. One
      // message, as for any bad input: the first line's problem as a compiler error, and no
      // report
      const first = problems[0] as AnswerProblem;
      const lines = new Set(problems.map((p) => p.line)).size;
      const more =
        lines > 1
          ? `\n${errStyle.dim("note:")} none of the ${lines} lines with text could be read, so nothing was marked; this is the first`
          : "";
      io.stderr(`${formatDiagnostic(first, errStyle, { file, source })}${more}\n`);
      return EXIT.failed;
    }
    const sheet = { graded: gradeAnswers(loaded.analysis, answers), problems, source };
    const files = { spec: specFile, answers: answersFile };
    io.stdout(
      flags.json
        ? `${jsonText(checkJson(loaded.analysis, sheet, files))}\n`
        : renderCheck(loaded.analysis, sheet, files, outStyle),
    );
    const s = score(sheet.graded, problems.length);
    return s.right === s.total ? EXIT.ok : EXIT.failed;
  } catch (e) {
    if (!(e instanceof CnnError)) throw e;
    io.stderr(
      `${formatDiagnostic(e.diagnostic, errStyle, { file, ...(source === undefined ? {} : { source }) })}\n`,
    );
    return EXIT_OF[e.kind];
  }
}

/** Registers `cnncalc check <spec> <answers>`: grades homework answers against a spec. */
export function registerCheck(program: Command, deps: CheckDeps): void {
  const check = program
    .command("check")
    .description(
      "check answers (weights per neuron, sizes, neurons, connections, parameters) against a spec; shows the working for wrong ones",
    )
    .argument(
      "<spec>",
      "the network: JSON, the layer language (.cnn) or prose (.txt); - reads standard input",
    )
    .argument("<answers>", "the answers file: plain lines or JSON; - reads standard input")
    .option("--json", "the report as JSON, for scripts")
    .option("--input <shape>", "give or override the input shape, e.g. 84x84x4", parseShapeArg);
  addDepthOption(addSpecOptions(check))
    .option("--color", "force colour")
    .option("--no-color", "never colour (also NO_COLOR=1)")
    .option(
      "--max-size <bytes>",
      "largest answers file accepted, in bytes",
      parsePositive,
      1024 * 1024,
    )
    .addHelpText("after", () => fitHelpText(HELP, terminalWidth(deps.io)))
    .action(async (spec: string, answers: string, own: CheckFlags, command: Command) => {
      // `cnncalc --json check ...`: options given before `check` belong to the main command
      const main = (command.parent?.opts() ?? {}) as Partial<CheckFlags>;
      const flags: CheckFlags = { ...own };
      if (main.json && flags.json === undefined) flags.json = true;
      if (main.input && flags.input === undefined) flags.input = main.input;
      if (main.from && flags.from === undefined) flags.from = main.from;
      if (main.outputs && flags.outputs === undefined) flags.outputs = main.outputs;
      if (main.color !== undefined && flags.color === undefined) flags.color = main.color;
      if (spec === "-" && answers === "-") {
        throw cnnError(
          "two-stdin",
          "the spec and the answers cannot both come from standard input; expected a file for one of them",
        );
      }
      deps.setExit(await runCheck(spec, answers, flags, deps));
    });
}
