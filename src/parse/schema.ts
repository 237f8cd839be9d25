import { z } from "zod";
import { ACTIVATION_ALIASES, ACTIVATIONS, type LayerType } from "../core/types.js";
import { TYPE_ALIASES } from "./names.js";

/*
 * The JSON spec's schema, one zod object per layer type. Block children are validated one layer
 * at a time by the walker in spec.ts (so nesting depth never becomes zod recursion); the JSON
 * Schema for editors is built from the same objects with the children filled in (jsonSchema()).
 */

const POSITIVE = "expected a positive integer";
const NON_NEGATIVE = "expected a non-negative integer";

const positive = () => z.int({ error: POSITIVE }).min(1, { error: POSITIVE });
const nonNegative = () => z.int({ error: NON_NEGATIVE }).min(0, { error: NON_NEGATIVE });

const size = () =>
  z.union([positive(), z.array(positive()).min(1).max(3)], {
    error: "expected a positive integer or a list of 1 to 3 positive integers",
  });
const padding = () =>
  z.union([nonNegative(), z.array(nonNegative()).min(1).max(3), z.enum(["valid", "same"])], {
    error: 'expected a non-negative integer, a list of 1 to 3 of them, "valid" or "same"',
  });

const ACTIVATION_NAMES = [...ACTIVATIONS, ...Object.keys(ACTIVATION_ALIASES)] as [
  string,
  ...string[],
];
const activation = () =>
  z
    .enum(ACTIVATION_NAMES, { error: `expected an activation: ${ACTIVATIONS.join(", ")}` })
    .transform((a) => ACTIVATION_ALIASES[a] ?? (a as (typeof ACTIVATIONS)[number]));

const named = { name: z.string({ error: "expected a string" }).optional() };

/** How a layer object names its type: the canonical literal, or (for editors) any alias too. */
type TypeField = <T extends LayerType>(type: T) => z.ZodType<T>;
const exactType: TypeField = (type) => z.literal(type);

/** Builds every layer type's object schema, with `child` as the schema of a nested layer. */
export function layerSchemas(child: z.ZodType, typeField: TypeField = exactType) {
  const list = z.array(child, { error: "expected a list of layers" });
  return {
    conv: z.strictObject({
      type: typeField("conv"),
      ...named,
      filters: positive(),
      kernel: size(),
      stride: size().optional(),
      padding: padding().optional(),
      dilation: size().optional(),
      groups: positive().optional(),
      bias: z.boolean({ error: "expected true or false" }).optional(),
      activation: activation().optional(),
      connections: z
        .array(z.array(nonNegative(), { error: "expected a list of input map indices" }), {
          error: "expected one list of input maps per filter",
        })
        .optional(),
    }),
    convtranspose: z.strictObject({
      type: typeField("convtranspose"),
      ...named,
      filters: positive(),
      kernel: size(),
      stride: size().optional(),
      padding: padding().optional(),
      outputPadding: z
        .union([nonNegative(), z.array(nonNegative()).min(1).max(3)], {
          error: "expected a non-negative integer or a list of 1 to 3 of them",
        })
        .optional(),
      dilation: size().optional(),
      groups: positive().optional(),
      bias: z.boolean({ error: "expected true or false" }).optional(),
      activation: activation().optional(),
    }),
    maxpool: poolSchema("maxpool", typeField),
    avgpool: poolSchema("avgpool", typeField),
    subsample: z.strictObject({
      type: typeField("subsample"),
      ...named,
      kernel: size(),
      stride: size().optional(),
      activation: activation().optional(),
    }),
    globalavgpool: z.strictObject({ type: typeField("globalavgpool"), ...named }),
    globalmaxpool: z.strictObject({ type: typeField("globalmaxpool"), ...named }),
    dense: z.strictObject({
      type: typeField("dense"),
      ...named,
      units: positive(),
      bias: z.boolean({ error: "expected true or false" }).optional(),
      activation: activation().optional(),
    }),
    flatten: z.strictObject({ type: typeField("flatten"), ...named }),
    activation: z.strictObject({ type: typeField("activation"), ...named, function: activation() }),
    dropout: z.strictObject({
      type: typeField("dropout"),
      ...named,
      rate: z
        .number({ error: "expected a number from 0 to 1" })
        .min(0, { error: "expected a number from 0 to 1" })
        .max(1, { error: "expected a number from 0 to 1" })
        .optional(),
    }),
    batchnorm: z.strictObject({ type: typeField("batchnorm"), ...named }),
    lrn: z.strictObject({ type: typeField("lrn"), ...named, size: positive().optional() }),
    residual: z.strictObject({
      type: typeField("residual"),
      ...named,
      body: list.min(1, { error: "expected at least one layer in the body" }),
      shortcut: list.optional(),
    }),
    concat: z.strictObject({
      type: typeField("concat"),
      ...named,
      branches: z
        .array(list, { error: "expected a list of branches, each a list of layers" })
        .min(1, { error: "expected at least one branch" }),
    }),
    denseblock: z.strictObject({
      type: typeField("denseblock"),
      ...named,
      repeat: positive(),
      body: list.min(1, { error: "expected at least one layer in the body" }),
    }),
    repeat: z.strictObject({
      type: typeField("repeat"),
      ...named,
      times: positive(),
      body: list.min(1, { error: "expected at least one layer in the body" }),
    }),
  };
}

function poolSchema<T extends "maxpool" | "avgpool">(type: T, typeField: TypeField) {
  return z.strictObject({
    type: typeField(type),
    ...named,
    kernel: size(),
    stride: size().optional(),
    padding: padding().optional(),
    ceil: z.boolean({ error: "expected true or false" }).optional(),
  });
}

/** The input shape: `[h, w, c]` (or 1 to 4 values) or `{ height, width, channels }`. */
export const inputSchema = z.union(
  [
    z.array(positive()).min(1).max(4),
    z.strictObject({ height: positive(), width: positive(), channels: positive() }),
  ],
  {
    error:
      "expected [height, width, channels] (or [units], [length, channels], [depth, height, width, channels]) or { height, width, channels }",
  },
);

/** The top level of a spec; layers are checked one by one afterwards. */
export const networkSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string({ error: "expected a string" }).optional(),
  input: inputSchema.optional(),
  layers: z.array(z.unknown(), { error: "expected a list of layers" }),
});

/** Layer schemas for validation: children are checked by the walker, not here. */
export const LAYER_SCHEMAS = layerSchemas(z.unknown());

/** The JSON Schema of a spec (draft 2020-12), for editors via `$schema`. */
export function jsonSchema(): Record<string, unknown> {
  const layer: z.ZodType = z
    .lazy(() => z.union(Object.values(full) as never))
    .meta({ id: "layer", description: "A layer or block; `type` selects the kind" });
  const withAliases: TypeField = <T extends LayerType>(type: T) => {
    const names = [type, ...Object.keys(TYPE_ALIASES).filter((a) => TYPE_ALIASES[a] === type)];
    return (names.length === 1
      ? z.literal(type)
      : z.enum(names as [string, ...string[]])) as unknown as z.ZodType<T>;
  };
  const full = layerSchemas(layer, withAliases);
  const network = networkSchema.extend({ layers: z.array(layer) });
  return z.toJSONSchema(network, { io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
}
