/**
 * Bytes for the CLI: strict base64, strict UTF-8 (a byte-order mark is
 * kept), kcat's delimiter escapes, and searching bytes.
 *
 * @module
 */

import { Buffer } from "node:buffer";

const enc = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** UTF-8 bytes of a string. */
export function utf8(s: string): Uint8Array {
  return enc.encode(s);
}

/** The text of UTF-8 bytes, or `undefined` when they are not valid UTF-8. */
export function utf8Text(b: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(b);
  } catch {
    return undefined;
  }
}

/** The text of bytes, invalid UTF-8 replaced by U+FFFD. */
export function utf8Lossy(b: Uint8Array): string {
  return lenientUtf8.decode(b);
}

/** Base64 (standard alphabet, padded). */
export function toBase64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("base64");
}

const B64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

/**
 * Decodes base64 (standard alphabet; padding optional); `undefined` when
 * `s` is not base64.
 */
export function fromBase64(s: string): Uint8Array | undefined {
  const t = s.trim();
  if (!B64.test(t)) return undefined;
  return new Uint8Array(Buffer.from(t, "base64"));
}

/**
 * kcat's delimiter syntax: the text as it is, with `\n`, `\r`, `\t`, `\0`,
 * `\\` and `\xNN` (a byte in hex) unescaped.
 *
 * @example
 * ```ts
 * console.log(unescapeDelimiter("\\n")); // Uint8Array [10]
 * console.log(unescapeDelimiter("\\x00;")); // Uint8Array [0, 59]
 * ```
 */
export function unescapeDelimiter(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== "\\" || i + 1 >= s.length) {
      out.push(...enc.encode(c));
      continue;
    }
    const n = s[++i];
    if (n === "n") out.push(10);
    else if (n === "r") out.push(13);
    else if (n === "t") out.push(9);
    else if (n === "0") out.push(0);
    else if (n === "\\") out.push(92);
    else if (n === "x" && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(92, ...enc.encode(n));
  }
  return new Uint8Array(out);
}

/** The index of `needle` in `hay` at or after `from`, or -1. */
export function indexOf(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  if (needle.length === 0) return -1;
  const first = needle[0];
  const last = hay.length - needle.length;
  for (
    let i = hay.indexOf(first, from);
    i !== -1 && i <= last;
    i = hay.indexOf(first, i + 1)
  ) {
    let j = 1;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}
