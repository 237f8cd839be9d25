import { plural } from "../../../core/words.js";
import type { Cues } from "../cues.js";
import type { Reader } from "../reader.js";
import { numberOf, pass, type Sentence, type Tok, word } from "../tokens.js";
import { readWindowOptions, sizeValue } from "../window.js";
import { FILTER_WORDS, KERNEL_WORDS, OUTPUT_SIZE_WORDS } from "../words.js";

/** The kernel of a conv clause: "N K×K filters", "filters of (size) K×K", "K×K convolutions". */
export function findKernel(toks: readonly Tok[]): number {
  pass(toks);
  let fallback = -1;
  let sizes = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Tok;
    const prev = toks[i - 1];
    if (t.k === "s") {
      if (word(prev, "stride", "strides", "of") && word(toks[i - 2], "stride", "strides", "stride"))
        continue;
      if (word(prev, "stride", "strides")) continue;
      const after = toks[i + 1];
      if (after?.k === "w" && (KERNEL_WORDS.has(after.text) || after.text.startsWith("conv")))
        return i;
      const after2 = toks[i + 2];
      if (after?.k === "w" && after2?.k === "w" && KERNEL_WORDS.has(after2.text)) return i;
      const before = toks.slice(Math.max(0, i - 4), i);
      if (word(prev, "size", "of") && before.some((x) => x.k === "w" && KERNEL_WORDS.has(x.text)))
        return i;
      // a lone size is the kernel only when nothing names it an input or output size
      const near = toks.slice(Math.max(0, i - 3), i + 3);
      if (!near.some((x) => x.k === "w" && OUTPUT_SIZE_WORDS.has(x.text))) {
        sizes++;
        if (fallback === -1) fallback = i;
      }
    } else if (t.k === "n" && word(prev, "size")) {
      const back = toks.slice(Math.max(0, i - 5), i);
      if (back.some((x) => x.k === "w" && (KERNEL_WORDS.has(x.text) || x.text === "receptive")))
        return i;
    }
  }
  return sizes === 1 ? fallback : -1;
}

/** The filter count of a conv clause: "16 8×8 filters", "32 filters", "with 64 kernels". */
export function findFilters(toks: readonly Tok[], kernelAt: number): number {
  pass(toks);
  if (kernelAt > 0 && toks[kernelAt - 1]?.k === "n") return kernelAt - 1;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Tok;
    if (t.k !== "n") continue;
    const a = toks[i + 1];
    const b = toks[i + 2];
    if (a?.k === "w" && FILTER_WORDS.has(a.text)) return i;
    if (a?.k === "w" && b?.k === "w" && FILTER_WORDS.has(b.text) && !FILTER_WORDS.has(a.text))
      return i;
  }
  return -1;
}

/** Reads a clause that describes a convolution. */
export function readConv(r: Reader, s: Sentence, toks: Tok[], c: Cues): void {
  const layer: Record<string, unknown> = { type: "conv" };
  const kernelAt = findKernel(toks);
  const kernelTok = toks[kernelAt];
  let filtersAt = -1;
  if (kernelTok?.k === "s" && (kernelTok.partTexts[0] as string).includes(".")) {
    // "16.8 × 8": a PDF extraction merged the count "16" and the kernel "8 × 8"
    const [count, first] = (kernelTok.partTexts[0] as string).split(".") as [string, string];
    const rest = kernelTok.parts.slice(1);
    if (first !== kernelTok.partTexts[1]) {
      r.fail(
        "merged-number",
        s,
        `'${kernelTok.text}' has a decimal where a filter count and a kernel size are expected (a merged "N K × K"?); expected e.g. "16 8 × 8 filters"`,
        kernelTok,
      );
    }
    const kernel = [Number(first), ...rest];
    const at = r.span(kernelTok.start, kernelTok.end);
    r.key(layer, "filters", Number(count), kernelTok);
    r.key(layer, "kernel", kernel, kernelTok);
    r.warnings.push({
      code: "merged-number",
      message: `read '${r.raw.slice(at.start, at.end)}' (${r.where(at.start)}) as ${count} ${plural(Number(count), "filter")} of ${kernel.join(" × ")}: the text looks like a PDF extraction that merged "${count} ${kernel.join(" × ")}"; check it against the paper`,
      layer: `layers[${r.layers.length}]`,
      span: at,
    });
  } else {
    if (kernelAt === -1) {
      r.fail(
        "unreadable-layer",
        s,
        'no kernel size found; expected e.g. "16 8 × 8 filters" or "filters of size 5 × 5"',
      );
    }
    const k = kernelTok as Tok;
    let kernel = sizeValue(k);
    if (Array.isArray(kernel) && kernel.length === 3) {
      r.assumptions.push({
        code: "kernel-depth",
        message: `read the kernel '${k.text}' of layers[${r.layers.length}] as ${kernel[0]} × ${kernel[1]} over all input channels (its depth ${kernel[2]} is not checked)`,
      });
      kernel = kernel.slice(0, 2);
    }
    r.key(layer, "kernel", kernel, k);
    filtersAt = findFilters(toks, kernelAt);
    if (filtersAt === -1) {
      r.fail(
        "unreadable-layer",
        s,
        'no number of filters found; expected e.g. "16 8 × 8 filters" or "32 filters of 5 × 5"',
      );
    }
    r.key(layer, "filters", numberOf(toks[filtersAt]), toks[filtersAt] as Tok);
  }
  readWindowOptions(r, s, toks, layer, "conv");
  if (c.activation !== undefined && c.activation !== "linear") layer.activation = c.activation;
  r.add(layer, s, toks[0], toks[toks.length - 1]);
}
