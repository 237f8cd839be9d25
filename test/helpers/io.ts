import type { Io } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { CnnError } from "../../src/core/errors.js";

/** An in-memory Io: files from a map, `-` from `stdin`, output collected. */
export function fakeIo(files: Record<string, string> = {}, stdin?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const written: Record<string, string> = {};
  const io: Io = {
    stdout: (t) => {
      out.push(t);
    },
    stderr: (t) => {
      err.push(t);
    },
    async readText(path) {
      const text = path === "-" ? stdin : files[path];
      if (text === undefined) {
        throw new CnnError(
          { code: "unreadable-file", message: `cannot read '${path}': no such file` },
          "usage",
        );
      }
      return text;
    },
    async writeFileAtomic(path, text) {
      written[path] = text;
    },
    env: {},
    stdoutIsTty: false,
    stderrIsTty: false,
  };
  return {
    io,
    written,
    get stdout() {
      return out.join("");
    },
    get stderr() {
      return err.join("");
    },
  };
}

/** Runs the CLI in memory. */
export async function run(args: string[], files: Record<string, string> = {}, stdin?: string) {
  const f = fakeIo(files, stdin);
  const code = await main(args, f.io);
  return { code, stdout: f.stdout, stderr: f.stderr, written: f.written };
}
