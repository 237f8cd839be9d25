/**
 * cnncalc as a library: parse a spec, analyse it, render the results.
 * @example
 *   import { analyze, parseJsonSpec } from "cnncalc";
 *   const { spec } = parseJsonSpec(text);
 *   const a = analyze(spec); // a.totals.parameters === 680770n for the DQN
 *   // or the whole pipeline on a file's text, as the CLI runs it:
 *   const r = analyzeSource(text, { file: "dqn.json" }); // r.ok ? r.analysis : r.error
 *   // an ONNX model: its bytes
 *   const m = analyzeSource(readFileSync("resnet18.onnx"), { file: "resnet18.onnx" });
 */

import { useOnnxReader } from "./parse/index.js";
import { parseOnnx } from "./parse/onnx.js";

// the library reads ONNX synchronously: its reader is there from the start (the CLI loads it
// only for an ONNX file)
useOnnxReader(parseOnnx);

export {
  analyzeSource,
  readSource,
  type SourceAnalysis,
  type SourceFailure,
  type SourceOptions,
  type SourceRead,
  sourceFormat,
} from "./analyze-source.js";
export { type AnalyzeOptions, analyze } from "./core/analyze.js";
export {
  type Answer,
  type AnswerProblem,
  type AnswerSheet,
  type Graded,
  gradeAnswers,
  score,
} from "./core/check.js";
export {
  CODES,
  type Code,
  type CodeKind,
  type ErrorCode,
  type ErrorKind,
  EXIT,
  EXIT_OF,
} from "./core/codes.js";
export { CnnError, type Diagnostic, type Span } from "./core/errors.js";
export {
  effectiveKernel,
  samePadding,
  transposedOutputLength,
  windowOutputLength,
} from "./core/formulas.js";
export { type InitAnalysis, type InitScheme, initAnalysis } from "./core/init.js";
export { DTYPE_BYTES, type Dtype, memory } from "./core/memory.js";
export type * from "./core/types.js";
export { COLUMNS, DEFAULT_COLUMNS } from "./format/columns.js";
export { renderCsv } from "./format/csv.js";
export { formatDiagnostic } from "./format/diagnostic.js";
export { explainLayer, type LayerWorking, workingRecord } from "./format/explain.js";
export { analysisJson } from "./format/json.js";
export { escapeLatex, renderLatex } from "./format/latex.js";
export { renderMarkdown } from "./format/markdown.js";
export { specToJson } from "./format/spec-json.js";
export { PLAIN } from "./format/style.js";
export { renderTable } from "./format/table.js";
export { specToText } from "./format/text.js";
export { parseAnswers, readAnswers } from "./parse/answers.js";
export { detectFormat, parseSource } from "./parse/index.js";
export { parseProse } from "./parse/prose.js";
export { jsonSchema } from "./parse/schema.js";
export { parseJsonSpec, validateSpec } from "./parse/spec.js";
export { parseTextSpec } from "./parse/text.js";
