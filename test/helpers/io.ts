import { readFileSync } from "node:fs";
import { type Io, outputText, readInput, readText } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";

/** The result of one in-memory CLI run. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** Files written through -o. */
  written: Map<string, string>;
}

/** A terminal standard output is to look like: its width as the terminal reports it. */
export interface Terminal {
  columns?: number;
}

/**
 * Runs the CLI in memory. `files` maps paths to contents (a path not in it is read from disk,
 * so examples work); "-" is standard input. With `terminal`, standard output is a terminal.
 */
export async function run(
  args: string[],
  files: Record<string, string> = {},
  env: Record<string, string> = {},
  terminal?: Terminal,
): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const written = new Map<string, string>();
  const io: Io = {
    stdout: (t) => {
      stdout += outputText(t);
    },
    stderr: (t) => {
      stderr += t;
    },
    readText: async (path, max) => {
      const text = files[path];
      if (text !== undefined) return text;
      return readText(path, max);
    },
    // bytes, as the real Io reads them: detection by content (an archive's magic) sees the same
    readInput: async (path, max) => {
      const text = files[path];
      return text === undefined ? readInput(path, max) : new TextEncoder().encode(text);
    },
    writeFileAtomic: async (path, text) => {
      written.set(path, outputText(text));
    },
    env,
    stdoutIsTty: terminal !== undefined,
    stderrIsTty: false,
    ...(terminal?.columns === undefined ? {} : { stdoutColumns: terminal.columns }),
  };
  const code = await main(args, io);
  return { code, stdout, stderr, written };
}

/** Reads a file of the repository as text. */
export function readRepoFile(path: string): string {
  return readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
}
