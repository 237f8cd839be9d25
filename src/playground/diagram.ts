import { analyzeSource } from "../analyze-source.js";
import { CnnError } from "../core/errors.js";
import { renderSvg } from "../format/svg.js";

/*
 * The diagram of a spec text: the page's slow part (dagre's layout takes about a second for
 * ResNet-50), made in a worker (diagram-worker.ts) so typing never waits on it.
 */

/** A request for the diagram of a spec text, `depth` as --depth; `id` names the answer. */
export interface DiagramRequest {
  id: number;
  text: string;
  depth?: number;
}

/** The diagram's SVG, or why there is none (a spec that does not read, a network too large). */
export type DiagramReply = { id: number; svg: string } | { id: number; message: string };

/** Reads, analyses and draws a spec text, as `cnncalc --format svg` does. */
export function drawDiagram(request: DiagramRequest): DiagramReply {
  const { id } = request;
  const r = analyzeSource(request.text);
  if (!r.ok) return { id, message: r.error.message };
  try {
    return {
      id,
      svg: renderSvg(r.analysis, request.depth === undefined ? {} : { depth: request.depth }),
    };
  } catch (e) {
    if (e instanceof CnnError) return { id, message: e.message };
    throw e;
  }
}
