/*
 * Property-based fuzzing of the whole CLI path in memory (main(args, fakeIo)): random valid
 * specs checked against an independent oracle, and broken specs, bytes and command lines checked
 * for clean exits. Seeded and reproducible: FUZZ_SEED=<n> replays a run, FUZZ_SCALE=<k> runs k
 * times as many cases (of the tier's count). A failure prints the seed and the shrunk counterexample.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  answersText,
  cliArgs,
  INPUT_GENERATORS,
  plainSpec,
  SPEC_WRITERS,
} from "../fuzz/generators.js";
import { type FileContent, problems, runCli } from "../fuzz/harness.js";
import { expectedRun } from "../fuzz/oracle.js";
import { readRepoFile } from "../helpers/io.js";
import { byTier } from "../helpers/tier.js";

const SEED = Number(process.env.FUZZ_SEED ?? 20261127);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const runs = (n: number) => Math.round(n * SCALE);

/** Cases per property: 1,500 in `npm test`, 10,000 in the full tier (`npm run test:full`, CI). */
const RUNS = byTier(
  { oracle: 600, inputs: 500, args: 300, answers: 100 },
  { oracle: 3000, inputs: 4500, args: 2000, answers: 500 },
);

const OK_SPEC = JSON.stringify({ input: [8, 8, 1], layers: [{ type: "dense", units: 2 }] });

function assertClean(
  r: Awaited<ReturnType<typeof runCli>>,
  args: string[],
  files: Record<string, FileContent>,
) {
  const found = problems(r, args, files);
  if (found.length > 0) {
    throw new Error(
      `${found.join("; ")}\nexit ${r.code}\nstdout: ${r.stdout.slice(0, 500)}\nstderr: ${r.stderr.slice(0, 800)}`,
    );
  }
}

/** A JSON count (number or decimal string) as an exact bigint. */
function exact(v: unknown): bigint {
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === "string" && /^\d+$/.test(v) && BigInt(v) > BigInt(Number.MAX_SAFE_INTEGER))
    return BigInt(v);
  throw new Error(`not an exact JSON count: ${JSON.stringify(v)}`);
}

describe("fuzz: the CLI in memory", () => {
  it(`valid plain specs give the oracle's exact numbers or its error (${runs(RUNS.oracle)} cases)`, async () => {
    const written = plainSpec.chain((spec) =>
      fc
        .constantFrom(...Object.values(SPEC_WRITERS))
        .chain((w) => w.write(spec).map((text) => ({ spec, file: w.file, text }))),
    );
    await fc.assert(
      fc.asyncProperty(written, async ({ spec, file, text }) => {
        const files = { [file]: text, "ok.json": OK_SPEC };
        // two files: --json then reports each file's result or error (code and path) in an array
        const args = [file, "ok.json", "--json"];
        const r = await runCli(args, files);
        assertClean(r, args, files);
        const [got] = JSON.parse(r.stdout) as Record<string, unknown>[];
        const want = expectedRun(spec.input, spec.layers);
        if ("error" in want) {
          expect(r.code).toBe(1);
          expect(got?.error).toMatchObject({ code: want.error, path: want.path });
          return;
        }
        expect(r.code).toBe(0);
        const layers = got?.layers as Record<string, unknown>[];
        expect(layers).toHaveLength(want.layers.length);
        const totals = { parameters: 0n, neurons: 0n, connections: 0n };
        want.layers.forEach((w, i) => {
          const l = layers[i] as Record<string, unknown>;
          expect(l.outputShape).toEqual(w.outputShape);
          expect(l.weightsPerNeuron === null ? null : exact(l.weightsPerNeuron)).toBe(
            w.weightsPerNeuron,
          );
          expect(exact(l.neurons)).toBe(w.neurons);
          expect(exact(l.connections)).toBe(w.connections);
          expect(exact(l.trainableParameters)).toBe(w.trainableParameters);
          expect(exact(l.nonTrainableParameters)).toBe(w.nonTrainableParameters);
          expect(exact(l.parameters)).toBe(w.trainableParameters + w.nonTrainableParameters);
          totals.parameters += w.trainableParameters + w.nonTrainableParameters;
          totals.neurons += w.neurons;
          totals.connections += w.connections;
        });
        const t = got?.totals as Record<string, unknown>;
        expect(exact(t.parameters)).toBe(totals.parameters);
        expect(exact(t.neurons)).toBe(totals.neurons);
        expect(exact(t.connections)).toBe(totals.connections);
      }),
      { seed: SEED, numRuns: runs(RUNS.oracle) },
    );
  }, 120_000);

  it(`broken specs, bytes and strange files end cleanly (${runs(RUNS.inputs)} cases)`, async () => {
    const inputs = fc.oneof(...Object.values(INPUT_GENERATORS));
    const formats = fc.constantFrom<string[]>([], ["--json"], ["-f", "csv"], ["--all"]);
    await fc.assert(
      fc.asyncProperty(inputs, formats, async (input, format) => {
        const files = { [input.file]: input.content };
        const args = [input.file, ...format];
        const r = await runCli(args, files);
        assertClean(r, args, files);
        if (r.code === 0 && format[0] === "--json") {
          // valid output is JSON whose counts are exact: numbers only while they are safe
          const out = JSON.parse(r.stdout) as { totals: Record<string, unknown> };
          for (const v of Object.values(out.totals)) exact(v);
        }
      }),
      { seed: SEED + 1, numRuns: runs(RUNS.inputs) },
    );
  }, 120_000);

  it(`random command lines end with 0, 1 or 2 and one clear message (${runs(RUNS.args)} cases)`, async () => {
    const spec = fc.oneof(
      fc.constant(OK_SPEC),
      INPUT_GENERATORS.json.map((c) => c.content),
    );
    await fc.assert(
      fc.asyncProperty(cliArgs, spec, async (args, content) => {
        const files: Record<string, FileContent> = { "spec.json": content, "-": OK_SPEC };
        const r = await runCli(args, files);
        assertClean(r, args, files);
      }),
      { seed: SEED + 2, numRuns: runs(RUNS.args) },
    );
  }, 120_000);

  it(`answer files for check end cleanly (${runs(RUNS.answers)} cases)`, async () => {
    const dqn = readRepoFile("examples/dqn.json");
    await fc.assert(
      fc.asyncProperty(answersText, fc.boolean(), async (answers, json) => {
        const files = { "dqn.json": dqn, "answers.txt": answers };
        const args = ["check", "dqn.json", "answers.txt", ...(json ? ["--json"] : [])];
        const r = await runCli(args, files);
        // exit 1 with the graded report on stdout is check's answer "some are wrong", not a
        // failure: such a run is held to the rules of a successful one
        const graded = r.code === 1 && r.stderr === "" && /Score: |"score"/.test(r.stdout);
        assertClean(graded ? { ...r, code: 0 } : r, args, files);
      }),
      { seed: SEED + 3, numRuns: runs(RUNS.answers) },
    );
  }, 120_000);
});
