// Writes the Keras fixtures of test/fixtures/keras/ (run: node scripts/keras/fixtures.mjs).
//
// 1. Keras 2 format, written by a real framework: TensorFlow.js (@tensorflow/tfjs-layers, a
//    devDependency) builds the models and serialises them itself, a model.json as its file saver
//    writes it (model.save) and a functional model as Keras' to_json gives it (model.toJSON). The
//    expected totals are TF.js's own: countParams(), the sizes of trainableWeights and
//    nonTrainableWeights, the output shape.
// 2. Keras 3 `.keras` archives: Python Keras cannot be installed here, so this script writes them
//    itself, following Keras 3's saving_lib (keras/src/saving/saving_lib.py: a zip, stored
//    uncompressed as Python's zipfile writes by default, holding metadata.json, config.json and
//    model.weights.h5) and its serialisation (serialization_lib.serialize_keras_object,
//    functional.py get_config/serialize_node, each layer's get_config). The expected totals are
//    worked out by hand from the layer formulas (the arithmetic is in the expected file) and
//    checked against TF.js's countParams() for the same architecture built in TF.js.
// 3. A broken archive without config.json, for the error test.
//
// npm test never runs this script; it reads the committed files.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { strToU8, zipSync } from "fflate";

const OUT = join(dirname(fileURLToPath(import.meta.url)), "../../test/fixtures/keras");
const L = tfl.layers;
tf.env().set("PROD", true);
await tf.setBackend("cpu");
mkdirSync(OUT, { recursive: true });

const TFJS = `@tensorflow/tfjs-layers ${tfl.version_layers}`;
const size = (ws) => ws.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
const json = (v) => `${JSON.stringify(v, null, 2)}\n`;

/** TF.js's own counts of a model, as Keras' summary() prints them. */
function countsOf(model) {
  return {
    parameters: model.countParams(),
    trainable: size(model.trainableWeights),
    nonTrainable: size(model.nonTrainableWeights),
    output: model.outputs[0].shape.slice(1),
  };
}

// --- 1. Keras 2 format, by TF.js

/** A small CNN, Sequential, with batch normalisation, padding and dropout. */
function sequentialCnn() {
  return tfl.sequential({
    name: "small_cnn",
    layers: [
      L.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: "relu" }),
      L.batchNormalization(),
      L.maxPooling2d({ poolSize: 2 }),
      L.zeroPadding2d({ padding: 1 }),
      L.conv2d({ filters: 16, kernelSize: 3, strides: 2, activation: "relu" }),
      L.depthwiseConv2d({ kernelSize: 3, padding: "same", depthMultiplier: 2 }),
      L.flatten(),
      L.dropout({ rate: 0.25 }),
      L.dense({ units: 32, activation: "relu" }),
      L.dense({ units: 10, activation: "softmax" }),
    ],
  });
}

/** A functional model: a residual block (Add), two branches concatenated, SE-style Multiply. */
function functionalCnn() {
  const x = tfl.input({ shape: [32, 32, 3], name: "image" });
  let s = L.conv2d({ filters: 16, kernelSize: 3, padding: "same", useBias: false }).apply(x);
  s = L.batchNormalization().apply(s);
  s = L.reLU().apply(s);
  let r = L.conv2d({ filters: 16, kernelSize: 3, padding: "same", activation: "relu" }).apply(s);
  r = L.conv2d({ filters: 16, kernelSize: 3, padding: "same" }).apply(r);
  let y = L.add().apply([s, r]);
  y = L.maxPooling2d({ poolSize: 2 }).apply(y);
  const a = L.separableConv2d({ filters: 24, kernelSize: 3, padding: "same" }).apply(y);
  const b = L.conv2d({ filters: 8, kernelSize: 1 }).apply(y);
  y = L.concatenate().apply([a, b]);
  let g = L.globalAveragePooling2d({}).apply(y);
  g = L.dense({ units: 8, activation: "relu" }).apply(g);
  g = L.dense({ units: 32, activation: "sigmoid" }).apply(g);
  y = L.multiply().apply([y, g]);
  y = L.globalMaxPooling2d({}).apply(y);
  const out = L.dense({ units: 10, activation: "softmax" }).apply(y);
  return tfl.model({ inputs: x, outputs: out, name: "functional_cnn" });
}

/** The model.json TF.js's file saver writes (no weights file: cnncalc never reads it). */
async function modelJson(model) {
  let artifacts;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  // the fields, in the order, of tfjs-core's getModelJSONForModelArtifacts (not exported)
  return {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: ["./weights.bin"], weights: artifacts.weightSpecs }],
  };
}

const tfjsFixtures = [
  {
    file: "tfjs-small-cnn.model.json",
    model: sequentialCnn(),
    write: modelJson,
    how: "model.save(tf.io.withSaveHandler(...)), its artifacts laid out as tfjs-core's getModelJSONForModelArtifacts lays out model.json (weights.bin not written)",
  },
  {
    file: "tfjs-functional-cnn.json",
    model: functionalCnn(),
    write: async (m) => m.toJSON(null, false),
    how: "model.toJSON(null, false): Keras' model.to_json() form",
  },
];
for (const f of tfjsFixtures) {
  writeFileSync(join(OUT, f.file), json(await f.write(f.model)));
  writeFileSync(
    join(OUT, f.file.replace(/(\.model)?\.json$/, ".expected.json")),
    json({
      file: f.file,
      format: "Keras 2 (TF.js)",
      writtenBy: `${TFJS}, scripts/keras/fixtures.mjs: ${f.how}`,
      countedBy: `${TFJS}: model.countParams(), trainableWeights and nonTrainableWeights sizes, outputs[0].shape`,
      ...countsOf(f.model),
    }),
  );
}

// --- 2. Keras 3 .keras archives, written here in Keras 3's format

const KERAS_VERSION = "3.16.0"; // keras/src/version.py of the source read for the format
const policy = {
  module: "keras",
  class_name: "DTypePolicy",
  config: { name: "float32" },
  registered_name: null,
};
const init = (name, config = {}) => ({
  module: "keras.initializers",
  class_name: name,
  config,
  registered_name: null,
});
const base = (name) => ({ name, trainable: true, dtype: policy });
const weights = (kernel = "GlorotUniform") => ({
  kernel_initializer: init(kernel, { seed: null }),
  bias_initializer: init("Zeros"),
  kernel_regularizer: null,
  bias_regularizer: null,
  kernel_constraint: null,
  bias_constraint: null,
});

/** The config.json entry of one layer, as serialize_keras_object writes a public layer. */
function layer(className, name, config, inputShape, inbound) {
  return {
    module: "keras.layers",
    class_name: className,
    config: { ...base(name), ...config },
    registered_name: null,
    ...(inputShape === undefined ? {} : { build_config: { input_shape: inputShape } }),
    ...(inbound === undefined ? {} : { name, inbound_nodes: inbound }),
  };
}
/** A KerasTensor as serialize_node writes one: shape, dtype and its keras_history. */
const tensor = (from, shape) => ({
  class_name: "__keras_tensor__",
  config: { shape, dtype: "float32", keras_history: [from, 0, 0] },
});
/** One inbound node: a layer called on one tensor, or a merge on a list of them. */
const call = (arg) => [{ args: [arg], kwargs: {} }];

const conv = (filters, k, padding, activation, extra = {}) => ({
  filters,
  kernel_size: [k, k],
  strides: [1, 1],
  padding,
  data_format: "channels_last",
  dilation_rate: [1, 1],
  groups: 1,
  activation,
  use_bias: true,
  ...weights(),
  activity_regularizer: null,
  ...extra,
});
const batchNorm = {
  axis: -1,
  momentum: 0.99,
  epsilon: 0.001,
  center: true,
  scale: true,
  beta_initializer: init("Zeros"),
  gamma_initializer: init("Ones"),
  moving_mean_initializer: init("Zeros"),
  moving_variance_initializer: init("Ones"),
  beta_regularizer: null,
  gamma_regularizer: null,
  beta_constraint: null,
  gamma_constraint: null,
  synchronized: false,
};
const dense = (units, activation) => ({
  units,
  activation,
  use_bias: true,
  ...weights(),
  quantization_config: null,
});

/** A functional CNN in Keras 3's format, and the same model in TF.js to count it. */
function keras3Functional() {
  const n = null;
  const layers = [
    {
      module: "keras.layers",
      class_name: "InputLayer",
      config: {
        batch_shape: [n, 32, 32, 3],
        dtype: "float32",
        sparse: false,
        ragged: false,
        name: "input_layer",
        optional: false,
      },
      registered_name: null,
      name: "input_layer",
      inbound_nodes: [],
    },
    layer(
      "Conv2D",
      "conv2d",
      conv(16, 3, "same", "relu"),
      [n, 32, 32, 3],
      call(tensor("input_layer", [n, 32, 32, 3])),
    ),
    layer(
      "BatchNormalization",
      "batch_normalization",
      batchNorm,
      [n, 32, 32, 16],
      call(tensor("conv2d", [n, 32, 32, 16])),
    ),
    layer(
      "Conv2D",
      "conv2d_1",
      conv(16, 3, "same", "relu"),
      [n, 32, 32, 16],
      call(tensor("batch_normalization", [n, 32, 32, 16])),
    ),
    layer(
      "Add",
      "add",
      {},
      [
        [n, 32, 32, 16],
        [n, 32, 32, 16],
      ],
      call([tensor("batch_normalization", [n, 32, 32, 16]), tensor("conv2d_1", [n, 32, 32, 16])]),
    ),
    layer(
      "MaxPooling2D",
      "max_pooling2d",
      { pool_size: [2, 2], padding: "valid", strides: [2, 2], data_format: "channels_last" },
      [n, 32, 32, 16],
      call(tensor("add", [n, 32, 32, 16])),
    ),
    layer(
      "SeparableConv2D",
      "separable_conv2d",
      {
        depth_multiplier: 1,
        filters: 32,
        kernel_size: [3, 3],
        strides: [1, 1],
        padding: "same",
        data_format: "channels_last",
        dilation_rate: [1, 1],
        activation: "relu",
        use_bias: true,
        depthwise_initializer: init("GlorotUniform", { seed: null }),
        pointwise_initializer: init("GlorotUniform", { seed: null }),
        bias_initializer: init("Zeros"),
        depthwise_regularizer: null,
        pointwise_regularizer: null,
        bias_regularizer: null,
        activity_regularizer: null,
        depthwise_constraint: null,
        pointwise_constraint: null,
        bias_constraint: null,
      },
      [n, 16, 16, 16],
      call(tensor("max_pooling2d", [n, 16, 16, 16])),
    ),
    layer(
      "Conv2D",
      "conv2d_2",
      conv(32, 1, "valid", "linear"),
      [n, 16, 16, 16],
      call(tensor("max_pooling2d", [n, 16, 16, 16])),
    ),
    layer(
      "Concatenate",
      "concatenate",
      { axis: -1 },
      [
        [n, 16, 16, 32],
        [n, 16, 16, 32],
      ],
      call([tensor("separable_conv2d", [n, 16, 16, 32]), tensor("conv2d_2", [n, 16, 16, 32])]),
    ),
    layer(
      "GlobalAveragePooling2D",
      "global_average_pooling2d",
      { data_format: "channels_last", keepdims: false },
      [n, 16, 16, 64],
      call(tensor("concatenate", [n, 16, 16, 64])),
    ),
    layer(
      "Dropout",
      "dropout",
      { rate: 0.5, seed: null, noise_shape: null },
      [n, 64],
      call(tensor("global_average_pooling2d", [n, 64])),
    ),
    layer("Dense", "dense", dense(10, "softmax"), [n, 64], call(tensor("dropout", [n, 64]))),
  ];
  const config = {
    module: "keras.src.models.functional",
    class_name: "Functional",
    config: {
      name: "functional",
      trainable: true,
      layers,
      input_layers: ["input_layer", 0, 0],
      output_layers: ["dense", 0, 0],
    },
    registered_name: "Functional",
    build_config: { input_shape: null },
  };
  const arithmetic = [
    "conv2d: 3*3*3*16 + 16 = 448",
    "batch_normalization: gamma 16 + beta 16 trainable, moving_mean 16 + moving_variance 16 non-trainable = 64",
    "conv2d_1: 3*3*16*16 + 16 = 2,320",
    "add, max_pooling2d: 0",
    "separable_conv2d: depthwise 3*3*16*1 = 144, pointwise 16*32 = 512, bias 32: 688",
    "conv2d_2: 1*1*16*32 + 32 = 544",
    "concatenate, global_average_pooling2d, dropout: 0",
    "dense: 64*10 + 10 = 650",
    "total 448 + 64 + 2,320 + 688 + 544 + 650 = 4,714; non-trainable 32; trainable 4,682",
  ];
  // the same architecture in TF.js, to count it with a framework
  const x = tfl.input({ shape: [32, 32, 3] });
  const c = L.conv2d({ filters: 16, kernelSize: 3, padding: "same", activation: "relu" }).apply(x);
  const bn = L.batchNormalization().apply(c);
  const c1 = L.conv2d({ filters: 16, kernelSize: 3, padding: "same", activation: "relu" }).apply(
    bn,
  );
  const p = L.maxPooling2d({ poolSize: 2 }).apply(L.add().apply([bn, c1]));
  const sc = L.separableConv2d({ filters: 32, kernelSize: 3, padding: "same", activation: "relu" });
  const cat = L.concatenate().apply([
    sc.apply(p),
    L.conv2d({ filters: 32, kernelSize: 1 }).apply(p),
  ]);
  const gap = L.dropout({ rate: 0.5 }).apply(L.globalAveragePooling2d({}).apply(cat));
  const twin = tfl.model({ inputs: x, outputs: L.dense({ units: 10 }).apply(gap) });
  return {
    config,
    arithmetic,
    expected: { parameters: 4714, trainable: 4682, nonTrainable: 32, output: [10] },
    twin,
  };
}

/** A Sequential CNN in Keras 3's format (an InputLayer with batch_shape, no inbound nodes). */
function keras3Sequential() {
  const n = null;
  const layers = [
    {
      module: "keras.layers",
      class_name: "InputLayer",
      config: {
        batch_shape: [n, 28, 28, 1],
        dtype: "float32",
        sparse: false,
        ragged: false,
        name: "input_layer",
        optional: false,
      },
      registered_name: null,
    },
    layer("Conv2D", "conv2d", conv(8, 3, "valid", "relu"), [n, 28, 28, 1]),
    layer(
      "MaxPooling2D",
      "max_pooling2d",
      { pool_size: [2, 2], padding: "valid", strides: [2, 2], data_format: "channels_last" },
      [n, 26, 26, 8],
    ),
    layer("Conv2D", "conv2d_1", conv(16, 3, "valid", "relu"), [n, 13, 13, 8]),
    layer("Flatten", "flatten", { data_format: "channels_last" }, [n, 11, 11, 16]),
    layer("Dense", "dense", dense(10, "softmax"), [n, 1936]),
  ];
  const config = {
    module: "keras",
    class_name: "Sequential",
    config: {
      name: "sequential",
      trainable: true,
      dtype: policy,
      layers,
      build_input_shape: [n, 28, 28, 1],
    },
    registered_name: null,
    build_config: { input_shape: [n, 28, 28, 1] },
  };
  const arithmetic = [
    "conv2d: 3*3*1*8 + 8 = 80 (output 26x26x8)",
    "max_pooling2d: 0 (output 13x13x8)",
    "conv2d_1: 3*3*8*16 + 16 = 1,168 (output 11x11x16)",
    "flatten: 0 (11*11*16 = 1,936)",
    "dense: 1,936*10 + 10 = 19,370",
    "total 80 + 1,168 + 19,370 = 20,618, all trainable",
  ];
  const twin = tfl.sequential({
    layers: [
      L.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: "relu" }),
      L.maxPooling2d({ poolSize: 2 }),
      L.conv2d({ filters: 16, kernelSize: 3, activation: "relu" }),
      L.flatten(),
      L.dense({ units: 10, activation: "softmax" }),
    ],
  });
  return {
    config,
    arithmetic,
    expected: { parameters: 20618, trainable: 20618, nonTrainable: 0, output: [10] },
    twin,
  };
}

// an HDF5 signature and nothing else: cnncalc never opens the weights
const WEIGHTS_PLACEHOLDER = new Uint8Array([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
const DATE = "2026-12-01@00:00:00";
const metadata = JSON.stringify({ keras_version: KERAS_VERSION, date_saved: DATE });

/** A .keras zip in saving_lib's member order, stored (zipfile's default), fixed dates. */
function archive(members) {
  const mtime = new Date("2026-12-01T00:00:00Z");
  return zipSync(
    Object.fromEntries(Object.entries(members).map(([k, v]) => [k, [v, { level: 0, mtime }]])),
  );
}

for (const [file, build] of [
  ["keras3-functional-cnn.keras", keras3Functional],
  ["keras3-sequential-cnn.keras", keras3Sequential],
]) {
  const { config, arithmetic, expected, twin } = build();
  const counted = countsOf(twin);
  for (const k of ["parameters", "trainable", "nonTrainable"]) {
    if (counted[k] !== expected[k]) throw new Error(`${file}: TF.js counts ${k} ${counted[k]}`);
  }
  const bytes = archive({
    "metadata.json": strToU8(metadata),
    "config.json": strToU8(JSON.stringify(config)),
    "model.weights.h5": WEIGHTS_PLACEHOLDER,
  });
  writeFileSync(join(OUT, file), bytes);
  // the functional config.json is also the CLI example of Keras 3's JSON (what Keras 3's
  // model.to_json() writes is the same serialisation); biome formats it as the other examples
  if (file === "keras3-functional-cnn.keras") {
    writeFileSync(join(OUT, "../../../examples/keras-functional.json"), json(config));
  }
  writeFileSync(
    join(OUT, file.replace(/\.keras$/, ".expected.json")),
    json({
      file,
      format: "Keras 3 .keras",
      writtenBy: `scripts/keras/fixtures.mjs, NOT Keras (Python Keras is not installable here): a zip following Keras ${KERAS_VERSION}'s saving_lib.py (metadata.json, config.json, model.weights.h5, stored), config.json following serialization_lib.serialize_keras_object and functional.py; model.weights.h5 is an 8-byte HDF5 signature placeholder`,
      countedBy: `by hand from the layer formulas (arithmetic below), and ${TFJS} countParams() of the same architecture built in TF.js`,
      arithmetic,
      ...expected,
    }),
  );
}

// --- 3. an archive that is no .keras file: no config.json
writeFileSync(
  join(OUT, "broken-no-config.keras"),
  archive({ "metadata.json": strToU8(metadata), "model.weights.h5": WEIGHTS_PLACEHOLDER }),
);
console.log(`wrote the Keras fixtures to ${OUT}`);
