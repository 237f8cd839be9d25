import { cnnError } from "../core/errors.js";

/**
 * The offset of the first byte that is not valid UTF-8. The replacing decoder turns each bad
 * sequence into U+FFFD and keeps valid text as it is, so the bytes before the first U+FFFD are
 * the UTF-8 of the text before it; a U+FFFD written in the file (EF BF BD) is skipped.
 */
function firstInvalidByte(bytes: Uint8Array): number {
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  const encoder = new TextEncoder();
  let at = 0;
  let from = 0;
  for (let i = text.indexOf("\uFFFD"); i !== -1; i = text.indexOf("\uFFFD", i + 1)) {
    at += encoder.encode(text.slice(from, i)).length;
    if (bytes[at] !== 0xef || bytes[at + 1] !== 0xbf || bytes[at + 2] !== 0xbd) return at;
    at += 3;
    from = i + 1;
  }
  return bytes.length;
}

/** Decodes bytes as UTF-8, refusing invalid sequences with where the first one is. */
export function decodeUtf8(bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidByte(bytes);
    let line = 1;
    for (let i = bytes.indexOf(0x0a); i !== -1 && i < at; i = bytes.indexOf(0x0a, i + 1)) line++;
    throw cnnError(
      "invalid-utf8",
      `${name} is not UTF-8 text (an invalid byte sequence on line ${line}, at byte offset ${at}); expected a JSON or text spec`,
    );
  }
}
