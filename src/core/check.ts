import type { Span } from "./errors.js";
import { BLOCK_TYPES, resultChildren, traitsOf, typesWhere } from "./traits.js";
import type { Analysis, LayerResult } from "./types.js";
import { counted } from "./words.js";

/*
 * Grading a student's answers against an analysis. Pure: answers come in as data (parsed by
 * src/parse/answers.ts), verdicts go out as data (rendered by src/format/check.ts).
 */

/** The quantities an answer may give; `size` is width and height together, `output` the shape. */
export const ANSWER_QUANTITIES = [
  "weightsPerNeuron",
  "width",
  "height",
  "depth",
  "length",
  "size",
  "output",
  "neurons",
  "connections",
  "parameters",
] as const;
export type AnswerQuantity = (typeof ANSWER_QUANTITIES)[number];

/** How an answer names its layer. */
export type LayerRef =
  /** 1-based index; several for nested layers (`3.1`: the first child of layer 3). */
  | { kind: "index"; indices: number[] }
  /** A layer name; later names are tried when earlier ones match nothing (`fc1` -> `dense1`). */
  | { kind: "name"; names: string[] }
  /** A spec path such as `layers[2].body[0]`. */
  | { kind: "path"; path: string }
  /**
   * A layer named by its role, as the tutorial's headings do: "second convolutional layer"
   * (`conv`, nth 2), "output layer", "hidden layer". `nth` null is the role's usual meaning.
   */
  | { kind: "role"; role: LayerRole; nth: number | "last" | null };

/**
 * The roles a heading may name: the nth conv-type, dense or pooling layer, the nth layer with
 * neurons (`layer`, the layers a student counts), a hidden layer, and the output layer.
 */
export const LAYER_ROLES = ["conv", "dense", "pool", "layer", "hidden", "output"] as const;
export type LayerRole = (typeof LAYER_ROLES)[number];

/** An answer's value: a count, or sizes (`20x20x16` for an output, `20x20` for a size). */
export type AnswerValue = { kind: "count"; value: bigint } | { kind: "sizes"; values: number[] };

/** One answer as written, with where it stands in the answers file. */
export interface Answer {
  /** 1-based line in the answers file. */
  line: number;
  layerText: string;
  layer: LayerRef;
  quantityText: string;
  quantity: AnswerQuantity;
  valueText: string;
  value: AnswerValue;
  span: Span;
}

/**
 * A line of an answers file that could not be read, as data: what is wrong (a stable code and a
 * message saying what was expected and what was received), where, and a suggestion.
 */
export interface AnswerProblem {
  /** 1-based line in the answers file. */
  line: number;
  code: string;
  message: string;
  span: Span;
  hint?: string;
}

/** An answers file as read: the answers, and the lines that could not be read. */
export interface AnswerSheet {
  answers: Answer[];
  problems: AnswerProblem[];
}

/**
 * The verdict on one answer: right, wrong, or not gradable because the layer does not exist
 * (`no-layer`) or the quantity does not exist for that layer (`not-applicable`). Only `right`
 * scores; the other three count as not right.
 */
export type Status = "right" | "wrong" | "no-layer" | "not-applicable";

/** A graded answer: the verdict, the layer it resolved to and the right value. */
export interface Graded {
  answer: Answer;
  status: Status;
  result: LayerResult | null;
  expected: AnswerValue | null;
  /** Why the answer could not be graded, or a note on the right value. */
  reason: string | null;
  /**
   * For a wrong answer about a layer named by index: the layer whose right value is the answer
   * and that the student most likely meant, when an explicit flatten (or another layer without
   * neurons) shifted the numbers. A hint only; the answer stays wrong.
   */
  likely: LayerResult | null;
}

/**
 * The children of a block in index order (`3.1`, `3.2`, ...): body, shortcut, then branches;
 * also the results a block's counts sum.
 */
export function children(r: LayerResult): LayerResult[] {
  return resultChildren(r);
}

/** Every result of an analysis, blocks before their children. */
export function allResults(a: Analysis): LayerResult[] {
  const out: LayerResult[] = [];
  const stack = [...a.layers].reverse();
  for (let r = stack.pop(); r !== undefined; r = stack.pop()) {
    out.push(r);
    stack.push(...children(r).reverse());
  }
  return out;
}

/** Finds the layer an answer names, or says why there is none. */
export function findLayer(
  a: Analysis,
  ref: LayerRef,
): { result: LayerResult } | { reason: string } {
  switch (ref.kind) {
    case "index": {
      let list = a.layers;
      let found: LayerResult | undefined;
      const seen: number[] = [];
      for (const i of ref.indices) {
        found = list[i - 1];
        if (found === undefined) {
          const where = seen.length === 0 ? "the network" : `layer ${seen.join(".")}`;
          return {
            reason: `${where} has ${counted(list.length, "layer")}; there is no layer ${[...seen, i].join(".")}`,
          };
        }
        seen.push(i);
        list = children(found);
      }
      return found ? { result: found } : { reason: "no layer index given" };
    }
    case "name": {
      const all = allResults(a);
      for (const name of ref.names) {
        const matches = all.filter((r) => r.name.toLowerCase() === name.toLowerCase());
        if (matches.length === 1) return { result: matches[0] as LayerResult };
        if (matches.length > 1) {
          return {
            reason: `${matches.length} layers are named '${name}' (${matches.map((m) => m.path).join(", ")}); name it by index instead`,
          };
        }
      }
      const names = a.layers.map((r) => r.name).join(", ");
      return { reason: `no layer is named '${ref.names[0]}'; the layers are ${names}` };
    }
    case "path": {
      const r = allResults(a).find((x) => x.path === ref.path);
      return r ? { result: r } : { reason: `no layer at ${ref.path}` };
    }
    case "role":
      return findRole(a, ref.role, ref.nth);
    default: {
      const never: never = ref;
      return never;
    }
  }
}

/** How each role is said in a reason, for "the network has 2 convolutional layers". */
const ROLE_WORDS: Readonly<Record<LayerRole, string>> = {
  conv: "convolutional layer",
  dense: "fully connected layer",
  pool: "pooling layer",
  layer: "layer with neurons",
  hidden: "hidden layer",
  output: "output layer",
};

const parameters = (r: LayerResult) => r.trainableParameters + r.nonTrainableParameters;

/**
 * Resolves a role. Layers are the network's own, blocks' children included, blocks themselves
 * left out. The output layer is the last layer with parameters; hidden layers are the layers
 * with neurons before it; "fully connected layer" alone is the first hidden dense layer (the
 * output layer is usually dense too), "hidden layer" alone the last one, as in the tutorial.
 */
function findRole(
  a: Analysis,
  role: LayerRole,
  nth: number | "last" | null,
): { result: LayerResult } | { reason: string } {
  const leaves = allResults(a).filter((r) => !BLOCK_TYPES.has(r.type));
  let outAt = -1;
  for (let i = leaves.length - 1; i >= 0 && outAt === -1; i--) {
    if (parameters(leaves[i] as LayerResult) > 0n) outAt = i;
  }
  const output = leaves[outAt];
  const hidden = leaves.filter((r, i) => i < outAt && r.neurons > 0n);
  let list: LayerResult[];
  let pick: number | "last" = nth ?? 1;
  switch (role) {
    case "conv":
    case "dense":
    case "pool":
      list = leaves.filter((r) => traitsOf(r.type).family === role);
      if (role === "dense" && nth === null) {
        const hiddenDense = hidden.filter((r) => traitsOf(r.type).family === "dense");
        if (hiddenDense.length > 0) list = hiddenDense;
      }
      break;
    case "layer":
      list = leaves.filter((r) => r.neurons > 0n);
      break;
    case "hidden":
      list = nth === null ? hidden.filter((r) => traitsOf(r.type).family === "dense") : hidden;
      if (nth === null) pick = "last";
      break;
    case "output":
      return output
        ? { result: output }
        : { reason: "the network has no layer with parameters, so no output layer" };
    default: {
      const never: never = role;
      return never;
    }
  }
  const found = pick === "last" ? list[list.length - 1] : list[pick - 1];
  if (found) return { result: found };
  const words = ROLE_WORDS[role];
  return {
    reason: `the network has ${list.length} ${words}${list.length === 1 ? "" : "s"}${pick === "last" || list.length === 0 ? "" : `; there is no ${ordinal(pick)}`}`,
  };
}

/** 1st, 2nd, 3rd, 4th, ... 11th, 12th, 13th, 21st. */
function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}

/** The list of siblings a layer named by index stands in. */
function siblingsOf(a: Analysis, indices: readonly number[]): LayerResult[] {
  let list = a.layers;
  for (const i of indices.slice(0, -1)) {
    const r = list[i - 1];
    if (r === undefined) return [];
    list = children(r);
  }
  return list;
}

/**
 * For a wrong answer about a layer named by index, the sibling whose right value is the answer
 * and that the student most likely meant: the layer of that number when only layers with
 * neurons are counted (an explicit flatten or activation shifts the numbers of the layers after
 * it by one), or, for a layer with no neurons itself, a neighbour within two places (the one
 * after first).
 */
function likelyMeant(a: Analysis, answer: Answer, r: LayerResult): LayerResult | null {
  if (answer.layer.kind !== "index") return null;
  const siblings = siblingsOf(a, answer.layer.indices);
  const n = answer.layer.indices[answer.layer.indices.length - 1] as number;
  const candidates = [siblings.filter((s) => s.neurons > 0n)[n - 1]];
  if (r.neurons === 0n) {
    for (const step of [1, -1, 2, -2]) candidates.push(siblings[r.index - 1 + step]);
  }
  for (const s of candidates) {
    if (s === undefined || s === r || s.neurons === 0n) continue;
    const exp = expectedValue(s, answer.quantity);
    if ("value" in exp && matches(answer.value, exp.value, answer.quantity)) return s;
  }
  return null;
}

/** Layer types whose neurons have weights (a null weights-per-neuron then means it varies). */
const WEIGHTED = typesWhere((t) => t.weighted);

/** Which shape index each dimension quantity reads, by rank. */
const DIM_AT: Readonly<Record<number, Partial<Record<AnswerQuantity, number>>>> = {
  1: { length: 0 },
  2: { height: 0, width: 1 },
  3: { depth: 0, height: 1, width: 2 },
};

type Expected = { value: AnswerValue; note?: string } | { reason: string };

function count(value: bigint): AnswerValue {
  return { kind: "count", value };
}

/** The right value of a quantity for a layer, or why the quantity does not exist for it. */
export function expectedValue(r: LayerResult, q: AnswerQuantity): Expected {
  const dims = r.outputShape.dims;
  switch (q) {
    case "weightsPerNeuron":
      if (BLOCK_TYPES.has(r.type)) return { reason: "a block has no weights of its own" };
      if (r.weightsPerNeuron !== null) return { value: count(r.weightsPerNeuron) };
      if (WEIGHTED.has(r.type)) {
        return {
          reason: `the weights per neuron of this ${r.type} layer vary from neuron to neuron`,
        };
      }
      return { value: count(0n), note: "the layer has no weights (– in the table)" };
    case "width":
    case "height":
    case "depth":
    case "length": {
      if (dims.length === 0) {
        return {
          reason: `the output is a flat vector of ${counted(r.outputShape.channels, "value")}`,
        };
      }
      const at = DIM_AT[dims.length]?.[q];
      if (at === undefined) {
        return { reason: `a ${dims.length}-D output has no ${q}` };
      }
      return { value: count(BigInt(dims[at] as number)) };
    }
    case "size": {
      if (dims.length === 0) {
        return {
          reason: `the output is a flat vector of ${counted(r.outputShape.channels, "value")}`,
        };
      }
      if (dims.some((d) => d !== dims[0])) {
        // written width first, as "width and height" reads (shapes elsewhere are height first);
        // matches() accepts either order, since labels such as "size" do not fix one
        return {
          value: { kind: "sizes", values: [...dims].reverse() },
          note: "width and height differ: width×height",
        };
      }
      return { value: count(BigInt(dims[0] as number)) };
    }
    case "output":
      return { value: { kind: "sizes", values: [...dims, r.outputShape.channels] } };
    case "neurons":
      return { value: count(r.neurons) };
    case "connections":
      return { value: count(r.connections) };
    case "parameters":
      return { value: count(r.trainableParameters + r.nonTrainableParameters) };
    default: {
      const never: never = q;
      return never;
    }
  }
}

/** Whether an answer's value equals the right one; sizes may leave out the channels. */
function matches(given: AnswerValue, expected: AnswerValue, q: AnswerQuantity): boolean {
  if (given.kind === "count" && expected.kind === "count") return given.value === expected.value;
  if (given.kind === "sizes" && expected.kind === "sizes") {
    const want = q === "output" && given.values.length === expected.values.length - 1;
    const target = want ? expected.values.slice(0, -1) : expected.values;
    const same = (t: readonly number[]) =>
      given.values.length === t.length && given.values.every((v, i) => v === t[i]);
    return same(target) || (q === "size" && same([...target].reverse()));
  }
  // a flat output (a dense layer's 256) written as the number 256
  if (given.kind === "count" && expected.kind === "sizes" && q === "output") {
    return expected.values.length === 1 && BigInt(expected.values[0] as number) === given.value;
  }
  // a square size written as `20x20` against the single number 20
  if (given.kind === "sizes" && expected.kind === "count" && q === "size") {
    return given.values.every((v) => BigInt(v) === expected.value);
  }
  return false;
}

/** Grades every answer against the analysis, in the answers' order. */
export function gradeAnswers(a: Analysis, answers: readonly Answer[]): Graded[] {
  return answers.map((answer) => {
    const found = findLayer(a, answer.layer);
    if ("reason" in found) {
      return {
        answer,
        status: "no-layer",
        result: null,
        expected: null,
        reason: found.reason,
        likely: null,
      };
    }
    const exp = expectedValue(found.result, answer.quantity);
    if ("reason" in exp) {
      return {
        answer,
        status: "not-applicable",
        result: found.result,
        expected: null,
        reason: exp.reason,
        likely: likelyMeant(a, answer, found.result),
      };
    }
    const right = matches(answer.value, exp.value, answer.quantity);
    return {
      answer,
      status: right ? "right" : "wrong",
      result: found.result,
      expected: exp.value,
      reason: exp.note ?? null,
      likely: right ? null : likelyMeant(a, answer, found.result),
    };
  });
}

/**
 * The score: answers right out of all answers, where a line that could not be read counts as an
 * answer not given (`wrong` counts every graded answer that is not right).
 */
export function score(
  graded: readonly Graded[],
  notRead = 0,
): { right: number; wrong: number; notRead: number; total: number } {
  const right = graded.filter((g) => g.status === "right").length;
  return { right, wrong: graded.length - right, notRead, total: graded.length + notRead };
}
