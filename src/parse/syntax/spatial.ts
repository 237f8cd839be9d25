import * as z from "zod/mini";
import type { SpatialType } from "../../core/layers/spatial.js";
import type { LayerType } from "../../core/types.js";
import { named, nonNegative, positive, size, some, type TypeField } from "../schema.js";
import type { TypeSyntax } from "../textlang.js";

/*
 * The resampling and routing layer types ("spatial" group) in the readers: their zod schemas,
 * their layer-language syntax, their other names (frameworks' class and field names). Each
 * registry spreads the group's table (schema.ts, textlang.ts, names.ts), so the types are named
 * here and in their core files only.
 *
 * Every function here is a function declaration: schema.ts builds its table of schemas while the
 * modules that import one another are still loading.
 */

const optional = z.optional;

/** A positive factor (1.5 allowed), or one per dimension. */
function factor() {
  const error = "expected a positive number or a list of 1 to 3 positive numbers";
  const one = () => z.number({ error }).check(z.positive({ error: "expected a positive number" }));
  return z.union([one(), some(one(), 3)], { error });
}

/** Keras' padding and cropping forms: `1`, `[1, 2]`, `[[1, 1], [2, 2]]`. */
function padSize() {
  const error =
    "expected a non-negative integer, a list of 1 to 3 of them, or a list of 1 to 3 [before, after] pairs";
  const pair = z.tuple([nonNegative(), nonNegative()], {
    error: "expected a [before, after] pair of non-negative integers",
  });
  return z.union([nonNegative(), some(nonNegative(), 3), some(pair, 3)], { error });
}

/** Nearest or linear; bilinear and trilinear (the frameworks' names in 2-D and 3-D) mean linear. */
function mode() {
  return z.pipe(
    z.enum(["nearest", "linear", "bilinear", "trilinear"], {
      error: "expected nearest or linear (bilinear and trilinear mean linear)",
    }),
    z.transform((m: "nearest" | "linear" | "bilinear" | "trilinear"): "nearest" | "linear" =>
      m === "nearest" ? "nearest" : "linear",
    ),
  );
}

/** The group's object schemas (schema.ts spreads them into layerSchemas). */
export function spatialSchemas(typeField: TypeField) {
  const adaptive = <T extends "adaptiveavgpool" | "adaptivemaxpool">(type: T) =>
    z.strictObject({ type: typeField(type), ...named, output: size() });
  const shuffle = <T extends "pixelshuffle" | "pixelunshuffle">(type: T) =>
    z.strictObject({ type: typeField(type), ...named, factor: positive() });
  return {
    adaptiveavgpool: () => adaptive("adaptiveavgpool"),
    adaptivemaxpool: () => adaptive("adaptivemaxpool"),
    upsample: () =>
      z.strictObject({
        type: typeField("upsample"),
        ...named,
        scale: optional(factor()),
        size: optional(size()),
        mode: optional(mode()),
      }),
    pixelshuffle: () => shuffle("pixelshuffle"),
    pixelunshuffle: () => shuffle("pixelunshuffle"),
    channelshuffle: () =>
      z.strictObject({ type: typeField("channelshuffle"), ...named, groups: positive() }),
    slice: () =>
      z.strictObject({
        type: typeField("slice"),
        ...named,
        channels: z.tuple([nonNegative(), positive()], {
          error: "expected [start, end]: the channels start to end - 1",
        }),
      }),
    zeropad: () => z.strictObject({ type: typeField("zeropad"), ...named, padding: padSize() }),
    crop: () => z.strictObject({ type: typeField("crop"), ...named, cropping: padSize() }),
  } satisfies { readonly [T in SpatialType]: () => z.ZodMiniType<unknown> };
}

const leaf = (...positionals: string[]): TypeSyntax => ({ positionals, braces: null });

/**
 * The group's layer-language syntax (textlang.ts spreads it into SYNTAX): `adaptiveavgpool 7x7`,
 * `upsample 2`, `upsample size 14x14 mode linear`, `pixelshuffle 2`, `channelshuffle 2`,
 * `slice channels [0, 58]` (or `slice [0, 58]`), `zeropad 1x2`, `crop 4`.
 */
export const SPATIAL_SYNTAX: { readonly [T in SpatialType]: TypeSyntax } = {
  adaptiveavgpool: leaf("output"),
  adaptivemaxpool: leaf("output"),
  upsample: leaf("scale"),
  pixelshuffle: leaf("factor"),
  pixelunshuffle: leaf("factor"),
  channelshuffle: leaf("groups"),
  slice: leaf("channels"),
  zeropad: leaf("padding"),
  crop: leaf("cropping"),
};

/** Frameworks' class names (folded) of the group's types (names.ts spreads them). */
export const SPATIAL_ALIASES: Readonly<Record<string, LayerType>> = {
  adaptiveavgpool1d: "adaptiveavgpool",
  adaptiveavgpool2d: "adaptiveavgpool",
  adaptiveavgpool3d: "adaptiveavgpool",
  adaptiveaveragepool: "adaptiveavgpool",
  adaptivemaxpool1d: "adaptivemaxpool",
  adaptivemaxpool2d: "adaptivemaxpool",
  adaptivemaxpool3d: "adaptivemaxpool",
  upsampling: "upsample",
  upsampling1d: "upsample",
  upsampling2d: "upsample",
  upsampling3d: "upsample",
  depthtospace: "pixelshuffle",
  spacetodepth: "pixelunshuffle",
  zeropadding: "zeropad",
  zeropadding1d: "zeropad",
  zeropadding2d: "zeropad",
  zeropadding3d: "zeropad",
  cropping: "crop",
  cropping1d: "crop",
  cropping2d: "crop",
  cropping3d: "crop",
};

/**
 * Keys a framework's class name means otherwise than cnncalc's type does (names.ts'
 * ALIAS_KEY_CONFLICTS): Keras' UpSampling2D `size` is a factor, which cnncalc calls `scale`;
 * cnncalc's `size` is a target size, as PyTorch's. Read as written it would silently give a
 * 2×2 output, so it is refused with the spelling to use.
 */
export const SPATIAL_KEY_CONFLICTS: Readonly<Record<string, Readonly<Record<string, string>>>> =
  Object.fromEntries(
    ["upsampling1d", "upsampling2d", "upsampling3d"].map((alias) => [
      alias,
      {
        size: `Keras' UpSampling${alias.slice(-2).toUpperCase()} 'size' is a scale factor; expected "scale" for a factor (cnncalc's "size" is the target size, as PyTorch's, with "type": "upsample")`,
      },
    ]),
  );

/** The group's type spellings that name a dimensionality (names.ts' RANKED_TYPE_WORDS). */
export const SPATIAL_RANKED_WORDS: readonly (readonly [string, number])[] = [1, 2, 3].flatMap(
  (rank) =>
    ["adaptiveavgpool", "adaptivemaxpool", "upsampling", "zeropadding", "cropping"].map(
      (word) => [`${word}${rank}d`, rank] as const,
    ),
);

/**
 * Frameworks' field names (folded) of the group's keys (names.ts' FRAMEWORK_KEYS): PyTorch's
 * `output_size`, `scale_factor`, `upscale_factor`, `downscale_factor`, Keras' `interpolation`.
 * (Keras' UpSampling2D `size` is a factor, cnncalc's `scale`; cnncalc's `size` is a target size,
 * as PyTorch's.)
 */
export const SPATIAL_KEYS: Readonly<Record<string, string>> = {
  outputsize: "output",
  scalefactor: "scale",
  upscalefactor: "factor",
  downscalefactor: "factor",
  interpolation: "mode",
};
