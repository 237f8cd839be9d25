/** Text emphasis used by renderers; the plain style adds no escape codes at all. */
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  warn(s: string): string;
  error(s: string): string;
  good(s: string): string;
}

const id = (s: string) => s;

/** No emphasis: for pipes, files, NO_COLOR and tests. */
export const PLAIN: Style = { bold: id, dim: id, warn: id, error: id, good: id };
