// Bundles the CLI into one file (fast start: one module to load) and the library entry.
import { readFileSync } from "node:fs";
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

// chalk stays outside the bundle: src/cli/style.ts loads it with import() only when colour is
// wanted, so a piped run never loads it (nor the node:tty and node:os it needs); it is a runtime
// dependency, so Node finds it in node_modules. (esbuild's code splitting would do the same but
// adds a shared chunk of helpers that every run loads.)
await build({
  ...common,
  plugins: [lazyChildProcess],
  external: ["chalk"],
  entryPoints: ["src/cli/run.ts"],
  outfile: "dist/cli.js",
  minify: true,
});
await build({ ...common, entryPoints: ["src/index.ts"], outfile: "dist/index.js" });
