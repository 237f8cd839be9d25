/**
 * Reads Keras and TensorFlow.js models: Keras' `model.to_json()` (`{"class_name": "Sequential" |
 * "Functional" | "Model", "config": …}`) or a TF.js `model.json` (its `modelTopology`), as a
 * cnncalc spec. Sequential models map layer by layer; a functional model must be series-parallel:
 * each merge (Add, Multiply, Concatenate) joins branches that fork from one earlier tensor.
 * Anything else, and any layer class or option with no exact mapping, is an error naming the layer.
 */
import { cnnError } from "../core/errors.js";
import type { LayerSpec, NetworkSpec } from "../core/types.js";
import { parseJson } from "./json.js";
import { type Flow, type KerasLayer, mapLayer, refuse } from "./keras/layers.js";
import type { ParsedSpec } from "./spec.js";

const MODEL_CLASSES = new Set(["Sequential", "Functional", "Model"]);

/** Whether a JSON text is a Keras or TF.js model rather than a cnncalc spec. */
export function looksLikeKeras(body: string): boolean {
  if (!body.startsWith("{")) return false;
  if (/"modelTopology"\s*:/.test(body)) return true;
  return /"class_name"\s*:\s*"(Sequential|Functional|Model)"/.test(body.slice(0, 400));
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function invalid(message: string): never {
  throw cnnError("keras-graph", message);
}

function layerOf(raw: unknown, index: number): KerasLayer {
  if (!isObject(raw) || typeof raw.class_name !== "string" || !isObject(raw.config)) {
    return invalid(`layers[${index}] is not a Keras layer ({"class_name": …, "config": {…}})`);
  }
  const name = raw.name ?? raw.config.name;
  return {
    name: typeof name === "string" ? name : `layers[${index}]`,
    className: raw.class_name,
    config: raw.config,
  };
}

/** The input shape (without the batch) of an InputLayer or a first layer, if it gives one. */
function inputShape(layer: KerasLayer): number[] | undefined {
  const s = layer.config.batch_input_shape ?? layer.config.batch_shape;
  if (!Array.isArray(s)) return undefined;
  const dims = s.slice(1);
  if (!dims.every((d) => typeof d === "number" && Number.isInteger(d) && d > 0)) {
    return refuse(layer, `input shape ${JSON.stringify(s)} has a dimension that is not known`);
  }
  return dims as number[];
}

const flowOf = (input: number[]): Flow => ({
  rank: input.length - 1,
  channels: input[input.length - 1],
});

function sequential(layers: KerasLayer[]): { input: number[] | undefined; layers: LayerSpec[] } {
  const first = layers[0];
  const input = first ? inputShape(first) : undefined;
  if (input === undefined) invalid("the model gives no input shape (batch_input_shape)");
  const flow = flowOf(input);
  const out: LayerSpec[] = [];
  for (const layer of layers) {
    if (layer.className === "InputLayer") continue;
    if (["Add", "Multiply", "Concatenate"].includes(layer.className)) {
      refuse(layer, "a merge in a Sequential model");
    }
    out.push(...mapLayer(layer, flow));
  }
  return { input, layers: out };
}

/** The names of the layers a Keras 2 or Keras 3 inbound node reads. */
function inboundNames(layer: KerasLayer, raw: Record<string, unknown>): string[] {
  const nodes = raw.inbound_nodes;
  if (!Array.isArray(nodes) || nodes.length === 0) return [];
  if (nodes.length > 1) {
    return invalid(
      `Keras layer "${layer.name}" (${layer.className}) is shared (called more than once)`,
    );
  }
  const names: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      if (typeof v[0] === "string" && typeof v[1] === "number") {
        if (v[1] !== 0) invalid(`Keras layer "${layer.name}" reads a shared layer's output`);
        names.push(v[0]);
        return;
      }
      for (const x of v) walk(x);
    } else if (isObject(v)) {
      if (Array.isArray(v.keras_history)) walk(v.keras_history);
      else if (isObject(v.config)) walk(v.config);
      else if (v.args !== undefined) walk(v.args);
    }
  };
  walk(nodes[0]);
  return names;
}

function endpoints(v: unknown, what: string): string {
  const list = Array.isArray(v) && typeof v[0] === "string" ? [v] : v;
  if (!Array.isArray(list) || list.length !== 1 || !Array.isArray(list[0])) {
    return invalid(
      `the model must have exactly one ${what} (it has ${Array.isArray(list) ? list.length : 0})`,
    );
  }
  const name = list[0][0];
  if (typeof name !== "string") return invalid(`the model's ${what} has no layer name`);
  return name;
}

const MERGES: Readonly<Record<string, "add" | "multiply" | "concat">> = {
  Add: "add",
  Multiply: "multiply",
  Concatenate: "concat",
};

/** Most merges nested in one another the reader follows (it recurses once per level). */
export const KERAS_MAX_NESTING = 1000;

function functional(
  config: Record<string, unknown>,
  maxDepth: number,
): { input: number[]; layers: LayerSpec[] } {
  const rawLayers = Array.isArray(config.layers)
    ? config.layers
    : invalid("the model has no layers");
  const layers = new Map<string, { layer: KerasLayer; preds: string[] }>();
  const consumers = new Map<string, number>();
  rawLayers.forEach((raw, i) => {
    const layer = layerOf(raw, i);
    const preds = inboundNames(layer, raw as Record<string, unknown>);
    layers.set(layer.name, { layer, preds });
    for (const p of preds) consumers.set(p, (consumers.get(p) ?? 0) + 1);
  });
  const inputName = endpoints(config.input_layers, "input");
  const outputName = endpoints(config.output_layers, "output");
  const inputNode =
    layers.get(inputName) ?? invalid(`the input layer "${inputName}" is not in the model`);
  const input = inputShape(inputNode.layer) ?? invalid("the input layer gives no shape");
  const node = (name: string) =>
    layers.get(name) ?? invalid(`no layer named "${name}" in the model`);
  const notSP = (layer: KerasLayer, why: string): never =>
    invalid(
      `Keras layer "${layer.name}" (${layer.className}): ${why}; cnncalc reads graphs made of chains and of branches that fork from one tensor and merge once (series-parallel)`,
    );

  // each tensor's step back along its spine (its one input, or a merge's fork) and how many
  // steps lead back to an input: Keras lists layers after their inputs, so one pass finds both
  const forks = new Map<string, string>();
  const level = new Map<string, number>();
  const back = (name: string): string => {
    const { preds } = node(name);
    return preds.length === 1 ? (preds[0] as string) : (forks.get(name) as string);
  };
  for (const [name, { layer, preds }] of layers) {
    for (const p of preds) {
      node(p);
      if (!level.has(p)) {
        invalid(
          `Keras layer "${layer.name}" (${layer.className}) is listed before its input "${p}"`,
        );
      }
    }
    if (preds.length > 1) {
      // the branches meet where their spines do: step back the furthest until all are one
      const at = [...preds];
      const levelOf = (t: string) => level.get(t) as number;
      while (at.some((t) => t !== at[0])) {
        const top = Math.max(...at.map(levelOf));
        if (top === 0) notSP(layer, "its inputs share no earlier tensor");
        for (let i = 0; i < at.length; i++) {
          if (levelOf(at[i] as string) === top) at[i] = back(at[i] as string);
        }
      }
      forks.set(name, at[0] as string);
    }
    level.set(name, preds.length === 0 ? 0 : (level.get(back(name)) as number) + 1);
  }
  const forkOf = (name: string): string => forks.get(name) as string;

  const emitted = new Set<string>();
  // the layers after tensor `from` up to and including `to`, with the flow at `from`
  const chain = (from: string, to: string, flow: Flow, depth: number): LayerSpec[] => {
    const path: string[] = [];
    let cur = to;
    // a merge's fork feeds its branches: the merge checks its consumers
    let fromMerge = true;
    while (cur !== from) {
      const { layer, preds } = node(cur);
      if (preds.length === 0) notSP(layer, "a branch reaches back past its fork");
      if (!fromMerge && consumers.get(cur) !== 1) {
        notSP(layer, "its output feeds layers in more than one branch");
      }
      path.push(cur);
      if (path.length > layers.size) invalid("the model's layers form a cycle");
      fromMerge = preds.length !== 1;
      cur = preds.length === 1 ? (preds[0] as string) : forkOf(cur);
    }
    const out: LayerSpec[] = [];
    for (const name of path.reverse()) {
      const { layer, preds } = node(name);
      if (emitted.has(name)) notSP(layer, "it is reached twice");
      emitted.add(name);
      const merge = MERGES[layer.className];
      if (preds.length === 1 && merge === undefined) {
        out.push(...mapLayer(layer, flow));
        continue;
      }
      if (merge === undefined)
        return refuse(
          layer,
          "a layer with several inputs that is not Add, Multiply or Concatenate",
        );
      if (merge === "concat") {
        const axis = layer.config.axis ?? -1;
        if (axis !== -1 && axis !== flow.rank + 1)
          refuse(layer, `axis ${JSON.stringify(axis)} (only the last)`);
      }
      if (depth >= maxDepth) {
        throw cnnError(
          "too-deep",
          `Keras layer "${layer.name}" (${layer.className}) is nested in more than ${maxDepth} merges`,
        );
      }
      const fork = forkOf(name);
      const edges = preds.length;
      if ((consumers.get(fork) ?? 0) !== edges) {
        notSP(layer, `the tensor its branches fork from ("${fork}") also feeds other layers`);
      }
      // the flow now is the fork's: the layer before a merge on the path is its fork
      const start = { ...flow };
      const flows: Flow[] = [];
      const branches = preds.map((p) => {
        const f = { ...start };
        const b = p === fork ? [] : chain(fork, p, f, depth + 1);
        flows.push(f);
        return b;
      });
      flow.rank = Math.max(...flows.map((f) => f.rank));
      const chans = flows.map((f) => f.channels);
      flow.channels = chans.some((x) => x === undefined)
        ? undefined
        : merge === "concat"
          ? chans.reduce((a, b) => (a as number) + (b as number), 0)
          : Math.max(...(chans as number[]));
      out.push({ type: merge, name: layer.name, branches } as LayerSpec);
    }
    return out;
  };
  return { input, layers: chain(inputName, outputName, flowOf(input), 0) };
}

/** Reads a Keras or TF.js model's JSON text as a cnncalc spec. */
export function parseKeras(text: string, options: { maxDepth?: number } = {}): ParsedSpec {
  const { value } = parseJson(text, { ...options, spans: false });
  const maxDepth = Math.min(options.maxDepth ?? KERAS_MAX_NESTING, KERAS_MAX_NESTING);
  let model = isObject(value) && isObject(value.modelTopology) ? value.modelTopology : value;
  if (isObject(model) && isObject(model.model_config)) model = model.model_config;
  if (
    !isObject(model) ||
    typeof model.class_name !== "string" ||
    !MODEL_CLASSES.has(model.class_name)
  ) {
    return invalid(
      'not a Keras model: expected {"class_name": "Sequential" or "Functional", "config": …}',
    );
  }
  const config = model.config;
  const rawLayers = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(rawLayers)) return invalid("the model has no layers");
  const read =
    model.class_name === "Sequential"
      ? sequential(rawLayers.map(layerOf))
      : functional(config as Record<string, unknown>, maxDepth);
  const spec: NetworkSpec = { input: read.input as number[], layers: read.layers };
  if (isObject(config) && typeof config.name === "string") spec.name = config.name;
  return { spec, locate: () => undefined };
}
