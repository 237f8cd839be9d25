#!/usr/bin/env node
// Runs the bundled CLI (dist/cli.cjs) through V8's code cache (dist/cli.cjs.cache): compiling the
// bundle is most of cnncalc's own start-up time, and Node 20 has no compile cache of its own. The
// build writes the cache; a missing or rejected one (another Node version) is rewritten on exit
// when the directory is writable. Without it the bundle is simply compiled as usual.
import { accessSync, constants, readFileSync, renameSync, writeFileSync } from "node:fs";
import module from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";

/** Whether a directory can be written (a global install may not be): checked before making a cache. */
function writable(dir) {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

const file = fileURLToPath(new URL("../dist/cli.cjs", import.meta.url));
const cacheFile = `${file}.cache`;
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new Script(module.wrap(readFileSync(file, "utf8")), {
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
script.runInThisContext()(cjs.exports, module.createRequire(file), cjs, file, dirname(file));
