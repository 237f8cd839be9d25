import { analyze } from "../src/core/analyze.js";
import type { Analysis, NetworkSpec } from "../src/core/types.js";
import { run as runCli } from "./helpers/io.js";

export { example } from "./helpers.js";

/** Analyses a spec object. */
export function run(spec: NetworkSpec): Analysis {
  return analyze(spec);
}

/** Runs the CLI in memory: files from `files` first, then from disk (relative to the repo). */
export async function cli(
  args: string[],
  files: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runCli(args, files);
  return { code, stdout, stderr };
}
