import { type NamedKind, namedKinds } from "../kinds.js";
import type { Reader } from "../reader.js";
import type { Sentence, Tok } from "../tokens.js";
import { readUpsampling } from "./resample.js";

/** A clause reader: reads the layer a clause describes (its tokens) into the reader. */
export type ClauseReader = (r: Reader, s: Sentence, toks: Tok[]) => void;

/**
 * Clause readers of kinds named in LAYER_KIND_WORDS (kinds.ts). A kind without one is refused
 * with the sentence quoted; a kind with one is read by it, from each clause that names the kind.
 * Reading a new kind is one entry here and its reader (the kind's words are in LAYER_KIND_WORDS,
 * its allow-list entry in READ_KINDS).
 */
export const NAMED_READERS: { readonly [K in NamedKind]?: ClauseReader } = {
  upsampling: readUpsampling,
};

/** The reader of the first kind a clause names that has one in NAMED_READERS. */
export function namedReader(toks: readonly Tok[]): ClauseReader | undefined {
  if (Object.keys(NAMED_READERS).length === 0) return undefined;
  for (const named of namedKinds(toks)) {
    const reader = NAMED_READERS[named.kind];
    if (reader !== undefined) return reader;
  }
  return undefined;
}
