import * as z from "zod/mini";
import type { NormsSpec } from "../../core/layers/norms.js";
import type { LayerType } from "../../core/types.js";

/*
 * The group "norms and merges" in the readers: its zod schemas, its layer-language syntax, its
 * type aliases and its framework keys, each spread into the shared table (schema.ts'
 * layerSchemas, textlang.ts' SYNTAX and KEY_KINDS, names.ts' TYPE_ALIASES and FRAMEWORK_KEYS).
 */

type NormsType = NormsSpec["type"];

/** What schema.ts lends a group's schemas: its field builders. */
export interface SchemaKit {
  typeField: <T extends LayerType>(type: T) => z.ZodMiniType<T>;
  named: { name: z.ZodMiniOptional<z.ZodMiniString<string>> };
  positive: () => z.ZodMiniType<number>;
  flag: () => z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
  /** A list of layers (a branch). */
  list: () => z.ZodMiniType<unknown[]>;
}

const merge = (k: SchemaKit, type: "add" | "multiply") =>
  z.strictObject({
    type: k.typeField(type),
    ...k.named,
    branches: z
      .array(k.list(), { error: "expected a list of branches, each a list of layers" })
      .check(z.minLength(1, { error: "expected at least one branch" })),
  });

/** The norms' schemas (after batchnorm and lrn). */
export function normsSchemas(k: SchemaKit) {
  return {
    layernorm: () =>
      z.strictObject({
        type: k.typeField("layernorm"),
        ...k.named,
        over: z.optional(z.enum(["channels", "all"], { error: 'expected "channels" or "all"' })),
        affine: k.flag(),
        bias: k.flag(),
      }),
    groupnorm: () =>
      z.strictObject({
        type: k.typeField("groupnorm"),
        ...k.named,
        groups: k.positive(),
        affine: k.flag(),
      }),
    instancenorm: () =>
      z.strictObject({
        type: k.typeField("instancenorm"),
        ...k.named,
        affine: k.flag(),
        trackRunningStats: k.flag(),
      }),
    layerscale: () => z.strictObject({ type: k.typeField("layerscale"), ...k.named }),
    prelu: () => z.strictObject({ type: k.typeField("prelu"), ...k.named, shared: k.flag() }),
  };
}

/** The merges' schemas (after concat). */
export function mergesSchemas(k: SchemaKit) {
  return { add: () => merge(k, "add"), multiply: () => merge(k, "multiply") };
}

/** How one type is written in the layer language (textlang.ts' TypeSyntax). */
interface Syntax {
  positionals: readonly string[];
  braces: "branches" | null;
}

/** The norms' syntax: `layernorm over all nobias`, `groupnorm 8`, `instancenorm affine`, `prelu shared`. */
export const NORMS_SYNTAX = {
  layernorm: { positionals: [], braces: null },
  groupnorm: { positionals: ["groups"], braces: null },
  instancenorm: { positionals: [], braces: null },
  layerscale: { positionals: [], braces: null },
  prelu: { positionals: [], braces: null },
} as const satisfies Record<Exclude<NormsType, "add" | "multiply">, Syntax>;

/** The merges' syntax: `add { branch { } branch { ... } }`, as concat's. */
export const MERGES_SYNTAX = {
  add: { positionals: [], braces: "branches" },
  multiply: { positionals: [], braces: "branches" },
} as const satisfies Record<"add" | "multiply", Syntax>;

/** The kinds of the group's option values in the layer language (`affine`, `affine false`). */
export const NORMS_KEY_KINDS = {
  affine: "bool",
  shared: "bool",
  trackRunningStats: "bool",
} as const;

/** Frameworks' class names for the group's types, folded (PyTorch, Keras). */
export const NORMS_ALIASES: Readonly<Record<string, NormsType>> = {
  layernormalization: "layernorm",
  layernorm2d: "layernorm",
  groupnormalization: "groupnorm",
  instancenorm1d: "instancenorm",
  instancenorm2d: "instancenorm",
  instancenorm3d: "instancenorm",
  instancenormalization: "instancenorm",
};

/**
 * Prose words naming the norms, which the prose reader does not read (spread into its refusals,
 * prose/kinds.ts' LAYER_KIND_WORDS, after pixel shuffle).
 */
export const NORMS_PROSE_KINDS = [
  {
    kind: "layer normalization",
    phrases: ["layer normali*", "layer norm", "layernorm*"],
  },
  {
    kind: "group normalization",
    phrases: ["group normali*", "group norm", "groupnorm*"],
  },
  {
    kind: "instance normalization",
    phrases: ["instance normali*", "instance norm", "instancenorm*"],
  },
] as const;

/** Frameworks' names of the group's options, folded -> cnncalc's key. */
export const NORMS_FRAMEWORK_KEYS: Readonly<Record<string, string>> = {
  elementwiseaffine: "affine",
  numgroups: "groups",
  trackrunningstats: "trackRunningStats",
};
