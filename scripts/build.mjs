// Bundles the CLI into one file (fast start: one module to load, with a V8 code cache) and the
// library entry.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  logLevel: "warning",
  define: { __CNNCALC_VERSION__: JSON.stringify(version) },
  // CommonJS dependencies (cli-table3) need require() inside an ESM bundle
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
};

/**
 * commander requires node:child_process at load (for git-style executable subcommands, which
 * cnncalc does not use); loading it pulls in net, dgram and streams, a measurable part of
 * start-up (see bench/results.md). This plugin hands commander a stand-in that loads the real
 * module on first use.
 */
const lazyChildProcess = {
  name: "lazy-child-process",
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes("commander")
        ? { path: "child_process", namespace: "lazy" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "lazy" }, () => ({
      contents:
        "let m; module.exports = new Proxy({}, { get: (_, k) => (m ??= require('node:child_process'))[k] });",
      loader: "js",
    }));
  },
};

/**
 * Libraries only some runs need are bundles of their own, required by the CLI bundle when used:
 * protobufjs for an ONNX file, dagre for `--format svg`. Their modules are lazily run inside the
 * CLI bundle too, but 150 kB there cost every run its share of reading and deserialising the
 * bundle and its code cache (bench/results.md). Neither touches cnncalc's own modules, so a second
 * copy of nothing is made.
 */
const SEPARATE = {
  "protobufjs/light.js": { entry: "node_modules/protobufjs/light.js", out: "protobuf.cjs" },
  "@dagrejs/dagre": { entry: "@dagrejs/dagre", out: "dagre.cjs" },
};
const separateLibraries = {
  name: "separate-libraries",
  setup(b) {
    b.onResolve({ filter: /^(protobufjs\/light\.js|@dagrejs\/dagre)$/ }, (args) => ({
      path: `./${SEPARATE[args.path].out}`,
      external: true,
    }));
  },
};
for (const { entry, out } of Object.values(SEPARATE)) {
  await build({
    ...common,
    format: "cjs",
    banner: {},
    entryPoints: [entry],
    outfile: `dist/${out}`,
    minify: true,
  });
}

// chalk is loaded by import() only when colour is wanted (src/cli/style.ts); in a CommonJS bundle
// esbuild turns that into a lazily run module, whose require("node:tty") and require("node:os")
// then also run only when colour is wanted, so a piped run never pays for them.
// CommonJS, so that bin/cnncalc.js can run it through vm.Script with V8's code cache
await build({
  ...common,
  format: "cjs",
  banner: {},
  plugins: [lazyChildProcess, separateLibraries],
  entryPoints: ["src/cli/run.ts"],
  outfile: "dist/cli.cjs",
  minify: true,
});
await build({ ...common, entryPoints: ["src/index.ts"], outfile: "dist/index.js" });

// The playground page (src/playground): one index.html and one classic script, an IIFE, since
// Chromium refuses <script type="module"> from file://. The examples/ become its presets: every
// spec file in the directory, with its answers file (`<base>.answers.<ext>`) when it has one.
{
  const { readdirSync } = await import("node:fs");
  const examples = new URL("../examples/", import.meta.url);
  const names = readdirSync(examples).sort();
  const read = (f) => readFileSync(new URL(f, examples), "utf8");
  const answersOf = new Map(
    names.filter((f) => f.includes(".answers.")).map((f) => [f.split(".answers.")[0], f]),
  );
  const presets = names
    .filter((f) => !f.includes(".answers.") && !f.startsWith("."))
    .map((file) => {
      const answers = answersOf.get(file.replace(/\.[^.]*$/, ""));
      return { file, text: read(file), ...(answers ? { answers: read(answers) } : {}) };
    });
  const out = new URL("../dist/playground/", import.meta.url);
  rmSync(out, { recursive: true, force: true });
  const browser = {
    bundle: true,
    platform: "browser",
    format: "iife",
    target: ["chrome110", "firefox115", "safari16"],
    minify: true,
    logLevel: "warning",
  };
  // the diagram worker, as a string the page starts from a blob: URL (file:// pages cannot
  // start a worker from a file)
  const worker = await build({
    ...browser,
    entryPoints: ["src/playground/diagram-worker.ts"],
    write: false,
  });
  await build({
    ...browser,
    entryPoints: ["src/playground/main.ts"],
    define: {
      __CNNCALC_PRESETS__: JSON.stringify(presets),
      __CNNCALC_DIAGRAM_WORKER__: JSON.stringify(worker.outputFiles[0].text),
    },
    outfile: "dist/playground/playground.js",
  });
  const { copyFileSync } = await import("node:fs");
  copyFileSync(
    new URL("../src/playground/index.html", import.meta.url),
    new URL("index.html", out),
  );
}

// The JSON Schema for editors, generated from the same zod schemas that validate specs.
const { jsonSchema } = await import(`../dist/index.js?${Date.now()}`);
const { mkdirSync, writeFileSync } = await import("node:fs");
mkdirSync(new URL("../schema/", import.meta.url), { recursive: true });
writeFileSync(
  new URL("../schema/cnncalc.schema.json", import.meta.url),
  `${JSON.stringify({ title: "cnncalc network spec", ...jsonSchema() }, null, 2)}\n`,
);

// Type declarations for library users.
const { execFileSync } = await import("node:child_process");
execFileSync(
  process.execPath,
  [
    new URL("../node_modules/typescript/bin/tsc", import.meta.url).pathname,
    "-p",
    "tsconfig.build.json",
  ],
  { stdio: "inherit" },
);

// The code cache: one run of the CLI (the default table) leaves dist/cli.cjs.cache behind
rmSync(new URL("../dist/cli.cjs.cache", import.meta.url), { force: true });
const root = fileURLToPath(new URL("..", import.meta.url));
const run = spawnSync(process.execPath, ["bin/cnncalc.js", "examples/dqn.json"], {
  cwd: root,
  stdio: "ignore",
});
// without a cache the CLI still works (it compiles the bundle and writes the cache itself)
if (run.status !== 0) console.warn(`build: no code cache (the CLI run exited ${run.status})`);
