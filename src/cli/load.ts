import { CnnError } from "../core/errors.js";
import {
  checkNotEmpty,
  detectFormat,
  formatOfName,
  type InputFormat,
  type Parsed,
  parseSource,
} from "../parse/index.js";
import type { Io } from "./io.js";

/** How to read a spec: the format (or detection), the limits, prose's outputs. */
export interface LoadOptions {
  from?: InputFormat;
  maxDepth: number;
  maxSize: number;
  outputs?: number;
}

/** A spec read and parsed, with its text (for carets) and the format it was read as. */
export interface Loaded {
  source: string;
  parsed: Parsed;
  format: InputFormat;
}

/**
 * Reads a spec file (`-`: standard input), detects its format unless given, and parses it. A
 * parse error is rethrown with the text attached (`error.source`), so the caller can show the
 * offending line.
 */
export async function loadSpec(file: string, o: LoadOptions, io: Io): Promise<Loaded> {
  const source = await io.readText(file, o.maxSize);
  const name = file === "-" ? undefined : file;
  const format = o.from ?? detectFormat(source, name);
  try {
    // before detection has guessed a format from nothing: only a named one narrows the message
    checkNotEmpty(source, o.from ?? formatOfName(name));
    const parsed = parseSource(source, format, {
      maxDepth: o.maxDepth,
      ...(o.outputs === undefined ? {} : { outputs: o.outputs }),
    });
    return { source, parsed, format };
  } catch (e) {
    if (e instanceof CnnError) e.source = source;
    throw e;
  }
}
