/**
 * Keras fixtures with their recorded totals (test/fixtures/keras: TF.js-written Keras 2 JSON with
 * TF.js's own counts, Keras 3 .keras archives with hand-worked counts), .keras archive errors,
 * and errors located in the model's JSON (a line and a caret).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { strToU8, unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/core/analyze.js";
import { CnnError } from "../../src/core/errors.js";
import type { NetworkSpec } from "../../src/core/types.js";
import { formatDiagnostic } from "../../src/format/diagnostic.js";
import { specToJson } from "../../src/format/spec-json.js";
import { PLAIN } from "../../src/format/style.js";
import { specToText } from "../../src/format/text.js";
import { isZip } from "../../src/parse/detect.js";
import { readKerasArchive } from "../../src/parse/keras/archive.js";
import { parseKeras, parseKerasArchive } from "../../src/parse/keras.js";
import { parseJsonSpec } from "../../src/parse/spec.js";
import { parseTextSpec } from "../../src/parse/text.js";

const DIR = "test/fixtures/keras";

interface Expected {
  file: string;
  format: string;
  parameters: number;
  trainable: number;
  nonTrainable: number;
  output: number[];
}

const FIXTURES = readdirSync(DIR)
  .filter((f) => f.endsWith(".expected.json"))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(DIR, f), "utf8")) as Expected);

/** A fixture's spec, through the archive reader for a .keras file, else the JSON reader. */
function specOf(file: string): NetworkSpec {
  const path = join(DIR, file);
  if (file.endsWith(".keras")) return parseKerasArchive(readFileSync(path)).spec;
  return parseKeras(readFileSync(path, "utf8")).spec;
}

function totalsOf(spec: NetworkSpec) {
  const a = analyze(spec);
  return {
    parameters: Number(a.totals.parameters),
    trainable: Number(a.totals.trainableParameters),
    nonTrainable: Number(a.totals.nonTrainableParameters),
    output: [...a.output.dims, a.output.channels],
  };
}

const recorded = (e: Expected) => ({
  parameters: e.parameters,
  trainable: e.trainable,
  nonTrainable: e.nonTrainable,
  output: e.output,
});

describe("Keras fixtures give the totals recorded beside them", () => {
  it("has the fixtures the issue asks for: a Keras 2 model.json and Keras 3 .keras files", () => {
    expect(FIXTURES.map((f) => f.file)).toEqual([
      "keras3-functional-cnn.keras",
      "keras3-real-mnist-cnn.keras",
      "keras3-sequential-cnn.keras",
      "tfjs-functional-cnn.json",
      "tfjs-small-cnn.model.json",
    ]);
  });

  it.each(FIXTURES.map((f) => [f.file, f] as const))("%s", (file, expected) => {
    expect(totalsOf(specOf(file))).toEqual(recorded(expected));
  });

  it.each(FIXTURES.map((f) => [f.file, f] as const))(
    "%s converted to a text spec and to a JSON spec reads back with the same totals",
    (file, expected) => {
      const spec = specOf(file);
      expect(totalsOf(parseTextSpec(specToText(spec)).spec)).toEqual(recorded(expected));
      expect(totalsOf(parseJsonSpec(specToJson(spec)).spec)).toEqual(recorded(expected));
    },
  );
});

/** The error a call throws. */
function thrown(call: () => unknown): CnnError {
  try {
    call();
  } catch (e) {
    if (e instanceof CnnError) return e;
    throw e;
  }
  throw new Error("expected a CnnError; the call succeeded");
}

const zip = (members: Record<string, Uint8Array>) => zipSync(members, { level: 0 });
const FUNCTIONAL = readFileSync(join(DIR, "keras3-functional-cnn.keras"));

describe("reading a .keras archive", () => {
  it("reads config.json and metadata.json, and lists the members", () => {
    const a = readKerasArchive(FUNCTIONAL);
    expect(a.members).toEqual(["metadata.json", "config.json", "model.weights.h5"]);
    expect(a.metadata).toEqual({ kerasVersion: "3.16.0", dateSaved: "2026-12-01@00:00:00" });
    expect(JSON.parse(a.configText).class_name).toBe("Functional");
    const parsed = parseKerasArchive(FUNCTIONAL);
    expect(parsed.member).toBe("config.json");
    expect(parsed.source).toBe(a.configText);
    expect(parsed.spec.name).toBe("functional");
  });

  it("never inflates the weights: weights in a compression no reader knows do not matter", () => {
    const config = readKerasArchive(FUNCTIONAL).configText;
    const bytes = zip({
      "config.json": strToU8(config),
      "model.weights.h5": new Uint8Array(4096).fill(7),
    });
    // mark the weights as compressed with method 99 (none exists): inflating them would fail
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const name = "model.weights.h5";
    const nameAt = (at: number) => new TextDecoder().decode(bytes.subarray(at, at + name.length));
    let marked = 0;
    for (let i = 0; i + 46 < bytes.length; i++) {
      const sig = view.getUint32(i, true);
      if (sig === 0x04034b50 && nameAt(i + 30) === name) {
        view.setUint16(i + 8, 99, true);
        marked++;
      }
      if (sig === 0x02014b50 && nameAt(i + 46) === name) {
        view.setUint16(i + 10, 99, true);
        marked++;
      }
    }
    expect(marked).toBe(2);
    expect(() => unzipSync(bytes)).toThrow(/compression/);
    expect(totalsOf(parseKerasArchive(bytes).spec).parameters).toBe(4714);
  });

  it("tells a zip by its magic bytes", () => {
    expect(isZip(FUNCTIONAL)).toBe(true);
    expect(isZip(strToU8("{}"))).toBe(false);
  });

  it.each([
    ["not a zip", strToU8('{"class_name": "Sequential"}'), "invalid-archive", "not a zip archive"],
    ["an empty file", new Uint8Array(0), "invalid-archive", "received no bytes"],
    ["a cut-off zip", FUNCTIONAL.subarray(0, 600), "invalid-archive", "the zip archive is damaged"],
    [
      "no config.json (listing what is there)",
      readFileSync(join(DIR, "broken-no-config.keras")),
      "missing-config",
      `the zip archive has no config.json, so it is not a Keras 3 .keras file (Keras' model.save writes config.json, metadata.json and model.weights.h5): it holds "metadata.json", "model.weights.h5"`,
    ],
    [
      "config.json not UTF-8",
      zip({ "config.json": new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) }),
      "invalid-utf8",
      "the archive's config.json is not UTF-8 text",
    ],
  ])("%s is an error", (_, bytes, code, message) => {
    const e = thrown(() => parseKerasArchive(bytes));
    expect(e.diagnostic.code).toBe(code);
    expect(e.diagnostic.message).toContain(message);
  });

  it("config.json that is not JSON is located in config.json", () => {
    const e = thrown(() =>
      parseKerasArchive(
        zip({ "config.json": strToU8('{\n  "class_name": "Sequential",\n  x\n}') }),
      ),
    );
    expect(e.diagnostic.code).toBe("json-syntax");
    expect(e.file).toBe("config.json");
    const shown = formatDiagnostic(e.diagnostic, PLAIN, {
      file: `model.keras:${e.file}`,
      source: e.source as string,
    });
    expect(shown.split("\n")[0]).toMatch(/^model\.keras:config\.json:3:3: error: /);
  });

  it("a layer cnncalc cannot count is located in config.json", () => {
    const config = JSON.parse(readKerasArchive(FUNCTIONAL).configText);
    config.config.layers[3].config.padding = "causal";
    const text = JSON.stringify(config, null, 2);
    const e = thrown(() => parseKerasArchive(zip({ "config.json": strToU8(text) })));
    expect(e.diagnostic.code).toBe("keras-layer");
    expect(e.diagnostic.path).toBe("config.layers[3].config.padding");
    expect(e.source).toBe(text);
    const shown = formatDiagnostic(e.diagnostic, PLAIN, {
      file: "m.keras:config.json",
      source: text,
    });
    expect(shown).toContain('"padding": "causal",');
    expect(shown).toContain('Keras layer "conv2d_1" (Conv2D): padding "causal"');
  });
});

/** The first two lines a diagnostic shows (place and message, then the source line). */
function shown(text: string): string[] {
  const e = thrown(() => parseKeras(text));
  const lines = formatDiagnostic(e.diagnostic, PLAIN, { file: "m.json", source: text }).split("\n");
  return [lines[0] as string, (lines[1] as string).replace(/^\d+ \| /, ""), lines[2] as string];
}

const SMALL = readFileSync(join(DIR, "tfjs-small-cnn.model.json"), "utf8");
const edit = (
  f: (m: { modelTopology: { config: { layers: Record<string, unknown>[] } } }) => void,
) => {
  const m = JSON.parse(SMALL);
  f(m);
  return JSON.stringify(m, null, 1);
};

describe("Keras errors point into the file", () => {
  it("an option cnncalc cannot count: at the option", () => {
    const text = edit((m) => {
      (m.modelTopology.config.layers[0] as { config: Record<string, unknown> }).config.padding =
        "causal";
    });
    const [head, line, caret] = shown(text);
    expect(head).toMatch(
      /^m\.json:\d+:\d+: error: modelTopology\.config\.layers\[0\]\.config\.padding: Keras layer "conv2d_Conv2D\d+" \(Conv2D\): padding "causal"/,
    );
    expect(line?.trim()).toBe('"padding": "causal",');
    expect(caret).toMatch(/\^{8}$/);
  });

  it("a class with no mapping: at its class name", () => {
    const text = edit((m) => {
      (m.modelTopology.config.layers[2] as { class_name: string }).class_name = "LSTM";
    });
    const [head, line] = shown(text);
    expect(head).toContain("layers[2].class_name: Keras layer");
    expect(head).toContain("(LSTM): a layer class with no cnncalc mapping");
    expect(line?.trim()).toBe('"class_name": "LSTM",');
  });

  it("a value the spec schema refuses (Dense units 0): at the Keras option", () => {
    const text = edit((m) => {
      (m.modelTopology.config.layers[9] as { config: Record<string, unknown> }).config.units = 0;
    });
    const [head, line] = shown(text);
    expect(head).toContain("expected a positive integer; received 0");
    expect(line?.trim()).toBe('"units": 0,');
  });

  it("a merge in a Keras 3 functional model whose input is missing: at its inbound nodes", () => {
    const config = JSON.parse(readKerasArchive(FUNCTIONAL).configText);
    config.config.layers[4].inbound_nodes[0].args[0][1].config.keras_history[0] = "nowhere";
    const [head, line] = shown(JSON.stringify(config, null, 1));
    expect(head).toContain('config.layers[4].inbound_nodes: no layer named "nowhere" in the model');
    expect(line?.trim()).toBe('"inbound_nodes": [');
  });

  it("an input shape cnncalc does not take: at the InputLayer's shape", () => {
    const text = edit((m) => {
      const input = m.modelTopology.config.layers[0] as { config: Record<string, unknown> };
      input.config.batch_input_shape = [null, 2, 2, 2, 28, 1];
    });
    const [head, line] = shown(text);
    expect(head).toContain("input: expected [height, width, channels]");
    expect(line?.trim()).toBe('"batch_input_shape": [');
  });

  it("an error the analysis finds is located through the reader's locator", () => {
    const text = edit((m) => {
      const layers = m.modelTopology.config.layers;
      (layers[2] as { config: Record<string, unknown> }).config.pool_size = [40, 40];
    });
    const parsed = parseKeras(text);
    const e = thrown(() => analyze(parsed.spec));
    expect(e.diagnostic.path).toBe("layers[2].kernel");
    const span = parsed.locate(e.diagnostic.path as string);
    expect(span && text.slice(span.start, span.start + 1)).toBe("[");
    const before = text.slice(0, span?.start);
    expect(before.slice(before.lastIndexOf("\n")).trim()).toBe('"pool_size":');
  });
});

describe("Keras 3 and Keras 2 forms", () => {
  const input = (config: Record<string, unknown>) => ({
    class_name: "InputLayer",
    name: "in",
    config: { name: "in", ...config },
    inbound_nodes: [],
  });
  const dense = (name: string, from: string) => ({
    module: "keras.layers",
    class_name: "Dense",
    name,
    config: {
      name,
      units: 4,
      dtype: { module: "keras", class_name: "DTypePolicy", config: { name: "float32" } },
    },
    registered_name: null,
    build_config: { input_shape: [null, 6] },
    inbound_nodes: [
      {
        args: [
          {
            class_name: "__keras_tensor__",
            config: { shape: [null, 6], dtype: "float32", keras_history: [from, 0, 0] },
          },
        ],
        kwargs: {},
      },
    ],
  });

  it("a TF.js converter's model.json of a Keras 3 model: modelTopology.model_config", () => {
    const config = JSON.parse(readKerasArchive(FUNCTIONAL).configText);
    const wrap = (c: unknown) =>
      JSON.stringify({
        format: "layers-model",
        generatedBy: "keras v3.10.0",
        convertedBy: "TensorFlow.js Converter v4.22.0",
        modelTopology: { keras_version: "3.10.0", backend: "tensorflow", model_config: c },
      });
    expect(totalsOf(parseKeras(wrap(config)).spec).parameters).toBe(4714);
    config.config.layers[1].class_name = "GRU";
    const e = thrown(() => parseKeras(wrap(config)));
    expect(e.diagnostic.path).toBe("modelTopology.model_config.config.layers[1].class_name");
  });

  it("a Keras 3 Sequential built without an Input: its build_input_shape", () => {
    const text = JSON.stringify({
      class_name: "Sequential",
      config: {
        name: "s",
        layers: [{ class_name: "Dense", config: { name: "d", units: 3 } }],
        build_input_shape: [null, 5],
      },
    });
    expect(totalsOf(parseKeras(text).spec).parameters).toBe(18);
  });

  it("a Sequential model nested in a functional one expands in place", () => {
    const inner = {
      module: "keras",
      class_name: "Sequential",
      name: "head",
      config: {
        name: "head",
        layers: [
          { class_name: "InputLayer", config: { name: "i", batch_shape: [null, 4] } },
          { class_name: "Dense", config: { name: "h1", units: 2 } },
        ],
      },
      inbound_nodes: [
        {
          args: [{ class_name: "__keras_tensor__", config: { keras_history: ["d", 0, 0] } }],
          kwargs: {},
        },
      ],
    };
    const text = JSON.stringify({
      class_name: "Functional",
      config: {
        layers: [input({ batch_shape: [null, 6] }), dense("d", "in"), inner],
        input_layers: ["in", 0, 0],
        output_layers: ["head", 0, 0],
      },
    });
    // d: 6*4 + 4 = 28; h1: 4*2 + 2 = 10
    expect(totalsOf(parseKeras(text).spec).parameters).toBe(38);
  });

  it.each([
    ["a Reshape to one dimension is a flatten", [-1], 4 * 4 * 3 * 2 + 2],
    [
      "GlobalAveragePooling2D then Reshape((1, 1, C)) keeps the pool's dimensions",
      [1, 1, 3],
      3 * 2 + 2,
    ],
  ])("%s", (_, target, parameters) => {
    const pool = target.length > 1;
    const layers = [
      { class_name: "InputLayer", config: { name: "i", batch_shape: [null, 4, 4, 3] } },
      ...(pool ? [{ class_name: "GlobalAveragePooling2D", config: { name: "g" } }] : []),
      { class_name: "Reshape", config: { name: "r", target_shape: target } },
      { class_name: "Dense", config: { name: "d", units: 2 } },
    ];
    const spec = parseKeras(JSON.stringify({ class_name: "Sequential", config: { layers } })).spec;
    const t = totalsOf(spec);
    expect(t.parameters).toBe(parameters);
    expect(t.output).toEqual(pool ? [1, 1, 2] : [2]);
  });

  it("any other Reshape is refused at its target_shape", () => {
    const layers = [
      { class_name: "InputLayer", config: { name: "i", batch_shape: [null, 4, 4, 3] } },
      { class_name: "Reshape", config: { name: "r", target_shape: [16, 3] } },
    ];
    const e = thrown(() =>
      parseKeras(JSON.stringify({ class_name: "Sequential", config: { layers } })),
    );
    expect(e.diagnostic.code).toBe("keras-layer");
    expect(e.diagnostic.path).toBe("config.layers[1].config.target_shape");
  });

  /** A Sequential of one layer on a [4, 4, 3] input. */
  const one = (className: string, config: Record<string, unknown>) =>
    JSON.stringify({
      class_name: "Sequential",
      config: {
        layers: [
          { class_name: "InputLayer", config: { name: "i", batch_shape: [null, 4, 4, 3] } },
          { class_name: className, config: { name: "x", ...config } },
        ],
      },
    });
  const quantized = { module: "keras", class_name: "QuantizedDTypePolicy", config: {} };

  it.each([
    ["LoRA", "Dense", { units: 2, lora_rank: 4 }, "lora_rank", "LoRA (lora_rank 4)"],
    [
      "a quantization_config",
      "Dense",
      { units: 2, quantization_config: {} },
      "quantization_config",
      "a quantized layer",
    ],
    [
      "a quantized dtype policy",
      "Conv2D",
      { filters: 2, kernel_size: 1, dtype: quantized },
      "dtype",
      "QuantizedDTypePolicy",
    ],
    [
      "batch renormalization",
      "BatchNormalization",
      { renorm: true },
      "renorm",
      "batch renormalization",
    ],
    [
      "causal padding on a Conv2D (Keras allows it on Conv1D only)",
      "Conv2D",
      { filters: 2, kernel_size: 1, padding: "causal" },
      "padding",
      'padding "causal"',
    ],
    [
      "PReLU with a slope per position (Keras' default)",
      "PReLU",
      { shared_axes: null },
      "shared_axes",
      "one slope per position",
    ],
    [
      "GroupNormalization with scale alone",
      "GroupNormalization",
      { groups: 3, center: false },
      "center",
      "only one of center and scale",
    ],
  ])("refuses %s, at the option", (_, className, config, key, message) => {
    const e = thrown(() => parseKeras(one(className, config)));
    expect(e.diagnostic.code).toBe("keras-layer");
    expect(e.diagnostic.path).toBe(`config.layers[1].config.${key}`);
    expect(e.diagnostic.message).toContain(message);
  });

  it.each([
    ["LayerNormalization", {}, 6],
    ["LayerNormalization with center false", { center: false }, 3],
    [
      "LayerNormalization with Keras 3's rms_scaling (γ only)",
      { rms_scaling: true, center: true },
      3,
    ],
    ["LayerNormalization with axis [-1]", { axis: [-1] }, 6],
    // Keras 3's GroupNormalization: γ and β per channel (3 channels), or neither
    ["GroupNormalization", { groups: 3 }, 6],
    ["GroupNormalization without center and scale", { groups: 1, center: false, scale: false }, 0],
    [
      "Dense with lora_rank null and quantization_config null",
      { units: 2, lora_rank: null, quantization_config: null },
      8,
    ],
  ])("counts %s", (name, config, parameters) => {
    const cls = name.split(" ")[0] as string;
    expect(totalsOf(parseKeras(one(cls, config)).spec).parameters).toBe(parameters);
  });

  it("a tensor passed by keyword is an input too: a single-input layer given two is refused", () => {
    const t = (from: string) => ({
      class_name: "__keras_tensor__",
      config: { keras_history: [from, 0, 0] },
    });
    const text = JSON.stringify({
      class_name: "Functional",
      config: {
        layers: [
          {
            class_name: "InputLayer",
            name: "in",
            config: { batch_shape: [null, 4] },
            inbound_nodes: [],
          },
          {
            class_name: "Dense",
            name: "a",
            config: { units: 4 },
            inbound_nodes: [{ args: [t("in")], kwargs: {} }],
          },
          {
            class_name: "Dense",
            name: "b",
            config: { units: 4 },
            inbound_nodes: [{ args: [t("a")], kwargs: { mask: t("in") } }],
          },
        ],
        input_layers: ["in", 0, 0],
        output_layers: ["b", 0, 0],
      },
    });
    const e = thrown(() => parseKeras(text));
    expect(e.diagnostic.message).toContain('"b" (Dense): a layer with several inputs');
  });

  it("Conv1D's causal padding is (kernel - 1) × dilation zeros before the sequence", () => {
    // Keras 3 (ops/operation_utils.py compute_conv_output_shape) gives a causal output
    // floor((L - 1) / s) + 1, as for "same"; TF.js cannot check it (it has no causal conv)
    const conv = (name: string, k: number, d: number, s: number) => ({
      class_name: "Conv1D",
      config: {
        name,
        filters: 4,
        kernel_size: [k],
        dilation_rate: [d],
        strides: [s],
        padding: "causal",
      },
    });
    const layers = [
      { class_name: "InputLayer", config: { name: "i", batch_shape: [null, 64, 2] } },
      conv("a", 2, 1, 1),
      conv("b", 3, 4, 1),
      conv("c", 2, 1, 2),
    ];
    const spec = parseKeras(JSON.stringify({ class_name: "Sequential", config: { layers } })).spec;
    expect(spec.layers.map((l) => l.type)).toEqual([
      "zeropad",
      "conv",
      "zeropad",
      "conv",
      "zeropad",
      "conv",
    ]);
    expect(spec.layers[2]).toEqual({ type: "zeropad", name: "b/causal", padding: [[8, 0]] });
    // a: 2*2*4 + 4 = 20; b: 3*4*4 + 4 = 52; c: 2*4*4 + 4 = 36; length 64, 64, floor(63/2)+1 = 32
    expect(totalsOf(spec)).toEqual({
      parameters: 108,
      trainable: 108,
      nonTrainable: 0,
      output: [32, 4],
    });
  });

  it("a subclassed model says so", () => {
    const e = thrown(() => parseKeras('{"class_name": "MyModel", "config": {}}'));
    expect(e.diagnostic.message).toContain(
      'a Keras model of class "MyModel" (a subclassed model?)',
    );
    expect(e.diagnostic.path).toBe("class_name");
  });
});
