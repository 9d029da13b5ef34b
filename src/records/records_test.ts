import assert from "node:assert/strict";
import fc from "npm:fast-check@4.10.2";
import {
  CompressionType,
  crc32c,
  decodeMessages,
  decodeRecords,
  encodeRecords,
  type RecordInput,
  TimestampType,
} from "./mod.ts";
import {
  CorruptRecordError,
  KafkaError,
  UnsupportedCompressionType,
} from "../errors/mod.ts";

const enc = new TextEncoder();
const CODECS = [0, 1, 2, 3, 4] as const;

function same(a: Uint8Array | null, b: Uint8Array | null | undefined): boolean {
  if (a === null || b === null || b === undefined) return a === (b ?? null);
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const bytesArb = fc.option(fc.uint8Array({ maxLength: 300 }), {
  nil: null,
  freq: 5,
});
const recordArb = fc.record({
  key: bytesArb,
  value: bytesArb,
  headers: fc.array(
    fc.tuple(fc.string({ unit: "grapheme", maxLength: 12 }), bytesArb),
    {
      maxLength: 3,
    },
  ),
  timestamp: fc.integer({ min: 0, max: 2 ** 50 }),
});

Deno.test("encodeRecords/decodeRecords round-trip every magic and codec (property)", () => {
  fc.assert(
    fc.property(
      fc.array(recordArb, { minLength: 1, maxLength: 40 }),
      fc.constantFrom(0, 1, 2),
      fc.constantFrom(...CODECS),
      fc.integer({ min: 0, max: 2 ** 40 }),
      (recs, magic, codec, baseOffset) => {
        if (magic < 2 && codec === 4) codec = 3;
        const records: RecordInput[] = recs.map((r) => ({
          ...r,
          headers: magic === 2 ? r.headers : undefined,
        }));
        const bytes = encodeRecords({
          magic: magic as 0 | 1 | 2,
          compression: codec,
          baseOffset,
          records,
        });
        const out = decodeRecords(bytes, { topic: "t", partition: 1 });
        assert.equal(out.records.length, records.length);
        assert.equal(out.nextOffset, baseOffset + records.length);
        assert.equal(out.bytesConsumed, bytes.length);
        assert.equal(out.partialBatch, false);
        out.records.forEach((d, i) => {
          const r = records[i];
          assert.equal(d.offset, baseOffset + i);
          assert.equal(d.timestamp, magic === 0 ? -1 : r.timestamp);
          assert.equal(
            d.timestampType,
            magic === 0
              ? TimestampType.NO_TIMESTAMP_TYPE
              : TimestampType.CREATE_TIME,
          );
          assert.ok(same(d.key, r.key), "key");
          assert.ok(same(d.value, r.value), "value");
          assert.equal(d.magic, magic);
          assert.equal(d.compression, codec);
          assert.deepEqual(
            d.headers.map(([k, v]) => [k, v && Array.from(v)]),
            (r.headers ?? []).map(([k, v]) => [k, v && Array.from(v)]),
          );
        });
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("encodeRecords writes the v2 batch header fields", () => {
  const bytes = encodeRecords({
    baseOffset: 7,
    producerId: 123456789,
    producerEpoch: 4,
    baseSequence: 99,
    isTransactional: true,
    compression: CompressionType.SNAPPY,
    timestamp: 1_700_000_000_000,
    records: [{ key: null, value: enc.encode("a") }, {
      key: null,
      value: enc.encode("b"),
      timestamp: 1_700_000_000_500,
    }],
  });
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  assert.equal(dv.getBigInt64(0), 7n);
  assert.equal(dv.getInt32(8), bytes.length - 12);
  assert.equal(dv.getInt32(12), -1);
  assert.equal(bytes[16], 2);
  assert.equal(dv.getInt16(21), 0x10 | 2);
  assert.equal(dv.getInt32(23), 1);
  assert.equal(dv.getBigInt64(27), 1_700_000_000_000n);
  assert.equal(dv.getBigInt64(35), 1_700_000_000_500n);
  assert.equal(dv.getBigInt64(43), 123456789n);
  assert.equal(dv.getInt16(51), 4);
  assert.equal(dv.getInt32(53), 99);
  assert.equal(dv.getInt32(57), 2);
  const { batches, records } = decodeRecords(bytes);
  assert.equal(records[0].timestamp, 1_700_000_000_000);
  assert.deepEqual(batches[0], {
    baseOffset: 7,
    lastOffset: 8,
    magic: 2,
    compression: CompressionType.SNAPPY,
    timestampType: TimestampType.CREATE_TIME,
    baseTimestamp: 1_700_000_000_000,
    maxTimestamp: 1_700_000_000_500,
    isTransactional: true,
    isControl: false,
    controlType: -1,
    producerId: 123456789,
    producerEpoch: 4,
    baseSequence: 99,
    partitionLeaderEpoch: -1,
    recordCount: 2,
    firstRecord: 0,
    decodedRecords: 2,
    bytePosition: 0,
  });
});

Deno.test("encodeRecords uses Date.now() for records without a timestamp", () => {
  const before = Date.now();
  const { records } = decodeRecords(
    encodeRecords({ records: [{ key: null, value: null }] }),
  );
  assert.ok(
    records[0].timestamp >= before && records[0].timestamp <= Date.now(),
  );
  assert.equal(records[0].value, null);
});

Deno.test("encodeRecords rejects bad input with TypeError/RangeError", () => {
  const one = [{ key: null, value: null }];
  assert.throws(() => encodeRecords({ records: [] }), RangeError);
  assert.throws(
    () => encodeRecords({ records: one, magic: 3 as 2 }),
    RangeError,
  );
  assert.throws(
    () => encodeRecords({ records: one, compression: 7 as 4 }),
    RangeError,
  );
  assert.throws(
    () =>
      encodeRecords({
        records: one,
        magic: 1,
        compression: CompressionType.ZSTD,
      }),
    /zstd needs magic 2/,
  );
  assert.throws(
    () =>
      encodeRecords({
        records: [{ key: null, value: null, headers: [["h", null]] }],
        magic: 0,
      }),
    /headers need magic 2/,
  );
  assert.throws(
    () =>
      encodeRecords({
        records: [{ key: "k" as unknown as Uint8Array, value: null }],
      }),
    TypeError,
  );
  assert.throws(
    () =>
      encodeRecords({
        records: [{ key: null, value: null, timestamp: 2 ** 60 }],
      }),
    /timestamp is not a safe integer/,
  );
  assert.throws(
    () => encodeRecords({ records: one, baseOffset: -1 }),
    RangeError,
  );
  assert.throws(
    () => encodeRecords({ records: one, producerEpoch: 40000 }),
    RangeError,
  );
});

Deno.test("decodeRecords: a flipped bit is a CorruptRecordError naming topic, partition and offset", () => {
  for (const magic of [0, 1, 2] as const) {
    for (const compression of [0, 3] as const) {
      const bytes = encodeRecords({
        magic,
        compression,
        baseOffset: 1000,
        records: Array.from(
          { length: 10 },
          (_, i) => ({ key: null, value: enc.encode(`v${i}`) }),
        ),
      });
      const bad = bytes.slice();
      bad[bad.length - 2] ^= 0x10;
      const err = assert.throws(
        () => decodeRecords(bad, { topic: "orders", partition: 3 }),
        (e: unknown) => {
          assert.ok(e instanceof CorruptRecordError, String(e));
          assert.equal(e.topic, "orders");
          assert.equal(e.partition, 3);
          assert.equal(
            e.offset,
            magic === 2 ? 1000 : compression ? 1009 : 1009,
          );
          assert.match(
            e.message,
            /CRC-32C? does not match.*topic orders, partition 3, offset 10/,
          );
          assert.equal(e.retriable, false);
          return true;
        },
      );
      void err;
      // Without CRC verification the flipped payload byte goes unnoticed.
      if (compression === 0) {
        assert.equal(
          decodeRecords(bad, { verifyCrc: false }).records.length,
          10,
        );
      }
    }
  }
});

Deno.test("decodeRecords ignores a truncated trailing batch and reports the next offset", () => {
  const a = encodeRecords({
    baseOffset: 0,
    records: [{ key: null, value: enc.encode("a") }],
  });
  const b = encodeRecords({
    baseOffset: 1,
    compression: CompressionType.GZIP,
    records: [{ key: null, value: enc.encode("b") }, {
      key: null,
      value: enc.encode("c"),
    }],
  });
  const all = new Uint8Array([...a, ...b]);
  for (let cut = a.length; cut < all.length; cut++) {
    const out = decodeRecords(all.subarray(0, cut));
    assert.equal(out.records.length, 1);
    assert.equal(out.nextOffset, 1);
    assert.equal(out.partialBatch, cut > a.length);
    assert.equal(out.bytesConsumed, a.length);
  }
  const full = decodeRecords(all);
  assert.deepEqual(full.records.map((r) => r.offset), [0, 1, 2]);
  assert.equal(full.nextOffset, 3);
  const none = decodeRecords(all.subarray(0, 30));
  assert.deepEqual([none.records.length, none.nextOffset, none.partialBatch], [
    0,
    null,
    true,
  ]);
  const empty = decodeRecords(new Uint8Array(0));
  assert.deepEqual(
    [empty.records.length, empty.nextOffset, empty.partialBatch],
    [0, null, false],
  );
});

Deno.test("decodeRecords: minOffset filters, control batches are skipped unless asked for", () => {
  const data = encodeRecords({
    baseOffset: 10,
    records: Array.from(
      { length: 5 },
      (_, i) => ({ key: null, value: enc.encode(`${i}`) }),
    ),
  });
  // A COMMIT marker batch at offset 15: key (version 0, type 1), control + transactional bits.
  const marker = encodeRecords({
    baseOffset: 15,
    isTransactional: true,
    producerId: 9,
    records: [{
      key: new Uint8Array([0, 0, 0, 1]),
      value: new Uint8Array([0, 0, 0, 0, 0, 3]),
    }],
  });
  marker[22] |= 0x20;
  new DataView(marker.buffer).setUint32(17, crc32c(marker.subarray(21)));
  const all = new Uint8Array([...data, ...marker]);
  const out = decodeRecords(all, { minOffset: 12 });
  assert.deepEqual(out.records.map((r) => r.offset), [12, 13, 14]);
  assert.equal(out.nextOffset, 16);
  assert.equal(out.batches[1].isControl, true);
  assert.equal(out.batches[1].controlType, 1);
  assert.equal(out.batches[1].decodedRecords, 0);
  assert.equal(out.records.some((r) => r.isControl), false);
  const withControl = decodeRecords(all, { includeControlRecords: true });
  assert.equal(withControl.records.length, 6);
  assert.equal(withControl.records[5].isControl, true);
  assert.equal(withControl.records[0].isControl, undefined);
});

Deno.test("decodeRecords: a zip bomb is an error, not an out-of-memory crash", () => {
  const zeros = new Uint8Array(32 * 1024 * 1024);
  for (const compression of [1, 2, 3, 4] as const) {
    const bytes = encodeRecords({
      compression,
      records: [{ key: null, value: zeros }],
    });
    assert.ok(bytes.length < 2 * 1024 * 1024);
    assert.throws(
      () =>
        decodeRecords(bytes, {
          maxDecompressedBytes: 1024 * 1024,
          topic: "z",
          partition: 0,
        }),
      (e: unknown) =>
        e instanceof CorruptRecordError &&
        /exceeds maxDecompressedBytes \(1048576 bytes\)/.test(e.message) &&
        e.offset === 0,
    );
    assert.equal(decodeRecords(bytes).records[0].value!.length, zeros.length);
  }
});

Deno.test("decodeRecords: an unknown codec id is UnsupportedCompressionType", () => {
  const bytes = encodeRecords({
    records: [{ key: null, value: enc.encode("x") }],
  });
  bytes[22] |= 6;
  new DataView(bytes.buffer).setUint32(17, crc32c(bytes.subarray(21)));
  assert.throws(
    () => decodeRecords(bytes, { topic: "t" }),
    UnsupportedCompressionType,
  );
});

function mutate(b: Uint8Array, seed: number[]): Uint8Array {
  const out = b.slice();
  for (let i = 0; i + 1 < seed.length; i += 2) {
    out[seed[i] % out.length] = seed[i + 1];
  }
  return out;
}

Deno.test("decodeRecords never crashes on random or mutated input (fast-check)", () => {
  const seeds = [0, 1, 2].flatMap((magic) =>
    CODECS.filter((c) => magic === 2 || c !== 4).map((compression) =>
      encodeRecords({
        magic: magic as 0 | 1 | 2,
        compression,
        records: Array.from({ length: 20 }, (_, i) => ({
          key: enc.encode(`k${i}`),
          value: enc.encode(`value ${i} `.repeat(i)),
          headers: magic === 2
            ? [["h", enc.encode("x")] as [string, Uint8Array]]
            : undefined,
        })),
      })
    )
  );
  const check = (bytes: Uint8Array, verifyCrc: boolean) => {
    try {
      const out = decodeRecords(bytes, {
        verifyCrc,
        maxDecompressedBytes: 1 << 22,
      });
      assert.ok(out.bytesConsumed <= bytes.length);
      for (const r of out.records) {
        assert.ok(Number.isSafeInteger(r.offset));
        if (r.value) assert.ok(r.value.length <= 1 << 22);
      }
    } catch (e) {
      if (!(e instanceof KafkaError)) throw e;
      assert.ok(!/trapped/.test(e.message), e.message);
    }
  };
  fc.assert(
    fc.property(
      fc.nat(seeds.length - 1),
      fc.array(fc.nat(), { minLength: 2, maxLength: 16 }),
      fc.boolean(),
      fc.nat(),
      (i, seed, verifyCrc, cut) => {
        const m = mutate(seeds[i], seed);
        check(m, verifyCrc);
        check(m.subarray(0, cut % (m.length + 1)), verifyCrc);
      },
    ),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 400 }),
      fc.boolean(),
      (bytes, v) => check(bytes, v),
    ),
    { numRuns: 1000 },
  );
  // the module is still healthy afterwards
  assert.equal(decodeRecords(seeds[0]).records.length, 20);
});

Deno.test("decodeMessages gives the same records as decodeRecords, as Messages of the topic and partition", () => {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  let base = 100;
  for (
    const [magic, compression] of [
      [2, CompressionType.LZ4],
      [1, CompressionType.GZIP],
      [2, CompressionType.NONE],
      [0, CompressionType.SNAPPY],
    ] as const
  ) {
    const records: RecordInput[] = Array.from({ length: 5 }, (_, i) => ({
      key: i % 2 === 0 ? enc.encode(`k${i}`) : null,
      value: i === 3 ? null : enc.encode(`v${base + i}`),
      headers: magic === 2 ? [["h", enc.encode(`${i}`)]] : undefined,
      timestamp: magic === 0 ? undefined : 1_700_000_000_000 + i,
    }));
    parts.push(
      encodeRecords({ records, magic, compression, baseOffset: base }),
    );
    base += 5;
  }
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  const opts = { minOffset: 103 };
  const r = decodeRecords(bytes, opts);
  const m = decodeMessages(bytes, { ...opts, topic: "t", partition: 4 });
  assert.equal(m.messages.length, r.records.length);
  assert.equal(m.messages.length, 17);
  assert.equal(m.nextOffset, r.nextOffset);
  assert.deepEqual(m.batches, r.batches);
  for (let i = 0; i < r.records.length; i++) {
    const a = r.records[i];
    const b = m.messages[i];
    assert.equal(b.topic, "t");
    assert.equal(b.partitionId, 4);
    assert.equal(b.offset, a.offset);
    assert.equal(b.timestamp, a.timestamp);
    assert.equal(b.timestampType, a.timestampType);
    assert.deepEqual(b.partitionKey, a.key);
    assert.deepEqual(b.value, a.value);
    assert.deepEqual(b.headers, a.headers);
    assert.equal(b.compressionType, a.compression);
    assert.equal(b.protocolVersion, a.magic);
  }
});
