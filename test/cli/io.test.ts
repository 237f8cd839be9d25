/*
 * Limits and output safety with the real file system and real processes: size and depth limits,
 * atomic -o, EPIPE into a closed pipe, and one-line usage errors for missing files, directories
 * and unknown formats.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import {
  chmod,
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  truncate,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  decodeUtf8,
  type Io,
  outputText,
  readInput,
  readText,
  writeFileAtomic,
} from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "cnncalc.js");
const DQN = join(ROOT, "examples", "dqn.json");
let dir = "";

/** The real Io (real files), with stdout and stderr captured. */
function realIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    stdout: (t) => {
      out.push(outputText(t));
    },
    stderr: (t) => {
      err.push(t);
    },
    readText,
    readInput,
    writeFileAtomic,
    env: {},
    stdoutIsTty: false,
    stderrIsTty: false,
  };
  return { io, stdout: () => out.join(""), stderr: () => err.join("") };
}

async function cli(args: string[]) {
  const { io, stdout, stderr } = realIo();
  const code = await main(args, io);
  return { code, stdout: stdout(), stderr: stderr() };
}

/** Runs the built CLI as a real process; `input` goes to its stdin. */
function spawnCli(
  args: string[],
  options: { input?: Buffer; closeAfterFirstChunk?: boolean } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      // like `| head`: take a little, then close the pipe while cnncalc is still writing
      if (options.closeAfterFirstChunk) child.stdout.destroy();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    // cnncalc may stop reading early (size limit): the rest of our write then fails, as expected
    child.stdin.on("error", () => {});
    if (options.input) child.stdin.end(options.input);
    else child.stdin.end();
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cnncalc-io-"));
  if (!existsSync(join(ROOT, "dist", "cli.cjs"))) {
    await new Promise<void>((resolve, reject) => {
      spawn(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT })
        .on("close", (c) => (c === 0 ? resolve() : reject(new Error(`build exited ${c}`))))
        .on("error", reject);
    });
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("text that is not UTF-8", () => {
  const where = (bytes: number[] | Uint8Array) => {
    try {
      decodeUtf8(Uint8Array.from(bytes), "'f'");
    } catch (e) {
      return /on line (\d+), at byte offset (\d+)/
        .exec((e as Error).message)
        ?.slice(1)
        .map(Number);
    }
    return undefined;
  };
  const utf8 = (s: string) => [...new TextEncoder().encode(s)];

  it("names the line and the offset of the first bad byte", () => {
    expect(where([...utf8("input 8x8x3\n# caf"), 0xe9, 0x0a])).toEqual([2, 17]);
    expect(where([0x7b, 0xff, 0xfe, 0x7d])).toEqual([1, 1]);
    // a BOM, a real U+FFFD and a multi-byte character before the bad byte all count
    expect(where([...utf8("\uFEFF\uFFFD é\n\n"), 0xc3])).toEqual([3, 11]);
    // far past the first 64 KiB, and a sequence cut off at the end
    const long = [...utf8("x".repeat(200_000)), 0xe2, 0x82];
    expect(where(long)).toEqual([1, 200_000]);
    expect(where(utf8("fine ✓\n"))).toBeUndefined();
  });
});

describe("size and depth limits", () => {
  it("refuses a 50 MB file from its size alone, without reading it", async () => {
    const big = join(dir, "big.json");
    await writeFile(big, "");
    await truncate(big, 50 * 1024 * 1024); // sparse: 50 MB long, nothing stored
    const before = process.memoryUsage().arrayBuffers;
    const started = Date.now();
    const r = await cli([big]);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `${big}: error: '${big}' is 52428800 bytes, more than the limit of 16777216; expected a smaller spec (raise the limit with --max-size)\n`,
    );
  });

  it.skipIf(!existsSync("/dev/zero"))("reads an endless device only up to the limit", async () => {
    const started = Date.now();
    const r = await cli(["/dev/zero", "--max-size", "1000000"]);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "/dev/zero: error: '/dev/zero' is larger than 1000000 bytes; expected a smaller spec (raise the limit with --max-size)\n",
    );
  });

  it("--max-size lowers and raises the limit", async () => {
    const low = await cli([DQN, "--max-size", "100"]);
    expect(low.code).toBe(2);
    expect(low.stderr).toMatch(/is \d+ bytes, more than the limit of 100;/);
    const ok = await cli([DQN, "--max-size", "1000000", "--json"]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).totals.parameters).toBe(680770);
  });

  it("--max-depth limits JSON nesting, with the place and the flag to raise it", async () => {
    const deep = join(dir, "deep.json");
    await writeFile(deep, `{"name": ${"[".repeat(50)}${"]".repeat(50)}, "layers": []}`);
    const r = await cli([deep, "--max-depth", "20"]);
    expect(r.code).toBe(1);
    expect(r.stderr.split("\n")[0]).toBe(
      `${deep}:1:29: error: the JSON nests deeper than 20 levels; expected at most 20 (raise it with --max-depth)`,
    );
    const raised = await cli([deep, "--max-depth", "100"]);
    expect(raised.code).toBe(1);
    expect(raised.stderr).toContain("error: name: expected a string; received [[[[");
  });

  it("stops reading standard input at the limit (a real process fed 50 MB)", async () => {
    const started = Date.now();
    const r = await spawnCli(["-"], { input: Buffer.alloc(50 * 1024 * 1024, 0x20) });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "<stdin>: error: standard input is larger than 16777216 bytes; expected a smaller spec (raise the limit with --max-size)\n",
    );
  });
});

describe("usage errors are one line, exit 2", () => {
  it("a missing file", async () => {
    const r = await cli([join(dir, "nope.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `${join(dir, "nope.json")}: error: cannot read '${join(dir, "nope.json")}': no such file\n`,
    );
  });

  it.skipIf(process.getuid?.() === 0)("an unreadable file (not testable as root)", async () => {
    const locked = join(dir, "locked.json");
    await writeFile(locked, "{}");
    await chmod(locked, 0o000);
    const r = await cli([locked]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${locked}: error: cannot read '${locked}': permission denied\n`);
  });

  it("a directory", async () => {
    const r = await cli([dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${dir}: error: '${dir}' is a directory; expected a spec file\n`);
  });

  it("an unknown --format", async () => {
    const r = await cli([DQN, "--format", "xml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "error: option '-f, --format <format>' argument 'xml' is invalid. Allowed choices are table, json, csv, markdown, latex, svg.\n",
    );
  });
});

describe("-o writes atomically", () => {
  it("a failed run leaves the old file as it was, and no temporary file", async () => {
    const out = join(dir, "out", "result.json");
    await mkdir(join(dir, "out"), { recursive: true });
    await writeFile(out, "old content\n");
    const bad = join(dir, "bad.json");
    await writeFile(bad, '{"input": [84, 84, 4], "layers": [{"type": "conv", "kernel": 100}]}');
    const r = await cli([bad, "-o", out, "--json"]);
    expect(r.code).toBe(1);
    expect(await readFile(out, "utf8")).toBe("old content\n");
    expect(await readdir(join(dir, "out"))).toEqual(["result.json"]);
  });

  it("a successful run replaces the file whole, and leaves no temporary file", async () => {
    const out = join(dir, "out", "result.json");
    const r = await cli([DQN, "-o", out, "--json"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(JSON.parse(await readFile(out, "utf8")).totals.parameters).toBe(680770);
    expect(await readdir(join(dir, "out"))).toEqual(["result.json"]);
  });

  it("a big JSON output, written in pieces, arrives whole in the file and on stdout", async () => {
    // 5,000 layers: past the pretty layout, so the output is a list of ~1 MB strings
    const layers = Array.from({ length: 5_000 }, (_, i) =>
      i % 2 === 0 ? { type: "conv", filters: 4, kernel: 3, padding: 1 } : { type: "batchnorm" },
    );
    const spec = join(dir, "big.json");
    await writeFile(spec, JSON.stringify({ input: [32, 32, 4], layers }));
    const out = join(dir, "out", "big-result.json");
    expect((await cli([spec, "-o", out, "--json"])).code).toBe(0);
    const written = await readFile(out, "utf8");
    const printed = await spawnCli([spec, "--json"]);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toBe(written);
    expect(written.length).toBeGreaterThan(1 << 20);
    expect(written.endsWith("\n}\n")).toBe(true);
    const json = JSON.parse(written);
    expect(json.layers).toHaveLength(5_000);
    expect(json.totals.parameters).toBe(2_500 * (4 * (9 * 4 + 1)) + 2_500 * 16);
  });

  it("an unwritable destination is a one-line usage error and leaves nothing behind", async () => {
    const out = join(dir, "no-such-dir", "result.json");
    const r = await cli([DQN, "-o", out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toBe(
      `error: cannot write '${out}': no such directory '${join(dir, "no-such-dir")}'\n`,
    );
    expect(existsSync(join(dir, "no-such-dir"))).toBe(false);
  });
});

describe("real processes", () => {
  it("piping into a reader that closes early (head) exits 0 with no error text", async () => {
    const layers = Array.from({ length: 20_000 }, () => ({ type: "dropout" }));
    const spec = join(dir, "long.json");
    await writeFile(spec, JSON.stringify({ input: [8, 8, 2], layers }));
    const r = await spawnCli([spec, "--json"], { closeAfterFirstChunk: true });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("a bad spec prints one message and no stack trace, even with --debug", async () => {
    const bad = join(dir, "bad.json");
    for (const args of [[bad], [bad, "--debug"]]) {
      const r = await spawnCli(args);
      expect(r.code).toBe(1);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.stderr.split("\n")[0]).toBe(
        `${bad}:1:35: error: layers[0].filters: missing 'filters'; expected a positive integer`,
      );
    }
  });

  it("garbage bytes on standard input are a spec error naming the byte", async () => {
    const r = await spawnCli(["-"], { input: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "<stdin>: error: standard input is not UTF-8 text (an invalid byte sequence on line 1, at byte offset 1); expected a JSON or text spec\n",
    );
  });

  it("runs with the code cache missing, corrupt or present, and (re)writes it", async () => {
    const copy = join(dir, "pkg");
    await mkdir(join(copy, "bin"), { recursive: true });
    await mkdir(join(copy, "dist"), { recursive: true });
    await writeFile(join(copy, "package.json"), '{"type": "module"}');
    await copyFile(BIN, join(copy, "bin", "cnncalc.js"));
    await copyFile(join(ROOT, "bin", "package.json"), join(copy, "bin", "package.json"));
    await copyFile(join(ROOT, "dist", "cli.cjs"), join(copy, "dist", "cli.cjs"));
    const cache = join(copy, "dist", "cli.cjs.cache");
    const run = () =>
      new Promise<{ code: number | null; out: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [join(copy, "bin", "cnncalc.js"), DQN, "--json"]);
        let out = "";
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
        });
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, out }));
      });
    for (const state of ["missing", "present", "corrupt"]) {
      if (state === "corrupt") await writeFile(cache, "not a code cache");
      const r = await run();
      expect(r.code).toBe(0);
      expect(JSON.parse(r.out).totals.parameters).toBe(680770);
      // a usable cache is there afterwards (V8's cache is far longer than the junk written above)
      expect((await readFile(cache)).length).toBeGreaterThan(10_000);
    }
  });
});
