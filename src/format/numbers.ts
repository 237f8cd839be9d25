/** Formats an exact integer with thousands separators: 1644800n -> "1,644,800". */
export function grouped(value: bigint | number): string {
  const s = value.toString();
  const neg = s.startsWith("-");
  const digits = neg ? s.slice(1) : s;
  const head = digits.length % 3 || 3;
  let out = digits.slice(0, head);
  for (let i = head; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return neg ? `-${out}` : out;
}

/**
 * A count for JSON: a number while it is a safe integer (<= 2^53 - 1), otherwise its exact
 * decimal string, so that no consumer ever reads a rounded value.
 */
export function jsonCount(value: bigint): number | string {
  // a bigint past 2^53 - 1 converts to a float at or past 2^53 (rounding is monotonic), which is
  // not a safe integer: one conversion decides, with no bigint comparisons
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value.toString();
}

/** A byte count in human units (base 1000, like torchinfo's MB): "2.72 MB". */
export function bytesText(bytes: bigint): string {
  const units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
  let unit = 0;
  let scale = 1n;
  while (unit < units.length - 1 && bytes >= scale * 1000n) {
    scale *= 1000n;
    unit++;
  }
  if (unit === 0) return `${bytes} B`;
  // two decimals from exact integer arithmetic, rounded half up
  const hundredths = (bytes * 100n + scale / 2n) / scale;
  const whole = hundredths / 100n;
  const frac = (hundredths % 100n).toString().padStart(2, "0");
  return `${grouped(whole)}.${frac} ${units[unit]}`;
}
