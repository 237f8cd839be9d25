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
await build({ ...common, entryPoints: ["src/cli/run.ts"], outfile: "dist/cli.js", minify: true });
await build({ ...common, entryPoints: ["src/index.ts"], outfile: "dist/index.js" });

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
