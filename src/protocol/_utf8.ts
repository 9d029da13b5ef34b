// UTF-8 and UUID helpers shared by Writer and Reader.
import { ProtocolError } from "../errors/mod.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8");

/** Number of bytes `s` takes in UTF-8 (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(s: string): number {
  const len = s.length;
  let n = len;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      n += 1;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 2; // 4 bytes for 2 UTF-16 units
        i++;
      } else {
        n += 2;
      }
    } else {
      n += 2;
    }
  }
  return n;
}

/**
 * Writes `s` as UTF-8 into `buf` at `at` (the caller made room for
 * `s.length * 3` bytes) and returns the number of bytes written.
 */
export function writeUtf8(s: string, buf: Uint8Array, at: number): number {
  const len = s.length;
  let i = 0;
  for (; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) break;
    buf[at + i] = c;
  }
  if (i === len) return len;
  const { written } = encoder.encodeInto(
    i === 0 ? s : s.slice(i),
    buf.subarray(at + i),
  );
  return i + written;
}

/**
 * Decodes `len` bytes of UTF-8 at `at` (malformed sequences become U+FFFD).
 * TextDecoder beat hand-written ASCII paths here even for short strings
 * (measured with bench/protocol_bench.ts).
 */
export function readUtf8(buf: Uint8Array, at: number, len: number): string {
  return len === 0 ? "" : decoder.decode(buf.subarray(at, at + len));
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const B64_INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;
const B64_CODES = new Uint8Array(64);
for (let i = 0; i < 64; i++) B64_CODES[i] = B64.charCodeAt(i);

/** 16 bytes at `at` as Kafka's UUID text: URL-safe base64 without padding (22 chars). */
export function uuidToString(buf: Uint8Array, at: number): string {
  const c = B64_CODES;
  const b = (i: number) => buf[at + i];
  // 5 groups of 3 bytes -> 20 chars, then 1 byte -> 2 chars; one string build.
  const n0 = (b(0) << 16) | (b(1) << 8) | b(2);
  const n1 = (b(3) << 16) | (b(4) << 8) | b(5);
  const n2 = (b(6) << 16) | (b(7) << 8) | b(8);
  const n3 = (b(9) << 16) | (b(10) << 8) | b(11);
  const n4 = (b(12) << 16) | (b(13) << 8) | b(14);
  const l = b(15);
  return String.fromCharCode(
    c[n0 >>> 18],
    c[(n0 >>> 12) & 63],
    c[(n0 >>> 6) & 63],
    c[n0 & 63],
    c[n1 >>> 18],
    c[(n1 >>> 12) & 63],
    c[(n1 >>> 6) & 63],
    c[n1 & 63],
    c[n2 >>> 18],
    c[(n2 >>> 12) & 63],
    c[(n2 >>> 6) & 63],
    c[n2 & 63],
    c[n3 >>> 18],
    c[(n3 >>> 12) & 63],
    c[(n3 >>> 6) & 63],
    c[n3 & 63],
    c[n4 >>> 18],
    c[(n4 >>> 12) & 63],
    c[(n4 >>> 6) & 63],
    c[n4 & 63],
    c[l >>> 2],
    c[(l & 3) << 4],
  );
}

/** Writes Kafka's UUID text form back as 16 bytes at `at`. */
export function uuidFromString(s: string, buf: Uint8Array, at: number): void {
  if (typeof s !== "string" || s.length !== 22) {
    throw new ProtocolError(
      `Invalid UUID ${
        JSON.stringify(s)
      }: expected 22 characters of URL-safe base64`,
    );
  }
  let acc = 0;
  let bits = 0;
  let o = at;
  for (let i = 0; i < 22; i++) {
    const c = s.charCodeAt(i);
    const d = c < 128 ? B64_INDEX[c] : -1;
    if (d < 0) {
      throw new ProtocolError(`Invalid UUID ${JSON.stringify(s)}`);
    }
    acc = ((acc << 6) | d) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      buf[o++] = (acc >>> bits) & 0xff;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) {
    throw new ProtocolError(`Invalid UUID ${JSON.stringify(s)}: trailing bits`);
  }
}
