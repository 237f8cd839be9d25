/**
 * Reads Keras and TensorFlow.js models: Keras' `model.to_json()` (`{"class_name": "Sequential" |
 * "Functional" | "Model", "config": …}`) or a TF.js `model.json` (its `modelTopology`), as a
 * cnncalc spec. Sequential models map layer by layer; a functional model must be series-parallel:
 * each merge (Add, Multiply, Concatenate) joins branches that fork from one earlier tensor.
 * Anything else, and any layer class or option with no exact mapping, is an error naming the layer.
 */
import { CnnError, cnnError, type Span } from "../core/errors.js";
import type { LayerSpec, NetworkSpec, Warning } from "../core/types.js";
import { counted } from "../core/words.js";
import {
  type JsonOptions,
  type JsonSourceMap,
  locateJson,
  parseJson,
  pathSegments,
} from "./json.js";
import { type KerasArchiveSpec, readArchiveWith } from "./keras/archive.js";
import { type Flow, type KerasLayer, mapLayer, pathOf, refuse } from "./keras/layers.js";
import { type ParsedSpec, validateSpec } from "./spec.js";

const MODEL_CLASSES = new Set(["Sequential", "Functional", "Model"]);

/** Whether a JSON text is a Keras or TF.js model rather than a cnncalc spec. */
export function looksLikeKeras(body: string): boolean {
  if (!body.startsWith("{")) return false;
  if (/"modelTopology"\s*:/.test(body)) return true;
  return /"class_name"\s*:\s*"(Sequential|Functional|Model)"/.test(body.slice(0, 400));
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Fails with `keras-graph` at a JSON path of the model (a layer, its inbound nodes, …). */
function invalid(message: string, path?: string): never {
  throw cnnError("keras-graph", message, path === undefined ? {} : { path });
}

function layerOf(raw: unknown, index: number, base: string): KerasLayer {
  const path = `${base}[${index}]`;
  if (!isObject(raw) || typeof raw.class_name !== "string" || !isObject(raw.config)) {
    return invalid(
      `layers[${index}] is not a Keras layer ({"class_name": …, "config": {…}})`,
      path,
    );
  }
  const name = raw.name ?? raw.config.name;
  return {
    name: typeof name === "string" ? name : `layers[${index}]`,
    className: raw.class_name,
    config: raw.config,
    path,
  };
}

const SHAPE_KEYS = ["batch_input_shape", "batch_shape"] as const;

/** A batch shape (Keras' `[null, 28, 28, 1]`) without its batch, every dimension known. */
function shapeOf(s: unknown[], fail: (why: string) => never): number[] {
  const dims = s.slice(1);
  if (!dims.every((d) => typeof d === "number" && Number.isInteger(d) && d > 0)) {
    return fail(`input shape ${JSON.stringify(s)} has a dimension that is not known`);
  }
  return dims as number[];
}

/** The input shape (without the batch) of an InputLayer or a first layer, if it gives one. */
function inputShape(layer: KerasLayer, r: Reading): number[] | undefined {
  const key = SHAPE_KEYS.find((k) => Array.isArray(layer.config[k]));
  if (key === undefined) return undefined;
  r.inputPath ??= `${layer.path}.config.${key}`;
  return shapeOf(layer.config[key] as unknown[], (why) => refuse(layer, why, key));
}

const flowOf = (input: number[]): Flow => ({
  rank: input.length - 1,
  channels: input[input.length - 1],
});

/** What one reading keeps: the Keras path each spec layer came from, and the nesting limit. */
interface Reading {
  origin: Map<LayerSpec, string>;
  maxDepth: number;
  /** Where the top model's input shape was read: what the spec's `input` points back to. */
  inputPath?: string;
  /** Layers (or nested models) saved with `"trainable": false`. */
  frozen: KerasLayer[];
}

const MODEL_LAYERS = new Set(["Sequential", "Functional", "Model"]);

/**
 * Maps one single-input layer, appending its specs to `out`: a nested Sequential or Functional
 * model expands in place, a Reshape that only restores a global pool's dimensions becomes that
 * pool's `keepdims`; every other class goes to mapLayer.
 */
function emit(out: LayerSpec[], layer: KerasLayer, flow: Flow, r: Reading, depth: number): void {
  if (layer.config.trainable === false) r.frozen.push(layer);
  if (MODEL_LAYERS.has(layer.className)) {
    const inner = readModel(layer.className, layer.config, layer.path, r, depth + 1, flow);
    out.push(...inner.layers);
    return;
  }
  if (layer.className === "Reshape") {
    reshape(out, layer, flow);
    return;
  }
  for (const spec of mapLayer(layer, flow)) {
    r.origin.set(spec, layer.path);
    out.push(spec);
  }
}

/** Keras' Reshape, where cnncalc has an exact equivalent: a flatten, or a global pool's keepdims. */
function reshape(out: LayerSpec[], layer: KerasLayer, flow: Flow): void {
  const t = layer.config.target_shape;
  const ok =
    Array.isArray(t) &&
    t.length > 0 &&
    t.every((d) => typeof d === "number" && Number.isInteger(d) && (d > 0 || d === -1));
  if (!ok) refuse(layer, `target_shape ${JSON.stringify(t)}`, "target_shape");
  const target = t as number[];
  if (target.length === 1) {
    // Keras checks that the sizes multiply out: a one-dimensional target is a flatten
    const flat = target[0] as number;
    flow.channels = flat > 0 ? flat : flow.rank === 0 ? flow.channels : undefined;
    flow.rank = 0;
    out.push({ type: "flatten", name: layer.name });
    return;
  }
  const last = out[out.length - 1];
  const pooled = flow.pooledRank;
  if (
    last !== undefined &&
    (last.type === "globalavgpool" || last.type === "globalmaxpool") &&
    pooled !== undefined &&
    flow.rank === 0 &&
    target.length === pooled + 1 &&
    target.slice(0, -1).every((d) => d === 1) &&
    (target[pooled] === flow.channels || target[pooled] === -1)
  ) {
    // GlobalPooling then Reshape((1, 1, C)) is GlobalPooling(keepdims=True), as Keras 3 writes it
    out[out.length - 1] = { ...last, keepdims: true };
    flow.rank = pooled;
    flow.pooledRank = undefined;
    return;
  }
  refuse(
    layer,
    `target_shape ${JSON.stringify(t)} (cnncalc reshapes only by flattening, or to [1, …, 1, C] right after a global pool)`,
    "target_shape",
  );
}

function sequential(
  raw: unknown[],
  base: string,
  config: Record<string, unknown>,
  configPath: string,
  r: Reading,
  depth: number,
  given?: Flow,
): { input: number[]; layers: LayerSpec[] } {
  const layers = raw.map((l, i) => layerOf(l, i, base));
  const first = layers[0];
  let input = first ? inputShape(first, r) : undefined;
  // Keras 3 writes the shape of a Sequential built without an Input as build_input_shape
  if (input === undefined && Array.isArray(config.build_input_shape)) {
    const path = `${configPath}.build_input_shape`;
    r.inputPath ??= path;
    input = shapeOf(config.build_input_shape, (why) => invalid(why, path));
  }
  if (input === undefined && given === undefined) {
    invalid(
      "the model gives no input shape (batch_input_shape, batch_shape or build_input_shape)",
      first ? pathOf(first) : base,
    );
  }
  const flow = given ?? flowOf(input as number[]);
  const out: LayerSpec[] = [];
  for (const layer of layers) {
    if (layer.className === "InputLayer") continue;
    if (MERGES[layer.className] !== undefined) refuse(layer, "a merge in a Sequential model");
    emit(out, layer, flow, r, depth);
  }
  return { input: input ?? [], layers: out };
}

/** The names of the layers a Keras 2 or Keras 3 inbound node reads. */
function inboundNames(layer: KerasLayer, raw: Record<string, unknown>): string[] {
  const nodes = raw.inbound_nodes;
  const at = `${layer.path}.inbound_nodes`;
  if (!Array.isArray(nodes) || nodes.length === 0) return [];
  if (nodes.length > 1) {
    return invalid(
      `Keras layer "${layer.name}" (${layer.className}) is shared (called more than once)`,
      at,
    );
  }
  const names: string[] = [];
  // Keras 2: [[["conv2d", 0, 0, {}], …]]; Keras 3: [{"args": [keras tensors, or a list of them
  // for a merge], "kwargs": {…}}], each tensor {"class_name": "__keras_tensor__", "config":
  // {"keras_history": ["conv2d", 0, 0]}}; kwargs hold flags, and any tensor passed by keyword
  // depth-first in order, with a stack of its own: a node nested thousands deep cannot overflow
  const todo: unknown[] = [nodes[0]];
  while (todo.length > 0) {
    const v = todo.pop();
    if (Array.isArray(v)) {
      if (typeof v[0] === "string" && typeof v[1] === "number") {
        if (v[1] !== 0) invalid(`Keras layer "${layer.name}" reads a shared layer's output`, at);
        names.push(v[0]);
      } else {
        for (let i = v.length - 1; i >= 0; i--) todo.push(v[i]);
      }
    } else if (isObject(v)) {
      // a tensor's config holds its history; a node's args and kwargs hold tensors (one passed
      // by keyword is an input too: a layer given two is not single-input)
      if (Array.isArray(v.keras_history)) todo.push(v.keras_history);
      else {
        const values = Object.values(v);
        for (let i = values.length - 1; i >= 0; i--) todo.push(values[i]);
      }
    }
  }
  return names;
}

/** The one layer an `input_layers` / `output_layers` entry names (Keras 3 writes one flat). */
function endpoints(v: unknown, what: string, path: string): string {
  const list = Array.isArray(v) && typeof v[0] === "string" ? [v] : v;
  if (!Array.isArray(list) || list.length !== 1 || !Array.isArray(list[0])) {
    return invalid(
      `the model must have exactly one ${what} (it has ${Array.isArray(list) ? list.length : 0})`,
      path,
    );
  }
  const name = list[0][0];
  if (typeof name !== "string") return invalid(`the model's ${what} has no layer name`, path);
  return name;
}

const MERGES: Readonly<Record<string, "add" | "multiply" | "concat">> = {
  Add: "add",
  Multiply: "multiply",
  Concatenate: "concat",
};

/** Most merges (and nested models) nested in one another the reader follows. */
export const KERAS_MAX_NESTING = 1000;

function functional(
  config: Record<string, unknown>,
  configPath: string,
  r: Reading,
  depth: number,
  given?: Flow,
): { input: number[]; layers: LayerSpec[] } {
  const base = `${configPath}.layers`;
  const rawLayers = Array.isArray(config.layers)
    ? config.layers
    : invalid("the model has no layers", configPath);
  const layers = new Map<string, { layer: KerasLayer; preds: string[] }>();
  const consumers = new Map<string, number>();
  rawLayers.forEach((raw, i) => {
    const layer = layerOf(raw, i, base);
    if (layers.has(layer.name)) {
      invalid(`two layers are named "${layer.name}"`, pathOf(layer));
    }
    const preds = inboundNames(layer, raw as Record<string, unknown>);
    layers.set(layer.name, { layer, preds });
    for (const p of preds) consumers.set(p, (consumers.get(p) ?? 0) + 1);
  });
  const inputsAt = `${configPath}.input_layers`;
  const inputName = endpoints(config.input_layers, "input", inputsAt);
  const outputName = endpoints(config.output_layers, "output", `${configPath}.output_layers`);
  const inputNode =
    layers.get(inputName) ??
    invalid(`the input layer "${inputName}" is not in the model`, inputsAt);
  const input = inputShape(inputNode.layer, r);
  if (input === undefined && given === undefined) {
    invalid(
      "the input layer gives no shape (batch_shape or batch_input_shape)",
      pathOf(inputNode.layer),
    );
  }
  const node = (name: string, from?: KerasLayer) =>
    layers.get(name) ??
    invalid(
      `no layer named "${name}" in the model`,
      from ? `${from.path}.inbound_nodes` : `${configPath}.output_layers`,
    );
  const notSP = (layer: KerasLayer, why: string): never =>
    invalid(
      `Keras layer "${layer.name}" (${layer.className}): ${why}; cnncalc reads graphs made of chains and of branches that fork from one tensor and merge once (series-parallel)`,
      pathOf(layer),
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
      node(p, layer);
      if (!level.has(p)) {
        invalid(
          `Keras layer "${layer.name}" (${layer.className}) is listed before its input "${p}"`,
          `${layer.path}.inbound_nodes`,
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
      if (path.length > layers.size) invalid("the model's layers form a cycle", pathOf(layer));
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
        emit(out, layer, flow, r, depth);
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
          refuse(layer, `axis ${JSON.stringify(axis)} (only the last)`, "axis");
      }
      if (depth >= r.maxDepth) {
        throw cnnError(
          "too-deep",
          `Keras layer "${layer.name}" (${layer.className}) is nested in more than ${r.maxDepth} merges`,
          { path: pathOf(layer) },
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
      flow.pooledRank = undefined;
      const chans = flows.map((f) => f.channels);
      flow.channels = chans.some((x) => x === undefined)
        ? undefined
        : merge === "concat"
          ? chans.reduce((a, b) => (a as number) + (b as number), 0)
          : Math.max(...(chans as number[]));
      const spec = { type: merge, name: layer.name, branches } as LayerSpec;
      r.origin.set(spec, layer.path);
      out.push(spec);
    }
    return out;
  };
  return {
    input: input ?? [],
    layers: chain(inputName, outputName, given ?? flowOf(input as number[]), depth),
  };
}

/**
 * Reads a model's config (a Sequential's or a Functional's) at `configPath` of the JSON; with
 * `flow`, a model nested in another, continuing from that flow.
 */
function readModel(
  className: string,
  config: unknown,
  path: string,
  r: Reading,
  depth: number,
  flow?: Flow,
): { input: number[]; layers: LayerSpec[] } {
  if (depth > r.maxDepth) {
    throw cnnError("too-deep", `the model nests more than ${r.maxDepth} models`, { path });
  }
  const configPath = path === "" ? "config" : `${path}.config`;
  // Keras 2.0 wrote a Sequential's config as its list of layers
  if (className === "Sequential" && Array.isArray(config)) {
    return sequential(config, configPath, {}, configPath, r, depth, flow);
  }
  if (!isObject(config) || !Array.isArray(config.layers)) {
    return invalid("the model has no layers", configPath);
  }
  return className === "Sequential"
    ? sequential(config.layers, `${configPath}.layers`, config, configPath, r, depth, flow)
    : functional(config, configPath, r, depth, flow);
}

/** JSON paths of the spec's layers (`layers[2].branches[1][0]`) to the Keras layers they map. */
function specPaths(layers: LayerSpec[], origin: Map<LayerSpec, string>): Map<string, string> {
  const paths = new Map<string, string>();
  const stack: [LayerSpec[], string][] = [[layers, "layers"]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [list, base] = top;
    list.forEach((spec, i) => {
      const at = `${base}[${i}]`;
      const from = origin.get(spec);
      if (from !== undefined) paths.set(at, from);
      if ("branches" in spec && Array.isArray(spec.branches)) {
        spec.branches.forEach((b, j) => {
          stack.push([b as LayerSpec[], `${at}.branches[${j}]`]);
        });
      }
    });
  }
  return paths;
}

/** Keras' names of a cnncalc field, for pointing at the option a spec error is about. */
const KERAS_KEYS: Readonly<Record<string, readonly string[]>> = {
  kernel: ["kernel_size", "pool_size"],
  stride: ["strides"],
  dilation: ["dilation_rate"],
  padding: ["padding"],
  cropping: ["cropping"],
  filters: ["filters"],
  units: ["units"],
  groups: ["groups"],
  scale: ["size"],
  outputPadding: ["output_padding"],
};

/** The span at a JSON path: a layer's object is shown by its class name. */
function spanAt(value: unknown, map: JsonSourceMap, path: string): Span {
  let node = value;
  for (const seg of pathSegments(path)) {
    node =
      isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[seg] : undefined;
  }
  const at = isObject(node) && typeof node.class_name === "string" ? `${path}.class_name` : path;
  return locateJson(value, map, at);
}

/**
 * The warning for layers saved frozen: cnncalc has no frozen layers, so their parameters count as
 * trainable where Keras' summary() lists them as non-trainable; the totals agree, the split not.
 */
function frozenWarnings(frozen: KerasLayer[], spanOf: (path: string) => Span): Warning[] {
  const first = frozen[0];
  if (first === undefined) return [];
  const names = frozen.map((l) =>
    MODEL_LAYERS.has(l.className) ? `${l.name} (a model: all its layers)` : l.name,
  );
  return [
    {
      code: "keras-frozen",
      message: `${counted(frozen.length, "layer")} saved with "trainable": false (${names.join(", ")}): cnncalc counts ${frozen.length === 1 ? "its" : "their"} parameters as trainable, where Keras' summary() counts them as non-trainable; the total is the same`,
      layer: null,
      span: spanOf(`${first.path}.config.trainable`),
    },
  ];
}

/**
 * Reads a Keras or TF.js model's JSON text as a cnncalc spec. Every error carries a JSON path
 * (`config.layers[3].config.padding`) and its span in the text; `locate` maps a spec path
 * (`layers[2].kernel`) to the Keras layer (or option) it came from.
 */
export function parseKeras(
  text: string,
  options: JsonOptions = {},
): ParsedSpec & { warnings: Warning[] } {
  const { value } = parseJson(text, { ...options, spans: false });
  let mapped: { value: unknown; map: JsonSourceMap } | undefined;
  const spanOf = (path: string): Span => {
    mapped ??= parseJson(text, { ...options, spans: true });
    return spanAt(mapped.value, mapped.map, path);
  };
  const maxDepth = Math.min(options.maxDepth ?? KERAS_MAX_NESTING, KERAS_MAX_NESTING);
  const r: Reading = { origin: new Map(), maxDepth, frozen: [] };
  try {
    let model = value;
    let path = "";
    if (isObject(model) && isObject(model.modelTopology)) {
      model = model.modelTopology;
      path = "modelTopology";
    }
    if (isObject(model) && isObject(model.model_config)) {
      model = model.model_config;
      path = path === "" ? "model_config" : `${path}.model_config`;
    }
    if (!isObject(model) || typeof model.class_name !== "string") {
      return invalid(
        'not a Keras model: expected {"class_name": "Sequential" or "Functional", "config": …}',
        // the whole document (path ""), or the part that should have been the model
        path,
      );
    }
    const at = (key: string) => (path === "" ? key : `${path}.${key}`);
    if (!MODEL_CLASSES.has(model.class_name)) {
      return invalid(
        `a Keras model of class "${model.class_name}" (a subclassed model?); cnncalc reads Sequential and Functional models, whose config lists their layers`,
        at("class_name"),
      );
    }
    const read = readModel(model.class_name, model.config, path, r, 0);
    const raw: NetworkSpec = { input: read.input, layers: read.layers };
    const config = model.config;
    if (isObject(config) && typeof config.name === "string") raw.name = config.name;
    const paths = specPaths(read.layers, r.origin);
    const locate = (specPath: string): Span | undefined => {
      if (/^input\b/.test(specPath)) {
        return r.inputPath === undefined ? undefined : spanOf(r.inputPath);
      }
      // the longest layer path the spec path starts with, then the option it names, if Keras has it
      const m = specPath.match(/^(.*?\])((?:\.[A-Za-z]+)*)$/);
      let layerPath = m?.[1] ?? specPath;
      let field = m?.[2]?.split(".")[1];
      while (!paths.has(layerPath)) {
        const cut = layerPath.match(/^(.*\])\.[A-Za-z]+(?:\[\d+\])+$|^(.*\])\[\d+\]$/);
        const shorter = cut?.[1] ?? cut?.[2];
        if (shorter === undefined) return undefined;
        layerPath = shorter;
        field = undefined;
      }
      const from = paths.get(layerPath) as string;
      mapped ??= parseJson(text, { ...options, spans: true });
      const node = pathSegments(from).reduce<unknown>(
        (n, s) => (isObject(n) || Array.isArray(n) ? (n as Record<string, unknown>)[s] : undefined),
        mapped.value,
      );
      const config = isObject(node) && isObject(node.config) ? node.config : {};
      const key = (field === undefined ? [] : (KERAS_KEYS[field] ?? [])).find((k) =>
        Object.hasOwn(config, k),
      );
      return spanOf(key === undefined ? from : `${from}.config.${key}`);
    };
    // the spec schema checks what the Keras options gave (units 0, a negative stride), located
    // at the Keras layer through `locate`
    let spec: NetworkSpec;
    try {
      spec = validateSpec(raw);
    } catch (e) {
      // a spec path is no path into the Keras JSON: unmapped, it points at the whole model
      if (e instanceof CnnError && e.diagnostic.path !== undefined) {
        e.diagnostic.span = locate(e.diagnostic.path) ?? spanOf(path);
      }
      throw e;
    }
    return { spec, locate, warnings: frozenWarnings(r.frozen, spanOf) };
  } catch (e) {
    if (
      e instanceof CnnError &&
      e.diagnostic.span === undefined &&
      e.diagnostic.path !== undefined
    ) {
      e.diagnostic.span = spanOf(e.diagnostic.path);
    }
    throw e;
  }
}

/**
 * Reads a Keras 3 `.keras` archive (its config.json) as a cnncalc spec. Spans, in the result and
 * in an error (with `error.source` the config text and `error.file` "config.json"), point into
 * config.json.
 */
export function parseKerasArchive(bytes: Uint8Array, options: JsonOptions = {}): KerasArchiveSpec {
  return readArchiveWith(bytes, (text) => parseKeras(text, options));
}
