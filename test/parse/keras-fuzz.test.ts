/**
 * Mutated Keras models (a value replaced by a wrong one, a key or an element removed) never crash
 * the reader or the analysis: each is read, or fails with a CnnError located in the text.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/core/analyze.js";
import { CnnError } from "../../src/core/errors.js";
import { parseKeras } from "../../src/parse/keras.js";
import { byTier } from "../helpers/tier.js";

const SOURCES = [
  "examples/keras-functional.json",
  "examples/keras-small.json",
  "test/fixtures/keras/tfjs-small-cnn.model.json",
  "test/fixtures/keras/tfjs-functional-cnn.json",
].map((f) => JSON.parse(readFileSync(f, "utf8")) as unknown);

const VALUES = [
  null,
  0,
  -1,
  1.5,
  "x",
  "same",
  "causal",
  [],
  {},
  [null],
  [0, 0],
  [[1, 2]],
  true,
  1e300,
];

type Key = string | number;

/** Every path to a value in a JSON document, without recursion. */
function pathsOf(root: unknown): Key[][] {
  const out: Key[][] = [];
  const todo: [unknown, Key[]][] = [[root, []]];
  for (let top = todo.pop(); top !== undefined; top = todo.pop()) {
    const [v, p] = top;
    if (p.length > 0) out.push(p);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) todo.push([v[i], [...p, i]]);
    } else if (v !== null && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) todo.push([x, [...p, k]]);
    }
  }
  return out;
}

const PATHS = SOURCES.map(pathsOf);
const CASES = byTier(100, 5000);

describe("mutated Keras models", () => {
  it(`read or fail located, never crash (${CASES} cases)`, () => {
    let seed = 7;
    const pick = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const crashes: string[] = [];
    let unlocated = 0;
    for (let n = 0; n < CASES; n++) {
      const which = n % SOURCES.length;
      const doc = structuredClone(SOURCES[which]);
      const paths = PATHS[which] as Key[][];
      for (let m = 0; m <= pick(3); m++) {
        const p = paths[pick(paths.length)] as Key[];
        let node = doc as Record<Key, unknown>;
        for (const k of p.slice(0, -1)) node = (node?.[k] ?? null) as Record<Key, unknown>;
        if (node === null || typeof node !== "object") continue;
        const last = p[p.length - 1] as Key;
        if (pick(5) > 0) node[last] = VALUES[pick(VALUES.length)];
        else if (Array.isArray(node)) node.splice(last as number, 1);
        else delete node[last];
      }
      const text = JSON.stringify(doc, null, 1);
      try {
        const parsed = parseKeras(text);
        try {
          analyze(parsed.spec);
        } catch (e) {
          if (!(e instanceof CnnError)) throw e;
          const path = e.diagnostic.path;
          if (path === undefined || parsed.locate(path) === undefined) unlocated++;
        }
      } catch (e) {
        if (!(e instanceof CnnError)) crashes.push(`${String(e)} in case ${n}`);
        else if (e.diagnostic.span === undefined) unlocated++;
      }
    }
    expect(crashes).toEqual([]);
    expect(unlocated).toBe(0);
  });
});
