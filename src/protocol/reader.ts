import { ProtocolError } from "../errors/mod.ts";
import { readUtf8, uuidToString } from "./_utf8.ts";

const TWO_32 = 4294967296;
// Shared result for zero-length bytes (nothing in it can change).
const EMPTY = new Uint8Array(0);

/**
 * Decodes Kafka protocol primitives from a `Uint8Array`, big-endian, from an
 * offset up to an end.
 *
 * Every read is bounds-checked and throws {@link ProtocolError} on truncation,
 * on a negative length where null is not allowed, on a length or array count
 * larger than the bytes left (so hostile input cannot make it allocate more
 * than the input's size), on an over-long varint and on an int64 that is not
 * a safe integer. It never throws any other error type for any input.
 *
 * `bytes` results are **views** into the input (no copy): keep the input
 * unchanged while they are in use.
 *
 * @example
 * ```ts
 * import { Reader } from "./reader.ts";
 * const r = new Reader(new Uint8Array([0, 18, 0, 3, 0x61, 0x62, 0x63]));
 * console.assert(r.int16() === 18);
 * console.assert(r.string() === "abc");
 * console.assert(r.remaining === 0);
 * ```
 */
export class Reader {
  #buf: Uint8Array;
  #view: DataView;
  #pos: number;
  #end: number;

  /**
   * Creates a reader over `buf[offset, end)`.
   *
   * @param buf the bytes
   * @param offset where to start (default 0)
   * @param end where to stop (default `buf.length`)
   */
  constructor(buf: Uint8Array, offset = 0, end: number = buf.length) {
    if (!(offset >= 0 && offset <= end && end <= buf.length)) {
      throw new RangeError(
        `Reader range [${offset}, ${end}) is outside the buffer of ${buf.length} bytes`,
      );
    }
    this.#buf = buf;
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.#pos = offset;
    this.#end = end;
  }

  /** The current position in the buffer. */
  get offset(): number {
    return this.#pos;
  }

  /** Bytes left before the end. */
  get remaining(): number {
    return this.#end - this.#pos;
  }

  #need(n: number): number {
    const p = this.#pos;
    if (n > this.#end - p) {
      throw new ProtocolError(
        `Truncated data: need ${n} bytes at offset ${p}, only ${
          this.#end - p
        } left`,
      );
    }
    this.#pos = p + n;
    return p;
  }

  /** Skips `n` bytes. */
  skip(n: number): void {
    if (!(n >= 0)) throw new ProtocolError(`Cannot skip ${n} bytes`);
    this.#need(n);
  }

  /** Reads a `bool` (any non-zero byte is `true`). */
  bool(): boolean {
    return this.#buf[this.#need(1)] !== 0;
  }

  /** Reads an int8. */
  int8(): number {
    return this.#view.getInt8(this.#need(1));
  }

  /** Reads an int16. */
  int16(): number {
    return this.#view.getInt16(this.#need(2));
  }

  /** Reads a uint16. */
  uint16(): number {
    return this.#view.getUint16(this.#need(2));
  }

  /** Reads an int32. */
  int32(): number {
    return this.#view.getInt32(this.#need(4));
  }

  /** Reads a uint32. */
  uint32(): number {
    return this.#view.getUint32(this.#need(4));
  }

  /** Reads an int64; throws {@link ProtocolError} unless it is a safe integer. */
  int64(): number {
    const p = this.#need(8);
    const b = this.#buf;
    const hi = (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
    const lo = ((b[p + 4] << 24) | (b[p + 5] << 16) | (b[p + 6] << 8) |
      b[p + 7]) >>> 0;
    // Safe integers are those with -2^21 <= hi < 2^21, except -2^53 itself.
    if (hi < -0x200000 || hi >= 0x200000 || (hi === -0x200000 && lo === 0)) {
      throw new ProtocolError(
        `int64 at offset ${p} is outside the safe integer range`,
      );
    }
    return hi * TWO_32 + lo;
  }

  /**
   * Reads `n` int32s (the elements of an int32 array whose count was read
   * already), with one bounds check.
   */
  int32s(n: number): number[] {
    const p = this.#need(n * 4);
    const b = this.#buf;
    const a: number[] = new Array(n);
    for (let i = 0, q = p; i < n; i++, q += 4) {
      a[i] = (b[q] << 24) | (b[q + 1] << 16) | (b[q + 2] << 8) | b[q + 3];
    }
    return a;
  }

  /** Reads a float64. */
  float64(): number {
    return this.#view.getFloat64(this.#need(8));
  }

  /** Reads an unsigned varint of at most 5 bytes (0..4294967295). */
  uvarint(): number {
    // Small and inlinable: almost every varint in a response is one byte.
    const p = this.#pos;
    if (p < this.#end) {
      const b = this.#buf[p];
      if (b < 0x80) {
        this.#pos = p + 1;
        return b;
      }
    }
    return this.#uvarintSlow();
  }

  #uvarintSlow(): number {
    const buf = this.#buf;
    let p = this.#pos;
    const end = this.#end;
    let v = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (p >= end) {
        throw new ProtocolError(`Truncated varint at offset ${this.#pos}`);
      }
      const b = buf[p++];
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) {
        if (v > 0xffffffff) break;
        this.#pos = p;
        return v;
      }
    }
    throw new ProtocolError(`Invalid unsigned varint at offset ${this.#pos}`);
  }

  /** Reads a signed 32-bit varint (zigzag). */
  varint(): number {
    const u = this.uvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  /** Reads a signed 64-bit varint (zigzag); throws unless it is a safe integer. */
  varlong(): number {
    const buf = this.#buf;
    const start = this.#pos;
    let p = start;
    const end = this.#end;
    let z = 0;
    let big: bigint | null = null;
    for (let shift = 0;; shift += 7) {
      if (shift >= 70) {
        throw new ProtocolError(`Invalid varlong at offset ${start}`);
      }
      if (p >= end) {
        throw new ProtocolError(`Truncated varlong at offset ${start}`);
      }
      const b = buf[p++];
      if (big === null && shift <= 45) {
        z += (b & 0x7f) * 2 ** shift;
      } else {
        if (big === null) big = BigInt(z);
        big += BigInt(b & 0x7f) << BigInt(shift);
      }
      if (b < 0x80) break;
    }
    this.#pos = p;
    let v: number;
    if (big === null) {
      // z < 2^52: exact.
      v = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
    } else {
      const s = (big & 1n) === 0n ? big >> 1n : -((big + 1n) >> 1n);
      if (s > 9007199254740991n || s < -9007199254740991n) {
        throw new ProtocolError(
          `varlong at offset ${start} is outside the safe integer range`,
        );
      }
      v = Number(s);
    }
    return v;
  }

  /** Reads a UUID and returns Kafka's text form (22 chars of URL-safe base64). */
  uuid(): string {
    return uuidToString(this.#buf, this.#need(16));
  }

  #str(len: number, at: number): string {
    if (len > this.#end - this.#pos) {
      throw new ProtocolError(
        `String length ${len} at offset ${at} exceeds the ${
          this.#end - this.#pos
        } bytes left`,
      );
    }
    const p = this.#pos;
    this.#pos = p + len;
    return readUtf8(this.#buf, p, len);
  }

  /** Reads a non-null string with an int16 length. */
  string(): string {
    const at = this.#pos;
    const len = this.int16();
    if (len < 0) {
      throw new ProtocolError(
        `Non-nullable string at offset ${at} has length ${len}`,
      );
    }
    return this.#str(len, at);
  }

  /** Reads a string with an int16 length; -1 is `null`. */
  nullableString(): string | null {
    const at = this.#pos;
    const len = this.int16();
    if (len < 0) {
      if (len === -1) return null;
      throw new ProtocolError(`Invalid string length ${len} at offset ${at}`);
    }
    return this.#str(len, at);
  }

  /** Reads a non-null compact string. */
  compactString(): string {
    const at = this.#pos;
    const n = this.uvarint();
    if (n === 0) {
      throw new ProtocolError(
        `Non-nullable compact string at offset ${at} is null`,
      );
    }
    return this.#str(n - 1, at);
  }

  /** Reads a compact string; 0 is `null`. */
  compactNullableString(): string | null {
    const at = this.#pos;
    const n = this.uvarint();
    if (n === 0) return null;
    return this.#str(n - 1, at);
  }

  #bytes(len: number, at: number): Uint8Array {
    if (len > this.#end - this.#pos) {
      throw new ProtocolError(
        `Bytes length ${len} at offset ${at} exceeds the ${
          this.#end - this.#pos
        } bytes left`,
      );
    }
    if (len === 0) return EMPTY;
    const p = this.#pos;
    this.#pos = p + len;
    return this.#buf.subarray(p, p + len);
  }

  /** Reads non-null bytes with an int32 length (a view into the input). */
  bytes(): Uint8Array {
    const at = this.#pos;
    const len = this.int32();
    if (len < 0) {
      throw new ProtocolError(
        `Non-nullable bytes at offset ${at} have length ${len}`,
      );
    }
    return this.#bytes(len, at);
  }

  /** Reads bytes with an int32 length; -1 is `null`. */
  nullableBytes(): Uint8Array | null {
    const at = this.#pos;
    const len = this.int32();
    if (len < 0) {
      if (len === -1) return null;
      throw new ProtocolError(`Invalid bytes length ${len} at offset ${at}`);
    }
    return this.#bytes(len, at);
  }

  /** Reads non-null compact bytes (a view into the input). */
  compactBytes(): Uint8Array {
    const at = this.#pos;
    const n = this.uvarint();
    if (n === 0) {
      throw new ProtocolError(
        `Non-nullable compact bytes at offset ${at} are null`,
      );
    }
    return this.#bytes(n - 1, at);
  }

  /** Reads compact bytes; 0 is `null`. */
  compactNullableBytes(): Uint8Array | null {
    const at = this.#pos;
    const n = this.uvarint();
    if (n === 0) return null;
    return this.#bytes(n - 1, at);
  }

  /** Reads `n` bytes as they are (a view into the input). */
  raw(n: number): Uint8Array {
    if (!(n >= 0)) throw new ProtocolError(`Cannot read ${n} bytes`);
    return this.#bytes(n, this.#pos);
  }

  /**
   * Reads an int32 array count. Returns -1 for a null array (the caller
   * decides whether null is allowed); throws when the count is below -1 or
   * when `count * minElementSize` exceeds the bytes left.
   */
  arrayLength(minElementSize = 1): number {
    const at = this.#pos;
    const n = this.int32();
    if (n < 0) {
      if (n === -1) return -1;
      throw new ProtocolError(`Invalid array length ${n} at offset ${at}`);
    }
    this.#checkCount(n, minElementSize, at);
    return n;
  }

  /**
   * Reads a compact array count (uvarint count + 1). Returns -1 for a null
   * array; throws when `count * minElementSize` exceeds the bytes left.
   */
  compactArrayLength(minElementSize = 1): number {
    const at = this.#pos;
    const n = this.uvarint() - 1;
    if (n >= 0) this.#checkCount(n, minElementSize, at);
    return n;
  }

  #checkCount(n: number, minElementSize: number, at: number): void {
    if (n * minElementSize > this.#end - this.#pos) {
      throw new ProtocolError(
        `Array of ${n} elements at offset ${at} cannot fit in the ${
          this.#end - this.#pos
        } bytes left`,
      );
    }
  }

  /**
   * Moves to absolute offset `offset`, which must lie between the current
   * position and the end (used to skip the rest of a tagged field).
   */
  seek(offset: number): void {
    if (!(offset >= this.#pos && offset <= this.#end)) {
      throw new ProtocolError(
        `Cannot move from offset ${this.#pos} to ${offset} (end ${this.#end})`,
      );
    }
    this.#pos = offset;
  }

  /**
   * Reads one tagged-field header's size and returns the absolute offset where
   * the field ends, checking that it lies within the data.
   */
  taggedFieldEnd(): number {
    const at = this.#pos;
    const size = this.uvarint();
    if (size > this.#end - this.#pos) {
      throw new ProtocolError(
        `Tagged field of ${size} bytes at offset ${at} exceeds the ${
          this.#end - this.#pos
        } bytes left`,
      );
    }
    return this.#pos + size;
  }

  /**
   * Ends a known tagged field: the value must not have read past `end`;
   * bytes it left unread (a newer layout) are skipped.
   */
  endTaggedField(end: number, tag: number): void {
    if (this.#pos > end) {
      throw new ProtocolError(`Tagged field ${tag} overran its size`);
    }
    this.#pos = end;
  }

  /** Skips a whole tagged-fields section (uvarint count, then tag, size, bytes each). */
  skipTaggedFields(): void {
    const p = this.#pos;
    if (p < this.#end && this.#buf[p] === 0) {
      this.#pos = p + 1; // the usual case: no tagged fields
      return;
    }
    const n = this.uvarint();
    for (let i = 0; i < n; i++) {
      this.uvarint(); // tag
      this.#pos = this.taggedFieldEnd();
    }
  }
}
