import type { InitScheme } from "../core/init.js";
import { type InitAnalysis, initAnalysis, SCHEME_RULES } from "../core/init.js";
import type { Dtype } from "../core/memory.js";
import type { Analysis } from "../core/types.js";
import { type ColumnName, summedColumns } from "../format/columns.js";
import { type CsvPart, renderCsv } from "../format/csv.js";
import {
  explainLayer,
  renderExplainMarkdown,
  renderExplainText,
  workingRecord,
} from "../format/explain.js";
import { initLayerJson, renderInitMarkdown, renderInitTable, schemeName } from "../format/init.js";
import { analysisJson, analysisJsonOutput, type JsonOptions } from "../format/json.js";
import { jsonText } from "../format/jsonText.js";
import { renderLatex } from "../format/latex.js";
import { renderMarkdown } from "../format/markdown.js";
import type { Style } from "../format/style.js";
import { renderTable } from "../format/table.js";
import { wrapText } from "../format/width.js";
import type { Output } from "./io.js";
import type { OutputFormat } from "./options.js";

/** The main command's flags that shape its output. */
export interface RenderFlags {
  depth?: number;
  summary?: boolean;
  dtype: Dtype;
  explain?: boolean;
  init?: InitScheme;
}

/** JSON options with the per-layer extras the flags ask for (`working`, `init`). */
function jsonOptions(flags: RenderFlags, init: InitAnalysis | undefined): JsonOptions {
  if (flags.explain !== true && init === undefined) return { dtype: flags.dtype };
  const byResult = new Map(init?.layers.map((l) => [l.result, l]));
  return {
    dtype: flags.dtype,
    extra: (r) => {
      const out: Record<string, unknown> = {};
      if (flags.explain) out.working = workingRecord(explainLayer(r));
      const l = byResult.get(r);
      if (l) out.init = initLayerJson(l);
      return out;
    },
  };
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** The analysis as JSON, with the initialization summary when asked for. */
export function jsonOf(a: Analysis, flags: RenderFlags): Record<string, unknown> {
  const init = flags.init ? initAnalysis(a, flags.init) : undefined;
  const out = analysisJson(a, jsonOptions(flags, init));
  if (init) {
    out.init = {
      scheme: schemeName(init.scheme),
      rule: SCHEME_RULES[init.scheme.kind],
      // beyond float64's range the product has only its log10
      inputProduct: init.layers[0] ? finiteOrNull(10 ** init.layers[0].productLog10) : null,
      inputProductLog10: init.layers[0]?.productLog10 ?? null,
      notes: init.notes,
    };
  }
  return out;
}

/**
 * An analysis in an output format, as the flags ask. SVG's renderer (and the layout library it
 * loads) is imported only when asked for, to keep the CLI's start-up small.
 */
export async function render(
  a: Analysis,
  format: OutputFormat,
  flags: RenderFlags,
  columns: readonly ColumnName[],
  style: Style,
  csvPart: CsvPart,
  width: number | undefined,
): Promise<Output> {
  const explain = flags.explain === true;
  const init = flags.init ? initAnalysis(a, flags.init) : undefined;
  // --summary: the report formats show the totals and notes without per-layer rows (JSON, data
  // for scripts, always carries every layer)
  const shown: Analysis = flags.summary ? { ...a, layers: [] } : a;
  // and of the columns, those with a total (CSV, for scripts, keeps its header)
  const reportColumns = flags.summary ? summedColumns(columns) : columns;
  switch (format) {
    case "table": {
      const table = `${renderTable(a, {
        columns,
        style,
        dtype: flags.dtype,
        ...(flags.depth === undefined ? {} : { depth: flags.depth }),
        summary: flags.summary === true,
        ...(width === undefined ? {} : { width }),
      })}\n`;
      const initText = init ? `\n${renderInitTable(init, style)}` : "";
      // the working is lines of prose and formulas: they wrap to a terminal's width
      const working = explain ? renderExplainText(a, style, flags.depth) : "";
      const fitted = width === undefined ? working : wrapText(working, width);
      return `${table}${initText}${explain ? `\n${fitted}` : ""}`;
    }
    case "csv":
      return renderCsv(shown, columns, flags.dtype, flags.depth, csvPart);
    case "markdown": {
      const md = renderMarkdown(shown, reportColumns, flags.dtype, flags.depth);
      const initText = init ? `\n${renderInitMarkdown(init)}` : "";
      return `${md}${initText}${explain ? `\n${renderExplainMarkdown(a, flags.depth)}` : ""}`;
    }
    case "latex":
      return renderLatex(shown, {
        columns: reportColumns,
        dtype: flags.dtype,
        ...(flags.depth === undefined ? {} : { depth: flags.depth }),
        explain,
        ...(init ? { init } : {}),
      });
    case "json":
      // --init adds a top-level key, so that output is built whole; otherwise the streaming
      // writer keeps huge analyses linear
      return flags.init
        ? `${jsonText(jsonOf(a, flags))}\n`
        : analysisJsonOutput(a, jsonOptions(flags, undefined), "\n");
    case "svg": {
      const { renderSvg } = await import("../format/svg.js");
      return renderSvg(a, flags.depth === undefined ? {} : { depth: flags.depth });
    }
    default: {
      const never: never = format;
      return never;
    }
  }
}
