import { readFileSync } from "node:fs";
import type { Io } from "../src/cli/io.js";
import { main } from "../src/cli/main.js";
import { analyze } from "../src/core/analyze.js";
import type { Analysis, LayerSpec } from "../src/core/types.js";
import { parseJsonSpec } from "../src/parse/spec.js";

/** Analyses a list of layers on an input. */
export function run(input: number[], layers: LayerSpec[]): Analysis {
  return analyze({ input, layers });
}

/** Analyses one of the files in examples/. */
export function example(name: string): Analysis {
  const text = readFileSync(new URL(`../examples/${name}`, import.meta.url), "utf8");
  return analyze(parseJsonSpec(text).spec);
}

/** Runs the CLI in memory; files are read from disk relative to the repository root. */
export async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: Io = {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    readText: async (path) => readFileSync(new URL(`../${path}`, import.meta.url), "utf8"),
    writeFileAtomic: async () => {},
    env: { NO_COLOR: "1" },
    stdoutIsTty: false,
    stderrIsTty: false,
  };
  const code = await main(args, io);
  return { code, out, err };
}
