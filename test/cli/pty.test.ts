/*
 * The built CLI in a real pseudo-terminal (util-linux `script`): what a user sees in a narrow
 * terminal. `npm test` builds dist/ first; run alone, this builds it only when it is missing.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ANSI, displayWidth } from "../../src/format/width.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const SCRIPT = "/usr/bin/script";

/** Runs a shell command, returning its standard output. */
function sh(command: string, env: Record<string, string>): Promise<string> {
  // inherited colour settings would change what is tested
  const { NO_COLOR: _no, FORCE_COLOR: _force, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", command], { cwd: ROOT, env: { ...inherited, ...env } });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}`)),
    );
  });
}

/** Lines as the terminal shows them: the pty's CR LF as LF, colour codes left out. */
const shown = (text: string) => text.replace(ANSI, "").replaceAll("\r\n", "\n").split("\n");

beforeAll(async () => {
  if (!existsSync(join(ROOT, "dist", "cli.cjs"))) {
    await sh(`"${process.execPath}" scripts/build.mjs`, {});
  }
});

describe.skipIf(!existsSync(SCRIPT))("the built CLI in a pseudo-terminal", () => {
  const env = { COLUMNS: "60" };

  it("COLUMNS=60: no line wider than 60 columns, two columns hidden and said so", async () => {
    const out = await sh(`${SCRIPT} -qc "node bin/cnncalc.js examples/dqn.json" /dev/null`, env);
    const lines = shown(out);
    expect(Math.max(...lines.map(displayWidth))).toBeLessThanOrEqual(60);
    expect(lines).toContain("│ 3 │ dense1 │ dense re… │      256 │     256 │    663,808 │");
    expect(lines).toContain("note: 2 columns hidden to fit 60 columns (connections,");
    // a terminal gets colour: the pty really is one
    expect(out).toMatch(ANSI);
  });

  it("--help at 60 columns fits", async () => {
    const out = await sh(`${SCRIPT} -qc "node bin/cnncalc.js --help" /dev/null`, env);
    expect(Math.max(...shown(out).map(displayWidth))).toBeLessThanOrEqual(60);
    expect(shown(out)).toContain("  $ cnncalc examples/dqn.json");
  });

  it("piped, even with COLUMNS=60, the table is byte for byte the golden one", async () => {
    const out = await sh("node bin/cnncalc.js examples/dqn.json | cat", env);
    expect(out).toBe(readFileSync(join(ROOT, "test/golden/dqn.table.txt"), "utf8"));
  });
});
