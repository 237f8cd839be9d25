/*
 * The examples/ specs, embedded by scripts/build.mjs (it reads the directory: nothing is listed
 * by hand here). An answers file `<base>.answers.<ext>` goes with the specs named `<base>.<ext>`.
 */

/** One example: its file name, its text, and its answers file's text if it has one. */
export interface Preset {
  file: string;
  text: string;
  answers?: string;
}

declare const __CNNCALC_PRESETS__: readonly Preset[];

/** The presets, in file name order. */
export const PRESETS: readonly Preset[] = __CNNCALC_PRESETS__;
