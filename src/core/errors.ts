import { type Code, type ErrorCode, type ErrorKind, errorKind } from "./codes.js";

export type { Code, ErrorCode, ErrorKind } from "./codes.js";

/** Where a problem is: a span in a source text, by offsets (0-based, end exclusive). */
export interface Span {
  start: number;
  end: number;
}

/**
 * A problem as data: a stable code, a one-line message saying what was expected and what was
 * received, and where it is (a spec path such as `layers[2].kernel`, a span, or both).
 */
export interface Diagnostic {
  code: string;
  message: string;
  path?: string;
  span?: Span;
  hint?: string;
}

/** Where a problem is and what to try: the optional parts of a diagnostic. */
export interface Where {
  path?: string;
  span?: Span;
  hint?: string;
}

/** An expected failure carrying its diagnostic; anything else reaching the CLI is a bug. */
export class CnnError extends Error {
  readonly diagnostic: Diagnostic;
  readonly kind: ErrorKind;
  /** The file the diagnostic's span refers to, when known. */
  file?: string;
  source?: string;

  /** The kind defaults to the one the table of codes gives the diagnostic's code. */
  constructor(diagnostic: Diagnostic, kind: ErrorKind = errorKind(diagnostic.code)) {
    super(diagnostic.message);
    this.name = "CnnError";
    this.diagnostic = diagnostic;
    this.kind = kind;
  }
}

/** A diagnostic of a listed code: the message, then the parts of `where` that are given. */
export function diagnostic(code: Code, message: string, where: Where = {}): Diagnostic {
  const d: Diagnostic = { code, message };
  if (where.path !== undefined) d.path = where.path;
  if (where.span !== undefined) d.span = where.span;
  if (where.hint !== undefined) d.hint = where.hint;
  return d;
}

/**
 * The one builder of errors: a CnnError of a listed code, whose kind (and so exit code) the
 * table of codes gives.
 */
export function cnnError(code: ErrorCode, message: string, where: Where = {}): CnnError {
  return new CnnError(diagnostic(code, message, where));
}

/** A CnnError of a diagnostic made elsewhere (a schema issue, an answer line), kind from the table. */
export function errorOf(d: Diagnostic): CnnError {
  return new CnnError(d);
}

/**
 * Throws an error at a path: the thin wrapper core's layers call. Its code is a string, not an
 * ErrorCode, only because core/analyze.ts passes on a warning's code typed as a string (a warning
 * under --strict); the kind still comes from the table.
 */
export function fail(
  code: ErrorCode | (string & {}),
  path: string,
  message: string,
  hint?: string,
): never {
  throw errorOf(hint === undefined ? { code, path, message } : { code, path, message, hint });
}
