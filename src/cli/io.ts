// synchronous file calls: a CLI reads and writes one file at a time, and node:fs/promises alone
// loads a dozen of Node's internal modules at start-up (bench/results.md)
import {
  closeSync,
  createReadStream,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { CnnError, cnnError } from "../core/errors.js";
import { counted } from "../core/words.js";

/** What the CLI prints: one string, or (a big JSON output) strings to write in turn. */
export type Output = string | readonly string[];

/** The text of an output. */
export function outputText(out: Output): string {
  return typeof out === "string" ? out : out.join("");
}

/** Everything the CLI does to the outside world, so tests can run it in memory. */
export interface Io {
  stdout(out: Output): void;
  stderr(text: string): void;
  readText(path: string, maxBytes: number): Promise<string>;
  writeFileAtomic(path: string, out: Output): Promise<void>;
  env: Readonly<Record<string, string | undefined>>;
  stdoutIsTty: boolean;
  stderrIsTty: boolean;
  /** The terminal's width when standard output is one (undefined when unknown). */
  stdoutColumns?: number;
}

/**
 * The width output must fit, when standard output is a terminal: COLUMNS if it is a positive
 * integer, else the terminal's own width. Undefined (never cut) for a pipe or a file, even with
 * COLUMNS set: what a script reads must not depend on the terminal it was started from.
 */
export function terminalWidth(io: Io): number | undefined {
  if (!io.stdoutIsTty) return undefined;
  const env = io.env.COLUMNS?.trim();
  if (env !== undefined && /^\d+$/.test(env) && Number(env) > 0) return Number(env);
  const own = io.stdoutColumns;
  return own !== undefined && Number.isSafeInteger(own) && own > 0 ? own : undefined;
}

/**
 * The offset of the first byte that is not valid UTF-8. The replacing decoder turns each bad
 * sequence into U+FFFD and keeps valid text as it is, so the bytes before the first U+FFFD are
 * the UTF-8 of the text before it; a U+FFFD written in the file (EF BF BD) is skipped.
 */
function firstInvalidByte(bytes: Uint8Array): number {
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  const encoder = new TextEncoder();
  let at = 0;
  let from = 0;
  for (let i = text.indexOf("\uFFFD"); i !== -1; i = text.indexOf("\uFFFD", i + 1)) {
    at += encoder.encode(text.slice(from, i)).length;
    if (bytes[at] !== 0xef || bytes[at + 1] !== 0xbf || bytes[at + 2] !== 0xbd) return at;
    at += 3;
    from = i + 1;
  }
  return bytes.length;
}

/** Decodes bytes as UTF-8, refusing invalid sequences with where the first one is. */
export function decodeUtf8(bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidByte(bytes);
    let line = 1;
    for (let i = bytes.indexOf(0x0a); i !== -1 && i < at; i = bytes.indexOf(0x0a, i + 1)) line++;
    throw cnnError(
      "invalid-utf8",
      `${name} is not UTF-8 text (an invalid byte sequence on line ${line}, at byte offset ${at}); expected a JSON or text spec`,
    );
  }
}

/**
 * Reads a stream with no size known in advance (standard input, a pipe, a device such as
 * /dev/zero), stopping as soon as it passes the limit instead of holding all of it.
 */
async function readLimited(
  stream: AsyncIterable<Buffer>,
  maxBytes: number,
  what: string,
): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > maxBytes)
      throw cnnError(
        "too-large",
        `${what} is larger than ${counted(maxBytes, "byte")}; expected a smaller spec (raise the limit with --max-size)`,
      );
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Reads a spec file (or stdin for `-`) as text, with a size limit and one-line errors. */
export async function readText(path: string, maxBytes: number): Promise<string> {
  if (path === "-") {
    const bytes = await readLimited(
      process.stdin as AsyncIterable<Buffer>,
      maxBytes,
      "standard input",
    );
    return decodeUtf8(bytes, "standard input");
  }
  let bytes: Uint8Array;
  try {
    const info = statSync(path);
    if (info.isDirectory())
      throw cnnError("is-directory", `'${path}' is a directory; expected a spec file`);
    if (info.size > maxBytes)
      throw cnnError(
        "too-large",
        `'${path}' is ${counted(info.size, "byte")}, more than the limit of ${maxBytes}; expected a smaller spec (raise the limit with --max-size)`,
      );
    // a regular file's size is known; anything else (a pipe, /dev/zero) is read up to the limit
    bytes = info.isFile()
      ? readFileSync(path)
      : await readLimited(createReadStream(path), maxBytes, `'${path}'`);
  } catch (e) {
    if (e instanceof CnnError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "no such file"
        : code === "EACCES"
          ? "permission denied"
          : code === "EISDIR"
            ? "it is a directory"
            : ((e as Error).message ?? String(e));
    throw cnnError("unreadable-file", `cannot read '${path}': ${reason}`);
  }
  return decodeUtf8(bytes, `'${path}'`);
}

/**
 * Writes a file atomically: a temporary file beside it, then a rename over it. The temporary name
 * needs no cryptographic randomness (node:crypto costs start-up time): "wx" refuses to reuse one.
 */
export async function writeFileAtomic(path: string, out: Output): Promise<void> {
  const unique = `${process.pid.toString(36)}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const tmp = join(dirname(path), `.${basename(path)}.${unique}.tmp`);
  try {
    const fd = openSync(tmp, "wx");
    try {
      // writeFileSync on a descriptor writes all of it (writeSync may write part) where the file is
      if (typeof out === "string") writeFileSync(fd, out);
      else for (const piece of out) writeFileSync(fd, piece);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? `no such directory '${dirname(path)}'`
        : code === "EACCES" || code === "EPERM"
          ? "permission denied"
          : code === "EISDIR"
            ? "it is a directory"
            : code === "ENOSPC"
              ? "no space left on the device"
              : ((e as Error).message ?? String(e));
    throw cnnError("unwritable-output", `cannot write '${path}': ${reason}`);
  }
}

/** The real process's Io. */
export function processIo(): Io {
  return {
    stdout: (out) => {
      if (typeof out === "string") process.stdout.write(out);
      else for (const chunk of out) process.stdout.write(chunk);
    },
    stderr: (t) => {
      process.stderr.write(t);
    },
    readText,
    writeFileAtomic,
    env: process.env,
    // read when asked: making process.stderr (a pipe, in scripts) loads Node's net module, and a
    // run without an error never needs it
    get stdoutIsTty() {
      return process.stdout.isTTY === true;
    },
    get stderrIsTty() {
      return process.stderr.isTTY === true;
    },
    get stdoutColumns() {
      return process.stdout.columns;
    },
  };
}
