/**
 * Reads an ONNX model (a binary ModelProto) as a cnncalc spec. The graph's nodes, in their
 * topological order, are mapped one by one (onnx/ops.ts) into units: a chain step (one data
 * input), a merge (Add, Mul, Concat of several data tensors) or one output of a Split. The units
 * must form a series-parallel graph, as every torchvision network does: each merge joins branches
 * that fork from one earlier tensor; it becomes a block (`add`, `multiply`, `concat`). Constant
 * subgraphs that only compute settings (Constant, Shape, Gather, ...) are evaluated, never
 * mapped. The parameters cnncalc counts for each node are checked against the sizes of the
 * node's weights in the file (initializers, or the weight inputs' declared shapes of an
 * `export_params=False` export): a difference is an error, since it means a wrong mapping.
 */
import { analyze } from "../core/analyze.js";
import { CnnError, cnnError, errorOf } from "../core/errors.js";
import { resultChildren } from "../core/traits.js";
import type { Assumption, LayerResult, LayerSpec, NetworkSpec } from "../core/types.js";
import { counted } from "../core/words.js";
import { decodeModel } from "./onnx/decode.js";
import {
  has,
  int,
  type OnnxAttribute,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
} from "./onnx/messages.js";
import {
  CHANNELS_LAST_OPS,
  type Flow,
  MERGE_OPS,
  nodeInt,
  nodeLabel,
  OP_MAPPERS,
  type OpContext,
  unsupported,
  WEIGHT_SLOTS,
} from "./onnx/ops.js";
import {
  attributeValue,
  BATCH,
  ELEMENT_BYTES,
  elements,
  evaluate,
  tensorValue,
  type Value,
} from "./onnx/values.js";
import type { ParsedSpec } from "./spec.js";

/** Options of the ONNX reader. */
export interface OnnxOptions {
  /** Deepest nesting of merges accepted. */
  maxDepth?: number;
  /** The input shape `[...spatial, channels]`, replacing the graph input's declared one. */
  input?: number[];
}

/** What the ONNX reader returns: the spec, and its notes. */
export interface OnnxParsed extends ParsedSpec {
  assumptions: Assumption[];
}

/** Graph names exporters give every graph (torch.onnx, tf2onnx, onnx's examples). */
const EXPORTER_GRAPH_NAMES: ReadonlySet<string> = new Set([
  "torch_jit",
  "torch-jit-export",
  "main_graph",
  "tf2onnx",
]);

/**
 * A layer's name from its node's: torch.onnx names a node by its module scope and operator
 * (`/layer1/layer1.0/conv1/Conv`), which reads as the module's path (`layer1.0.conv1`), the name
 * a PyTorch user knows; a scope segment that extends the path so far (`layer1.0` after `layer1`)
 * replaces it. Other names stay as they are; a node without one is `Op_index`.
 */
export function layerName(node: Pick<OnnxNode, "name" | "op_type">, index: number): string {
  const raw = node.name;
  if (!raw) return `${node.op_type}_${index}`;
  if (!raw.startsWith("/")) return raw;
  const segments = raw.slice(1).split("/");
  segments.pop(); // the operator (`Conv`, `Relu_1`)
  let path = "";
  for (const seg of segments) {
    if (seg === "") return raw;
    path = path !== "" && !seg.startsWith(`${path}.`) ? `${path}.${seg}` : seg;
  }
  return path === "" ? raw.slice(1) : path;
}

/** Most merges nested in one another the reader follows (it recurses once per level). */
export const ONNX_MAX_NESTING = 1000;

/** A constant tensor: its dims when known, its values when small, and where it came from. */
interface ConstTensor {
  kind: "const";
  dims?: number[];
  value?: Value;
  /** A parameter of the model (an initializer or a weight input), not a computed setting. */
  weight: boolean;
}

/** A data tensor: the unit that produces it and its flow. */
interface DataTensor {
  kind: "data";
  unit: number;
  flow: Flow;
}

type Tensor = ConstTensor | DataTensor;

/** A step of the graph: the graph input (unit 0), a chain step, a merge or a split output. */
interface Unit {
  /** The node, absent for the graph input. */
  node?: OnnxNode;
  index: number;
  preds: number[];
  layers: LayerSpec[];
  merge?: "add" | "multiply" | "concat";
  /** Weight elements the file gives its node(s). */
  declared: bigint;
}

function graphError(message: string): never {
  throw cnnError("onnx-graph", message);
}

/** The declared dims of a value info: numbers, or undefined for a dynamic dim. */
function declaredDims(info: OnnxValueInfo): (number | undefined)[] | undefined {
  const shape = info.type?.tensor_type?.shape;
  if (shape === undefined || shape === null) return undefined;
  return shape.dim.map((d) => (has(d, "dim_value") ? int(d.dim_value) : undefined));
}

/** Checks an initializer's raw bytes against its dims and element type. */
function checkTensorBytes(t: OnnxTensor): void {
  const raw = t.raw_data;
  const size = ELEMENT_BYTES[t.data_type];
  if (raw === undefined || raw.length === 0 || size === undefined) return;
  const n = elements(t.dims.map(int));
  if (raw.length !== n * size) {
    throw cnnError(
      "onnx-invalid",
      `initializer '${t.name}' holds ${counted(raw.length, "byte")} but its dims [${t.dims.map(int).join(", ")}] need ${counted(n * size, "byte")}`,
    );
  }
}

const text = new TextDecoder();

/** Reads an ONNX model's bytes as a cnncalc spec. */
export function parseOnnx(bytes: Uint8Array, options: OnnxOptions = {}): OnnxParsed {
  const model = decodeModel(bytes);
  const graph = model.graph;
  if (graph === undefined || graph === null || !has(model, "graph"))
    throw cnnError("onnx-invalid", "the ONNX model has no graph");
  const opsetEntry = model.opset_import.find(
    (o) => (o.domain ?? "") === "" || o.domain === "ai.onnx",
  );
  const opset = opsetEntry ? int(opsetEntry.version) : 1;
  const assumptions: Assumption[] = [];
  const maxDepth = Math.min(options.maxDepth ?? ONNX_MAX_NESTING, ONNX_MAX_NESTING);

  const tensors = new Map<string, Tensor>();
  for (const t of graph.initializer) {
    checkTensorBytes(t);
    const value = tensorValue(t);
    tensors.set(t.name, {
      kind: "const",
      dims: t.dims.map(int),
      ...(value ? { value } : {}),
      weight: true,
    });
  }
  // the data input: the first graph input that is not an initializer (torch lists it first);
  // any others are weights of an export_params=False export, with their declared shapes
  const inputs = graph.input.filter((i) => !tensors.has(i.name));
  const dataInput = inputs[0];
  if (dataInput === undefined) graphError("the ONNX graph has no input");
  for (const w of inputs.slice(1)) {
    const dims = declaredDims(w);
    tensors.set(w.name, {
      kind: "const",
      ...(dims?.every((d) => d !== undefined) ? { dims: dims as number[] } : {}),
      weight: true,
    });
  }
  const declared = declaredDims(dataInput);
  if (declared === undefined || declared.length < 2)
    graphError(
      `the graph input '${dataInput.name}' declares no shape of rank 2 or more ([N, C, ...]); give --input`,
    );
  const batch = declared[0];
  let input: number[];
  if (options.input !== undefined) {
    input = options.input;
  } else {
    const rest = declared.slice(1);
    if (rest.some((d) => d === undefined)) {
      throw cnnError(
        "onnx-input-shape",
        `the graph input '${dataInput.name}' has dynamic dimensions [${declared.map((d) => d ?? "?").join(", ")}]; give the input shape with --input (channels last, e.g. --input 224x224x3)`,
      );
    }
    const [c, ...spatial] = rest as number[];
    input = [...spatial, c as number];
  }
  const units: Unit[] = [{ index: -1, preds: [], layers: [], declared: 0n }];
  tensors.set(dataInput.name, {
    kind: "data",
    unit: 0,
    flow: { rank: input.length - 1, channels: input[input.length - 1] },
  });

  // who reads each tensor: for the patterns that span nodes (a MatMul's bias, GELU's formula)
  const readers = new Map<string, number[]>();
  graph.node.forEach((node, index) => {
    for (const name of node.input) readers.set(name, [...(readers.get(name) ?? []), index]);
  });
  const consumersOf = (name: string) => readers.get(name)?.length ?? 0;
  /** The one node reading `name`, if exactly one does. */
  const soleReader = (name: string | undefined): number | undefined => {
    const r = name === undefined ? undefined : readers.get(name);
    return r?.length === 1 ? r[0] : undefined;
  };
  const producers = new Map<string, OnnxNode>();
  for (const node of graph.node) for (const out of node.output) producers.set(out, node);
  /**
   * Whether input `slot` of a node is a one-value constant close to `x`: an initializer, or a
   * Constant node (which may come later in the graph than the pattern's first node).
   */
  const constantNear = (node: OnnxNode | undefined, slot: number, x: number): boolean => {
    const name = node?.input[slot];
    if (name === undefined) return false;
    const t = tensors.get(name);
    const made = producers.get(name);
    const attr = made?.op_type === "Constant" ? made.attribute[0] : undefined;
    const v =
      t?.kind === "const"
        ? t.value?.data
        : attr === undefined
          ? undefined
          : attributeValue(attr)?.data;
    return v?.length === 1 && typeof v[0] === "number" && Math.abs(v[0] - x) < 1e-6 * Math.abs(x);
  };
  /**
   * PyTorch 1.13's GELU (before the opset-20 operator): x·0.5·(1 + erf(x/√2)) as Div, Erf, Add,
   * Mul, Mul. Returns the nodes after the Div when `div` starts one.
   */
  const geluAt = (div: OnnxNode): number[] | undefined => {
    const x = div.input[0];
    const erf = soleReader(div.output[0]);
    const add = soleReader(erf === undefined ? undefined : graph.node[erf]?.output[0]);
    const mul = soleReader(add === undefined ? undefined : graph.node[add]?.output[0]);
    const half = soleReader(mul === undefined ? undefined : graph.node[mul]?.output[0]);
    if (erf === undefined || add === undefined || mul === undefined || half === undefined)
      return undefined;
    const [e, a, m, h] = [erf, add, mul, half].map((i) => graph.node[i] as OnnxNode);
    const addConst = (n: OnnxNode | undefined) => constantNear(n, 0, 1) || constantNear(n, 1, 1);
    const ok =
      constantNear(div, 1, Math.SQRT2) &&
      e?.op_type === "Erf" &&
      a?.op_type === "Add" &&
      addConst(a) &&
      m?.op_type === "Mul" &&
      m.input.includes(x as string) &&
      h?.op_type === "Mul" &&
      (constantNear(h, 0, 0.5) || constantNear(h, 1, 0.5));
    return ok ? [erf, add, mul, half] : undefined;
  };
  const skipped = new Set<number>();

  let norms = 0;
  let convBiases = 0;
  graph.node.forEach((node, index) => {
    if (skipped.has(index)) return;
    const label = () => nodeLabel(node, index);
    const ins = node.input.map((name) => {
      if (name === "") return undefined;
      const t = tensors.get(name);
      if (t === undefined) graphError(`${label()}: its input '${name}' is made by no earlier node`);
      return t;
    });
    const attrs = new Map<string, OnnxAttribute>(node.attribute.map((a) => [a.name, a]));
    const attr = (name: string) => {
      const a = attrs.get(name);
      return a === undefined ? undefined : attributeValue(a);
    };
    const data = ins.flatMap((t, slot) => (t?.kind === "data" ? [{ t, slot }] : []));
    if (node.domain !== "" && node.domain !== "ai.onnx")
      unsupported({ node, index }, `an operator of domain '${node.domain}'`);
    const op = node.op_type;
    if (data.length === 0) {
      // a constant subgraph: computed when the reader knows how, else left opaque
      const values = ins.map((t) => (t?.kind === "const" ? t.value : undefined));
      let value: Value | undefined;
      if (op === "Constant") {
        const a = node.attribute[0];
        value = a === undefined ? undefined : attributeValue(a);
      } else if (node.output.length === 1) value = evaluate(op, values, attr);
      const first = ins[0];
      const alias = (op === "Identity" || op === "Cast") && first?.kind === "const";
      const weight = alias ? first.weight : false;
      const dims =
        value?.dims ??
        (alias ? first.dims : op === "Constant" ? node.attribute[0]?.t?.dims.map(int) : undefined);
      for (const out of node.output) {
        tensors.set(out, {
          kind: "const",
          ...(dims ? { dims } : {}),
          ...(value ? { value } : {}),
          weight,
        });
      }
      return;
    }
    const flow = (data[0] as { t: DataTensor }).t.flow;
    if (op === "Shape") {
      // the shape of a data tensor: the batch, the channels when known, the rest unknown
      const n = flow.rank + 2;
      const d = Array.from({ length: n }, (_, i) =>
        i === 0 ? BATCH : i === 1 ? (flow.channels ?? null) : null,
      );
      tensors.set(node.output[0] as string, {
        kind: "const",
        dims: [n],
        value: { dims: [n], data: d },
        weight: false,
      });
      return;
    }
    if (op === "Identity") {
      tensors.set(node.output[0] as string, (data[0] as { t: DataTensor }).t);
      return;
    }
    if (op === "Div" && data.length === 1 && (data[0] as { slot: number }).slot === 0) {
      const gelu = geluAt(node);
      if (gelu !== undefined) {
        const x = (data[0] as { t: DataTensor }).t;
        units.push({
          node,
          index,
          preds: [x.unit],
          layers: [{ type: "activation", name: layerName(node, index), function: "gelu" }],
          declared: 0n,
        });
        for (const i of gelu) skipped.add(i);
        const last = graph.node[gelu[3] as number] as OnnxNode;
        tensors.set(last.output[0] as string, {
          kind: "data",
          unit: units.length - 1,
          flow: x.flow,
        });
        return;
      }
    }
    if (flow.shuffle !== undefined && op !== "Reshape" && op !== "Transpose")
      unsupported({ node, index }, "a tensor in the middle of a channel shuffle (Reshape to 5-D)");
    if (
      flow.layout === "last" &&
      !CHANNELS_LAST_OPS.has(op) &&
      !(op === "Add" && data.length === 1)
    )
      unsupported({ node, index }, "a channels-last view (after a Transpose) as its input");
    const weightDeclared = (slots: readonly number[]): bigint => {
      let sum = 0n;
      for (const slot of slots) {
        const t = ins[slot];
        if (t === undefined) continue;
        if (t.kind !== "const" || t.dims === undefined)
          unsupported({ node, index }, `its input ${slot} is not a weight of known shape`);
        sum += BigInt(elements(t.dims));
      }
      return sum;
    };
    const merge = MERGE_OPS[op];
    if (merge !== undefined && data.length >= 2) {
      if (data.length !== ins.length)
        unsupported({ node, index }, "a merge of data tensors and constants");
      const flows = data.map((d) => d.t.flow);
      if (flows.some((f) => f.layout !== undefined || f.shuffle !== undefined))
        unsupported({ node, index }, "a merge of reshaped or channels-last tensors");
      if (merge === "concat") {
        const axis = nodeInt(node, "axis", 1);
        const R = Math.max(...flows.map((f) => f.rank)) + 2;
        if ((axis < 0 ? axis + R : axis) !== 1)
          unsupported({ node, index }, `a concat on axis ${axis} (only the channels, axis 1)`);
      }
      const chans = flows.map((f) => f.channels);
      const channels = chans.some((c) => c === undefined)
        ? undefined
        : merge === "concat"
          ? (chans as number[]).reduce((a, b) => a + b, 0)
          : Math.max(...(chans as number[]));
      units.push({
        node,
        index,
        preds: data.map((d) => d.t.unit),
        layers: [],
        merge,
        declared: 0n,
      });
      tensors.set(node.output[0] as string, {
        kind: "data",
        unit: units.length - 1,
        flow: { rank: Math.max(...flows.map((f) => f.rank)), channels },
      });
      return;
    }
    if ((op === "Concat" || op === "Sum") && ins.length === 1) {
      // torch.cat of a one-tensor list (DenseNet's first layer): the tensor itself
      tensors.set(node.output[0] as string, (data[0] as { t: DataTensor }).t);
      return;
    }
    if (data.length > 1) unsupported({ node, index }, "several data inputs");
    const from = data[0] as { t: DataTensor; slot: number };
    if (from.slot !== 0 && merge === undefined)
      unsupported({ node, index }, `a data tensor as its input ${from.slot}`);
    if (merge !== undefined) {
      // Add or Mul of a data tensor and a constant: a dense layer's bias (MatMul then Add), a
      // per-channel scale (LayerScale); anything else has no exact mapping
      const other = ins[from.slot === 0 ? 1 : 0];
      const prev = units[from.t.unit] as Unit;
      const last = prev.layers[prev.layers.length - 1];
      const size = other?.kind === "const" && other.dims ? elements(other.dims) : undefined;
      const width = last?.type === "dense" ? last.units : last?.type === "conv" ? last.filters : 0;
      if (
        op === "Add" &&
        prev.node?.op_type === "MatMul" &&
        (last?.type === "dense" || last?.type === "conv") &&
        last.bias === false &&
        size === width &&
        consumersOf(node.input[from.slot] as string) === 1
      ) {
        last.bias = true;
        prev.declared += BigInt(size);
        tensors.set(node.output[0] as string, from.t);
        return;
      }
      if (
        op === "Mul" &&
        other?.kind === "const" &&
        other.weight &&
        size !== undefined &&
        size === from.t.flow.channels
      ) {
        units.push({
          node,
          index,
          preds: [from.t.unit],
          layers: [{ type: "layerscale", name: layerName(node, index) }],
          declared: BigInt(size),
        });
        tensors.set(node.output[0] as string, {
          kind: "data",
          unit: units.length - 1,
          flow: from.t.flow,
        });
        return;
      }
      unsupported({ node, index }, `${op} of a data tensor and a constant`);
    }
    if (op === "Split") {
      const axis = nodeInt(node, "axis", 0);
      if ((axis < 0 ? axis + flow.rank + 2 : axis) !== 1)
        unsupported({ node, index }, `a split on axis ${axis} (only the channels, axis 1)`);
      const C = flow.channels;
      if (C === undefined) unsupported({ node, index }, "its input's channels are not known");
      const given = ins[1]?.kind === "const" ? ins[1].value : attr("split");
      const n = node.output.length;
      const sizes = given?.data ?? new Array(n).fill(C / n);
      if (sizes.length !== n || sizes.some((s) => typeof s !== "number" || !Number.isInteger(s)))
        unsupported({ node, index }, "split sizes that are not constants");
      let start = 0;
      node.output.forEach((out, k) => {
        const s = sizes[k] as number;
        units.push({
          node,
          index,
          preds: [from.t.unit],
          layers: [
            {
              type: "slice",
              name: `${layerName(node, index)}/${k}`,
              channels: [start, start + s],
            },
          ],
          declared: 0n,
        });
        tensors.set(out, { kind: "data", unit: units.length - 1, flow: { ...flow, channels: s } });
        start += s;
      });
      return;
    }
    const mapper = OP_MAPPERS[op];
    if (mapper === undefined) unsupported({ node, index }, "an operator with no cnncalc mapping");
    const name = layerName(node, index);
    const ctx: OpContext = {
      node,
      index,
      name,
      flow,
      attr,
      str: (n) => {
        const s = attrs.get(n)?.s;
        return s === undefined || s.length === 0 ? undefined : text.decode(s);
      },
      input: (slot) => {
        const t = ins[slot];
        return t?.kind === "const" ? t.value : undefined;
      },
      given: (slot) => ins[slot] !== undefined,
      dims: (slot) => {
        const t = ins[slot];
        return t?.kind === "const" ? t.dims : undefined;
      },
      assume: (code, message) => {
        assumptions.push({ code, message });
      },
    };
    const mapped = mapper(ctx, opset, batch);
    // any normalisation: a network with LayerNorm (ConvNeXt) has no BatchNorm to have folded
    if (op.endsWith("Normalization")) norms++;
    if ((op === "Conv" || op === "ConvTranspose" || op === "Gemm") && ctx.given(2)) convBiases++;
    const extra = node.output.slice(1).filter((o) => o !== "");
    if (op !== "Dropout" && extra.length > 0) unsupported({ node, index }, "more than one output");
    const out = node.output[0] as string;
    if (mapped.layers.length === 0) {
      tensors.set(out, { kind: "data", unit: from.t.unit, flow: mapped.flow });
      return;
    }
    units.push({
      node,
      index,
      preds: [from.t.unit],
      layers: mapped.layers,
      declared: weightDeclared(WEIGHT_SLOTS[op] ?? []),
    });
    tensors.set(out, { kind: "data", unit: units.length - 1, flow: mapped.flow });
  });

  const outputs = graph.output.filter((o) => tensors.get(o.name)?.kind === "data");
  if (outputs.length !== 1)
    graphError(
      `the ONNX graph has ${outputs.length} data outputs (${graph.output.map((o) => `'${o.name}'`).join(", ")}); cnncalc reads a graph with one`,
    );
  const outUnit = (tensors.get((outputs[0] as OnnxValueInfo).name) as DataTensor).unit;
  const layers = seriesParallel(units, outUnit, maxDepth);
  const spec: NetworkSpec = { input, layers };
  // an exporter's fixed graph name says nothing: the file's name names the analysis instead
  if (graph.name && !EXPORTER_GRAPH_NAMES.has(graph.name)) spec.name = graph.name;
  if (norms === 0 && convBiases > 0) {
    assumptions.push({
      code: "onnx-no-batchnorm",
      message:
        "the graph has no BatchNormalization: the counts are of the graph as exported (an eval-mode PyTorch export folds BatchNorm into the convolutions' weights and biases; export with training=torch.onnx.TrainingMode.PRESERVE to keep it)",
    });
  }
  crossCheck(spec, units, options.input !== undefined);
  return { spec, locate: () => undefined, assumptions };
}

/**
 * Arranges the units as nested blocks: a chain from the input to the output where each merge
 * is a block whose branches run from the tensor they fork from. Fails, naming the node, when the
 * graph is not series-parallel or a unit is not on the way to the output.
 */
function seriesParallel(units: Unit[], out: number, maxDepth: number): LayerSpec[] {
  const label = (u: Unit) => (u.node ? nodeLabel(u.node, u.index) : "the graph input");
  const notSP = (u: Unit, why: string): never =>
    graphError(
      `${label(u)}: ${why}; cnncalc reads graphs made of chains and of branches that fork from one tensor and merge once (series-parallel)`,
    );
  const consumers = new Array<number>(units.length).fill(0);
  for (const u of units) for (const p of u.preds) consumers[p] = (consumers[p] ?? 0) + 1;
  const forks = new Map<number, number>();
  const level: number[] = [0];
  const back = (id: number): number => {
    const u = units[id] as Unit;
    return u.preds.length === 1 ? (u.preds[0] as number) : (forks.get(id) as number);
  };
  for (let id = 1; id < units.length; id++) {
    const u = units[id] as Unit;
    if (u.preds.length > 1) {
      const at = [...u.preds];
      while (at.some((t) => t !== at[0])) {
        const top = Math.max(...at.map((t) => level[t] as number));
        if (top === 0) notSP(u, "its inputs share no earlier tensor");
        for (let i = 0; i < at.length; i++)
          if (level[at[i] as number] === top) at[i] = back(at[i] as number);
      }
      forks.set(id, at[0] as number);
    }
    level[id] = (level[back(id)] as number) + 1;
  }
  const emitted = new Set<number>();
  const chain = (from: number, to: number, depth: number): LayerSpec[] => {
    const path: number[] = [];
    let cur = to;
    let fromMerge = true;
    while (cur !== from) {
      const u = units[cur] as Unit;
      if (cur === 0) notSP(units[to] as Unit, "a branch reaches back past its fork");
      if (!fromMerge && consumers[cur] !== 1)
        notSP(u, "its output feeds nodes in more than one branch");
      path.push(cur);
      fromMerge = u.preds.length !== 1;
      cur = back(cur);
    }
    const layers: LayerSpec[] = [];
    for (const id of path.reverse()) {
      const u = units[id] as Unit;
      if (emitted.has(id)) notSP(u, "it is reached twice");
      emitted.add(id);
      if (u.merge === undefined) {
        layers.push(...u.layers);
        continue;
      }
      if (depth >= maxDepth)
        throw cnnError("too-deep", `${label(u)} is nested in more than ${maxDepth} merges`);
      const fork = forks.get(id) as number;
      if (consumers[fork] !== u.preds.length)
        notSP(u, "the tensor its branches fork from also feeds other nodes");
      const branches = u.preds.map((p) => (p === fork ? [] : chain(fork, p, depth + 1)));
      const name = layerName(u.node as OnnxNode, u.index);
      // torch's SiLU exports as x · sigmoid(x): one activation, not a block
      const [a, b] = branches;
      const gate = a?.length === 0 ? b : b?.length === 0 ? a : undefined;
      const only = gate?.[0];
      if (
        u.merge === "multiply" &&
        branches.length === 2 &&
        gate?.length === 1 &&
        only?.type === "activation" &&
        only.function === "sigmoid"
      ) {
        layers.push({ type: "activation", name, function: "silu" });
        continue;
      }
      layers.push({ type: u.merge, name, branches } as LayerSpec);
    }
    return layers;
  };
  const layers = chain(0, out, 0);
  for (let id = 1; id < units.length; id++) {
    if (!emitted.has(id)) {
      const u = units[id] as Unit;
      graphError(`${label(u)}: its output does not lead to the graph's output`);
    }
  }
  return layers;
}

/** The deepest layer on a spec path such as `layers[3].branches[1][0].kernel`. */
function layerAt(spec: NetworkSpec, path: string): LayerSpec | undefined {
  let cur: unknown = spec;
  let layer: LayerSpec | undefined;
  for (const m of path.matchAll(/(\w+)|\[(\d+)\]/g)) {
    if (cur === null || typeof cur !== "object") break;
    cur = (cur as Record<string, unknown>)[m[1] ?? Number(m[2])];
    if (cur !== null && typeof cur === "object" && "type" in cur) layer = cur as LayerSpec;
  }
  return layer;
}

/**
 * Checks the parameters cnncalc counts for each node against the sizes of the node's weights in
 * the file; a difference means a wrong mapping (or a file cnncalc misreads), so it is an error.
 */
function crossCheck(spec: NetworkSpec, units: Unit[], inputGiven: boolean): void {
  const owner = new Map<LayerSpec, Unit>();
  for (const u of units) for (const l of u.layers) owner.set(l, u);
  let analysis: ReturnType<typeof analyze>;
  try {
    analysis = analyze(spec);
  } catch (e) {
    // a binary file has no line to point at: the error names the node its layer came from
    const d = e instanceof CnnError ? e.diagnostic : undefined;
    const at = d?.path === undefined ? undefined : layerAt(spec, d.path);
    const u = at === undefined ? undefined : owner.get(at);
    if (d === undefined || u?.node === undefined) throw e;
    throw errorOf({ ...d, message: `${nodeLabel(u.node, u.index)}: ${d.message}` });
  }
  const counts = new Map<Unit, bigint>();
  const walk = (results: readonly LayerResult[]) => {
    for (const r of results) {
      const u = owner.get(r.spec);
      if (u !== undefined) {
        counts.set(u, (counts.get(u) ?? 0n) + r.trainableParameters + r.nonTrainableParameters);
      } else walk(resultChildren(r));
    }
  };
  walk(analysis.layers);
  for (const u of units) {
    if (u.node === undefined || u.merge !== undefined) continue;
    const c = counts.get(u) ?? 0n;
    if (c !== u.declared) {
      throw cnnError(
        "onnx-param-mismatch",
        `${nodeLabel(u.node, u.index)}: cnncalc counts ${counted(Number(c), "parameter")} for it, the file's weights hold ${counted(Number(u.declared), "value")}; ${inputGiven ? "the input shape given (--input) does not fit the model, or the mapping is wrong for this node" : "the mapping is wrong for this node"}`,
      );
    }
  }
}
