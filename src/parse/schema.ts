import { en } from "zod/locales";
import * as z from "zod/mini";
import { ACTIVATION_ALIASES, ACTIVATIONS, type LayerType } from "../core/types.js";
import { TYPE_ALIASES } from "./names.js";
import { mergesSchemas, normsSchemas, type SchemaKit } from "./syntax/norms.js";
import { spatialSchemas } from "./syntax/spatial.js";

/*
 * The JSON spec's schema, one zod object per layer type. Block children are validated one layer
 * at a time by the walker in spec.ts (so nesting depth never becomes zod recursion); the JSON
 * Schema for editors is built from the same objects with the children filled in (jsonSchema()).
 * zod/mini: the same validator core as "zod", but tree-shakable (the classic API pulls ~450 kB
 * into the CLI bundle, most of the start-up time; see bench/results.md).
 */

// the English messages of the classic API, for the few checks without a message of their own
z.config(en());

const POSITIVE = "expected a positive integer";
const NON_NEGATIVE = "expected a non-negative integer";

export const positive = () => z.int({ error: POSITIVE }).check(z.minimum(1, { error: POSITIVE }));
export const nonNegative = () =>
  z.int({ error: NON_NEGATIVE }).check(z.minimum(0, { error: NON_NEGATIVE }));
/** A list of 1 to `max` items (with a message of its own: zod's says "expected array to have >=1 items"). */
export const some = <T extends z.ZodMiniType>(item: T, max: number) => {
  const error = `expected a list of 1 to ${max} values`;
  return z.array(item).check(z.minLength(1, { error }), z.maxLength(max, { error }));
};
const optional = z.optional;

export const size = () =>
  z.union([positive(), some(positive(), 3)], {
    error: "expected a positive integer or a list of 1 to 3 positive integers",
  });
const padding = () =>
  z.union([nonNegative(), some(nonNegative(), 3), z.enum(["valid", "same"])], {
    error: 'expected a non-negative integer, a list of 1 to 3 of them, "valid" or "same"',
  });

const ACTIVATION_NAMES = [...ACTIVATIONS, ...Object.keys(ACTIVATION_ALIASES)] as [
  string,
  ...string[],
];
const activation = () =>
  z.pipe(
    z.enum(ACTIVATION_NAMES, { error: `expected an activation: ${ACTIVATIONS.join(", ")}` }),
    z.transform((a: string) => ACTIVATION_ALIASES[a] ?? (a as (typeof ACTIVATIONS)[number])),
  );
export const flag = () => optional(z.boolean({ error: "expected true or false" }));

export const named = { name: optional(z.string({ error: "expected a string" })) };

/** How a layer object names its type: the canonical literal, or (for editors) any alias too. */
export type TypeField = <T extends LayerType>(type: T) => z.ZodMiniType<T>;
const exactType: TypeField = (type) => z.literal(type);

/**
 * Every layer type's object schema, each built on first use (building all of them is a few
 * milliseconds of start-up, and a spec uses a few types); `child` is the schema of a nested layer.
 * One entry per layer type, checked by the compiler: a new type needs its schema here.
 */
export function layerSchemas(child: z.ZodMiniType, typeField: TypeField = exactType) {
  const list = () => z.array(child, { error: "expected a list of layers" });
  const body = () =>
    list().check(z.minLength(1, { error: "expected at least one layer in the body" }));
  const kit: SchemaKit = { typeField, named, positive, flag, list };
  return {
    conv: () =>
      z.strictObject({
        type: typeField("conv"),
        ...named,
        filters: positive(),
        kernel: size(),
        stride: optional(size()),
        padding: optional(padding()),
        dilation: optional(size()),
        groups: optional(positive()),
        bias: flag(),
        activation: optional(activation()),
        connections: optional(
          z.array(z.array(nonNegative(), { error: "expected a list of input map indices" }), {
            error: "expected one list of input maps per filter",
          }),
        ),
      }),
    convtranspose: () =>
      z.strictObject({
        type: typeField("convtranspose"),
        ...named,
        filters: positive(),
        kernel: size(),
        stride: optional(size()),
        padding: optional(padding()),
        outputPadding: optional(
          z.union([nonNegative(), some(nonNegative(), 3)], {
            error: "expected a non-negative integer or a list of 1 to 3 of them",
          }),
        ),
        dilation: optional(size()),
        groups: optional(positive()),
        bias: flag(),
        activation: optional(activation()),
      }),
    maxpool: () => poolSchema("maxpool", typeField),
    avgpool: () => poolSchema("avgpool", typeField),
    subsample: () =>
      z.strictObject({
        type: typeField("subsample"),
        ...named,
        kernel: size(),
        stride: optional(size()),
        activation: optional(activation()),
      }),
    globalavgpool: () =>
      z.strictObject({ type: typeField("globalavgpool"), ...named, keepdims: flag() }),
    globalmaxpool: () =>
      z.strictObject({ type: typeField("globalmaxpool"), ...named, keepdims: flag() }),
    ...spatialSchemas(typeField),
    dense: () =>
      z.strictObject({
        type: typeField("dense"),
        ...named,
        units: positive(),
        bias: flag(),
        activation: optional(activation()),
      }),
    flatten: () => z.strictObject({ type: typeField("flatten"), ...named }),
    activation: () =>
      z.strictObject({ type: typeField("activation"), ...named, function: activation() }),
    dropout: () =>
      z.strictObject({
        type: typeField("dropout"),
        ...named,
        rate: optional(
          z
            .number({ error: "expected a number from 0 to 1" })
            .check(
              z.minimum(0, { error: "expected a number from 0 to 1" }),
              z.maximum(1, { error: "expected a number from 0 to 1" }),
            ),
        ),
      }),
    batchnorm: () =>
      z.strictObject({ type: typeField("batchnorm"), ...named, gamma: flag(), beta: flag() }),
    lrn: () => z.strictObject({ type: typeField("lrn"), ...named, size: optional(positive()) }),
    ...normsSchemas(kit),
    residual: () =>
      z.strictObject({
        type: typeField("residual"),
        ...named,
        body: body(),
        shortcut: optional(list()),
      }),
    concat: () =>
      z.strictObject({
        type: typeField("concat"),
        ...named,
        branches: z
          .array(list(), { error: "expected a list of branches, each a list of layers" })
          .check(z.minLength(1, { error: "expected at least one branch" })),
      }),
    ...mergesSchemas(kit),
    denseblock: () =>
      z.strictObject({
        type: typeField("denseblock"),
        ...named,
        repeat: positive(),
        body: body(),
      }),
    repeat: () =>
      z.strictObject({
        type: typeField("repeat"),
        ...named,
        times: positive(),
        body: body(),
      }),
  } satisfies { readonly [T in LayerType]: () => z.ZodMiniType<unknown> };
}

function poolSchema<T extends "maxpool" | "avgpool">(type: T, typeField: TypeField) {
  return z.strictObject({
    type: typeField(type),
    ...named,
    kernel: size(),
    stride: optional(size()),
    padding: optional(padding()),
    ceil: flag(),
  });
}

/** The input shape: `[h, w, c]` (or 1 to 4 values) or `{ height, width, channels }`. */
export const inputSchema = z.union(
  [
    some(positive(), 4),
    z.strictObject({ height: positive(), width: positive(), channels: positive() }),
  ],
  {
    error:
      "expected [height, width, channels] (or [units], [length, channels], [depth, height, width, channels]) or { height, width, channels }",
  },
);

/** The top level of a spec; layers are checked one by one afterwards. */
export const networkSchema = z.strictObject({
  $schema: optional(z.string({ error: "expected a string (the URL of the JSON Schema)" })),
  name: optional(z.string({ error: "expected a string" })),
  input: optional(inputSchema),
  layers: z.array(z.unknown(), { error: "expected a list of layers" }),
});

const BUILDERS = layerSchemas(z.unknown());
const built = new Map<LayerType, { schema: z.ZodMiniType; uses: number }>();

/**
 * A layer type validated this often in one process gets its schema compiled by zod (generated
 * code, about twice as fast on a 100,000-layer spec). Invalid input falls back to the runtime
 * checks, so messages are unchanged; compiling costs milliseconds a small spec never makes up.
 */
export const COMPILE_AFTER_USES = 256;

/** The schema that validates one layer type; children are checked by the walker, not here. */
export function layerSchema<T extends LayerType>(type: T): ReturnType<(typeof BUILDERS)[T]> {
  let entry = built.get(type);
  if (entry === undefined) {
    entry = { schema: BUILDERS[type](), uses: 0 };
    built.set(type, entry);
  }
  if (++entry.uses === COMPILE_AFTER_USES) entry.schema = z.compile(entry.schema);
  return entry.schema as ReturnType<(typeof BUILDERS)[T]>;
}

/** The JSON Schema of a spec (draft 2020-12), for editors via `$schema`. */
export function jsonSchema(): Record<string, unknown> {
  const layer: z.ZodMiniType = z
    .lazy(() => z.union(Object.values(full).map((build) => build()) as never))
    .register(z.globalRegistry, {
      id: "layer",
      description:
        "A layer or block; `type` selects the kind. cnncalc also reads type names and word values in any case (`Conv2d`, `SAME`, `ReLU`); the lists here give the lower-case spellings",
    });
  // the editor's schema also accepts the aliases the reader accepts (`fc` for `dense`, ...)
  const withAliases: TypeField = <T extends LayerType>(type: T) => {
    const names = [type, ...Object.keys(TYPE_ALIASES).filter((a) => TYPE_ALIASES[a] === type)];
    return (names.length === 1
      ? z.literal(type)
      : z.enum(names as [string, ...string[]])) as unknown as z.ZodMiniType<T>;
  };
  const full = layerSchemas(layer, withAliases);
  const network = z.extend(networkSchema, { layers: z.array(layer) });
  try {
    return z.toJSONSchema(network, { io: "input", unrepresentable: "any" }) as Record<
      string,
      unknown
    >;
  } finally {
    z.globalRegistry.remove(layer);
  }
}
