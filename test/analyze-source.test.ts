import { describe, expect, it } from "vitest";
import { analyzeSource, readSource } from "../src/analyze-source.js";
import { cnnError } from "../src/core/errors.js";

const CNN = "input 8x9x3\nconv 4 3x3 stride 2\n";

describe("analyzeSource", () => {
  it("detects the format, analyses, and names an unnamed network after its file", () => {
    const r = analyzeSource(CNN, { file: "net.cnn" });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.format).toBe("text");
    expect(r.analysis.name).toBe("net.cnn");
    expect(r.analysis.warnings.map((w) => w.code)).toEqual(["uncovered-input"]);
    expect(analyzeSource(CNN).ok && analyzeSource(CNN)).toMatchObject({ analysis: { name: null } });
  });

  it("returns a failure with a located error, its text attached", () => {
    const text = "input 8x8x3\nconv 4 11x11\n";
    const r = analyzeSource(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.diagnostic.code).toBe("kernel-too-large");
    expect(r.error.kind).toBe("spec");
    expect(r.error.source).toBe(text);
    expect(r.error.diagnostic.span).toBeDefined();
    expect(r.parsed).toBeDefined();
  });

  it("makes the first warning the error under strict", () => {
    const r = analyzeSource(CNN, { strict: true });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.diagnostic.code).toBe("uncovered-input");
    expect(r.error.diagnostic.message).toMatch(/an error under --strict/);
  });

  it("gives no caret into the file to an error about --input", () => {
    const r = analyzeSource("input 8x8x3\nconv 4 3x3\n", { input: [8, 8, 3, 2, 2] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.diagnostic.path).toMatch(/^--input/);
    expect(r.error.diagnostic.span).toBeUndefined();
  });

  it("takes the format it is given, and reports an empty text", () => {
    expect(readSource("conv 4 3x3\n", { from: "prose" })).toMatchObject({ format: "prose" });
    const r = readSource("  \n", { file: "net.json" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.diagnostic.code).toBe("empty-input");
  });
});

describe("cnnError", () => {
  it("takes the kind from the table of codes, and the compiler refuses an unknown code", () => {
    expect(cnnError("too-large", "m").kind).toBe("usage");
    expect(cnnError("json-syntax", "m", { span: { start: 0, end: 1 } }).diagnostic).toEqual({
      code: "json-syntax",
      message: "m",
      span: { start: 0, end: 1 },
    });
    // @ts-expect-error: not a code in src/core/codes.ts
    expect(cnnError("no-such-code", "m").kind).toBe("spec");
    // @ts-expect-error: an assumption's code is not an error's
    cnnError("implied-flatten", "m");
  });
});
