/*
 * Runs the CLI in memory (main(args, fakeIo)) and checks what every run must satisfy, whatever
 * its input: it ends with exit 0, 1 or 2, prints no stack trace, no NaN/Infinity/undefined/
 * [object Object], and a failure is one clear message naming the place.
 */

import { decodeUtf8, type Io, MAX_TEXT_SIZE, outputText } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { CnnError } from "../../src/core/errors.js";

/** What one in-memory run printed and returned. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Files written with -o. */
  written: Map<string, string>;
}

/** A file's content: text, or raw bytes (decoded like a real file, so invalid UTF-8 is caught). */
export type FileContent = string | Uint8Array;

function usage(code: string, message: string): CnnError {
  return new CnnError({ code, message }, "usage");
}

/** An Io over an in-memory file system; "-" is standard input. Mirrors src/cli/io.ts's checks. */
export function fakeIo(files: Readonly<Record<string, FileContent>>, env: Io["env"] = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const written = new Map<string, string>();
  const io: Io = {
    stdout: (t) => {
      out.push(outputText(t));
    },
    stderr: (t) => {
      err.push(t);
    },
    async readText(path, maxBytes) {
      const content = files[path];
      if (content === undefined)
        throw usage("unreadable-file", `cannot read '${path}': no such file`);
      const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
      if (bytes.length > maxBytes)
        throw usage(
          "too-large",
          `'${path}' is ${bytes.length} bytes, more than the limit of ${maxBytes}; expected a smaller spec (raise the limit with --max-size)`,
        );
      return decodeUtf8(bytes, path === "-" ? "standard input" : `'${path}'`);
    },
    async readInput(path, maxBytes) {
      const content = files[path];
      if (content === undefined)
        throw usage("unreadable-file", `cannot read '${path}': no such file`);
      const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
      const limit = maxBytes ?? MAX_TEXT_SIZE;
      if (bytes.length > limit)
        throw usage(
          "too-large",
          `'${path}' is ${bytes.length} bytes, more than the limit of ${limit}; expected a smaller spec (raise the limit with --max-size)`,
        );
      return bytes;
    },
    async writeFileAtomic(path, text) {
      written.set(path, outputText(text));
    },
    env,
    stdoutIsTty: false,
    stderrIsTty: false,
  };
  return { io, out, err, written };
}

/** Per-run time limit: a run slower than this counts as a hang. */
export const RUN_TIMEOUT_MS = 10_000;

/** Runs the CLI in memory with the given files. */
export async function runCli(
  args: readonly string[],
  files: Readonly<Record<string, FileContent>>,
  env: Io["env"] = {},
): Promise<RunResult> {
  const { io, out, err, written } = fakeIo(files, env);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`hang: no exit after ${RUN_TIMEOUT_MS} ms`)),
      RUN_TIMEOUT_MS,
    );
  });
  try {
    const code = await Promise.race([main([...args], io), timeout]);
    return { code, stdout: out.join(""), stderr: err.join(""), written };
  } finally {
    clearTimeout(timer);
  }
}

const FORBIDDEN = ["NaN", "Infinity", "undefined", "[object Object]"] as const;
/** A note line: `assumption: ...` or `warning: ...`, named by its spec when there are several. */
const NOTE_LINE = /^(\S.*: )?(assumption|warning): .+ \[[a-z0-9-]+\]$/;
const STACK_FRAME = /^\s+at\s.+(:\d+:\d+\)?|\(native\))$/m;

/** The text of a file's content, as far as it can be told (for "was it in the input?"). */
function textOf(content: FileContent): string {
  return typeof content === "string" ? content : new TextDecoder().decode(content);
}

/**
 * The problems of one run (empty when it behaved). `inputs` are the files and arguments it was
 * given: a forbidden word is allowed in output only when the input itself contains it (an error
 * message quoting the user's `NaN` is right).
 */
export function problems(
  r: RunResult,
  args: readonly string[],
  files: Readonly<Record<string, FileContent>>,
): string[] {
  const found: string[] = [];
  const input = [...args, ...Object.values(files).map(textOf)].join("\n");
  if (r.code !== 0 && r.code !== 1 && r.code !== 2) found.push(`exit code ${r.code}`);
  const all = [...r.written.values(), r.stdout, r.stderr].join("\n");
  for (const word of FORBIDDEN) {
    if (all.includes(word) && !input.includes(word)) found.push(`output contains '${word}'`);
  }
  if (STACK_FRAME.test(r.stderr) || STACK_FRAME.test(r.stdout)) found.push("stack trace");
  if (r.stderr.includes("internal error")) found.push("internal error");
  if (r.code === 0) {
    if (r.stdout.length === 0 && r.written.size === 0) found.push("exit 0 without output");
    // CSV has no place for notes: its warnings and assumptions go to standard error
    const notesOnly =
      args.includes("csv") &&
      r.stderr
        .trimEnd()
        .split("\n")
        .every((l) => NOTE_LINE.test(l));
    if (r.stderr.length > 0 && !notesOnly) found.push("exit 0 with error text");
  } else {
    if (r.stderr.trim().length === 0) found.push(`exit ${r.code} without a message`);
    const lines = r.stderr.trimEnd().split("\n");
    // one message: its line, at most the source line and caret, a hint (or commander's suggestion)
    const errorLines = lines.filter((l) => /\berror:/.test(l));
    if (errorLines.length === 0) found.push("failure without an 'error:' line");
    // one file, one message (several files may each fail once)
    // at most one message per file; which arguments commander takes as files ("-1" is one) is
    // its business, so every argument that is not a long option may be a file
    const end = args.indexOf("--");
    const positional = (end === -1 ? args : args.slice(0, end)).filter((a) => !a.startsWith("--"));
    const fileCount = positional.length + (end === -1 ? 0 : args.length - end - 1) || 1;
    if (errorLines.length > fileCount) found.push(`${errorLines.length} error lines`);
    if (r.code === 1) {
      const first = errorLines[0] ?? "";
      // the place: file:line:col, a spec path, or a byte offset
      if (!/^\S+:\d+:\d+: error: /.test(first) && !/^\S+: error: \S/.test(first))
        found.push(`spec error without its place: ${first}`);
    }
  }
  return found;
}
