import { type Command, Option } from "commander";
import { readSource } from "../../analyze-source.js";
import { EXIT, EXIT_OF } from "../../core/codes.js";
import { CnnError } from "../../core/errors.js";
import { formatDiagnostic } from "../../format/diagnostic.js";
import { specToJson } from "../../format/spec-json.js";
import { specToText } from "../../format/text.js";
import type { InputFormat, Parsed } from "../../parse/index.js";
import { fitHelpText } from "../help.js";
import { type Io, terminalWidth } from "../io.js";
import { addInputOptions, parseShapeArg, sourceOptions } from "../options.js";
import { makeStyle, wantColor } from "../style.js";

/** What `convert --to` can write. */
export const CONVERT_TARGETS = ["json", "text"] as const;
type Target = (typeof CONVERT_TARGETS)[number];

interface ConvertFlags {
  to?: Target;
  from?: InputFormat;
  outputs?: number;
  output?: string;
  maxDepth: number;
  maxSize?: number;
  color?: boolean;
  input?: number[];
}

/** The spec of a parse in the target format. */
export function convertSpec(parsed: Parsed, to: Target): string {
  return to === "json" ? specToJson(parsed.spec) : specToText(parsed.spec);
}

async function runConvert(file: string, flags: ConvertFlags, io: Io): Promise<number> {
  let name = file === "-" ? "<stdin>" : file;
  let source: string | undefined;
  let error: CnnError;
  try {
    const bytes = await io.readInput(file, flags.maxSize);
    // --input too: an ONNX model with dynamic dimensions needs its input shape
    const read = readSource(bytes, await sourceOptions(file, bytes, flags));
    source = read.ok ? (read.parsed.source ?? read.text) : read.error.source;
    // spans inside an archive's member point at it: model.keras:config.json:3:7
    const member = read.ok ? read.parsed.member : read.error.file;
    if (member !== undefined) name = `${name}:${member}`;
    if (!read.ok) throw read.error;
    const { parsed } = read;
    const to = flags.to ?? (read.format === "json" ? "text" : "json");
    const text = convertSpec(parsed, to);
    // what a prose reading assumed or repaired goes to stderr, so stdout stays a clean spec
    const style = await makeStyle(wantColor(flags.color, io.env, io.stderrIsTty));
    for (const a of parsed.assumptions)
      io.stderr(`${style.dim("assumption:")} ${a.message} [${a.code}]\n`);
    for (const w of parsed.warnings) {
      // the code as under the table (`warning: ... [code]`), so it can be looked up
      const message = `${w.message} [${w.code}]`;
      const d = { code: w.code, message, ...(w.span ? { span: w.span } : {}) };
      io.stderr(`${formatDiagnostic(d, style, { file: name, source }, "warning")}\n`);
    }
    if (flags.output !== undefined) await io.writeFileAtomic(flags.output, text);
    else io.stdout(text);
    return EXIT.ok;
  } catch (e) {
    if (!(e instanceof CnnError)) throw e;
    error = e;
  }
  const style = await makeStyle(wantColor(flags.color, io.env, io.stderrIsTty));
  io.stderr(
    `${formatDiagnostic(error.diagnostic, style, { file: name, ...(source === undefined ? {} : { source }) })}\n`,
  );
  return EXIT_OF[error.kind];
}

const EXAMPLES = `
Examples:
  $ cnncalc convert examples/dqn.json            the compact layer language
  $ cnncalc convert examples/dqn.cnn --to json   back to JSON
  $ cnncalc convert examples/dqn-paper.txt       what cnncalc read from the paper's prose
  $ cnncalc convert examples/resnet18.onnx       an ONNX model as an editable spec`;

/** Registers `cnncalc convert <file> --to json|text` on the program. */
export function registerConvert(program: Command, io: Io, setExit: (code: number) => void): void {
  const cmd = program.command("convert");
  addInputOptions(cmd)
    .description(
      "convert a spec between JSON and the compact layer language; prose, ONNX, Keras and PyTorch's print(model) read into either",
    )
    .argument(
      "<file>",
      "a spec or model file (.json, .cnn, .txt, .md, .onnx, .keras); - reads standard input",
    )
    .addOption(
      new Option(
        "--to <format>",
        "output format (default: text for JSON input, JSON otherwise)",
      ).choices(CONVERT_TARGETS),
    )
    .option(
      "--input <shape>",
      "the input shape (channels last) of a model whose input has dynamic dimensions, e.g. 224x224x3",
      parseShapeArg,
    )
    .option("--color", "force colour")
    .option("--no-color", "never colour (also NO_COLOR=1)")
    .addHelpText("after", () => fitHelpText(EXAMPLES, terminalWidth(io)))
    .action(async (file: string, _flags: ConvertFlags, command: Command) => {
      // the main command's options of the same names (-o, --from, ...) are parsed anywhere on
      // the line, so they may land there: take both, this command's own values first
      setExit(await runConvert(file, command.optsWithGlobals<ConvertFlags>(), io));
    });
}
