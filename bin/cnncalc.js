#!/usr/bin/env node
import module from "node:module";

// Node 22.1+ keeps compiled code between runs (faster start); Node 20 has no such API: a no-op.
module.enableCompileCache?.();
await import("../dist/cli.js");
