import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { KINDS } from "../../src/core/layers/index.js";
import { BLOCK_TYPES, LAYER_TYPES, TRAITS } from "../../src/core/traits.js";
import { WORKINGS } from "../../src/format/workings.js";
import { LAYER_TYPES as NAMED_TYPES } from "../../src/parse/names.js";
import { layerSchemas } from "../../src/parse/schema.js";
import { optionKeys, SYNTAX } from "../../src/parse/textlang.js";
import { readRepoFile } from "../helpers/io.js";

/*
 * The per-type tables (core traits and kinds, parse syntax and schema, the working) list the same
 * types, and agree on which are blocks. The compiler checks each table is complete; this checks
 * they are not given extra keys, and that the lists derived from them are the table's.
 */

describe("the layer-type registry", () => {
  const sorted = [...LAYER_TYPES].sort();

  it("every table has exactly the types of the traits table", () => {
    for (const table of [KINDS, WORKINGS, SYNTAX, layerSchemas(z.unknown())]) {
      expect(Object.keys(table).sort()).toEqual(sorted);
    }
    expect(NAMED_TYPES).toBe(LAYER_TYPES);
    expect(new Set(LAYER_TYPES).size).toBe(LAYER_TYPES.length);
  });

  it("block types are the ones with braces in the layer language and child lists in the schema", () => {
    for (const t of LAYER_TYPES) {
      const block = TRAITS[t].children !== null;
      expect(BLOCK_TYPES.has(t), t).toBe(block);
      expect(SYNTAX[t].braces !== null, t).toBe(block);
      const shape = (layerSchemas(z.unknown())[t]() as unknown as { shape: object }).shape;
      const nested = ["body", "branches"].some((k) => k in shape);
      expect(nested, t).toBe(block);
    }
  });

  it("positional values are options of the type's schema", () => {
    for (const t of LAYER_TYPES) {
      for (const k of SYNTAX[t].positionals) {
        expect(optionKeys(t), `${t} ${k}`).toContain(k);
      }
    }
  });

  it("docs/input-formats.md lists the registry's types, in its order", () => {
    const file = "docs/input-formats.md";
    const doc = readRepoFile(file);
    const block = /(<!-- layer types: [^\n]* -->\n)([\s\S]*?)(\n<!-- \/layer types -->)/;
    const m = doc.match(block);
    expect(m, "the marked list of layer types").not.toBeNull();
    const words = LAYER_TYPES.map((t) => `\`${t}\``);
    // wrapped at 100 columns, as the rest of the page
    const lines: string[] = [];
    for (const w of words) {
      const last = lines.length - 1;
      if (last >= 0 && `${lines[last]}, ${w}`.length <= 99) lines[last] += `, ${w}`;
      else lines.push(w);
    }
    const list = `${lines.join(",\n")}.`;
    if (process.env.UPDATE_README === "1") {
      writeFileSync(new URL(`../../${file}`, import.meta.url), doc.replace(block, `$1${list}$3`));
    } else {
      expect((m as RegExpMatchArray)[2], "UPDATE_README=1 regenerates it").toBe(list);
    }
  });

  it("every type is documented in the docs' tables of layer types", () => {
    const docs = ["docs/input-formats.md", "docs/architectures.md"].map(readRepoFile).join("\n");
    for (const t of LAYER_TYPES) expect(docs, t).toContain(`\`${t}\``);
  });

  it("weighted types have weights; initialized ones are weighted", () => {
    for (const t of LAYER_TYPES) {
      if (TRAITS[t].initialized) expect(TRAITS[t].weighted, t).toBe(true);
      if (TRAITS[t].parallel) expect(TRAITS[t].children, t).not.toBeNull();
    }
  });
});
