import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/core/analyze.js";
import { CnnError } from "../../src/core/errors.js";
import { elementCount } from "../../src/core/shape.js";
import type { LayerSpec } from "../../src/core/types.js";

const spatial = fc.oneof(
  fc.record({
    type: fc.constant("conv" as const),
    filters: fc.integer({ min: 1, max: 64 }),
    kernel: fc.integer({ min: 1, max: 5 }),
    stride: fc.integer({ min: 1, max: 3 }),
    padding: fc.oneof(
      fc.integer({ min: 0, max: 2 }),
      fc.constantFrom("same" as const, "valid" as const),
    ),
    dilation: fc.integer({ min: 1, max: 2 }),
    bias: fc.boolean(),
  }),
  fc.record({
    type: fc.constantFrom("maxpool" as const, "avgpool" as const),
    kernel: fc.integer({ min: 1, max: 3 }),
    ceil: fc.boolean(),
  }),
  fc.record({ type: fc.constant("batchnorm" as const) }),
  fc.record({
    type: fc.constant("activation" as const),
    function: fc.constantFrom("relu" as const, "tanh" as const),
  }),
  fc.record({
    type: fc.constant("dropout" as const),
    rate: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
);
const head = fc.array(
  fc.record({
    type: fc.constant("dense" as const),
    units: fc.integer({ min: 1, max: 4096 }),
    bias: fc.boolean(),
  }),
  { maxLength: 3 },
);

const network = fc.record({
  input: fc.tuple(
    fc.integer({ min: 8, max: 96 }),
    fc.integer({ min: 8, max: 96 }),
    fc.integer({ min: 1, max: 16 }),
  ),
  body: fc.array(spatial, { minLength: 1, maxLength: 8 }),
  head,
});

describe("invariants over random networks", () => {
  it("totals equal the sum of the rows; per-layer counts follow their formulas", () => {
    fc.assert(
      fc.property(network, ({ input, body, head }) => {
        const layers = [...body, ...head] as LayerSpec[];
        let a: ReturnType<typeof analyze>;
        try {
          a = analyze({ input: [...input], layers });
        } catch (e) {
          // geometry that does not fit is a clean error, never anything else
          expect(e).toBeInstanceOf(CnnError);
          return;
        }
        const sum = (
          k: "neurons" | "connections" | "trainableParameters" | "nonTrainableParameters" | "macs",
        ) => a.layers.reduce((s, r) => s + r[k], 0n);
        expect(a.totals.neurons).toBe(sum("neurons"));
        expect(a.totals.connections).toBe(sum("connections"));
        expect(a.totals.trainableParameters).toBe(sum("trainableParameters"));
        expect(a.totals.nonTrainableParameters).toBe(sum("nonTrainableParameters"));
        expect(a.totals.parameters).toBe(
          a.totals.trainableParameters + a.totals.nonTrainableParameters,
        );
        for (const r of a.layers) {
          expect(r.outputShape.dims.every((d) => Number.isSafeInteger(d) && d >= 1)).toBe(true);
          if (r.type === "conv" || r.type === "dense") {
            expect(r.neurons).toBe(elementCount(r.outputShape));
            expect(r.connections).toBe(r.neurons * (r.weightsPerNeuron ?? -1n));
          }
          if (r.type === "conv") {
            expect(r.trainableParameters).toBe(
              BigInt(r.outputShape.channels) * (r.weightsPerNeuron ?? -1n),
            );
          }
          if (r.type === "dense") expect(r.trainableParameters).toBe(r.connections);
          if (r.type === "maxpool" || r.type === "avgpool") {
            expect(r.neurons).toBe(elementCount(r.outputShape));
            expect(r.trainableParameters).toBe(0n);
          }
          if (["batchnorm", "activation", "dropout", "flatten"].includes(r.type)) {
            expect(r.neurons).toBe(0n);
            expect(r.connections).toBe(0n);
          }
        }
      }),
      { seed: 20261127, numRuns: 500 },
    );
  });
});
