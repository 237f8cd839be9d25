import { PLAIN, type Style } from "../format/style.js";

/**
 * Whether to colour a stream: --color/--no-color win, then FORCE_COLOR (0 or false: off), then
 * NO_COLOR (any value: off), then whether the stream is a terminal (and TERM is not dumb).
 */
export function wantColor(
  flag: boolean | undefined,
  env: Readonly<Record<string, string | undefined>>,
  isTty: boolean,
): boolean {
  if (flag !== undefined) return flag;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !(force === "0" || force.toLowerCase() === "false");
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return isTty && env.TERM !== "dumb";
}

/**
 * A style with colour, or the plain one. chalk is loaded only when colour is wanted: its colour
 * detection loads node:tty and node:os at import, start-up time that piped runs never need.
 */
export async function makeStyle(color: boolean): Promise<Style> {
  if (!color) return PLAIN;
  const { Chalk } = await import("chalk");
  const c = new Chalk({ level: 1 });
  return { bold: c.bold, dim: c.dim, warn: c.yellow, error: c.red, good: c.green };
}
