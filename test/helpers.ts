import { analyze } from "../src/core/analyze.js";
import { CnnError, type Diagnostic } from "../src/core/errors.js";
import type { Analysis, LayerSpec } from "../src/core/types.js";
import { parseJsonSpec } from "../src/parse/spec.js";
import { readRepoFile, run as runCli } from "./helpers/io.js";

/** Analyses a list of layers on an input. */
export function run(input: number[], layers: LayerSpec[]): Analysis {
  return analyze({ input, layers });
}

/** The diagnostic of a network that must fail to analyse. */
export function failure(input: number[], layers: LayerSpec[]): Diagnostic {
  try {
    run(input, layers);
  } catch (e) {
    if (e instanceof CnnError) return e.diagnostic;
    throw e;
  }
  throw new Error("expected a CnnError");
}

/** Analyses one of the files in examples/. */
export function example(name: string): Analysis {
  return analyze(parseJsonSpec(readRepoFile(`examples/${name}`)).spec);
}

/** Runs the CLI in memory with NO_COLOR set; files are read from the repository. */
export async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runCli(args, {}, { NO_COLOR: "1" });
  return { code: r.code, out: r.stdout, err: r.stderr };
}
