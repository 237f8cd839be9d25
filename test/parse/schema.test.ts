import { describe, expect, it } from "vitest";
import { LAYER_TYPES } from "../../src/core/traits.js";
import { jsonSchema } from "../../src/parse/schema.js";
import { readRepoFile } from "../helpers/io.js";

describe("the published JSON Schema", () => {
  it("is the one the zod schemas generate (run `npm run build` to refresh it)", () => {
    const committed = JSON.parse(readRepoFile("schema/cnncalc.schema.json"));
    expect(committed).toEqual({ title: "cnncalc network spec", ...jsonSchema() });
  });

  it("describes every layer type, with aliases, and nested layers by reference", () => {
    const s = jsonSchema() as {
      $defs: { layer: { anyOf: { properties: { type: unknown; body?: unknown } }[] } };
    };
    const types = s.$defs.layer.anyOf.map((o) => o.properties.type);
    expect(types).toContainEqual({ type: "string", enum: ["dense", "fc", "linear"] });
    expect(types).toContainEqual({
      type: "string",
      enum: ["conv", "conv2d", "convolution", "conv1d", "conv3d"],
    });
    expect(types).toContainEqual({ type: "string", const: "flatten" });
    expect(types).toHaveLength(LAYER_TYPES.length);
    const residual = s.$defs.layer.anyOf.find((o) =>
      JSON.stringify(o.properties.type).includes("residual"),
    );
    expect(residual?.properties.body).toMatchObject({
      type: "array",
      items: { $ref: "#/$defs/layer" },
    });
  });
});
