import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/core/analyze.js";
import { CnnError } from "../../src/core/errors.js";
import type { LayerSpec } from "../../src/core/types.js";
import { explainLayer } from "../../src/format/explain.js";

/** Evaluates one side of a working line: `1 + ⌊(85−8)/4⌋`, `20×20×16×257`, `1,644,800`. */
function evaluate(expr: string): number {
  const js = expr
    .replaceAll("−", "-")
    .replaceAll("×", "*")
    .replaceAll("⌊", "Math.floor(")
    .replaceAll("⌈", "Math.ceil(")
    .replace(/[⌋⌉]/g, ")")
    .replace(/(\d),(?=\d{3})/g, "$1");
  return Function(`"use strict"; return (${js});`)() as number;
}

/**
 * The numeric sides of each clause of `symbolic = values = ... = result (note)`; clauses are
 * separated by `; ` and may start with words and a colon. Each clause's sides must be equal.
 */
function clauses(text: string): number[][] {
  const body = text.replace(/ \([a-z"].*$/, "");
  return body.split("; ").map((clause) =>
    clause
      .replace(/^[a-z][^:]*: /, "")
      .split(" = ")
      .filter((s) => !/[A-Za-z]/.test(s))
      .map(evaluate),
  );
}

const layer = fc.record({
  type: fc.constantFrom("conv" as const, "maxpool" as const, "avgpool" as const),
  kernel: fc.integer({ min: 1, max: 7 }),
  stride: fc.integer({ min: 1, max: 4 }),
  padding: fc.oneof(
    fc.integer({ min: 0, max: 3 }),
    fc.constantFrom("same" as const, "valid" as const),
  ),
  dilation: fc.integer({ min: 1, max: 3 }),
  ceil: fc.boolean(),
  filters: fc.integer({ min: 1, max: 64 }),
  depthwise: fc.boolean(),
  bias: fc.boolean(),
});

describe("working arithmetic (property)", () => {
  it("every substituted expression evaluates to the result the core computed", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: 90 }),
        fc.integer({ min: 4, max: 90 }),
        fc.integer({ min: 1, max: 16 }),
        layer,
        (h, w, c, l) => {
          const spec: LayerSpec =
            l.type === "conv"
              ? {
                  type: "conv",
                  filters: l.depthwise ? c : l.filters,
                  kernel: l.kernel,
                  stride: l.stride,
                  padding: l.padding,
                  dilation: l.dilation,
                  groups: l.depthwise ? c : 1,
                  bias: l.bias,
                }
              : {
                  type: l.type,
                  kernel: l.kernel,
                  stride: l.stride,
                  ...(l.ceil && l.padding !== "same" ? { ceil: true } : { padding: l.padding }),
                };
          let a: ReturnType<typeof analyze>;
          try {
            a = analyze({ input: [h, w, c], layers: [spec] });
          } catch (e) {
            if (e instanceof CnnError) return; // geometry the core rejects has no working
            throw e;
          }
          const r = a.layers[0];
          if (!r) throw new Error("no result");
          const expected: Record<string, number> = {
            height: r.outputShape.dims[0] as number,
            width: r.outputShape.dims[1] as number,
            neurons: Number(r.neurons),
            connections: Number(r.connections),
            parameters: Number(r.trainableParameters + r.nonTrainableParameters),
          };
          if (r.weightsPerNeuron !== null) expected.weightsPerNeuron = Number(r.weightsPerNeuron);
          for (const line of explainLayer(r).lines) {
            const want = expected[line.key];
            if (want === undefined) continue;
            const parts = clauses(line.text).filter((c) => c.length > 0);
            for (const c of parts) {
              for (const v of c) expect(v, `${line.key}: ${line.text}`).toBe(c[0]);
            }
            const last = parts[parts.length - 1];
            if (last) expect(last[last.length - 1], `${line.key}: ${line.text}`).toBe(want);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
