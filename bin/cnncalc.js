#!/usr/bin/env node
// Runs the bundled CLI (dist/cli.cjs) through V8's code cache (dist/cli.cjs.cache): compiling the
// bundle is most of cnncalc's own start-up time, and Node 20 has no compile cache of its own. The
// build writes the cache; a missing or rejected one (another Node version) is rewritten on exit
// when the directory is writable. Without it the bundle is simply compiled as usual.
//
// CommonJS (bin/package.json says so), not ESM: an ES module entry loads Node's ESM loader, a
// few ms of start-up. The file keeps its .js name: npx caches a package's bin links by name.
"use strict";
const { accessSync, constants, readFileSync, renameSync, writeFileSync } = require("node:fs");
const module_ = require("node:module");
const { dirname, join } = require("node:path");
const { Script } = require("node:vm");

/** Whether a directory can be written (a global install may not be): checked before making a cache. */
function writable(dir) {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

const file = join(__dirname, "..", "dist", "cli.cjs");
const cacheFile = `${file}.cache`;
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new Script(module_.wrap(readFileSync(file, "utf8")), {
  filename: file,
  cachedData,
});
if ((cachedData === undefined || script.cachedDataRejected) && writable(dirname(file))) {
  process.once("exit", () => {
    try {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
    } catch {
      // a read-only install keeps working, only without the cache
    }
  });
}
const cjs = { exports: {} };
script.runInThisContext()(cjs.exports, module_.createRequire(file), cjs, file, dirname(file));
