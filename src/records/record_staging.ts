/**
 * {@linkcode RecordStaging}: records gathered for one batch in the layout the
 * WebAssembly encoder reads (timestamps, lengths, then the bytes), so that a
 * producer copies each record's bytes once when it is queued and keeps no
 * object per record; {@linkcode rewriteProducerState} re-stamps an encoded
 * RecordBatch v2 with a new producer id, epoch and sequence.
 *
 * @module
 */
import type { CompressionType } from "./compression_type.ts";
import { withWasm } from "./_wasm.ts";
import { checkCompressionType, failureToError } from "./_util.ts";
import { crc32c } from "./crc.ts";
import { decodeRecords } from "./decode_records.ts";

/** Settings of {@linkcode RecordStaging.encode}. */
export interface StagedEncodeOptions {
  /** 0 and 1: MessageSet v0/v1; 2: RecordBatch v2. */
  magic: 0 | 1 | 2;
  /** The codec. */
  compression: CompressionType;
  /** The codec's level (0: its default). */
  compressionLevel?: number;
  /** Idempotent/transactional producer id (v2; -1: none). */
  producerId?: number;
  /** The producer epoch (v2; -1: none). */
  producerEpoch?: number;
  /** Sequence of the first record (v2; -1: none). */
  baseSequence?: number;
  /** Marks the batch transactional (v2). */
  isTransactional?: boolean;
}

/** A record's header pairs as the producer takes them. */
export type StagedHeaders = readonly (readonly [string, Uint8Array | null])[];

const te = new TextEncoder();
const INITIAL_RECORDS = 64;
const INITIAL_BYTES = 8192;
/** Bytes of staging arrays the free list keeps for reuse, at most. */
const POOL_BYTES = 8 * 1024 * 1024;
const pool: RecordStaging[] = [];
let pooledBytes = 0;

/**
 * Records of one batch, gathered for {@linkcode RecordStaging.encode}: a
 * timestamp, three lengths per record (key, value, header count; -1 for
 * `null`), two per header, and every key, value and header byte in one
 * buffer. The arrays grow by doubling; {@linkcode RecordStaging.take} and
 * {@linkcode RecordStaging.release} reuse them (up to 8 MiB in all), so a
 * steady producer allocates nothing per batch once warm.
 *
 * @example
 * ```ts
 * import { CompressionType, decodeRecords, RecordStaging } from "./mod.ts";
 * const s = RecordStaging.take();
 * s.add(null, new TextEncoder().encode("hello"), 1_700_000_000_000);
 * s.add(new TextEncoder().encode("k"), null, 1_700_000_000_001, [["h", null]]);
 * const bytes = s.encode({ magic: 2, compression: CompressionType.LZ4 });
 * s.release();
 * const { records } = decodeRecords(bytes);
 * console.assert(records.length === 2 && records[1].value === null);
 * ```
 */
export class RecordStaging {
  #ts: Float64Array = new Float64Array(INITIAL_RECORDS);
  #desc: Int32Array = new Int32Array(3 * INITIAL_RECORDS);
  #hdr: Int32Array | null = null;
  #bytes: Uint8Array = new Uint8Array(INITIAL_BYTES);
  #n = 0;
  #h = 0;
  #p = 0;

  /** A staging from the free list, or a new one. */
  static take(): RecordStaging {
    const s = pool.pop();
    if (s === undefined) return new RecordStaging();
    pooledBytes -= s.#capacityBytes();
    return s;
  }

  /**
   * Records of an encoded record set (any format), staged again: for a
   * batch that must be cut in two or encoded in another format.
   *
   * @param encoded the output of {@linkcode RecordStaging.encode} or `encodeRecords`
   */
  static fromEncoded(encoded: Uint8Array): RecordStaging {
    const s = RecordStaging.take();
    for (const r of decodeRecords(encoded, { verifyCrc: false }).records) {
      s.add(r.key, r.value, r.timestamp, r.headers);
    }
    return s;
  }

  #capacityBytes(): number {
    return this.#ts.byteLength + this.#desc.byteLength +
      (this.#hdr?.byteLength ?? 0) + this.#bytes.byteLength;
  }

  /** Records staged. */
  get count(): number {
    return this.#n;
  }

  /** Bytes of keys, values and header keys and values staged. */
  get byteLength(): number {
    return this.#p;
  }

  /**
   * The bytes each record takes in the staging: key, value, and each
   * header's key (UTF-8) and value.
   */
  recordSizes(): number[] {
    const out: number[] = new Array(this.#n);
    const desc = this.#desc;
    let h = 0;
    for (let i = 0; i < this.#n; i++) {
      let size = Math.max(0, desc[3 * i]) + Math.max(0, desc[3 * i + 1]);
      for (let j = desc[3 * i + 2]; j > 0; j--, h++) {
        size += this.#hdr![2 * h] + Math.max(0, this.#hdr![2 * h + 1]);
      }
      out[i] = size;
    }
    return out;
  }

  /** Whether record `i` has headers. */
  hasHeaders(i: number): boolean {
    return this.#desc[3 * i + 2] > 0;
  }

  /** Empties it (keeping its arrays). */
  clear(): void {
    this.#n = 0;
    this.#h = 0;
    this.#p = 0;
  }

  /** Empties it and returns its arrays to the free list (do not use it after). */
  release(): void {
    this.clear();
    const size = this.#capacityBytes();
    if (pooledBytes + size <= POOL_BYTES) {
      pooledBytes += size;
      pool.push(this);
    }
  }

  /**
   * Stages one record: its key and value bytes are copied now.
   *
   * @param key the key or `null`
   * @param value the value or `null`
   * @param timestamp ms since the epoch
   * @param headers `[key, value]` pairs
   */
  add(
    key: Uint8Array | null,
    value: Uint8Array | null,
    timestamp: number,
    headers?: StagedHeaders,
  ): void {
    const n = this.#n;
    if (n === this.#ts.length) this.#growRecords();
    let p = this.#p;
    const kl = key === null ? 0 : key.length;
    const vl = value === null ? 0 : value.length;
    if (p + kl + vl > this.#bytes.length) this.#growBytes(p + kl + vl, p);
    const bytes = this.#bytes;
    const desc = this.#desc;
    const d = 3 * n;
    this.#ts[n] = timestamp;
    if (key === null) desc[d] = -1;
    else {
      desc[d] = kl;
      if (kl < 48) { for (let i = 0; i < kl; i++) bytes[p + i] = key[i]; }
      else bytes.set(key, p);
      p += kl;
    }
    if (value === null) desc[d + 1] = -1;
    else {
      desc[d + 1] = vl;
      if (vl < 48) { for (let i = 0; i < vl; i++) bytes[p + i] = value[i]; }
      else bytes.set(value, p);
      p += vl;
    }
    if (headers === undefined || headers.length === 0) desc[d + 2] = 0;
    else {
      desc[d + 2] = headers.length;
      p = this.#addHeaders(headers, p);
    }
    this.#p = p;
    this.#n = n + 1;
  }

  #addHeaders(headers: StagedHeaders, p: number): number {
    let need = p;
    for (const [k, v] of headers) need += k.length * 3 + (v?.length ?? 0);
    if (need > this.#bytes.length) this.#growBytes(need, p);
    const h0 = this.#h;
    if (this.#hdr === null || 2 * (h0 + headers.length) > this.#hdr.length) {
      const next = new Int32Array(
        Math.max(64, 2 * (h0 + headers.length), 2 * (this.#hdr?.length ?? 0)),
      );
      if (this.#hdr !== null) next.set(this.#hdr.subarray(0, 2 * h0));
      this.#hdr = next;
    }
    const hdr = this.#hdr;
    const bytes = this.#bytes;
    let h = h0;
    for (const [k, v] of headers) {
      let len = k.length;
      let ascii = true;
      for (let c = 0; c < len; c++) {
        const code = k.charCodeAt(c);
        if (code >= 0x80) {
          ascii = false;
          break;
        }
        bytes[p + c] = code;
      }
      if (!ascii) {
        len = te.encodeInto(k, bytes.subarray(p, p + k.length * 3)).written;
      }
      p += len;
      hdr[2 * h] = len;
      if (v === null || v === undefined) hdr[2 * h + 1] = -1;
      else {
        hdr[2 * h + 1] = v.length;
        bytes.set(v, p);
        p += v.length;
      }
      h++;
    }
    this.#h = h;
    return p;
  }

  #growRecords(): void {
    const cap = this.#ts.length * 2;
    const ts = new Float64Array(cap);
    ts.set(this.#ts);
    const desc = new Int32Array(3 * cap);
    desc.set(this.#desc);
    this.#ts = ts;
    this.#desc = desc;
  }

  /** Room for `need` bytes, keeping the first `used` (this record's too). */
  #growBytes(need: number, used: number): void {
    let cap = this.#bytes.length * 2;
    while (cap < need) cap *= 2;
    const bytes = new Uint8Array(cap);
    bytes.set(this.#bytes.subarray(0, used));
    this.#bytes = bytes;
  }

  /**
   * Encodes the staged records (at least one) into a RecordBatch v2 or a
   * MessageSet v0/v1, compressed and checksummed, like `encodeRecords`.
   *
   * @param o the format, codec and producer fields
   * @returns the encoded record set
   */
  encode(o: StagedEncodeOptions): Uint8Array {
    const n = this.#n;
    if (n === 0) throw new RangeError("Cannot encode an empty record set");
    const magic = o.magic;
    const codec = checkCompressionType(o.compression);
    if (magic !== 2) {
      if (codec === 4) {
        throw new RangeError(
          `Cannot encode records: zstd needs magic 2, not ${magic}`,
        );
      }
      if (this.#h > 0) {
        throw new RangeError(
          `Cannot encode records: headers need magic 2, not ${magic}`,
        );
      }
    }
    const h = this.#h;
    const len = this.#p;
    return withWasm((w) => {
      const bytesOff = 20 * n + 8 * h;
      const base = w.reserve(bytesOff + len);
      const buf = w.buffer;
      new Float64Array(buf, base, n).set(this.#ts.subarray(0, n));
      const desc = new Int32Array(buf, base + 8 * n, 3 * n + 2 * h);
      desc.set(this.#desc.subarray(0, 3 * n));
      if (h > 0) desc.set(this.#hdr!.subarray(0, 2 * h), 3 * n);
      w.u8.set(this.#bytes.subarray(0, len), base + bytesOff);
      const rc = w.exports.dk_encode(
        n,
        h,
        len,
        magic,
        codec,
        o.compressionLevel ?? 0,
        0,
        0,
        o.producerId ?? -1,
        o.producerEpoch ?? -1,
        o.baseSequence ?? -1,
        o.isTransactional ? 1 : 0,
      );
      if (rc < 0) throw failureToError(w.failure(), {});
      return w.output();
    });
  }

  /**
   * The records whose index passes `keep`, in a new staging (for a batch
   * that loses some records, or is cut in two).
   *
   * @param keep which records to keep
   */
  filter(keep: (index: number) => boolean): RecordStaging {
    const out = RecordStaging.take();
    const desc = this.#desc;
    const bytes = this.#bytes;
    let p = 0;
    let h = 0;
    for (let i = 0; i < this.#n; i++) {
      const kl = desc[3 * i];
      const vl = desc[3 * i + 1];
      const hc = desc[3 * i + 2];
      const key = kl < 0 ? null : bytes.subarray(p, p + kl);
      p += Math.max(0, kl);
      const value = vl < 0 ? null : bytes.subarray(p, p + vl);
      p += Math.max(0, vl);
      let headers: [string, Uint8Array | null][] | undefined;
      if (hc > 0) {
        headers = [];
        const td = new TextDecoder();
        for (let j = 0; j < hc; j++, h++) {
          const hk = this.#hdr![2 * h];
          const hv = this.#hdr![2 * h + 1];
          const name = td.decode(bytes.subarray(p, p + hk));
          p += hk;
          headers.push([name, hv < 0 ? null : bytes.subarray(p, p + hv)]);
          p += Math.max(0, hv);
        }
      }
      if (keep(i)) out.add(key, value, this.#ts[i], headers);
    }
    return out;
  }
}

/**
 * Re-stamps an encoded RecordBatch v2 (one batch, as
 * {@linkcode RecordStaging.encode} makes it) with another producer id,
 * epoch and first sequence, in place, and recomputes its CRC-32C: a batch
 * of an idempotent producer that must be sent under a new producer id
 * keeps its (compressed) records.
 *
 * @param batch the encoded batch (changed in place)
 * @param producerId the producer id
 * @param producerEpoch the epoch
 * @param baseSequence the sequence of its first record
 *
 * @example
 * ```ts
 * import { decodeRecords, RecordStaging, rewriteProducerState } from "./mod.ts";
 * const s = RecordStaging.take();
 * s.add(null, new Uint8Array([1, 2, 3]), Date.now());
 * const b = s.encode({ magic: 2, compression: 0, producerId: 1, producerEpoch: 0, baseSequence: 0 });
 * rewriteProducerState(b, 7, 2, 40);
 * const [info] = decodeRecords(b).batches; // CRC checked
 * console.assert(info.producerId === 7 && info.producerEpoch === 2 && info.baseSequence === 40);
 * ```
 */
export function rewriteProducerState(
  batch: Uint8Array,
  producerId: number,
  producerEpoch: number,
  baseSequence: number,
): void {
  if (batch.length < 61 || batch[16] !== 2) {
    throw new RangeError("rewriteProducerState needs one RecordBatch v2");
  }
  const v = new DataView(batch.buffer, batch.byteOffset, batch.byteLength);
  v.setBigInt64(43, BigInt(producerId));
  v.setInt16(51, producerEpoch);
  v.setInt32(53, baseSequence);
  v.setUint32(17, crc32c(batch.subarray(21)));
}
