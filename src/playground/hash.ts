/*
 * The page's state in the URL hash: `#spec=<text>&answers=<text>`, each text base64url of its
 * UTF-8 bytes (RFC 4648 §5, no padding), so a link reproduces the page. Uncompressed: the
 * hash stays synchronous to read and write, and browsers take URLs of megabytes.
 */

/** Keys of the hash, in order. */
export const HASH_KEYS = ["spec", "answers"] as const;
export type HashKey = (typeof HASH_KEYS)[number];
export type HashState = Partial<Record<HashKey, string>>;

/** base64url of the UTF-8 bytes of a text. */
export function encodeText(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  // in slices: String.fromCharCode takes a bounded number of arguments
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The text of a base64url value; throws on one that is not base64url of UTF-8. */
export function decodeText(value: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(value)) throw new Error("not base64url");
  const binary = atob(value.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

/** The hash (without `#`) for a state: its texts in HASH_KEYS order. */
export function encodeHash(state: HashState): string {
  return HASH_KEYS.filter((k) => state[k] !== undefined)
    .map((k) => `${k}=${encodeText(state[k] as string)}`)
    .join("&");
}

/** The state in a hash (with or without `#`); throws on a value that cannot be decoded. */
export function decodeHash(hash: string): HashState {
  const state: HashState = {};
  for (const part of hash.replace(/^#/, "").split("&")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    const key = part.slice(0, eq);
    const k = HASH_KEYS.find((h) => h === key);
    if (k !== undefined) state[k] = decodeText(part.slice(eq + 1));
  }
  return state;
}
