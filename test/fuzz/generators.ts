/*
 * fast-check generators of CLI inputs: valid specs, specs broken in every way a hand-typed,
 * pasted or generated file can be, raw bytes, and argument lists. Each input format is one entry
 * of INPUT_GENERATORS; the fuzz test draws from all of them, so a new format is one more entry.
 */
import fc from "fast-check";
import type { FileContent } from "./harness.js";
import type { PlainLayer } from "./oracle.js";

/** A spec the oracle can check: an input and plain 2-D layers. */
export interface PlainSpec {
  name?: string;
  input: [number, number, number];
  layers: PlainLayer[];
}

const small = (max: number) => fc.integer({ min: 1, max });

/** Mostly small sizes, sometimes huge ones (counts then pass 2^53 - 1). */
const extent = fc.oneof(
  { weight: 8, arbitrary: small(64) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 ** 26 }) },
);

const ACTIVATIONS = ["relu", "sigmoid", "tanh", "swish", "linear", "softmax", "gelu"] as const;

/** One plain layer; its geometry may not fit its input (the oracle then expects the error). */
export const plainLayer: fc.Arbitrary<PlainLayer> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record(
      {
        type: fc.constant("conv" as const),
        filters: fc.oneof({ weight: 5, arbitrary: small(64) }, small(5000)),
        kernel: fc.oneof(small(7), fc.tuple(small(7), small(7))),
        stride: small(4),
        padding: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom("same", "valid")),
        dilation: small(3),
        groups: fc.constantFrom(1, 1, 1, 2, 4),
        bias: fc.boolean(),
      },
      { requiredKeys: ["type", "filters", "kernel"] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        type: fc.constantFrom("maxpool" as const, "avgpool" as const),
        kernel: small(4),
        stride: small(3),
        padding: fc.integer({ min: 0, max: 1 }),
        ceil: fc.boolean(),
      },
      { requiredKeys: ["type", "kernel"] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      { type: fc.constant("dense" as const), units: small(4096), bias: fc.boolean() },
      { requiredKeys: ["type", "units"] },
    ),
  },
  { weight: 1, arbitrary: fc.constant({ type: "flatten" as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant("activation" as const),
      function: fc.constantFrom(...ACTIVATIONS),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record(
      { type: fc.constant("dropout" as const), rate: fc.double({ min: 0, max: 1, noNaN: true }) },
      { requiredKeys: ["type"] },
    ),
  },
  { weight: 1, arbitrary: fc.constant({ type: "batchnorm" as const }) },
);

/** A plain spec the oracle can check. */
export const plainSpec: fc.Arbitrary<PlainSpec> = fc.record(
  {
    name: fc.string({ maxLength: 20 }),
    input: fc.tuple(extent, extent, fc.oneof(small(8), small(512))),
    layers: fc.array(plainLayer, { minLength: 1, maxLength: 8 }),
  },
  { requiredKeys: ["input", "layers"] },
);

/** Blocks around plain layers (residual, concat, repeat), nested a few levels. */
const anyLayer: fc.Arbitrary<unknown> = fc.letrec<{ layer: unknown }>((tie) => ({
  layer: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 6, arbitrary: plainLayer },
    {
      weight: 1,
      arbitrary: fc.record(
        {
          type: fc.constant("residual"),
          body: fc.array(tie("layer"), { minLength: 1, maxLength: 3 }),
          shortcut: fc.array(tie("layer"), { maxLength: 2 }),
        },
        { requiredKeys: ["type", "body"] },
      ),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        type: fc.constant("concat"),
        branches: fc.array(fc.array(tie("layer"), { minLength: 1, maxLength: 2 }), {
          minLength: 1,
          maxLength: 3,
        }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        type: fc.constant("repeat"),
        times: small(4),
        body: fc.array(tie("layer"), { minLength: 1, maxLength: 2 }),
      }),
    },
  ),
})).layer;

/** Any well-formed spec (blocks included); its geometry may still be wrong. */
export const anySpec = fc.record({
  input: fc.tuple(small(64), small(64), small(16)),
  layers: fc.array(anyLayer, { minLength: 1, maxLength: 6 }),
});

/** Values that are wrong somewhere: wrong types, out of range, NaN-like, huge, typos. */
const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    0,
    -1,
    -0,
    1.5,
    0.5,
    1e308,
    -1e308,
    2 ** 53,
    2 ** 53 - 1,
    Number.MAX_SAFE_INTEGER + 2,
    1e21,
    "3",
    "84x84x4",
    "",
    " ",
    "relu",
    "same",
    "valid",
    "reluu",
    "conv",
    "fc",
    // names every plain object inherits: a lookup table must not answer them
    "constructor",
    "toString",
    "__proto__",
    null,
    true,
    false,
    [],
    {},
    [0],
    [1, 2, 3, 4, 5],
    ["a"],
    [[1]],
    { a: 1 },
    { height: 3 },
  ),
  fc.integer({ min: -5, max: 5 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 8 }),
);

/** Keys that do not belong: typos of real keys, prototype names, junk. */
const strayKey = fc.constantFrom(
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "kernal",
  "filter",
  "unit",
  "strides",
  "Type",
  "paddding",
  "",
  " ",
  "layers",
  "input",
);

type Json = unknown;

/** Every [container, key] in a JSON value, found without recursion. */
function slots(root: Json): [Record<string, Json> | Json[], string | number][] {
  const out: [Record<string, Json> | Json[], string | number][] = [];
  const stack: Json[] = [root];
  for (let v = stack.pop(); v !== undefined; v = stack.pop()) {
    if (Array.isArray(v)) {
      v.forEach((c, i) => {
        out.push([v, i]);
        stack.push(c);
      });
    } else if (v !== null && typeof v === "object") {
      for (const k of Object.keys(v)) {
        out.push([v as Record<string, Json>, k]);
        stack.push((v as Record<string, Json>)[k]);
      }
    }
  }
  return out;
}

/** Defines a key as an own property, so that "__proto__" becomes a key, not a prototype. */
function setKey(o: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

const TREE_MUTATIONS = ["replace", "delete", "add", "wrap", "rename"] as const;

/** A spec object with one to three broken places. */
export const mutatedSpec: fc.Arbitrary<Json> = fc
  .tuple(
    fc.oneof(plainSpec, anySpec),
    fc.array(
      fc.record({
        at: fc.nat(),
        how: fc.constantFrom(...TREE_MUTATIONS),
        value: weirdValue,
        key: strayKey,
      }),
      { minLength: 1, maxLength: 3 },
    ),
  )
  .map(([spec, edits]) => {
    const root = structuredClone(spec) as Json;
    for (const e of edits) {
      const all = slots(root);
      if (all.length === 0) break;
      const [container, key] = all[e.at % all.length] as [Record<string, Json> | Json[], string];
      if (Array.isArray(container)) {
        const i = key as unknown as number;
        if (e.how === "delete") container.splice(i, 1);
        else if (e.how === "wrap") container[i] = [container[i]];
        else container[i] = e.value;
      } else if (e.how === "delete") {
        delete container[key];
      } else if (e.how === "add") {
        setKey(container, e.key, e.value);
      } else if (e.how === "rename") {
        const v = container[key];
        delete container[key];
        setKey(container, e.key, v);
      } else if (e.how === "wrap") {
        container[key] = { value: container[key] };
      } else {
        container[key] = e.value;
      }
    }
    return root;
  });

/** JSON text of a value, laid out in one of the ways files come: compact, indented, CRLF, BOM. */
export const jsonLayout = (value: Json) =>
  fc.constantFrom("compact", "indent", "crlf", "bom", "tabs").map((layout) => {
    const text = JSON.stringify(value, null, layout === "compact" ? undefined : 2) ?? "null";
    if (layout === "crlf") return text.replaceAll("\n", "\r\n");
    if (layout === "bom") return `\uFEFF${text}`;
    if (layout === "tabs") return JSON.stringify(value, null, "\t") ?? "null";
    return text;
  });

/** Number spellings JSON forbids or that no spec can hold. */
const BAD_NUMBERS = [
  "NaN",
  "Infinity",
  "-Infinity",
  "1e400",
  "-1e400",
  "-0",
  "01",
  "1.",
  ".5",
  "0x10",
  "+1",
  "1e",
  "99999999999999999999",
  "9007199254740993",
  "1_000",
];

const TEXT_MUTATIONS = [
  "truncate",
  "badNumber",
  "insertChar",
  "deleteChar",
  "longName",
  "longSpaces",
  "deepLayer",
  "deepInput",
  "duplicateKey",
  "trailingComma",
  "comment",
] as const;

/** Text-level damage: truncation, bad number literals, stray characters, huge lines, deep nests. */
export const mutatedText: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(plainSpec, anySpec).chain(jsonLayout),
    fc.constantFrom(...TEXT_MUTATIONS),
    fc.nat(),
    fc.constantFrom(...BAD_NUMBERS),
    fc.constantFrom("{", "}", "[", "]", ",", ":", '"', "\\", "\u0000", "\u2028", "é", "😀", "\t"),
  )
  .map(([text, how, at, bad, ch]) => {
    const pos = at % (text.length + 1);
    switch (how) {
      case "truncate":
        return text.slice(0, pos);
      case "badNumber": {
        const numbers = [...text.matchAll(/-?\d+(\.\d+)?([eE][+-]?\d+)?/g)];
        const m = numbers[at % Math.max(1, numbers.length)];
        if (!m || m.index === undefined) return `${text}${bad}`;
        return text.slice(0, m.index) + bad + text.slice(m.index + m[0].length);
      }
      case "insertChar":
        return text.slice(0, pos) + ch + text.slice(pos);
      case "deleteChar":
        return text.slice(0, pos) + text.slice(pos + 1);
      case "longName":
        return text.replace(/^(\uFEFF?\{)/, `$1"name": "${"x".repeat(200_000)}",`);
      case "longSpaces":
        return text.slice(0, pos) + " ".repeat(300_000) + text.slice(pos);
      case "deepLayer":
        return text.replace(
          /"layers":\s*\[/,
          `"layers": [${"[".repeat(10_000)}${"]".repeat(10_000)},`,
        );
      case "deepInput":
        return text.replace(
          /"input":\s*/,
          `"input": ${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}, "x":`,
        );
      case "duplicateKey":
        return text.replace(/"type":/, '"type": "conv", "type":');
      case "trailingComma":
        return text.replace(/\]\s*\}\s*$/, ",]}");
      case "comment":
        return `// a spec\n${text}`;
      default: {
        const never: never = how;
        return never;
      }
    }
  });

/** Whole inputs that are not a spec at all. */
export const strangeText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\n\n\t  \r\n",
    "\uFEFF",
    "\uFEFF   ",
    "null",
    "0",
    "-0",
    "[]",
    "{}",
    '""',
    "true",
    '{"layers": []}',
    '{"layers": null}',
    '{"input": [84, 84, 4]}',
    '{"__proto__": {"layers": []}}',
    '{"constructor": {"prototype": {}}, "layers": []}',
    '{"input": [1e308, 1, 1], "layers": [{"type": "flatten"}]}',
    "[".repeat(10_000),
    "]".repeat(10),
    `${"[".repeat(10_001)}${"]".repeat(10_001)}`,
    `{"layers": ${"[".repeat(20_000)}`,
  ),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.json({ maxDepth: 4 }),
);

/** Bytes that are not UTF-8: stray continuation bytes, overlongs, surrogates, other encodings. */
export const badBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc
    .tuple(
      fc.oneof(plainSpec, anySpec).map((s) => new TextEncoder().encode(JSON.stringify(s))),
      fc.nat(),
      fc.constantFrom(
        [0xff],
        [0xfe, 0xff],
        [0xc3],
        [0x80],
        [0xc0, 0x80],
        [0xed, 0xa0, 0x80],
        [0xf4, 0x90, 0x80, 0x80],
        [0xe2, 0x82],
        [0x00],
      ),
    )
    .map(([bytes, at, bad]) => {
      const pos = at % (bytes.length + 1);
      return Uint8Array.from([...bytes.subarray(0, pos), ...bad, ...bytes.subarray(pos)]);
    }),
  // UTF-16 with its byte order mark, as some editors on Windows save
  plainSpec.map((s) => {
    const t = `\uFEFF${JSON.stringify(s)}`;
    const out = new Uint8Array(t.length * 2);
    for (let i = 0; i < t.length; i++) {
      out[2 * i] = t.charCodeAt(i) & 0xff;
      out[2 * i + 1] = t.charCodeAt(i) >> 8;
    }
    return out;
  }),
);

/** Picks one of several spellings. */
const oneOf = <T>(...xs: T[]) => fc.constantFrom(...xs);

/** A size in the text language, in one of its spellings: `8`, `8x8`, `8 × 8`, `8X8`. */
function sizeText(v: number | readonly number[], sep: string): string {
  return typeof v === "number" ? String(v) : v.join(sep);
}

/**
 * A plain spec written in the compact layer language, independently of cnncalc's printer and in
 * varied spellings (aliases, separators, case, comments, tabs, CRLF, `;`), so the oracle checks
 * the text reader's numbers against the same reference as JSON's.
 */
export function textLayout(spec: PlainSpec): fc.Arbitrary<string> {
  const style = fc.record({
    sep: oneOf("x", "×", " x ", "X"),
    conv: oneOf("conv", "Conv2D", "convolution", "CONV"),
    dense: oneOf("fc", "dense", "Linear"),
    bn: oneOf("bn", "batchnorm", "BatchNorm"),
    stride: oneOf("stride", "strides"),
    pad: oneOf("pad", "padding"),
    nobias: oneOf("nobias", "bias false"),
    eol: oneOf("\n", "\r\n"),
    indent: oneOf("", "  ", "\t"),
    semicolons: fc.boolean(),
    comments: fc.boolean(),
  });
  return style.map((st) => {
    const line = (l: PlainLayer): string => {
      switch (l.type) {
        case "conv": {
          const parts = [st.conv, String(l.filters), sizeText(l.kernel, st.sep)];
          if (l.stride !== undefined) parts.push(st.stride, String(l.stride));
          if (l.padding !== undefined) parts.push(st.pad, String(l.padding));
          if (l.dilation !== undefined) parts.push("dilation", String(l.dilation));
          if (l.groups !== undefined) parts.push("groups", String(l.groups));
          if (l.bias === false) parts.push(st.nobias);
          return parts.join(" ");
        }
        case "maxpool":
        case "avgpool": {
          const parts = [l.type === "maxpool" ? "max_pool" : "avgpool", sizeText(l.kernel, st.sep)];
          if (l.stride !== undefined) parts.push(st.stride, String(l.stride));
          if (l.padding !== undefined) parts.push(st.pad, String(l.padding));
          if (l.ceil !== undefined) parts.push(l.ceil ? "ceil" : "ceil false");
          return parts.join(" ");
        }
        case "dense":
          return [st.dense, String(l.units), ...(l.bias === false ? [st.nobias] : [])].join(" ");
        case "flatten":
          return "flatten";
        case "batchnorm":
          return st.bn;
        case "activation":
          return `activation ${l.function}`;
        case "dropout":
          // a rate only where its decimal spelling is exact (the oracle ignores rates)
          return l.rate !== undefined && /^\d+(\.\d+)?$/.test(String(l.rate))
            ? `dropout ${l.rate}`
            : "dropout";
        default: {
          const never: never = l;
          return never;
        }
      }
    };
    const lines = [
      ...(st.comments ? ["# generated by the fuzz test"] : []),
      ...(spec.name !== undefined ? [`name ${JSON.stringify(spec.name)}`] : []),
      `input ${spec.input.join(st.sep)}`,
    ];
    const body = spec.layers.map((l) => `${st.indent}${line(l)}${st.comments ? "  # layer" : ""}`);
    if (st.semicolons && !st.comments) lines.push(body.join("; "));
    else lines.push(...body);
    return `${lines.join(st.eol)}${st.eol}`;
  });
}

/** Breaks a program: cuts, stray words and braces, bad numbers, a lost line end. */
function mutateText(text: string): fc.Arbitrary<string> {
  const junk = oneOf(
    "{",
    "}",
    "strde",
    "x",
    "-1",
    "0",
    "1e999",
    "2.5",
    "NaN",
    "99999999999999999999",
    "residual {",
    "concat { branch {",
    '"',
    "#",
    "__proto__",
    "conv",
    "relu relu",
    "\u0000",
    "×××",
  );
  return fc.oneof(
    fc.constant(text),
    fc.nat().map((at) => text.slice(0, at % (text.length + 1))),
    fc.tuple(fc.nat(), junk).map(([at, j]) => {
      const i = at % (text.length + 1);
      return `${text.slice(0, i)} ${j} ${text.slice(i)}`;
    }),
    fc.tuple(fc.nat(), fc.nat({ max: 8 })).map(([at, n]) => {
      const i = at % (text.length + 1);
      return text.slice(0, i) + text.slice(i + n);
    }),
  );
}

/** Programs no generator of valid specs makes: deep or unterminated nests, blanks, noise. */
const strangeProgram: fc.Arbitrary<string> = fc.oneof(
  oneOf(
    "",
    "   \n\t\n",
    "# only a comment\n",
    "input 8x8x1\n",
    "conv 16 3x3\n",
    "input 8x8x1\nresidual {\n  conv 1 3x3 pad 1\n",
    "input 8x8x1\n}\n",
    "input 8x8x1\nshortcut { }\n",
    "input 8x8x1\nconcat { }\n",
    "input 8x8x1\nrepeat 0 { relu }\n",
    `input 8x8x1\n${"residual {\n".repeat(10_000)}`,
    `input 8x8x1\n${"repeat 2 { ".repeat(3_000)}relu${" }".repeat(3_000)}\n`,
    `input 8x8x1\n${"relu\n".repeat(20_000)}`,
    `input 8x8x1\nconv ${"9".repeat(400)} 3x3\n`,
    `input 8x8x1\n${"x".repeat(100_000)}\n`,
  ),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "grapheme", maxLength: 100 }).map((t) => `input 8x8x1\n${t}\n`),
);

/**
 * Prose: the DQN paragraph with other numbers and phrasings, the same broken the ways PDF
 * extraction breaks it, paragraphs with no layer, and long repetitive (adversarial) text.
 */
const proseText: fc.Arbitrary<string> = fc.oneof(
  fc
    .record({
      h: small(300),
      c: small(8),
      n: small(64),
      k: small(11),
      s: small(5),
      u: small(1024),
      lo: small(10),
      hi: small(40),
      latex: fc.boolean(),
      merged: fc.boolean(),
    })
    .map(({ h, c, n, k, s, u, lo, hi, latex, merged }) => {
      const times = latex ? " \\times " : " × ";
      const wrap = (t: string) => (latex ? `$${t}$` : t);
      const filters = merged ? wrap(`${n}.${k}${times}${k}`) : `${n} ${wrap(`${k}${times}${k}`)}`;
      return (
        `The input to the neural network consists of an ${wrap(`${h}${times}${h}${times}${c}`)} image. ` +
        `The first hidden layer convolves ${filters} filters with stride ${s} and applies a rectifier nonlinearity. ` +
        `The final hidden layer is fully-connected and consists of ${u} rectifier units. ` +
        "The output layer is a fully-connected linear layer with a single output for each valid action. " +
        `The number of valid actions varied between ${lo} and ${hi} on the games we considered.`
      );
    }),
  fc
    .array(
      oneOf(
        "The",
        "layer",
        "convolves",
        "filters",
        "of",
        "with",
        "stride",
        "2",
        "16",
        "8 × 8",
        "$16.8 \\times 8$",
        "fully-connected",
        "units",
        "max-pooling",
        "zero-padding",
        "between 4 and 18",
        "neurons",
        "image",
        "input",
        ".",
        ",",
        "NaN",
        "1e999",
        "0",
        "-3",
      ),
      { maxLength: 60 },
    )
    .map((words) => words.join(" ")),
  oneOf(
    "We thank the reviewers for their comments.",
    "The first hidden layer convolves 16 filters.",
    "The second hidden layer convolves 32 4 × 4 filters with stride 0.",
    `${"The first hidden layer convolves 16 8 × 8 filters with stride 4 ".repeat(2_000)}.`,
    `${"16 8 × 8 ".repeat(5_000)}`,
    `${"$".repeat(20_000)}`,
    `${"between 4 and ".repeat(5_000)}18.`,
  ),
);

/** A generator of one input file: its name (which picks the format) and its content. */
export interface InputCase {
  file: string;
  content: FileContent;
}

/**
 * Inputs per format. Adding a format is adding an entry here (and, for its valid specs, an
 * oracle); the fuzz test draws from all of them.
 */
export const INPUT_GENERATORS = {
  json: fc
    .oneof(
      { weight: 3, arbitrary: mutatedSpec.chain(jsonLayout) },
      { weight: 3, arbitrary: mutatedText },
      { weight: 2, arbitrary: fc.oneof(plainSpec, anySpec).chain(jsonLayout) },
      { weight: 1, arbitrary: strangeText },
    )
    .map((content) => ({ file: "spec.json", content })),
  bytes: badBytes.map((content) => ({ file: "spec.json", content })),
  text: fc
    .oneof(
      { weight: 3, arbitrary: fc.oneof(plainSpec, plainSpec).chain(textLayout).chain(mutateText) },
      { weight: 1, arbitrary: strangeProgram },
    )
    .map((content) => ({ file: "spec.cnn", content })),
  prose: proseText.map((content) => ({ file: "paper.txt", content })),
} satisfies Record<string, fc.Arbitrary<InputCase>>;

/** A way to write a plain spec in one input format, for the oracle property. */
export interface SpecWriter {
  /** The file name (its extension picks the format). */
  file: string;
  write(spec: PlainSpec): fc.Arbitrary<string>;
}

/**
 * Writers of valid specs per format: the oracle property checks every format's numbers against
 * the same reference, so a new format is one more entry here.
 */
export const SPEC_WRITERS = {
  json: { file: "spec.json", write: (spec: PlainSpec) => jsonLayout(spec) },
  text: { file: "spec.cnn", write: (spec: PlainSpec) => textLayout(spec) },
} satisfies Record<string, SpecWriter>;

/** One argument of a command line: real options with good and bad values, and junk. */
const argument = fc.constantFrom<readonly string[]>(
  ["--json"],
  ["-f", "table"],
  ["-f", "csv"],
  ["--format", "markdown"],
  ["--format=json"],
  ["-f", "xml"],
  ["--format"],
  ["--input", "84x84x4"],
  ["--input", "32×32×3"],
  ["--input", "0x5x3"],
  ["--input", "abc"],
  ["--input", "1x2x3x4x5"],
  ["--input", "99999999999999999999x1x1"],
  ["--columns", "layer,neurons,parameters"],
  ["--columns", "bogus"],
  ["--columns", ","],
  ["--all"],
  ["--depth", "0"],
  ["--depth", "-1"],
  ["--depth", "1.5"],
  ["--summary"],
  ["--dtype", "int8"],
  ["--dtype", "float128"],
  ["--from", "json"],
  ["--from", "yaml"],
  ["--strict"],
  ["--max-depth", "3"],
  ["--max-depth", "0"],
  ["--max-size", "10"],
  ["--max-size", "abc"],
  ["--no-color"],
  ["-o", "out.json"],
  ["--output"],
  ["--bogus"],
  ["--jsn"],
  ["-x"],
  ["--outputs", "3"],
  ["missing.json"],
  ["-"],
  ["dir/"],
  ["--"],
);

/** A command line: some options around one or more spec files. */
export const cliArgs: fc.Arbitrary<string[]> = fc
  .tuple(fc.array(argument, { maxLength: 5 }), fc.constantFrom(0, 1, 1, 1, 2))
  .map(([opts, files]) => [...opts.flat(), ...Array.from({ length: files }, () => "spec.json")]);

/** Answer files for `cnncalc check`: right and wrong answers, bad layers, quantities, numbers. */
export const answersText: fc.Arbitrary<string> = fc.oneof(
  fc
    .array(
      fc
        .tuple(
          oneOf(
            "layer 1",
            "layer 4",
            "layer 9",
            "conv2",
            "dense1",
            "3.1",
            "layers[0]",
            "L2",
            "x",
            "constructor1",
          ),
          oneOf(
            "weights per filter",
            "width and height",
            "neurons",
            "connections",
            "parameters",
            "output",
            "neurns",
            "(d)",
            "",
            "constructor",
            "toString",
          ),
          oneOf(
            "257",
            "6400",
            "1,644,800",
            "1 644 800",
            "1_644_800",
            "6,40",
            "-1",
            "2.5",
            "1e999",
            "99999999999999999999999",
            "20x20x16",
            "NaN",
            "",
          ),
        )
        .map((parts) => parts.join(" ")),
      { maxLength: 12 },
    )
    .map((lines) => lines.join("\n")),
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 200 }),
);
