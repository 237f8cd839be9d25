import { type DiagramRequest, drawDiagram } from "./diagram.js";

/*
 * The worker that draws diagrams for the page. scripts/build.mjs bundles it into a string that
 * the page starts as a blob: worker (a worker's own file cannot be loaded from file://).
 */

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<DiagramRequest>) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = (e) => scope.postMessage(drawDiagram(e.data));
