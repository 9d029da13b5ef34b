import { ProtocolError } from "../errors/mod.ts";
import { utf8Length, uuidFromString, writeUtf8 } from "./_utf8.ts";

const TWO_32 = 4294967296;

function notInt(what: string, v: unknown): ProtocolError {
  return new ProtocolError(`Cannot encode ${String(v)} as ${what}`);
}

/**
 * A growable buffer that encodes Kafka protocol primitives, big-endian.
 *
 * Integers are range-checked: a value that does not fit its type (or an
 * int64 that is not a safe integer) throws {@link ProtocolError} instead of
 * being truncated. Strings are UTF-8. Nullable variants take `null`.
 * "Compact" variants are the flexible-version encodings (unsigned varint
 * length + 1, 0 for null).
 *
 * @example
 * ```ts
 * import { Writer } from "./writer.ts";
 * const w = new Writer();
 * w.int16(18);                // api key
 * w.compactString("denokafka");
 * w.uvarint(0);               // no tagged fields
 * const bytes: Uint8Array = w.finish();
 * console.assert(bytes.length === 2 + 1 + 9 + 1);
 * ```
 */
export class Writer {
  #buf: Uint8Array;
  #view: DataView;
  #pos = 0;

  /**
   * Creates an empty writer.
   *
   * @param initialCapacity bytes to allocate up front (grows as needed)
   */
  constructor(initialCapacity = 256) {
    this.#buf = new Uint8Array(Math.max(16, initialCapacity | 0));
    this.#view = new DataView(this.#buf.buffer);
  }

  /** Number of bytes written so far. */
  get length(): number {
    return this.#pos;
  }

  #ensure(n: number): void {
    const need = this.#pos + n;
    if (need <= this.#buf.length) return;
    let cap = this.#buf.length * 2;
    if (cap < need) cap = need;
    const next = new Uint8Array(cap);
    next.set(this.#buf.subarray(0, this.#pos));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }

  /**
   * The bytes written so far: a view of the writer's buffer (no copy). It
   * stays valid until the writer is {@link Writer.reset} and written again.
   */
  finish(): Uint8Array {
    return this.#buf.subarray(0, this.#pos);
  }

  /** Forgets everything written, keeping the allocated buffer for reuse. */
  reset(): void {
    this.#pos = 0;
  }

  /** Writes `true` as 1 and `false` as 0 (Kafka's `bool`). */
  bool(v: boolean): void {
    this.#ensure(1);
    this.#buf[this.#pos++] = v ? 1 : 0;
  }

  /** Writes an int8 (-128..127). */
  int8(v: number): void {
    if (v !== (v << 24 >> 24)) throw notInt("int8", v);
    this.#ensure(1);
    this.#buf[this.#pos++] = v & 0xff;
  }

  /** Writes an int16 (-32768..32767). */
  int16(v: number): void {
    if (v !== (v << 16 >> 16)) throw notInt("int16", v);
    this.#ensure(2);
    this.#view.setInt16(this.#pos, v);
    this.#pos += 2;
  }

  /** Writes a uint16 (0..65535). */
  uint16(v: number): void {
    if (v !== (v & 0xffff)) throw notInt("uint16", v);
    this.#ensure(2);
    this.#view.setUint16(this.#pos, v);
    this.#pos += 2;
  }

  /** Writes an int32. */
  int32(v: number): void {
    if (v !== (v | 0)) throw notInt("int32", v);
    this.#ensure(4);
    this.#view.setInt32(this.#pos, v);
    this.#pos += 4;
  }

  /** Writes a uint32 (0..4294967295). */
  uint32(v: number): void {
    if (v !== (v >>> 0)) throw notInt("uint32", v);
    this.#ensure(4);
    this.#view.setUint32(this.#pos, v);
    this.#pos += 4;
  }

  /** Writes an int64 given as a safe integer `number`. */
  int64(v: number): void {
    if (!Number.isSafeInteger(v)) throw notInt("int64 (safe integer)", v);
    this.#ensure(8);
    const hi = Math.floor(v / TWO_32);
    this.#view.setInt32(this.#pos, hi);
    this.#view.setUint32(this.#pos + 4, v - hi * TWO_32);
    this.#pos += 8;
  }

  /** Writes a float64. */
  float64(v: number): void {
    if (typeof v !== "number") throw notInt("float64", v);
    this.#ensure(8);
    this.#view.setFloat64(this.#pos, v);
    this.#pos += 8;
  }

  /** Writes an unsigned varint (0..4294967295), Kafka's length prefix of compact types. */
  uvarint(v: number): void {
    if (v !== (v >>> 0)) throw notInt("unsigned varint", v);
    this.#ensure(5);
    const buf = this.#buf;
    let p = this.#pos;
    while (v >= 0x80) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p++] = v;
    this.#pos = p;
  }

  /** Writes a signed 32-bit varint (zigzag encoded). */
  varint(v: number): void {
    if (v !== (v | 0)) throw notInt("varint", v);
    this.uvarint(((v << 1) ^ (v >> 31)) >>> 0);
  }

  /** Writes a signed 64-bit varint (zigzag encoded) of a safe integer. */
  varlong(v: number): void {
    if (!Number.isSafeInteger(v)) throw notInt("varlong (safe integer)", v);
    this.#ensure(10);
    const buf = this.#buf;
    let p = this.#pos;
    if (v >= -0x8000000000000 && v < 0x8000000000000) {
      // |v| < 2^51: the zigzag value (< 2^52) is exact in a double.
      let z = v >= 0 ? v * 2 : -v * 2 - 1;
      while (z >= 0x80) {
        buf[p++] = (z % 128) | 0x80;
        z = Math.floor(z / 128);
      }
      buf[p++] = z;
    } else {
      const b = BigInt(v);
      let z = b >= 0n ? b << 1n : (-b << 1n) - 1n;
      while (z >= 0x80n) {
        buf[p++] = Number(z & 0x7fn) | 0x80;
        z >>= 7n;
      }
      buf[p++] = Number(z);
    }
    this.#pos = p;
  }

  /** Writes a UUID given in Kafka's text form (22 chars of URL-safe base64, see {@link ZERO_UUID}). */
  uuid(v: string): void {
    this.#ensure(16);
    uuidFromString(v, this.#buf, this.#pos);
    this.#pos += 16;
  }

  /** Writes a non-null string with an int16 length. */
  string(v: string): void {
    if (typeof v !== "string") throw notInt("string", v);
    this.#ensure(2 + v.length * 3);
    const start = this.#pos;
    const n = writeUtf8(v, this.#buf, start + 2);
    if (n > 0x7fff) {
      throw new ProtocolError(
        `String of ${n} bytes is too long for an int16 length`,
      );
    }
    this.#view.setInt16(start, n);
    this.#pos = start + 2 + n;
  }

  /** Writes a string with an int16 length, -1 for `null`. */
  nullableString(v: string | null): void {
    if (v === null) this.int16(-1);
    else this.string(v);
  }

  /** Writes a non-null compact string (uvarint length + 1). */
  compactString(v: string): void {
    if (typeof v !== "string") throw notInt("string", v);
    const n = utf8Length(v);
    this.uvarint(n + 1);
    this.#ensure(v.length * 3);
    this.#pos += writeUtf8(v, this.#buf, this.#pos);
  }

  /** Writes a compact string, 0 for `null`. */
  compactNullableString(v: string | null): void {
    if (v === null) this.uvarint(0);
    else this.compactString(v);
  }

  /** Writes non-null bytes with an int32 length. */
  bytes(v: Uint8Array): void {
    if (!(v instanceof Uint8Array)) throw notInt("bytes", v);
    this.int32(v.length);
    this.raw(v);
  }

  /** Writes bytes with an int32 length, -1 for `null`. */
  nullableBytes(v: Uint8Array | null): void {
    if (v === null) this.int32(-1);
    else this.bytes(v);
  }

  /** Writes non-null compact bytes (uvarint length + 1). */
  compactBytes(v: Uint8Array): void {
    if (!(v instanceof Uint8Array)) throw notInt("bytes", v);
    this.uvarint(v.length + 1);
    this.raw(v);
  }

  /** Writes compact bytes, 0 for `null`. */
  compactNullableBytes(v: Uint8Array | null): void {
    if (v === null) this.uvarint(0);
    else this.compactBytes(v);
  }

  /** Writes bytes as they are, with no length. */
  raw(v: Uint8Array): void {
    this.#ensure(v.length);
    this.#buf.set(v, this.#pos);
    this.#pos += v.length;
  }

  /**
   * Inserts an unsigned varint at byte offset `at` (at most
   * {@link Writer.length}), moving what follows. Used to prefix a tagged field
   * with its size once the field is written.
   */
  insertUvarint(at: number, v: number): void {
    if (v !== (v >>> 0)) throw notInt("unsigned varint", v);
    if (!(at >= 0 && at <= this.#pos)) {
      throw new RangeError(`insert position ${at} out of range`);
    }
    let n = 1;
    for (let x = v; x >= 0x80; x >>>= 7) n++;
    this.#ensure(n);
    const buf = this.#buf;
    buf.copyWithin(at + n, at, this.#pos);
    let p = at;
    while (v >= 0x80) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p] = v;
    this.#pos += n;
  }

  /**
   * Overwrites an int32 at byte offset `at` (for size prefixes written after
   * the fact).
   */
  setInt32(at: number, v: number): void {
    if (v !== (v | 0)) throw notInt("int32", v);
    if (!(at >= 0 && at + 4 <= this.#pos)) {
      throw new RangeError(`setInt32 position ${at} out of range`);
    }
    this.#view.setInt32(at, v);
  }
}

/**
 * The all-zero UUID in Kafka's text form: the default of every `uuid` field
 * ("no topic id").
 *
 * @example
 * ```ts
 * import { ZERO_UUID } from "./writer.ts";
 * console.assert(ZERO_UUID === "AAAAAAAAAAAAAAAAAAAAAA");
 * ```
 */
export const ZERO_UUID = "AAAAAAAAAAAAAAAAAAAAAA";
