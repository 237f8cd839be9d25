import { type Command, InvalidArgumentError, Option } from "commander";
import { type SourceOptions, sourceFormat } from "../analyze-source.js";
import type { InitScheme } from "../core/init.js";
import { DTYPE_BYTES } from "../core/memory.js";
import { ALL_COLUMNS, type ColumnName } from "../format/columns.js";
import { FORMATS, type InputFormat, loadReader } from "../parse/index.js";
import { didYouMean } from "../parse/names.js";

/** Output formats of the main command: the single list `--format` accepts. */
export const OUTPUT_FORMATS = ["table", "json", "csv", "markdown", "latex", "svg"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Dtypes `--dtype` accepts. */
export const DTYPES = Object.keys(DTYPE_BYTES) as (keyof typeof DTYPE_BYTES)[];

/** Parses `84x84x4` (also `×`, `X`, `,` or spaces between) into positive integers. */
export function parseShapeArg(value: string): number[] {
  const parts = value.trim().split(/\s*[x×X,]\s*|\s+/);
  const nums = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : Number.NaN));
  if (parts.length < 1 || parts.length > 4 || nums.some((n) => !Number.isSafeInteger(n) || n < 1)) {
    throw new InvalidArgumentError(
      `expected a shape such as 84x84x4 (1 to 4 positive integers); received '${value}'`,
    );
  }
  return nums;
}

/** Parses a positive integer option value. */
export function parsePositive(value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a positive integer; received '${value}'`);
  return n;
}

/** Parses a non-negative integer option value. */
export function parseNonNegative(value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(n))
    throw new InvalidArgumentError(`expected a non-negative integer; received '${value}'`);
  return n;
}

/** Parses `--columns a,b,c` against the column table. */
export function parseColumns(value: string): ColumnName[] {
  const names = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const n of names) {
    if (!(ALL_COLUMNS as string[]).includes(n)) {
      const hint = didYouMean(n, ALL_COLUMNS);
      throw new InvalidArgumentError(
        `unknown column '${n}'${hint ? ` (${hint})` : ""}; expected some of: ${ALL_COLUMNS.join(", ")}`,
      );
    }
  }
  if (names.length === 0)
    throw new InvalidArgumentError(
      `expected a comma-separated list of columns: ${ALL_COLUMNS.join(", ")}`,
    );
  return names as ColumnName[];
}

/** Parses `--init he|glorot|lecun|normal:STD|uniform:A`. */
export function parseInitScheme(value: string): InitScheme {
  const v = value.trim().toLowerCase();
  if (v === "he" || v === "kaiming") return { kind: "he" };
  if (v === "glorot" || v === "xavier") return { kind: "glorot" };
  if (v === "lecun") return { kind: "lecun" };
  const m = /^(normal|uniform):(.+)$/.exec(v);
  const x = m ? Number(m[2]) : Number.NaN;
  if (m && Number.isFinite(x) && x > 0) {
    return m[1] === "normal" ? { kind: "normal", std: x } : { kind: "uniform", limit: x };
  }
  const hint = didYouMean(v.split(":")[0] ?? v, ["he", "glorot", "lecun", "normal", "uniform"]);
  throw new InvalidArgumentError(
    `expected he, glorot, lecun, normal:STD or uniform:A with a positive number${hint ? ` (${hint})` : ""}; received '${value}'`,
  );
}

/** Default of --max-depth: deeper than any real network nests. */
export const MAX_DEPTH = 10_000;

/**
 * The options that say how to read a spec, taken by every command that reads one (the main
 * command, `check` and `convert`): the input format and prose's outputs. One definition, one
 * help text.
 */
export function addSpecOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option("--from <format>", "input format instead of detecting it").choices(FORMATS),
    )
    .option("--outputs <n>", "number of outputs when prose gives a range", parsePositive);
}

/** `--max-depth`, the deepest nesting a spec may have, for every command that reads one. */
export function addDepthOption(cmd: Command): Command {
  return cmd.option("--max-depth <n>", "deepest nesting accepted", parsePositive, MAX_DEPTH);
}

/**
 * The options every command that reads a spec and writes a result takes (the main command and
 * `convert`): how to read the spec, the output file and the input limits.
 */
export function addInputOptions(cmd: Command): Command {
  addSpecOptions(cmd).option(
    "-o, --output <file>",
    "write the output to a file (atomically) instead of stdout",
  );
  // no commander default: without the option the limit depends on the content (io.ts)
  return addDepthOption(cmd).option(
    "--max-size <bytes>",
    "largest input accepted, in bytes (default: 16 MiB for a text spec, 2 GiB for a binary model such as an ONNX file)",
    parsePositive,
  );
}

/** The flags that say how to read a spec, shared by the main command and `convert`. */
export interface ReadFlags {
  from?: InputFormat;
  maxDepth: number;
  outputs?: number;
  input?: number[];
}

/**
 * The library's options for reading a file named on the command line (`-`: standard input) with
 * the reading flags, once the reader its content needs is loaded (only an ONNX file loads one,
 * with its protobuf library).
 */
export async function sourceOptions(
  file: string,
  source: string | Uint8Array,
  flags: ReadFlags,
): Promise<SourceOptions> {
  const options: SourceOptions = {
    ...(file === "-" ? { inputName: "standard input" } : { file }),
    ...(flags.from === undefined ? {} : { from: flags.from }),
    maxDepth: flags.maxDepth,
    ...(flags.outputs === undefined ? {} : { outputs: flags.outputs }),
    ...(flags.input === undefined ? {} : { input: flags.input }),
  };
  await loadReader(sourceFormat(source, options));
  return options;
}
