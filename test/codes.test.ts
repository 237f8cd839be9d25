/*
 * The catalogue of diagnostic codes: one real example per code (and per place a code comes from),
 * each run through the in-memory CLI and checked to produce that code, with the exit code it
 * documents. docs/errors.md is generated from these runs: UPDATE_ERRORS=1 rewrites it, otherwise
 * it must match exactly. A last test scans src/ for code-like strings so that a new code without
 * an example here fails the suite.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Io, outputText, readInput, readText, writeFileAtomic } from "../src/cli/io.js";
import { buildProgram, main } from "../src/cli/main.js";
import { analyze } from "../src/core/analyze.js";
import { CODES, type CodeKind, EXIT, EXIT_OF, errorKind } from "../src/core/codes.js";
import { CnnError } from "../src/core/errors.js";
import { formatDiagnostic } from "../src/format/diagnostic.js";
import { PLAIN } from "../src/format/style.js";
import { parseAnswers } from "../src/parse/answers.js";
import { type Run, run } from "./helpers/io.js";

/** The groups of docs/errors.md, in order. */
const GROUPS = {
  input: "Reading input",
  json: "JSON syntax",
  spec: "Spec structure",
  text: "Text language (.cnn)",
  prose: "Prose",
  geometry: "Geometry and shapes",
  answers: "Answers (`cnncalc check`)",
  cli: "Command line",
  warning: "Warnings",
  assumption: "Assumptions",
  status: "Answer statuses (`cnncalc check`)",
} as const;
type Group = keyof typeof GROUPS;

/**
 * How a code shows: an `error` (exit 1, or 2 for usage), a `warning` or `assumption` note under
 * the output (exit 0), an `init note` (an assumption of `--init`), a `status` of a graded answer.
 */
type Kind = "error" | "usage error" | "warning" | "assumption" | "init note" | "status";

interface Example {
  code: string;
  group: Group;
  kind: Kind;
  exit: number;
  /** What causes it, in a few words, for the docs. */
  cause: string;
  /** Command-line arguments; omitted for library-only codes. */
  args?: string[];
  /** Files by path ("-" is standard input); other paths are read from disk. */
  files?: Record<string, string>;
  /** For codes no CLI input reaches: the library call that produces it, and why. */
  library?: { call: () => unknown; why: string };
  /** Writes with the real file system instead of in memory (for `-o` errors). */
  realWrites?: boolean;
}

const OK = { "ok.json": '{"input": [4], "layers": [{"type": "dense", "units": 2}]}' };
const DQN_ANSWERS = "examples/dqn.json";
const json = (layers: string, input = "[8, 8, 3]") => ({
  "net.json": `{"input": ${input}, "layers": [${layers}]}`,
});
const cnn = (text: string) => ({ "net.cnn": text });
const prose = (text: string) => ({ "paper.txt": text });
const answers = (text: string) => ({ "answers.txt": text });

const EXAMPLES: Example[] = [
  // --- reading input
  {
    code: "unreadable-file",
    group: "input",
    kind: "usage error",
    exit: 2,
    cause: "the file does not exist or cannot be read",
    args: ["no-such-net.json"],
  },
  {
    code: "is-directory",
    group: "input",
    kind: "usage error",
    exit: 2,
    cause: "a directory given as a spec",
    args: ["examples"],
  },
  {
    code: "too-large",
    group: "input",
    kind: "usage error",
    exit: 2,
    cause: "the file is larger than `--max-size` (default 16 MiB, 2 GiB for a binary model)",
    args: ["test/fixtures/codes/latin1.cnn", "--max-size", "8"],
  },
  {
    code: "invalid-utf8",
    group: "input",
    kind: "error",
    exit: 1,
    cause: "the file is not UTF-8 text (here Latin-1)",
    args: ["test/fixtures/codes/latin1.cnn"],
  },
  {
    code: "invalid-archive",
    group: "input",
    kind: "error",
    exit: 1,
    cause: "a `.keras` file that is not a zip archive, or a damaged one",
    args: ["model.keras"],
    files: { "model.keras": "PK\u0003\u0004 cut short after the zip signature" },
  },
  {
    code: "missing-config",
    group: "input",
    kind: "error",
    exit: 1,
    cause:
      "a zip archive with no `config.json`: not a Keras 3 `.keras` file (the message lists what it holds)",
    args: ["test/fixtures/keras/broken-no-config.keras"],
  },
  {
    code: "empty-input",
    group: "input",
    kind: "error",
    exit: 1,
    cause: "an empty (or all-blank) file or standard input, in any format",
    args: ["-"],
    files: { "-": "" },
  },
  // --- JSON syntax
  {
    code: "json-syntax",
    group: "json",
    kind: "error",
    exit: 1,
    cause: "text that is not JSON: a trailing comma, a missing quote, ...",
    args: ["net.json"],
    files: { "net.json": '{"input": [8, 8, 3], "layers": [{"type": "relu"},]}' },
  },
  {
    code: "duplicate-key",
    group: "json",
    kind: "error",
    exit: 1,
    cause: "a key given twice in one object",
    args: ["net.json"],
    files: json('{"type": "conv", "filters": 8, "kernel": 3, "kernel": 5}'),
  },
  {
    code: "number-range",
    group: "json",
    kind: "error",
    exit: 1,
    cause: "a number beyond 2^53 - 1, which JSON readers round",
    args: ["net.json"],
    files: json('{"type": "dense", "units": 9007199254740993}'),
  },
  {
    code: "too-deep",
    group: "json",
    kind: "error",
    exit: 1,
    cause: "JSON nested deeper than `--max-depth` (default 10,000)",
    args: ["net.json", "--max-depth", "3"],
    files: json('{"type": "residual", "body": [{"type": "relu"}]}'),
  },
  // --- spec structure
  {
    code: "invalid-spec",
    group: "spec",
    kind: "error",
    exit: 1,
    cause: "the JSON is not an object",
    args: ["net.json"],
    files: { "net.json": '[{"type": "conv", "filters": 8, "kernel": 3}]' },
  },
  {
    code: "invalid-layer",
    group: "spec",
    kind: "error",
    exit: 1,
    cause: "a layer that is not an object",
    args: ["net.json"],
    files: json('"conv"'),
  },
  {
    code: "missing-type",
    group: "spec",
    kind: "error",
    exit: 1,
    cause: "a layer without `type`",
    args: ["net.json"],
    files: json('{"filters": 8, "kernel": 3}'),
  },
  {
    code: "unknown-type",
    group: "spec",
    kind: "error",
    exit: 1,
    cause: "a layer type cnncalc does not know (a hint says how to write a framework's layer)",
    args: ["net.json"],
    files: json('{"type": "DepthwiseConv2D", "kernel_size": 3}'),
  },
  {
    code: "keras-layer",
    group: "spec",
    kind: "error",
    exit: 1,
    cause: "a Keras model's layer class, or an option of it, that cnncalc cannot count exactly",
    args: ["model.json"],
    files: {
      "model.json": JSON.stringify({
        class_name: "Sequential",
        config: {
          layers: [
            {
              class_name: "LSTM",
              config: { name: "rnn", units: 8, batch_input_shape: [null, 10, 4] },
            },
          ],
        },
      }),
    },
  },
  {
    code: "onnx-invalid",
    group: "spec",
    kind: "error",
    exit: 1,
    cause: "a `.onnx` file (or `--from onnx`) that is not a readable ONNX model",
    args: ["model.onnx"],
    files: { "model.onnx": "not a model\n" },
  },
  {
    code: "onnx-graph",
    group: "spec",
    kind: "error",
    exit: 1,
    cause: "an ONNX graph that is not one input, one output and series-parallel",
    args: ["test/fixtures/onnx/not-series-parallel.onnx"],
  },
  {
    code: "onnx-input-shape",
    group: "spec",
    kind: "error",
    exit: 1,
    cause: "an ONNX graph input with dynamic dimensions and no `--input`",
    args: ["test/fixtures/onnx/dynamic-input.onnx"],
  },
  {
    code: "onnx-unsupported-op",
    group: "spec",
    kind: "error",
    exit: 1,
    cause: "an ONNX operator, or a setting of one, with no exact cnncalc mapping",
    args: ["test/fixtures/onnx/unmapped-op.onnx"],
  },
  {
    code: "onnx-param-mismatch",
    group: "spec",
    kind: "error",
    exit: 1,
    cause: "a node whose weights in the file differ in size from what cnncalc counts for it",
    args: ["test/fixtures/onnx/param-mismatch.onnx"],
  },
  {
    code: "keras-graph",
    group: "spec",
    kind: "error",
    exit: 1,
    cause: "a Keras functional model that is not one input, one output and series-parallel",
    args: ["model.json"],
    files: {
      "model.json": JSON.stringify({
        class_name: "Functional",
        config: {
          layers: [
            { class_name: "InputLayer", name: "x", config: { batch_input_shape: [null, 4] } },
            {
              class_name: "Dense",
              name: "a",
              config: { units: 2 },
              inbound_nodes: [[["x", 0, 0, {}]]],
            },
            {
              class_name: "Dense",
              name: "b",
              config: { units: 2 },
              inbound_nodes: [[["x", 0, 0, {}]]],
            },
          ],
          input_layers: [["x", 0, 0]],
          output_layers: [
            ["a", 0, 0],
            ["b", 0, 0],
          ],
        },
      }),
    },
  },
  {
    code: "torch-syntax",
    group: "spec",
    kind: "error",
    exit: 1,
    cause:
      "a line of a PyTorch print(model) text that is not a module, `(name): Class(...)`, or `)`",
    args: ["model.txt", "--input", "8x8x3"],
    files: {
      "model.txt":
        "Net(\n  (conv): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1))\n  conv2 = Conv2d(8, 8, 3)\n)\n",
    },
  },
  {
    code: "torch-module",
    group: "spec",
    kind: "error",
    exit: 1,
    cause:
      "a module of a PyTorch print(model) text that cnncalc does not know, or an argument it cannot count exactly",
    args: ["model.txt", "--input", "8x8x3"],
    files: {
      "model.txt":
        "Net(\n  (conv): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1))\n  (attn): MyAttention()\n)\n",
    },
  },
  {
    code: "torch-shape",
    group: "spec",
    kind: "error",
    exit: 1,
    cause:
      "a module of a PyTorch print(model) text that declares other input channels or features than the module read before it gives",
    args: ["model.txt", "--input", "8x8x3"],
    files: {
      "model.txt":
        "Sequential(\n  (0): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1))\n  (1): Conv2d(16, 8, kernel_size=(3, 3), stride=(1, 1))\n)\n",
    },
  },
  {
    code: "unknown-key",
    group: "spec",
    kind: "error",
    exit: 1,
    cause: "a key the layer type does not take (often a typo)",
    args: ["net.json"],
    files: json('{"type": "conv", "filters": 8, "kernal": 3}'),
  },
  {
    code: "missing-key",
    group: "spec",
    kind: "error",
    exit: 1,
    cause: "a required key is missing",
    args: ["net.json"],
    files: json('{"type": "conv", "kernel": 3}'),
  },
  {
    code: "invalid-value",
    group: "spec",
    kind: "error",
    exit: 1,
    cause: "a value of the wrong kind or range",
    args: ["net.json"],
    files: json('{"type": "conv", "filters": 8, "kernel": 0}'),
  },
  // --- text language
  {
    code: "unterminated-string",
    group: "text",
    kind: "error",
    exit: 1,
    cause: "a string without its closing quote",
    args: ["net.cnn"],
    files: cnn('name "DQN\ninput 84x84x4\nconv 16 8x8 stride 4\n'),
  },
  {
    code: "invalid-string",
    group: "text",
    kind: "error",
    exit: 1,
    cause: "a string with an escape JSON does not know, or a raw tab",
    args: ["net.cnn"],
    files: cnn('name "D\\QN"\ninput 84x84x4\nconv 16 8x8\n'),
  },
  {
    code: "unterminated-list",
    group: "text",
    kind: "error",
    exit: 1,
    cause: "a `[` list without its `]`",
    args: ["net.cnn"],
    files: cnn("input 32x32x6\nconv 2 5x5 connections [[0, 1], [2]\n"),
  },
  {
    code: "invalid-list",
    group: "text",
    kind: "error",
    exit: 1,
    cause: "a list holding something other than numbers and lists",
    args: ["net.cnn"],
    files: cnn("input 32x32x6\nconv 2 5x5 connections [[0, 1], [a]]\n"),
  },
  {
    code: "expected-layer",
    group: "text",
    kind: "error",
    exit: 1,
    cause: "a statement that starts with something other than a word",
    args: ["net.cnn"],
    files: cnn("input 8x8x3\n16 conv 3x3\n"),
  },
  {
    code: "unknown-type",
    group: "text",
    kind: "error",
    exit: 1,
    cause: "a statement that starts with an unknown word",
    args: ["net.cnn"],
    files: cnn("input 8x8x3\ndens 10\n"),
  },
  {
    code: "unknown-option",
    group: "text",
    kind: "error",
    exit: 1,
    cause: "a word the layer type does not take",
    args: ["net.cnn"],
    files: cnn("input 8x8x3\nconv 16 3x3 stirde 2\n"),
  },
  {
    code: "unexpected-value",
    group: "text",
    kind: "error",
    exit: 1,
    cause: "more values than the layer type takes",
    args: ["net.cnn"],
    files: cnn("input 8x8x3\nconv 16 3x3 2\n"),
  },
  {
    code: "unexpected-character",
    group: "text",
    kind: "error",
    exit: 1,
    cause: "a stray `,` or `]` in a layer",
    args: ["net.cnn"],
    files: cnn("input 8x8x3\nconv 16, 3x3\n"),
  },
  {
    code: "missing-value",
    group: "text",
    kind: "error",
    exit: 1,
    cause: "an option without its value",
    args: ["net.cnn"],
    files: cnn("input 8x8x3\nconv 16 3x3 stride\n"),
  },
  {
    code: "duplicate-option",
    group: "text",
    kind: "error",
    exit: 1,
    cause: "an option given twice in one layer (or `input`/`name` twice)",
    args: ["net.cnn"],
    files: cnn("input 8x8x3\nconv 16 3x3 stride 1 stride 2\n"),
  },
  {
    code: "invalid-input",
    group: "text",
    kind: "error",
    exit: 1,
    cause: "`input` followed by something other than a shape",
    args: ["net.cnn"],
    files: cnn("input rgb 32x32\nconv 16 3x3\n"),
  },
  {
    code: "misplaced-statement",
    group: "text",
    kind: "error",
    exit: 1,
    cause: "`input` or `name` inside a block",
    args: ["net.cnn"],
    files: cnn("repeat 2 {\n  input 8x8x3\n  conv 16 3x3\n}\n"),
  },
  {
    code: "expected-brace",
    group: "text",
    kind: "error",
    exit: 1,
    cause: "a block type without `{`",
    args: ["net.cnn"],
    files: cnn("input 8x8x3\nresidual\nconv 3 3x3 same\n"),
  },
  {
    code: "unexpected-brace",
    group: "text",
    kind: "error",
    exit: 1,
    cause: "`{` after a layer that is not a block",
    args: ["net.cnn"],
    files: cnn("input 8x8x3\nconv 16 3x3 {\n  relu\n}\n"),
  },
  {
    code: "unmatched-brace",
    group: "text",
    kind: "error",
    exit: 1,
    cause: "a `}` with no open block",
    args: ["net.cnn"],
    files: cnn("input 8x8x3\nconv 16 3x3\n}\n"),
  },
  {
    code: "unterminated-block",
    group: "text",
    kind: "error",
    exit: 1,
    cause: "a block still open at the end of the file",
    args: ["net.cnn"],
    files: cnn("input 8x8x3\nresidual {\n  conv 3 3x3 same\n"),
  },
  {
    code: "expected-branch",
    group: "text",
    kind: "error",
    exit: 1,
    cause: "a layer directly inside `concat { }`",
    args: ["net.cnn"],
    files: cnn("input 8x8x3\nconcat {\n  conv 4 1x1\n}\n"),
  },
  {
    code: "misplaced-branch",
    group: "text",
    kind: "error",
    exit: 1,
    cause: "`branch { }` outside `concat { }`",
    args: ["net.cnn"],
    files: cnn("input 8x8x3\nbranch {\n  conv 4 1x1\n}\n"),
  },
  {
    code: "misplaced-shortcut",
    group: "text",
    kind: "error",
    exit: 1,
    cause: "`shortcut { }` not right after a residual block",
    args: ["net.cnn"],
    files: cnn("input 8x8x3\nconv 4 1x1\nshortcut {\n  conv 4 1x1\n}\n"),
  },
  {
    code: "too-deep",
    group: "text",
    kind: "error",
    exit: 1,
    cause: "blocks nested deeper than `--max-depth`",
    args: ["net.cnn", "--max-depth", "2"],
    files: cnn(
      "input 8x8x3\nrepeat 2 {\n  repeat 2 {\n    repeat 2 {\n      relu\n    }\n  }\n}\n",
    ),
  },
  // --- prose
  {
    code: "no-layers-found",
    group: "prose",
    kind: "error",
    exit: 1,
    cause: "prose in which no sentence describes a layer",
    args: ["paper.txt"],
    files: prose("We trained the network for ten days on one GPU. It worked well.\n"),
  },
  {
    code: "unreadable-layer",
    group: "prose",
    kind: "error",
    exit: 1,
    cause: "a sentence about a layer that lacks a number cnncalc needs",
    args: ["paper.txt"],
    files: prose(
      "The input is 32 × 32 × 3. The second hidden layer convolves 32 filters with stride 2.\n",
    ),
  },
  {
    code: "unreadable-layer",
    group: "prose",
    kind: "error",
    exit: 1,
    cause:
      "a sentence naming a kind of layer the prose reader does not read (attention, layer normalization, skip connections, ...), or an upsampling without its factor or size",
    args: ["paper.txt"],
    files: prose(
      "The input is 32 × 32 × 3. The first layer convolves 8 3 × 3 filters. Each block ends with a squeeze-and-excitation module.\n",
    ),
  },
  {
    code: "merged-number",
    group: "prose",
    kind: "error",
    exit: 1,
    cause: 'a decimal where a filter count and a kernel size belong ("16.3 × 5")',
    args: ["paper.txt"],
    files: prose("The input is 32 × 32 × 3. The first layer convolves 16.3 × 5 filters.\n"),
  },
  {
    code: "unreadable-input",
    group: "prose",
    kind: "error",
    exit: 1,
    cause: "an input size that is not whole numbers",
    args: ["paper.txt"],
    files: prose(
      "The input is a 32.5 × 32 × 3 image. The first layer convolves 8 3 × 3 filters.\n",
    ),
  },
  {
    code: "unknown-outputs",
    group: "prose",
    kind: "error",
    exit: 1,
    cause: 'an output layer "for each action" when the text never says how many',
    args: ["paper.txt"],
    files: prose(
      "The input is 84 × 84 × 4. The output layer is a fully-connected linear layer with a single output for each valid action.\n",
    ),
  },
  // --- geometry
  {
    code: "missing-input",
    group: "geometry",
    kind: "error",
    exit: 1,
    cause: "no input shape in the spec and no `--input`",
    args: ["net.cnn"],
    files: cnn("conv 16 3x3\n"),
  },
  {
    code: "no-layers",
    group: "geometry",
    kind: "error",
    exit: 1,
    cause: "an empty layer list",
    args: ["net.json"],
    files: json(""),
  },
  {
    code: "needs-spatial-input",
    group: "geometry",
    kind: "error",
    exit: 1,
    cause: "a convolution or pooling after the input has become a flat vector",
    args: ["net.cnn"],
    files: cnn("input 8x8x3\ndense 10\nconv 4 3x3\n"),
  },
  {
    code: "rank-mismatch",
    group: "geometry",
    kind: "error",
    exit: 1,
    cause: "a per-dimension size with the wrong number of values",
    args: ["net.cnn"],
    files: cnn("input 8x8x3\nconv 4 3x3x3\n"),
  },
  {
    code: "kernel-too-large",
    group: "geometry",
    kind: "error",
    exit: 1,
    cause: "a window larger than the (padded) input",
    args: ["net.cnn"],
    files: cnn("input 8x8x3\nconv 4 11x11\n"),
  },
  {
    code: "ceil-with-same",
    group: "geometry",
    kind: "error",
    exit: 1,
    cause: "`ceil` with `same` padding",
    args: ["net.cnn"],
    files: cnn("input 8x8x3\nmaxpool 2 same ceil\n"),
  },
  {
    code: "groups-mismatch",
    group: "geometry",
    kind: "error",
    exit: 1,
    cause: "`groups` that does not divide the channels and the filters",
    args: ["net.cnn"],
    files: cnn("input 8x8x3\nconv 4 3x3 groups 2\n"),
  },
  {
    code: "not-divisible",
    group: "geometry",
    kind: "error",
    exit: 1,
    cause:
      "a pixel shuffle whose channels, or a pixel unshuffle whose sizes, the factor does not divide",
    args: ["net.cnn"],
    files: cnn("input 8x8x6\npixelshuffle 2\n"),
  },
  {
    code: "channel-range",
    group: "geometry",
    kind: "error",
    exit: 1,
    cause: "a `slice` whose channel range is empty or outside the input's channels",
    args: ["net.cnn"],
    files: cnn("input 8x8x16\nslice channels [8, 20]\n"),
  },
  {
    code: "connections-with-groups",
    group: "geometry",
    kind: "error",
    exit: 1,
    cause: "a connection table together with `groups`",
    args: ["net.cnn"],
    files: cnn("input 8x8x2\nconv 2 3x3 groups 2 connections [[0], [1]]\n"),
  },
  {
    code: "connections-length",
    group: "geometry",
    kind: "error",
    exit: 1,
    cause: "a connection table without one list per filter",
    args: ["net.cnn"],
    files: cnn("input 8x8x2\nconv 3 3x3 connections [[0], [1]]\n"),
  },
  {
    code: "connections-map",
    group: "geometry",
    kind: "error",
    exit: 1,
    cause: "a connection table naming a map that does not exist (or one twice)",
    args: ["net.cnn"],
    files: cnn("input 8x8x2\nconv 2 3x3 connections [[0], [2]]\n"),
  },
  {
    code: "connections-empty",
    group: "geometry",
    kind: "error",
    exit: 1,
    cause: "a filter that reads no input map",
    args: ["net.cnn"],
    files: cnn("input 8x8x2\nconv 2 3x3 connections [[0], []]\n"),
  },
  {
    code: "output-padding",
    group: "geometry",
    kind: "error",
    exit: 1,
    cause: "a transposed convolution's `outputPadding` not below its stride or dilation",
    args: ["net.json"],
    files: json('{"type": "convtranspose", "filters": 4, "kernel": 3, "outputPadding": 1}'),
  },
  {
    code: "output-size",
    group: "geometry",
    kind: "error",
    exit: 1,
    cause: "a transposed convolution whose padding removes the whole output",
    args: ["net.json"],
    files: json('{"type": "convtranspose", "filters": 4, "kernel": 1, "padding": 8}'),
  },
  {
    code: "size-overflow",
    group: "geometry",
    kind: "error",
    exit: 1,
    cause: "a size beyond 2^53 - 1, past which counts would not be exact",
    args: ["net.cnn"],
    files: cnn("input 100000001x100000001x1\nconv 1 1x1\n"),
  },
  {
    code: "add-shape-mismatch",
    group: "geometry",
    kind: "error",
    exit: 1,
    cause: "a residual block whose body and shortcut give different shapes",
    args: ["net.cnn"],
    files: cnn("input 8x8x3\nresidual {\n  conv 16 3x3 same\n}\n"),
  },
  {
    code: "concat-shape-mismatch",
    group: "geometry",
    kind: "error",
    exit: 1,
    cause: "concatenated branches (or a dense block) with different spatial sizes",
    args: ["net.cnn"],
    files: cnn(
      "input 8x8x3\nconcat {\n  branch {\n    conv 4 1x1\n  }\n  branch {\n    conv 4 3x3\n  }\n}\n",
    ),
  },
  {
    code: "merge-shape-mismatch",
    group: "geometry",
    kind: "error",
    exit: 1,
    cause: "an add or multiply block whose branches give shapes that do not broadcast",
    args: ["net.cnn"],
    files: cnn("input 8x8x16\nmultiply {\n  branch { }\n  branch { conv 8 1x1 }\n}\n"),
  },
  {
    code: "too-many-layers",
    group: "geometry",
    kind: "error",
    exit: 1,
    cause:
      "repeats that multiply out past `--max-layers` (default 1,000,000), refused before analysis",
    args: ["net.cnn"],
    files: cnn(`input 8x8x3\n${"repeat 10 {\n".repeat(7)}relu\n${"}\n".repeat(7)}`),
  },
  {
    code: "input-rank",
    group: "geometry",
    kind: "error",
    exit: 1,
    cause: "an input shape of 0 or more than 4 values",
    library: {
      call: () => analyze({ input: [1, 2, 3, 4, 5], layers: [{ type: "relu" as never }] }),
      why: "the spec schema, the text language and `--input` all accept 1 to 4 values only",
    },
  },
  {
    code: "input-value",
    group: "geometry",
    kind: "error",
    exit: 1,
    cause: "an input size that is not a positive integer",
    library: {
      call: () => analyze({ input: [8, 0, 3], layers: [{ type: "activation", function: "relu" }] }),
      why: "the spec schema, the text language and `--input` refuse such sizes before analysis",
    },
  },
  // --- answers
  {
    code: "no-answers",
    group: "answers",
    kind: "error",
    exit: 1,
    cause: "an answers file with no answers (only comments or blank lines)",
    args: ["check", DQN_ANSWERS, "answers.txt"],
    files: answers("# question 1\n"),
  },
  {
    code: "missing-value",
    group: "answers",
    kind: "error",
    exit: 1,
    cause: "an answer line without a number at its end",
    args: ["check", DQN_ANSWERS, "answers.txt"],
    files: answers("layer 1 neurons\n"),
  },
  {
    code: "missing-layer",
    group: "answers",
    kind: "error",
    exit: 1,
    cause: "an answer line without a layer",
    args: ["check", DQN_ANSWERS, "answers.txt"],
    files: answers("6400\n"),
  },
  {
    code: "missing-quantity",
    group: "answers",
    kind: "error",
    exit: 1,
    cause: "an answer line without a quantity",
    args: ["check", DQN_ANSWERS, "answers.txt"],
    files: answers("layer 1 6400\n"),
  },
  {
    code: "unknown-quantity",
    group: "answers",
    kind: "error",
    exit: 1,
    cause: "a quantity cnncalc does not know",
    args: ["check", DQN_ANSWERS, "answers.txt"],
    files: answers("layer 1 nerons 6400\n"),
  },
  {
    code: "invalid-number",
    group: "answers",
    kind: "error",
    exit: 1,
    cause: "a value that is not a whole number or sizes",
    args: ["check", DQN_ANSWERS, "answers.txt"],
    files: answers("layer 1 neurons 6.4e3\n"),
  },
  {
    code: "json-syntax",
    group: "answers",
    kind: "error",
    exit: 1,
    cause: "a JSON answers file that is not JSON",
    args: ["check", DQN_ANSWERS, "answers.json"],
    files: { "answers.json": '[{"layer": 1, "quantity": "neurons", "value": 6400]' },
  },
  {
    code: "invalid-answer",
    group: "answers",
    kind: "error",
    exit: 1,
    cause: "an entry of a JSON answer list that is not an object",
    args: ["check", DQN_ANSWERS, "answers.json"],
    files: { "answers.json": '["layer 1 neurons 6400"]' },
  },
  {
    code: "invalid-answers",
    group: "answers",
    kind: "error",
    exit: 1,
    cause: "JSON answers that are neither a list nor an object of layers",
    args: ["check", DQN_ANSWERS, "answers.json"],
    files: { "answers.json": '{"1": 6400}' },
  },
  {
    code: "unknown-key",
    group: "answers",
    kind: "error",
    exit: 1,
    cause: "a JSON answer with a key other than layer, quantity and value",
    args: ["check", DQN_ANSWERS, "answers.json"],
    files: { "answers.json": '[{"layer": 1, "quantity": "neurons", "answer": 6400}]' },
  },
  {
    code: "missing-key",
    group: "answers",
    kind: "error",
    exit: 1,
    cause: "a JSON answer without layer, quantity or value",
    args: ["check", DQN_ANSWERS, "answers.json"],
    files: { "answers.json": '[{"layer": 1, "quantity": "neurons"}]' },
  },
  {
    code: "invalid-layer",
    group: "answers",
    kind: "error",
    exit: 1,
    cause: "a JSON answer whose layer is not an index or a name",
    args: ["check", DQN_ANSWERS, "answers.json"],
    files: { "answers.json": '[{"layer": 0, "quantity": "neurons", "value": 6400}]' },
  },
  // --- command line
  {
    code: "csv-extras",
    group: "cli",
    kind: "usage error",
    exit: 2,
    cause: "`--explain` or `--init` with `--format csv`",
    args: ["ok.json", "--format", "csv", "--explain"],
    files: OK,
  },
  {
    code: "two-stdin",
    group: "cli",
    kind: "usage error",
    exit: 2,
    cause: "`cnncalc check - -`",
    args: ["check", "-", "-"],
  },
  {
    code: "two-stdin",
    group: "cli",
    kind: "usage error",
    exit: 2,
    cause: "`cnncalc - -`: standard input named twice",
    args: ["-", "-"],
  },
  {
    code: "svg-one-spec",
    group: "cli",
    kind: "usage error",
    exit: 2,
    cause: "`--format svg` with several specs",
    args: ["ok.json", "ok.json", "--format", "svg"],
    files: OK,
  },
  {
    code: "svg-too-large",
    group: "cli",
    kind: "usage error",
    exit: 2,
    cause: "`--format svg` on a network of more than 1,000 drawn nodes",
    args: ["long.json", "--format", "svg"],
    files: {
      "long.json": JSON.stringify({
        input: [4],
        layers: Array(1001).fill({ type: "dense", units: 4 }),
      }),
    },
  },
  {
    code: "unwritable-output",
    group: "cli",
    kind: "usage error",
    exit: 2,
    cause: "`-o` into a directory that does not exist (or may not be written)",
    args: ["ok.json", "-o", "no-such-dir/out.txt"],
    files: OK,
    realWrites: true,
  },
  // --- warnings
  {
    code: "uncovered-input",
    group: "warning",
    kind: "warning",
    exit: 0,
    cause: "a window whose stride leaves the last rows or columns unread",
    args: ["net.cnn"],
    files: cnn("input 8x9x3\nconv 4 3x3 stride 2\n"),
  },
  {
    code: "uncovered-input",
    group: "warning",
    kind: "error",
    exit: 1,
    cause: "any warning under `--strict` is an error with the same code",
    args: ["net.cnn", "--strict"],
    files: cnn("input 8x9x3\nconv 4 3x3 stride 2\n"),
  },
  {
    code: "merged-number",
    group: "warning",
    kind: "warning",
    exit: 0,
    cause: 'prose in which a PDF extraction merged "16 8 × 8" into "16.8 × 8"',
    args: ["paper.txt"],
    files: prose(
      "The input is 84 × 84 × 4. The first hidden layer convolves 16.8 × 8 filters with stride 4 and no padding.\n",
    ),
  },
  {
    code: "outputs-unused",
    group: "warning",
    kind: "warning",
    exit: 0,
    cause: "`--outputs N` when no layer of the prose has one output per action or class",
    args: ["paper.txt", "--outputs", "6"],
    files: prose("The input is 8 × 8 × 1. The last layer is fully connected with 10 units.\n"),
  },
  // --- assumptions
  {
    code: "pool-padding",
    group: "warning",
    kind: "warning",
    exit: 0,
    cause: "a pooling padding over half the window (PyTorch refuses it)",
    args: ["net.cnn"],
    files: cnn("input 8x8x1\nmaxpool 2 pad 2\n"),
  },
  {
    code: "channels-first",
    group: "warning",
    kind: "warning",
    exit: 0,
    cause:
      "an input whose first size is 1 to 4 and every other at least 8 and 4 times it: channels first, as PyTorch writes it",
    args: ["net.json"],
    files: json('{"type": "conv", "filters": 8, "kernel": 3}', "[3, 224, 224]"),
  },
  {
    code: "keras-frozen",
    group: "warning",
    kind: "warning",
    exit: 0,
    cause:
      'a Keras model with a layer saved with "trainable": false (its parameters count as trainable in cnncalc)',
    args: ["model.json"],
    files: {
      "model.json": JSON.stringify(
        {
          class_name: "Sequential",
          config: {
            layers: [
              { class_name: "InputLayer", config: { batch_shape: [null, 4] } },
              { class_name: "Dense", config: { name: "frozen", units: 2, trainable: false } },
            ],
          },
        },
        null,
        1,
      ),
    },
  },
  {
    code: "input-1d",
    group: "assumption",
    kind: "assumption",
    exit: 0,
    cause: "an input of two numbers, read as length × channels (1-D)",
    args: ["net.cnn"],
    files: cnn("input 28x28\nconv 6 5\n"),
  },
  {
    code: "implied-flatten",
    group: "assumption",
    kind: "assumption",
    exit: 0,
    cause: "a dense layer on a spatial input (no `flatten` before it)",
    args: ["net.cnn"],
    files: cnn("input 8x8x3\ndense 10\n"),
  },
  {
    code: "torch-order",
    group: "assumption",
    kind: "assumption",
    exit: 0,
    cause:
      "a PyTorch print(model) text whose container is not a Sequential or a torchvision block: its children read in printed order",
    args: ["model.txt", "--input", "8x8x3"],
    files: {
      "model.txt":
        "Net(\n  (conv): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1))\n  (act): ReLU()\n)\n",
    },
  },
  {
    code: "torch-implied",
    group: "assumption",
    kind: "assumption",
    exit: 0,
    cause:
      "what a PyTorch model's forward() does without a printed module (torch.flatten before a Linear, ConvNeXt's layer_scale)",
    args: ["model.txt", "--input", "4x4x3"],
    files: {
      "model.txt":
        "Sequential(\n  (0): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1))\n  (1): Linear(in_features=32, out_features=2, bias=True)\n)\n",
    },
  },
  {
    code: "torch-parameters",
    group: "assumption",
    kind: "assumption",
    exit: 0,
    cause: "a PyTorch print(model) text: its parameters from the modules' arguments alone",
    args: ["model.txt", "--input", "8x8x3"],
    files: {
      "model.txt":
        "Sequential(\n  (0): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1))\n  (1): ReLU()\n)\n",
    },
  },
  {
    code: "rf-transposed",
    group: "assumption",
    kind: "assumption",
    exit: 0,
    cause: "a transposed convolution: receptive fields stop there",
    args: ["net.cnn"],
    files: cnn("input 8x8x3\nconvtranspose 4 3x3 stride 2\n"),
  },
  {
    code: "rf-resampled",
    group: "assumption",
    kind: "assumption",
    exit: 0,
    cause:
      "upsampling, a pixel shuffle or unequal adaptive pooling bins: receptive fields stop there",
    args: ["net.cnn"],
    files: cnn("input 8x8x3\nupsample 2\n"),
  },
  {
    code: "input-channels",
    group: "assumption",
    kind: "assumption",
    exit: 0,
    cause: "prose that gives an input size without channels",
    args: ["paper.txt"],
    files: prose(
      "The input is 32 × 32. The first layer convolves 8 3 × 3 filters with stride 1 and no padding.\n",
    ),
  },
  {
    code: "onnx-no-batchnorm",
    group: "assumption",
    kind: "assumption",
    exit: 0,
    cause: "an ONNX graph with biased layers and no normalisation (BatchNorm maybe folded)",
    args: ["test/fixtures/onnx/hand-ops.onnx"],
  },
  {
    code: "onnx-pad-mode",
    group: "assumption",
    kind: "assumption",
    exit: 0,
    cause: "an ONNX Pad in reflect or edge mode, counted as zero padding",
    args: ["test/fixtures/onnx/hand-ops.onnx"],
  },
  {
    code: "kernel-depth",
    group: "assumption",
    kind: "assumption",
    exit: 0,
    cause: 'prose that gives a kernel with its depth ("5×5×3")',
    args: ["paper.txt"],
    files: prose(
      "The input is 32 × 32 × 3. The first layer convolves 20 kernels of size 5×5×3 with a stride of 1 and no padding.\n",
    ),
  },
  {
    code: "output-dense",
    group: "assumption",
    kind: "assumption",
    exit: 0,
    cause: "prose whose output layer is not said to be fully connected",
    args: ["paper.txt"],
    files: prose(
      "The input is 84 × 84 × 4. The output layer has a single output for each valid action. There are 6 valid actions.\n",
    ),
  },
  {
    code: "outputs-range",
    group: "assumption",
    kind: "assumption",
    exit: 0,
    cause: "prose that gives the number of outputs as a range",
    args: ["examples/dqn-paper.txt"],
  },
  {
    code: "padding-zero",
    group: "assumption",
    kind: "assumption",
    exit: 0,
    cause: "prose that does not mention a layer's padding",
    args: ["paper.txt"],
    files: prose(
      "The input is 32 × 32 × 3. The first layer convolves 8 3 × 3 filters with stride 1.\n",
    ),
  },
  {
    code: "padding-global",
    group: "assumption",
    kind: "assumption",
    exit: 0,
    cause: "prose that states the padding once for all convolutions",
    args: ["paper.txt"],
    files: prose(
      "The input is 32 × 32 × 3. The first layer convolves 8 3 × 3 filters with stride 1. All convolutions use zero-padding of 1.\n",
    ),
  },
  {
    code: "stride-one",
    group: "assumption",
    kind: "assumption",
    exit: 0,
    cause: "prose that does not mention a convolution's stride",
    args: ["paper.txt"],
    files: prose(
      "The input is 32 × 32 × 3. The first layer convolves 8 3 × 3 filters with no padding.\n",
    ),
  },
  {
    code: "pool-stride",
    group: "assumption",
    kind: "assumption",
    exit: 0,
    cause: "prose that does not mention a pooling layer's stride",
    args: ["paper.txt"],
    files: prose(
      "The input is 24 × 24 × 8. This is followed by 2 × 2 max-pooling with no padding.\n",
    ),
  },
  {
    code: "no-weights",
    group: "assumption",
    kind: "init note",
    exit: 0,
    cause: "`--init` on a network without conv or dense layers",
    args: ["net.cnn", "--init", "he"],
    files: cnn("input 8x8x3\nmaxpool 2\n"),
  },
  {
    code: "chain-only",
    group: "assumption",
    kind: "init note",
    exit: 0,
    cause: "`--init` on a network with residual, concat or dense blocks",
    args: ["net.cnn", "--init", "he"],
    files: cnn("input 8x8x3\nresidual {\n  conv 3 3x3 same relu\n}\n"),
  },
  {
    code: "batchnorm-ignored",
    group: "assumption",
    kind: "init note",
    exit: 0,
    cause: "`--init` on a network with batchnorm",
    args: ["net.cnn", "--init", "he"],
    files: cnn("input 8x8x3\nconv 4 3x3\nbatchnorm\n"),
  },
  {
    code: "rescale-ignored",
    group: "assumption",
    kind: "init note",
    exit: 0,
    cause: "`--init` on a network with another norm, layer scale or PReLU",
    args: ["net.cnn", "--init", "he"],
    files: cnn("input 8x8x8\nconv 8 3x3\ngroupnorm 2\nprelu\n"),
  },
  {
    code: "pooling-ignored",
    group: "assumption",
    kind: "init note",
    exit: 0,
    cause: "`--init` on a network with pooling",
    args: ["net.cnn", "--init", "he"],
    files: cnn("input 8x8x3\nconv 4 3x3\nmaxpool 2\n"),
  },
  {
    code: "stride-ignored",
    group: "assumption",
    kind: "init note",
    exit: 0,
    cause: "`--init` on a network with a strided convolution",
    args: ["net.cnn", "--init", "he"],
    files: cnn("input 8x8x3\nconv 4 2x2 stride 2\n"),
  },
  {
    code: "leaky-alpha",
    group: "assumption",
    kind: "init note",
    exit: 0,
    cause: "`--init` on a network with leaky ReLU",
    args: ["net.cnn", "--init", "he"],
    files: cnn("input 8x8x3\nconv 4 3x3 leakyrelu\n"),
  },
  {
    code: "table-mean",
    group: "assumption",
    kind: "init note",
    exit: 0,
    cause: "`--init` on a convolution with a connection table",
    args: ["net.cnn", "--init", "he"],
    files: cnn("input 8x8x2\nconv 2 3x3 connections [[0], [0, 1]]\n"),
  },
  // --- statuses of graded answers
  {
    code: "no-layer",
    group: "status",
    kind: "status",
    exit: 1,
    cause: "an answer for a layer the network does not have",
    args: ["check", DQN_ANSWERS, "answers.txt"],
    files: answers("layer 7 neurons 10\n"),
  },
  {
    code: "not-applicable",
    group: "status",
    kind: "status",
    exit: 1,
    cause: "an answer for a quantity the layer does not have (the width of a flat output)",
    args: ["check", DQN_ANSWERS, "answers.txt"],
    files: answers("layer 3 width 256\n"),
  },
  {
    code: "not-read",
    group: "status",
    kind: "status",
    exit: 1,
    cause:
      "a line that cannot be read, among lines that can (the others are marked; a file with no line read is an error)",
    args: ["check", DQN_ANSWERS, "answers.txt"],
    files: answers("layer 1 neurons 6400\nlayer 2 nerons 2592\n"),
  },
];

/** An in-memory Io over `files` (other paths from disk), writing for real when asked. */
function memoryIo(files: Record<string, string>, realWrites: boolean) {
  const out = { stdout: "", stderr: "" };
  const io: Io = {
    stdout: (t) => {
      out.stdout += outputText(t);
    },
    stderr: (t) => {
      out.stderr += t;
    },
    readText: async (path, max) => files[path] ?? readText(path, max),
    readInput: async (path, max) => files[path] ?? readInput(path, max),
    writeFileAtomic: async (path, text) => {
      if (realWrites) await writeFileAtomic(path, text);
    },
    env: {},
    stdoutIsTty: false,
    stderrIsTty: false,
  };
  return { io, out };
}

/** Runs an example's command line: through test/helpers/io.ts, or with real writes. */
async function runExample(ex: Example, extra: string[] = [], files = ex.files ?? {}): Promise<Run> {
  const args = [...(ex.args ?? []), ...extra];
  if (!ex.realWrites) return run(args, files);
  const { io, out } = memoryIo(files, true);
  const code = await main(args, io);
  return { code, ...out, written: new Map() };
}

/**
 * The code of the error a command line throws out of the program, below main's error boundary
 * (which prints the message only): for usage errors that belong to no file.
 */
async function thrownCode(ex: Example): Promise<string | undefined> {
  const { io } = memoryIo(ex.files ?? {}, ex.realWrites === true);
  try {
    await buildProgram(io, () => {}).parseAsync(ex.args ?? [], { from: "user" });
  } catch (e) {
    if (e instanceof CnnError) return e.diagnostic.code;
    throw e;
  }
  return undefined;
}

/** The code (and message) of the CnnError a call throws. */
function codeOf(call: () => unknown): { code: string; line: string; message: string } {
  try {
    call();
  } catch (e) {
    if (!(e instanceof CnnError)) throw e;
    return {
      code: e.diagnostic.code,
      line: formatDiagnostic(e.diagnostic, PLAIN),
      message: e.diagnostic.message,
    };
  }
  throw new Error("expected a CnnError; the call succeeded");
}

const lines = (text: string) => text.split("\n").filter((l) => l !== "");

/**
 * Checks that an example really produces its code with its exit code, and returns the line the
 * docs show: the first line of stderr for an error, the note line for a warning or assumption,
 * the report line for a status.
 */
async function verify(ex: Example): Promise<string> {
  if (ex.library) {
    const got = codeOf(ex.library.call);
    expect(got.code).toBe(ex.code);
    return got.line;
  }
  const r = await runExample(ex);
  expect(r.code, `${r.stdout}${r.stderr}`).toBe(ex.exit);
  const isCheck = ex.args?.[0] === "check";
  switch (ex.kind) {
    case "error":
    case "usage error": {
      const first = lines(r.stderr)[0] ?? "";
      expect(first).toMatch(/error: /);
      if (ex.group === "cli") {
        expect(await thrownCode(ex)).toBe(ex.code);
      } else if (isCheck) {
        // check prints no code; the same answers text through the library shows it
        const got = codeOf(() => parseAnswers(ex.files?.[ex.args?.[2] ?? ""] ?? ""));
        expect(got.code).toBe(ex.code);
        expect(first).toContain(got.message);
      } else {
        // with two files, --json reports each failure as data, code included
        const twin = await runExample(ex, ["ok.json", "--json"], { ...ex.files, ...OK });
        expect(twin.code).toBe(ex.exit);
        const items = JSON.parse(twin.stdout) as { error?: { code: string; message: string } }[];
        expect(items[0]?.error?.code).toBe(ex.code);
        expect(first).toContain(items[0]?.error?.message);
      }
      return first;
    }
    case "warning":
    case "assumption":
    case "init note": {
      const label = ex.kind === "warning" ? "warning:" : "assumption:";
      const shown = lines(`${r.stdout}${r.stderr}`).filter(
        (l) => l.startsWith(label) && l.endsWith(`[${ex.code}]`),
      );
      expect(shown).toHaveLength(1);
      const j = await runExample(ex, ["--json"]);
      expect(j.code).toBe(ex.exit);
      const out = JSON.parse(j.stdout) as {
        warnings: { code: string }[];
        assumptions: { code: string }[];
        init?: { notes: { code: string }[] };
      };
      const list =
        ex.kind === "warning"
          ? out.warnings
          : ex.kind === "assumption"
            ? out.assumptions
            : (out.init?.notes ?? []);
      expect(list.map((n) => n.code)).toContain(ex.code);
      return shown[0] as string;
    }
    case "status": {
      const shown = lines(r.stdout).filter((l) => l.startsWith("✗"));
      expect(shown).toHaveLength(1);
      const j = await runExample(ex, ["--json"]);
      expect(j.code).toBe(ex.exit);
      const report = JSON.parse(j.stdout) as { results: { status: string }[] };
      // the example's one line that is not right (a line not read comes among right ones)
      expect(report.results.map((x) => x.status).filter((x) => x !== "right")).toEqual([ex.code]);
      return shown[0] as string;
    }
    default: {
      const never: never = ex.kind;
      return never;
    }
  }
}

/** Usage errors commander reports itself: exit 2, one `error:` line, no cnncalc code. */
const UNCODED: { cause: string; args: string[] }[] = [
  { cause: "an option cnncalc does not have", args: ["ok.json", "--colour"] },
  { cause: "a value not among an option's choices", args: ["ok.json", "--format", "yaml"] },
  { cause: "an option value of the wrong form", args: ["ok.json", "--input", "84x84x0"] },
  { cause: "a missing argument", args: ["check", "ok.json"] },
];

/** Runs an uncoded usage error and returns its one line. */
async function uncodedLine(args: string[]): Promise<string> {
  const r = await run(args, OK);
  expect(r.code).toBe(2);
  const shown = lines(r.stderr);
  expect(shown[0]).toMatch(/^error: /);
  return shown[0] as string;
}

/** A Markdown code span of any text, safe inside a table cell. */
function codeSpan(text: string): string {
  const ticks = text.includes("`") ? "``" : "`";
  const pad = ticks.length > 1 ? " " : "";
  return `${ticks}${pad}${text.replaceAll("|", "\\|")}${pad}${ticks}`;
}

/** The command line of an example, as a user would type it. */
function commandOf(ex: Example): string {
  if (ex.library) return `library only: ${ex.library.why}`;
  const args = (ex.args ?? []).map((a) => (/[\s"'*]/.test(a) ? `'${a}'` : a));
  return codeSpan(`cnncalc ${args.join(" ")}`);
}

/** Renders docs/errors.md from the verified examples and their lines. */
function renderDoc(shown: Map<Example, string>, uncoded: string[]): string {
  const out = [
    "# Errors, warnings and exit codes",
    "",
    "<!-- Generated by test/codes.test.ts from real runs: UPDATE_ERRORS=1 npx vitest run test/codes.test.ts -->",
    "",
    "Every problem cnncalc reports has a stable code. Errors stop the file they are about; warnings",
    "and assumptions are printed under the table as `warning: ... [code]` and",
    "`assumption: ... [code]` and do not change the exit code (`--strict` turns warnings into errors).",
    'With several files and `--json`, a failed file is an entry `{ "file", "error": { "code", "message", "path", "line", "column" } }`;',
    "warnings and assumptions are in the `warnings` and `assumptions` lists of the JSON output.",
    "",
    "Exit codes of `cnncalc`: 0 success, 1 a bad spec (or a warning under `--strict`), 2 bad usage",
    "(a file that cannot be read, wrong options), 3 an internal error (a bug: please report it).",
    "`cnncalc check` exits 0 when every line is read and every answer is right, 1 when one is not",
    "(or cannot be graded, or a line cannot be read, or a file is bad), 2 for bad usage. The answers",
    "errors below stop `check` only when no line of the file can be read; among readable lines, a",
    "line with one of them is marked `not read` in the report. `cnncalc convert` exits like `cnncalc`.",
    "",
    "Each example below is the first line cnncalc printed for the command shown (the files are in",
    "test/codes.test.ts). Options the command-line parser itself refuses (an unknown option, a",
    "missing argument, a value not among the choices) exit 2 with a one-line `error: ...` and no",
    "code: see the end of [Command line](#command-line).",
    "",
    "Every code, by group:",
    "",
    ...codeIndex(),
  ];
  for (const [group, title] of Object.entries(GROUPS) as [Group, string][]) {
    const list = EXAMPLES.filter((e) => e.group === group);
    out.push(
      "",
      `## ${title}`,
      "",
      "| Code | Kind | Exit | Cause | Example |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const ex of list) {
      const example = `${commandOf(ex)}<br>${codeSpan(shown.get(ex) ?? "")}`;
      out.push(`| \`${ex.code}\` | ${ex.kind} | ${ex.exit} | ${ex.cause} | ${example} |`);
    }
    if (group === "cli") {
      UNCODED.forEach((u, i) => {
        const example = `${commandOf({ args: u.args } as Example)}<br>${codeSpan(uncoded[i] ?? "")}`;
        out.push(`| (none) | usage error | 2 | ${u.cause} | ${example} |`);
      });
    }
  }
  return `${out.join("\n")}\n`;
}

const DOC = new URL("../docs/errors.md", import.meta.url);
const UPDATE = process.env.UPDATE_ERRORS === "1";

/** The index of every code, by group, each group linking to its table below. */
function codeIndex(): string[] {
  return (Object.entries(GROUPS) as [Group, string][]).map(([group, title]) => {
    const codes = [...new Set(EXAMPLES.filter((e) => e.group === group).map((e) => e.code))];
    const anchor = title
      .toLowerCase()
      .replace(/[^a-z0-9 -]/g, "")
      .replace(/ /g, "-");
    return `- [${title}](#${anchor}): ${codes.map((c) => `\`${c}\``).join(", ")}`;
  });
}

describe("every diagnostic code, produced for real", () => {
  const shown = new Map<Example, string>();

  it.each(EXAMPLES.map((ex) => [`${ex.code} (${ex.group}, ${ex.kind})`, ex] as const))(
    "%s",
    async (_name, ex) => {
      shown.set(ex, await verify(ex));
    },
  );

  it("docs/errors.md lists each code with the line it really prints", async () => {
    expect(shown.size).toBe(EXAMPLES.length);
    const uncoded: string[] = [];
    for (const u of UNCODED) uncoded.push(await uncodedLine(u.args));
    const doc = renderDoc(shown, uncoded);
    if (UPDATE) writeFileSync(DOC, doc);
    else expect(readFileSync(DOC, "utf8"), "UPDATE_ERRORS=1 refreshes docs/errors.md").toBe(doc);
  });
});

/**
 * Kebab-case string literals in src/ that are not diagnostic codes, and why. Everything else the
 * pattern finds must have an example above.
 */
const NOT_CODES: Readonly<Record<string, string>> = {
  "cli-table3": "a package name (import)",
  "left-mid": "a cli-table3 border character key",
  "mid-mid": "a cli-table3 border character key",
  "right-mid": "a cli-table3 border character key",
  "padding-left": "a cli-table3 style key",
  "padding-right": "a cli-table3 style key",
  "utf-8": "the TextDecoder encoding name",
  "fully-connected": "a prose word for a dense layer",
  "nearest-neighbour": "a prose word for upsampling's nearest mode",
  "nearest-neighbor": "a prose word for upsampling's nearest mode",
  "full-connected": "a prose word for a dense layer",
  "max-pooling": "a prose word (in a message and a comment)",
  "max-pool": "a prose word (in a comment)",
  "sub-sampling": "a prose word for subsampling",
  "gray-scale": "a prose word for one input channel",
  "grey-scale": "a prose word for one input channel",
  "zero-padding": "a prose word for padding",
  "non-overlapping": "a prose word before a pooling phrase",
  "working-panel": "an element id of the playground page",
  "aria-invalid": "an HTML attribute the playground page sets",
  "torch-jit-export": "a graph name old torch.onnx exports give every graph",
};

const CODE_LIKE = /"[a-z][a-z0-9]*(?:-[a-z0-9]+)+"/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : e.name.endsWith(".ts")
        ? [join(dir, e.name)]
        : [],
  );
}

describe("the table of codes (src/core/codes.ts)", () => {
  it("lists each catalogued code with the kinds of its examples, and no other code", () => {
    const kinds: Record<string, CodeKind[]> = {};
    for (const ex of EXAMPLES) {
      // a warning made an error by --strict is still a warning's code
      if (ex.group === "warning" && ex.kind === "error") continue;
      const list = kinds[ex.code] ?? [];
      if (!list.includes(ex.kind)) kinds[ex.code] = [...list, ex.kind];
    }
    const table = Object.fromEntries(
      Object.entries(CODES).map(([c, k]) => [c, [...(k as readonly CodeKind[])]]),
    );
    expect(table).toEqual(kinds);
  });

  it("gives each error example's exit code", () => {
    for (const ex of EXAMPLES) {
      if (ex.kind === "error" || ex.kind === "usage error") {
        expect(EXIT_OF[errorKind(ex.code)], ex.code).toBe(ex.exit);
      }
    }
    expect(EXIT).toEqual({ ok: 0, failed: 1, usage: 2, internal: 3 });
  });
});

describe("the catalogue is complete", () => {
  const src = join(import.meta.dirname, "..", "src");
  // the table of codes lists every code: it proves none is still made somewhere
  const TABLE = join(src, "core", "codes.ts");
  const found = new Set(
    sourceFiles(src)
      .filter((f) => f !== TABLE)
      .flatMap((f) =>
        [...readFileSync(f, "utf8").matchAll(CODE_LIKE)].map((m) => m[0].slice(1, -1)),
      ),
  );
  const catalogued = new Set(EXAMPLES.map((e) => e.code));

  it("every code-like string in src/ is a code with an example, or listed as not a code", () => {
    const missing = [...found].filter((s) => !catalogued.has(s) && !(s in NOT_CODES));
    expect(missing, "add an example to EXAMPLES (or the string to NOT_CODES)").toEqual([]);
  });

  it("every catalogued code and every listed non-code still occurs in src/", () => {
    expect([...catalogued].filter((c) => !found.has(c))).toEqual([]);
    expect(Object.keys(NOT_CODES).filter((s) => !found.has(s))).toEqual([]);
  });

  it("every code written where a diagnostic is made is kebab-case, so the scan above sees it", () => {
    // `code: "..."` and the first argument of the functions that raise or note a problem
    const MADE =
      /(?:\bcode:\s*|(?<![\w.])(?:r\.fail|fail|bad|cnnError|diagnostic|syntaxError|error|ctx\.warn|ctx\.assume)\(\s*)"([^"]*)"/g;
    const made = sourceFiles(src).flatMap((f) =>
      [...readFileSync(f, "utf8").matchAll(MADE)].map((m) => m[1] as string),
    );
    expect(made.length).toBeGreaterThan(80);
    expect(made.filter((c) => !/^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/.test(c))).toEqual([]);
    expect(made.filter((c) => !catalogued.has(c))).toEqual([]);
  });
});
