import assert from "node:assert/strict";
import fc from "npm:fast-check@4.10.2";
import {
  CompressionType,
  decodeRecords,
  encodeRecords,
  type RecordInput,
  RecordStaging,
  rewriteProducerState,
} from "./mod.ts";

const bytes = fc.option(fc.uint8Array({ maxLength: 300 }), { nil: null });
const record = fc.record({
  key: bytes,
  value: bytes,
  timestamp: fc.integer({ min: 0, max: 2 ** 45 }),
  headers: fc.array(
    fc.tuple(fc.string({ maxLength: 8 }), bytes),
    { maxLength: 3 },
  ),
});

Deno.test("RecordStaging encodes exactly what encodeRecords encodes (property)", () => {
  fc.assert(
    fc.property(
      fc.array(record, { minLength: 1, maxLength: 300 }),
      fc.constantFrom(0, 1, 2, 3, 4) as fc.Arbitrary<CompressionType>,
      fc.boolean(),
      (records: RecordInput[], compression, transactional) => {
        const s = RecordStaging.take();
        for (const r of records) {
          s.add(r.key, r.value, r.timestamp!, r.headers);
        }
        const o = {
          magic: 2 as const,
          compression,
          producerId: 5,
          producerEpoch: 1,
          baseSequence: 10,
          isTransactional: transactional,
        };
        const staged = s.encode(o);
        // Same bytes as the one-shot encoder, but for the batch's CRC and
        // compressed bytes, which are equal too: the encoder is the same.
        const direct = encodeRecords({ records, ...o });
        assert.deepEqual(staged, direct);
        // The halves of a split keep their records.
        const half = records.length >> 1;
        const first = s.filter((i) => i < half);
        const second = s.filter((i) => i >= half);
        assert.equal(first.count + second.count, records.length);
        if (half > 0) {
          const back = decodeRecords(first.encode(o)).records;
          assert.deepEqual(
            back.map((r) => [r.key, r.value, r.timestamp, r.headers]),
            records.slice(0, half).map((r) => [
              r.key,
              r.value,
              r.timestamp,
              r.headers,
            ]),
          );
        }
        // Staged again from the encoded bytes: the same batch.
        const again = RecordStaging.fromEncoded(staged);
        assert.deepEqual(again.encode(o), staged);
        for (const x of [s, first, second, again]) x.release();
      },
    ),
    { numRuns: 150 },
  );
});

Deno.test("RecordStaging: MessageSet v0/v1, and what they cannot hold", () => {
  const s = RecordStaging.take();
  s.add(null, new Uint8Array([1]), 1000);
  s.add(new Uint8Array([2]), null, 1001);
  const v1 = decodeRecords(s.encode({ magic: 1, compression: 2 })).records;
  assert.deepEqual(v1.map((r) => [r.magic, r.timestamp]), [[1, 1000], [
    1,
    1001,
  ]]);
  assert.throws(
    () => s.encode({ magic: 0, compression: CompressionType.ZSTD }),
    RangeError,
  );
  s.add(null, null, 1002, [["h", null]]);
  assert.ok(s.hasHeaders(2) && !s.hasHeaders(1));
  assert.throws(() => s.encode({ magic: 1, compression: 0 }), RangeError);
  const kept = s.filter((i) => !s.hasHeaders(i));
  assert.equal(kept.count, 2);
  s.clear();
  assert.throws(() => s.encode({ magic: 2, compression: 0 }), RangeError);
  s.release();
  kept.release();
});

Deno.test("rewriteProducerState re-stamps a compressed batch; the CRC still checks", () => {
  const s = RecordStaging.take();
  for (let i = 0; i < 500; i++) {
    s.add(null, new TextEncoder().encode(`value ${i}`), 1_700_000_000_000 + i);
  }
  const b = s.encode({
    magic: 2,
    compression: CompressionType.LZ4,
    producerId: 1,
    producerEpoch: 0,
    baseSequence: 0,
    isTransactional: true,
  });
  rewriteProducerState(b, 2 ** 40, 3, 2_000_000_000);
  const d = decodeRecords(b); // verifies the CRC
  assert.equal(d.records.length, 500);
  assert.equal(d.batches[0].producerId, 2 ** 40);
  assert.equal(d.batches[0].producerEpoch, 3);
  assert.equal(d.batches[0].baseSequence, 2_000_000_000);
  assert.equal(d.batches[0].isTransactional, true);
  assert.throws(
    () => rewriteProducerState(s.encode({ magic: 1, compression: 0 }), 1, 1, 1),
    RangeError,
  );
  s.release();
});

Deno.test("RecordStaging keeps every record's bytes when its headers grow the buffer", () => {
  // Small records with a header: the buffer grows while a record's header
  // is staged, after its key and value were copied (they must survive).
  const te = new TextEncoder();
  const td = new TextDecoder();
  const s = RecordStaging.take();
  const n = 5_000;
  for (let i = 0; i < n; i++) {
    s.add(
      te.encode(`user-${i % 100}`),
      te.encode(`hello #${i}`),
      1_700_000_000_000 + i,
      [[
        "source",
        te.encode("demo"),
      ]],
    );
  }
  for (const compression of [CompressionType.NONE, CompressionType.LZ4]) {
    const { records } = decodeRecords(s.encode({ magic: 2, compression }));
    assert.equal(records.length, n);
    records.forEach((r, i) => {
      assert.equal(td.decode(r.value!), `hello #${i}`);
      assert.equal(td.decode(r.key!), `user-${i % 100}`);
      assert.deepEqual(r.headers.map(([k, v]) => [k, td.decode(v!)]), [[
        "source",
        "demo",
      ]]);
    });
  }
  s.release();
});
