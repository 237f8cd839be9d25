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

/** The two kinds of failure the CLI maps to exit codes: a bad spec (1) and bad usage (2). */
export type ErrorKind = "spec" | "usage";

/** An expected failure carrying its diagnostic; anything else reaching the CLI is a bug. */
export class CnnError extends Error {
  readonly diagnostic: Diagnostic;
  readonly kind: ErrorKind;
  /** The file the diagnostic's span refers to, when known. */
  file?: string;
  source?: string;

  constructor(diagnostic: Diagnostic, kind: ErrorKind = "spec") {
    super(diagnostic.message);
    this.name = "CnnError";
    this.diagnostic = diagnostic;
    this.kind = kind;
  }
}

/** Throws a spec error at a path. */
export function fail(code: string, path: string, message: string, hint?: string): never {
  throw new CnnError(hint === undefined ? { code, path, message } : { code, path, message, hint });
}
