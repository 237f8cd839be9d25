/**
 * The table of diagnostic codes: every code cnncalc reports, with how it shows. It is checked
 * against the catalogue test/codes.test.ts keeps (and docs/errors.md it generates): each code
 * there is here with the same kinds, and no other. The builders in errors.ts take the exit code of
 * an error from here, not from their call sites, and the compiler refuses a code not listed.
 *
 * Kinds, as docs/errors.md names them: an `error` stops its file (exit 1), a `usage error` too
 * (exit 2: the command line or a file that cannot be read, not a bad spec); a `warning` or an
 * `assumption` is a note under the output (exit 0, but a warning is an error under --strict), an
 * `init note` an assumption of --init, a `status` the mark of a graded answer. A code used in two
 * places may have two kinds (`merged-number`: an error when prose cannot be repaired, a warning
 * when it can).
 */
export const CODES = {
  "unreadable-file": ["usage error"],
  "is-directory": ["usage error"],
  "too-large": ["usage error"],
  "invalid-utf8": ["error"],
  "empty-input": ["error"],
  "json-syntax": ["error"],
  "duplicate-key": ["error"],
  "number-range": ["error"],
  "too-deep": ["error"],
  "invalid-spec": ["error"],
  "invalid-layer": ["error"],
  "missing-type": ["error"],
  "unknown-type": ["error"],
  "keras-layer": ["error"],
  "keras-graph": ["error"],
  "invalid-archive": ["error"],
  "missing-config": ["error"],
  "torch-syntax": ["error"],
  "torch-module": ["error"],
  "torch-shape": ["error"],
  "onnx-invalid": ["error"],
  "onnx-graph": ["error"],
  "onnx-input-shape": ["error"],
  "onnx-unsupported-op": ["error"],
  "onnx-param-mismatch": ["error"],
  "unknown-key": ["error"],
  "missing-key": ["error"],
  "invalid-value": ["error"],
  "unterminated-string": ["error"],
  "invalid-string": ["error"],
  "unterminated-list": ["error"],
  "invalid-list": ["error"],
  "expected-layer": ["error"],
  "unknown-option": ["error"],
  "unexpected-value": ["error"],
  "unexpected-character": ["error"],
  "missing-value": ["error"],
  "duplicate-option": ["error"],
  "invalid-input": ["error"],
  "misplaced-statement": ["error"],
  "expected-brace": ["error"],
  "unexpected-brace": ["error"],
  "unmatched-brace": ["error"],
  "unterminated-block": ["error"],
  "expected-branch": ["error"],
  "misplaced-branch": ["error"],
  "misplaced-shortcut": ["error"],
  "no-layers-found": ["error"],
  "unreadable-layer": ["error"],
  "merged-number": ["error", "warning"],
  "unreadable-input": ["error"],
  "unknown-outputs": ["error"],
  "missing-input": ["error"],
  "no-layers": ["error"],
  "needs-spatial-input": ["error"],
  "rank-mismatch": ["error"],
  "kernel-too-large": ["error"],
  "ceil-with-same": ["error"],
  "groups-mismatch": ["error"],
  "connections-with-groups": ["error"],
  "connections-length": ["error"],
  "connections-map": ["error"],
  "connections-empty": ["error"],
  "output-padding": ["error"],
  "output-size": ["error"],
  "not-divisible": ["error"],
  "channel-range": ["error"],
  "size-overflow": ["error"],
  "add-shape-mismatch": ["error"],
  "concat-shape-mismatch": ["error"],
  "merge-shape-mismatch": ["error"],
  "too-many-layers": ["error"],
  "input-rank": ["error"],
  "input-value": ["error"],
  "no-answers": ["error"],
  "missing-layer": ["error"],
  "missing-quantity": ["error"],
  "unknown-quantity": ["error"],
  "invalid-number": ["error"],
  "invalid-answer": ["error"],
  "invalid-answers": ["error"],
  "csv-extras": ["usage error"],
  "two-stdin": ["usage error"],
  "svg-one-spec": ["usage error"],
  "svg-too-large": ["usage error"],
  "unwritable-output": ["usage error"],
  "uncovered-input": ["warning"],
  "outputs-unused": ["warning"],
  "pool-padding": ["warning"],
  "channels-first": ["warning"],
  "keras-frozen": ["warning"],
  "input-1d": ["assumption"],
  "implied-flatten": ["assumption"],
  "rf-transposed": ["assumption"],
  "rf-resampled": ["assumption"],
  "input-channels": ["assumption"],
  "onnx-no-batchnorm": ["assumption"],
  "onnx-pad-mode": ["assumption"],
  "kernel-depth": ["assumption"],
  "output-dense": ["assumption"],
  "outputs-range": ["assumption"],
  "padding-zero": ["assumption"],
  "padding-global": ["assumption"],
  "stride-one": ["assumption"],
  "pool-stride": ["assumption"],
  "torch-order": ["assumption"],
  "torch-implied": ["assumption"],
  "torch-parameters": ["assumption"],
  "no-weights": ["init note"],
  "chain-only": ["init note"],
  "batchnorm-ignored": ["init note"],
  "rescale-ignored": ["init note"],
  "pooling-ignored": ["init note"],
  "stride-ignored": ["init note"],
  "leaky-alpha": ["init note"],
  "table-mean": ["init note"],
  "no-layer": ["status"],
  "not-applicable": ["status"],
  "not-read": ["status"],
} as const satisfies Readonly<Record<string, readonly CodeKind[]>>;

/** How a code shows (see CODES). */
export type CodeKind = "error" | "usage error" | "warning" | "assumption" | "init note" | "status";

/** Every diagnostic code. */
export type Code = keyof typeof CODES;

/** The codes of a kind. */
export type CodeOf<K extends CodeKind> = {
  [C in Code]: K extends (typeof CODES)[C][number] ? C : never;
}[Code];

/** The codes an error may carry: errors, usage errors, and warnings (an error under --strict). */
export type ErrorCode = CodeOf<"error" | "usage error" | "warning">;

/**
 * Exit codes, shared by `cnncalc`, `cnncalc check` and `cnncalc convert`: 0 success; 1 a bad
 * spec, a warning under --strict or (check) an answer not right or a line not read; 2 bad usage
 * (options, a file that cannot be read or written); 3 an internal error (a bug).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, internal: 3 } as const;

/** The two kinds of failure the CLI maps to exit codes: a bad spec (1) and bad usage (2). */
export type ErrorKind = "spec" | "usage";

/** The exit code of each kind of failure. */
export const EXIT_OF: Readonly<Record<ErrorKind, number>> = {
  spec: EXIT.failed,
  usage: EXIT.usage,
};

/** Whether a string is a listed code. */
export function isCode(code: string): code is Code {
  return Object.hasOwn(CODES, code);
}

/** The kind of failure an error with this code is: usage for a usage error, else spec. */
export function errorKind(code: string): ErrorKind {
  return isCode(code) && (CODES[code] as readonly CodeKind[]).includes("usage error")
    ? "usage"
    : "spec";
}
