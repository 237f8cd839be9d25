import { readFileSync } from "node:fs";
import type { Io } from "../src/cli/io.js";
import { main } from "../src/cli/main.js";
import { analyze } from "../src/core/analyze.js";
import { CnnError } from "../src/core/errors.js";
import type { Analysis, NetworkSpec } from "../src/core/types.js";
import { parseJsonSpec } from "../src/parse/spec.js";

/** Analyses a spec object. */
export function run(spec: NetworkSpec): Analysis {
  return analyze(spec);
}

/** Analyses an example file. */
export function example(name: string): Analysis {
  const text = readFileSync(new URL(`../examples/${name}`, import.meta.url), "utf8");
  return analyze(parseJsonSpec(text).spec);
}

/** Runs the CLI in memory: files from `files` first, then from disk (relative to the repo). */
export async function cli(
  args: string[],
  files: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readText: async (path) => {
      const text = files[path];
      if (text !== undefined) return text;
      try {
        return readFileSync(new URL(`../${path}`, import.meta.url), "utf8");
      } catch {
        throw new CnnError(
          { code: "unreadable-file", message: `cannot read '${path}': no such file` },
          "usage",
        );
      }
    },
    writeFileAtomic: async () => {},
    env: {},
    stdoutIsTty: false,
    stderrIsTty: false,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}
