// synchronous file calls: a CLI reads and writes one file at a time, and node:fs/promises alone
// loads a dozen of Node's internal modules at start-up (bench/results.md)
import {
  closeSync,
  createReadStream,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { CnnError, cnnError } from "../core/errors.js";
import { counted } from "../core/words.js";
import { startsLikeModel } from "../parse/detect.js";
import { skimModel } from "../parse/onnx/skim.js";
import { decodeUtf8 } from "../parse/utf8.js";

export { decodeUtf8 };

/** Default size limit of a text spec (--max-size): far above any real spec. */
export const MAX_TEXT_SIZE = 16 * 1024 * 1024;
/**
 * Default size limit of a binary model (an ONNX file with its weights, a .keras archive):
 * protobuf's own limit for one message, 2 GiB.
 */
export const MAX_MODEL_SIZE = 2 * 1024 * 1024 * 1024;

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
  /**
   * Reads a spec or model file: its bytes (or, from a test's memory, its text); analyzeSource
   * tells text from a binary model. `maxBytes` undefined: the default limits (MAX_TEXT_SIZE,
   * MAX_MODEL_SIZE by content).
   */
  readInput(path: string, maxBytes: number | undefined): Promise<string | Uint8Array>;
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
 * Reads a stream with no size known in advance (standard input, a pipe, a device such as
 * /dev/zero), stopping as soon as it passes the limit instead of holding all of it.
 */
async function readLimited(
  stream: AsyncIterable<Buffer>,
  limit: number | ((head: Uint8Array) => number),
  what: string,
): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  let maxBytes = typeof limit === "number" ? limit : undefined;
  for await (const chunk of stream) {
    // a limit that depends on the content is decided by the first chunk
    maxBytes ??= (limit as (head: Uint8Array) => number)(chunk);
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

/** The default limit for content starting with `head`: a binary model's or a text spec's. */
function defaultLimit(head: Uint8Array): number {
  return startsLikeModel(head) ? MAX_MODEL_SIZE : MAX_TEXT_SIZE;
}

/** The first bytes of a file, for its default size limit. */
function fileHead(path: string): Uint8Array {
  const fd = openSync(path, "r");
  try {
    const head = new Uint8Array(4);
    readSync(fd, head, 0, 4, 0);
    return head;
  } finally {
    closeSync(fd);
  }
}

/** Files larger than this that start like an ONNX model are read without their weights. */
const SKIM_SIZE = 4 * 1024 * 1024;

/**
 * An ONNX file read without the values of its large initializers (skim.ts): a 100 MB file with
 * its weights costs a few hundred small reads instead of 100 MB of fresh memory (which alone took
 * longer than the rest of its analysis). Undefined when the file is not one (read it whole).
 */
function skimFile(path: string, size: number): Uint8Array | undefined {
  const fd = openSync(path, "r");
  try {
    const head = new Uint8Array(1);
    readSync(fd, head, 0, 1, 0);
    if (head[0] !== 0x08) return undefined;
    return skimModel((position, length) => {
      const buf = new Uint8Array(Math.max(0, Math.min(length, size - position)));
      let done = 0;
      while (done < buf.length) {
        const n = readSync(fd, buf, done, buf.length - done, position + done);
        if (n === 0) break;
        done += n;
      }
      return done === buf.length ? buf : buf.subarray(0, done);
    }, size);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a file (or stdin for `-`) as bytes, with a size limit (undefined: the default for its
 * content, MAX_TEXT_SIZE or, for a file starting like a binary model, MAX_MODEL_SIZE) and
 * one-line errors.
 */
export async function readBytes(path: string, maxBytes?: number): Promise<Uint8Array> {
  if (path === "-") {
    return readLimited(
      process.stdin as AsyncIterable<Buffer>,
      maxBytes ?? defaultLimit,
      "standard input",
    );
  }
  try {
    const info = statSync(path);
    if (info.isDirectory())
      throw cnnError("is-directory", `'${path}' is a directory; expected a spec file`);
    const limit =
      maxBytes ??
      (info.isFile() && info.size > MAX_TEXT_SIZE ? defaultLimit(fileHead(path)) : MAX_TEXT_SIZE);
    if (info.size > limit)
      throw cnnError(
        "too-large",
        `'${path}' is ${counted(info.size, "byte")}, more than the limit of ${limit}; expected a smaller spec (raise the limit with --max-size)`,
      );
    if (info.isFile() && info.size > SKIM_SIZE) {
      const skimmed = skimFile(path, info.size);
      if (skimmed !== undefined) return skimmed;
    }
    // a regular file's size is known; anything else (a pipe, /dev/zero) is read up to the limit
    return info.isFile()
      ? readFileSync(path)
      : await readLimited(createReadStream(path), maxBytes ?? defaultLimit, `'${path}'`);
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
}

/** The name of a file in messages: `'net.json'`, or standard input for `-`. */
function inputName(path: string): string {
  return path === "-" ? "standard input" : `'${path}'`;
}

/** Reads a spec file (or stdin for `-`) as text, with a size limit and one-line errors. */
export async function readText(path: string, maxBytes: number): Promise<string> {
  return decodeUtf8(await readBytes(path, maxBytes), inputName(path));
}

/**
 * Reads a spec or model file (or stdin for `-`) as bytes: analyzeSource tells a binary model from
 * text by content and decodes text (refusing invalid UTF-8 with `invalid-utf8`).
 */
export async function readInput(path: string, maxBytes?: number): Promise<Uint8Array> {
  return readBytes(path, maxBytes);
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
    readInput,
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
