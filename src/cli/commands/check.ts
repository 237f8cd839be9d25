import type { Command } from "commander";
import { gradeAnswers, score } from "../../core/check.js";
import { CnnError } from "../../core/errors.js";
import type { Analysis } from "../../core/types.js";
import { checkJson, renderCheck } from "../../format/check.js";
import { formatDiagnostic } from "../../format/diagnostic.js";
import { jsonText } from "../../format/jsonText.js";
import { parseAnswers } from "../../parse/answers.js";
import { fitHelpText } from "../help.js";
import { type Io, terminalWidth } from "../io.js";
import { parsePositive, parseShapeArg } from "../options.js";
import { makeStyle, wantColor } from "../style.js";

/** A spec that failed to load, as the main command reports it. */
export interface SpecFailure {
  file: string;
  error: CnnError;
  source?: string;
}

/** What `check` needs from the main program. */
export interface CheckDeps {
  io: Io;
  setExit(code: number): void;
  /** Reads, parses and analyses a spec file (with an optional input override). */
  analyzeSpec(
    file: string,
    input: number[] | undefined,
  ): Promise<{ analysis: Analysis } | { failure: SpecFailure }>;
}

interface CheckFlags {
  json?: boolean;
  input?: number[];
  color?: boolean;
  maxSize: number;
}

const HELP = `
Answers file, one answer per line ('#' starts a comment):
  layer 1 weights per filter 257
  layer 1 width and height 20
  conv2 connections 666,144
  dense1 neurons 256
  4 parameters 4 626
Layers by 1-based index (3.1 for the first layer inside block 3) or name (fc1 also finds dense1).
Quantities: weights (per neuron/filter), width, height, size (width and height), output (20x20x16),
neurons, connections, parameters; (a) to (e) as in the tutorial. JSON works too:
  [{"layer": 1, "quantity": "neurons", "value": 6400}]   or   {"conv2": {"connections": "666,144"}}

Exit codes: 0 every answer right, 1 some answer wrong (or for a layer or quantity that does not
exist), or a bad spec or answers file, 2 bad usage or an unreadable file.`;

const EXIT = { ok: 0, wrong: 1, usage: 2 } as const;

async function runCheck(
  specFile: string,
  answersFile: string,
  flags: CheckFlags,
  deps: CheckDeps,
): Promise<number> {
  const { io } = deps;
  const errStyle = await makeStyle(wantColor(flags.color, io.env, io.stderrIsTty));
  const outStyle = await makeStyle(!flags.json && wantColor(flags.color, io.env, io.stdoutIsTty));
  const loaded = await deps.analyzeSpec(specFile, flags.input);
  if ("failure" in loaded) {
    const f = loaded.failure;
    io.stderr(
      `${formatDiagnostic(f.error.diagnostic, errStyle, { file: f.file, ...(f.source === undefined ? {} : { source: f.source }) })}\n`,
    );
    return f.error.kind === "usage" ? EXIT.usage : EXIT.wrong;
  }
  let source: string | undefined;
  try {
    source = await io.readText(answersFile, flags.maxSize);
    const answers = parseAnswers(source);
    const graded = gradeAnswers(loaded.analysis, answers);
    const files = { spec: specFile, answers: answersFile };
    io.stdout(
      flags.json
        ? `${jsonText(checkJson(loaded.analysis, graded, files))}\n`
        : renderCheck(loaded.analysis, graded, files, outStyle),
    );
    const s = score(graded);
    return s.right === s.total ? EXIT.ok : EXIT.wrong;
  } catch (e) {
    if (!(e instanceof CnnError)) throw e;
    io.stderr(
      `${formatDiagnostic(e.diagnostic, errStyle, { file: answersFile === "-" ? "<stdin>" : answersFile, ...(source === undefined ? {} : { source }) })}\n`,
    );
    return e.kind === "usage" ? EXIT.usage : EXIT.wrong;
  }
}

/** Registers `cnncalc check <spec> <answers>`: grades homework answers against a spec. */
export function registerCheck(program: Command, deps: CheckDeps): void {
  program
    .command("check")
    .description(
      "check answers (weights per neuron, sizes, neurons, connections, parameters) against a spec; shows the working for wrong ones",
    )
    .argument("<spec>", "the network's spec file (.json); - reads standard input")
    .argument("<answers>", "the answers file: plain lines or JSON; - reads standard input")
    .option("--json", "the report as JSON, for scripts")
    .option("--input <shape>", "give or override the input shape, e.g. 84x84x4", parseShapeArg)
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
      if (main.color !== undefined && flags.color === undefined) flags.color = main.color;
      if (spec === "-" && answers === "-") {
        throw new CnnError(
          {
            code: "two-stdin",
            message:
              "the spec and the answers cannot both come from standard input; expected a file for one of them",
          },
          "usage",
        );
      }
      deps.setExit(await runCheck(spec, answers, flags, deps));
    });
}
