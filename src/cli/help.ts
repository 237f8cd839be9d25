import { type Command, Help } from "commander";
import { displayWidth, wrapLine } from "../format/width.js";

/** Below this many columns for an option's description, it goes on a line of its own. */
const NARROW_DESCRIPTION = 30;

/**
 * Help text cnncalc adds after commander's (examples, file formats) fitted to `width`: an example
 * line `  $ command    what it does` too wide keeps the command on its line and puts the
 * description under it; other lines wrap at spaces. Without a width (a pipe) the text is as
 * written.
 */
export function fitHelpText(text: string, width: number | undefined): string {
  if (width === undefined) return text;
  const out: string[] = [];
  // a paragraph of prose (unindented lines, the next going on where one ended without a full
  // stop or colon) is joined before wrapping, so its lines do not break twice
  let prose: string[] = [];
  const endProse = () => {
    if (prose.length === 0) return;
    if (prose.some((l) => displayWidth(l) > width))
      out.push(...wrapLine(prose.join(" "), width, ""));
    else out.push(...prose);
    prose = [];
  };
  for (const line of text.split("\n")) {
    if (/^\S/.test(line)) {
      const last = prose.at(-1);
      if (last !== undefined && /[.:]$/.test(last)) endProse();
      prose.push(line);
      continue;
    }
    endProse();
    if (displayWidth(line) <= width) {
      out.push(line);
      continue;
    }
    const example = /^(\s*\$ .+?)\s{2,}(\S.*)$/.exec(line);
    if (example === null) {
      out.push(...wrapLine(line, width));
      continue;
    }
    const [, command = "", about = ""] = example;
    const lead = /^ */.exec(command)?.[0] ?? "";
    out.push(...wrapLine(command, width), ...wrapLine(`${lead}    ${about}`, width));
  }
  endProse();
  return out.join("\n");
}

/**
 * Makes a command's help (and its subcommands', which copy the settings when made after this)
 * fit `width` columns: commander wraps descriptions at the width, and where the column left for
 * them is too narrow to read, each description goes under its option instead of beside it.
 */
export function fitHelp(cmd: Command, width: number | undefined): void {
  if (width === undefined) return;
  cmd.configureHelp({
    helpWidth: width,
    minWidthToWrap: NARROW_DESCRIPTION,
    // what commander does not wrap (the usage line, a word longer than a line) wraps here
    formatHelp(command, helper) {
      const text = Help.prototype.formatHelp.call(this, command, helper);
      return text
        .split("\n")
        .flatMap((l) => wrapLine(l, width))
        .join("\n");
    },
    formatItem(term, termWidth, description, helper) {
      if (description === "" || width - termWidth - 4 >= NARROW_DESCRIPTION) {
        return Help.prototype.formatItem.call(this, term, termWidth, description, helper);
      }
      const under = helper.boxWrap(description, Math.max(width - 6, 1));
      return `  ${term}\n${under
        .split("\n")
        .map((l) => `      ${l}`)
        .join("\n")}`;
    },
  });
}
