/*
 * Damaged ONNX files: bytes of the fixtures changed at random are read to an analysis or to an
 * error with a code, never a crash (analyzeSource throws only on a bug).
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CnnError } from "../../src/core/errors.js";
import { analyzeSource } from "../../src/index.js";
import { skimModel } from "../../src/parse/onnx/skim.js";
import { byTier } from "../helpers/tier.js";

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/onnx/${name}`, import.meta.url)));
const FILES = ["small-cnn.onnx", "branches.onnx", "ops.onnx", "tiny-resnet-weights.onnx"].map(
  (name) => ({ name, bytes: fixture(name) }),
);

describe("damaged ONNX files", () => {
  it("give an analysis or a coded error", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FILES),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.option(fc.nat(), { nil: undefined }),
        ({ name, bytes }, edits, cut) => {
          const b = bytes.slice(0, cut === undefined ? bytes.length : cut % bytes.length);
          for (const [at, v] of edits) if (b.length > 0) b[at % b.length] = v;
          const r = analyzeSource(b, { file: name, from: "onnx" });
          if (!r.ok) expect(r.error.diagnostic.code).toMatch(/^[a-z0-9-]+$/);
        },
      ),
      { numRuns: byTier(150, 3000), seed: 13 },
    );
  });
  it("are skimmed to a model, refused with a coded error, or left to be read whole", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FILES),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 8 }),
        ({ bytes }, edits) => {
          const b = bytes.slice();
          for (const [at, v] of edits) b[at % b.length] = v;
          try {
            const out = skimModel((p, n) => b.slice(p, p + n), b.length);
            expect(out === undefined || out instanceof Uint8Array).toBe(true);
          } catch (e) {
            expect(e).toBeInstanceOf(CnnError);
          }
        },
      ),
      { numRuns: byTier(150, 3000), seed: 13 },
    );
  });
});
