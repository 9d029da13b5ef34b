// The producer against the local Kafka 3.9 brokers: pykafka's producer
// tests (tests/pykafka/test_producer.py) adapted, plus headers, explicit
// partitions, codecs, acks, size limits, reports and streams.
import assert from "node:assert/strict";
import {
  CompressionType,
  KafkaError,
  MessageSizeTooLarge,
  ProduceFailureError,
  ProducerQueueFullError,
  ProducerStoppedException,
} from "../../mod.ts";
import {
  HashingPartitioner,
  Murmur2Partitioner,
  type PartitionerFunction,
  Producer,
  serializeUtf8,
} from "../../src/producer/mod.ts";
import type { ClusterTopic } from "../../src/cluster/mod.ts";
import {
  connect,
  dec,
  dropTopic,
  enc,
  newTopic,
  readPartition,
  readTopic,
} from "./_helpers.ts";

Deno.test("sync produce round trip (pykafka test_produce)", async () => {
  await using client = await connect();
  const topic = await newTopic(client, "prod-sync", 3);
  try {
    await using producer = topic.getSyncProducer();
    const payload = enc.encode(`test message ${crypto.randomUUID()}`);
    const msg = await producer.produce(payload);
    assert.ok(msg.offset >= 0);
    assert.equal(msg.topic, topic.name);
    assert.equal(msg.protocolVersion, 2);
    const back = await readPartition(topic, msg.partitionId, 1);
    assert.equal(back.records.length, 1);
    assert.deepEqual(back.records[0].value, payload);
    assert.equal(back.records[0].offset, msg.offset);
    assert.equal(back.records[0].timestamp, msg.timestamp);
  } finally {
    await dropTopic(client, topic.name);
  }
});

Deno.test("serializer round trip (serializeUtf8)", async () => {
  await using client = await connect();
  const topic = await newTopic(client, "prod-ser", 1);
  try {
    await using producer = topic.getSyncProducer<string | null, string>({
      serializer: serializeUtf8,
    });
    const m1 = await producer.produce("héllo wörld ✓", { partitionKey: "ké" });
    const m2 = await producer.produce(null);
    assert.deepEqual(m1.value, enc.encode("héllo wörld ✓"));
    const back = await readPartition(topic, 0, 2);
    assert.equal(dec.decode(back.records[0].value!), "héllo wörld ✓");
    assert.equal(dec.decode(back.records[0].key!), "ké");
    assert.equal(back.records[1].value, null);
    assert.equal(back.records[1].key, null);
    assert.equal(m2.offset, m1.offset + 1);
    // A serializer that returns something else is refused.
    await using bad = topic.getProducer<string, string>({
      serializer: (v) => [v as unknown as Uint8Array, null],
    });
    await assert.rejects(bad.produce("x"), TypeError);
  } finally {
    await dropTopic(client, topic.name);
  }
});

Deno.test("a 10 MB payload gives MessageSizeTooLarge; the producer goes on", async () => {
  await using client = await connect();
  const topic = await newTopic(client, "prod-10mb", 1);
  try {
    await using producer = topic.getSyncProducer();
    await assert.rejects(
      producer.produce(new Uint8Array(10 * 1024 * 1024)),
      MessageSizeTooLarge,
    );
    assert.equal(producer.stats.requests, 0);
    const ok = await producer.produce(enc.encode("small"));
    assert.ok(ok.offset >= 0);
    // Async, with reports: the report carries the error.
    await using p2 = topic.getProducer({
      deliveryReports: true,
      maxRequestSize: 1000,
    });
    const big = await p2.produce(new Uint8Array(2000));
    const [m, err] = (await p2.getDeliveryReport({ timeoutMs: 5000 }))!;
    assert.equal(m, big);
    assert.ok(err instanceof MessageSizeTooLarge);
  } finally {
    await dropTopic(client, topic.name);
  }
});

Deno.test("the broker's MESSAGE_TOO_LARGE fails only that partition's messages", async () => {
  await using client = await connect();
  const topic = await newTopic(client, "prod-toolarge", 2, 1, {
    "max.message.bytes": "20000",
  });
  try {
    await using producer = topic.getProducer({
      deliveryReports: true,
      lingerMs: 50,
      maxRequestSize: 2_000_000,
    });
    const big = await producer.produce(new Uint8Array(50_000), {
      partition: 0,
    });
    const small = await producer.produce(enc.encode("ok"), { partition: 1 });
    await producer.flush();
    const reports = new Map<unknown, Error | null>();
    for (let i = 0; i < 2; i++) {
      const [m, e] = (await producer.getDeliveryReport({ timeoutMs: 5000 }))!;
      reports.set(m, e);
    }
    assert.ok(reports.get(big) instanceof MessageSizeTooLarge);
    assert.equal(reports.get(small), null);
    assert.ok(small.offset >= 0);
    assert.equal(producer.stats.retries, 0);
  } finally {
    await dropTopic(client, topic.name);
  }
});

for (const idempotent of [false, true]) {
  Deno.test(`a batch the broker refuses as too large is split, order kept (idempotent: ${idempotent})`, async () => {
    await using client = await connect();
    const topic = await newTopic(client, "prod-split", 1, 1, {
      "max.message.bytes": "20000",
    });
    try {
      await using producer = topic.getProducer({
        deliveryReports: true,
        lingerMs: 200,
        maxRequestSize: 2_000_000,
        requiredAcks: idempotent ? -1 : 1,
        idempotent,
      });
      const sent = [];
      let big;
      for (let i = 0; i < 100; i++) {
        const value = new Uint8Array(1000).fill(65 + (i % 26));
        value.set(enc.encode(`m${i} `));
        sent.push(await producer.produce(value));
        // One record alone larger than the topic allows, mid-batch.
        if (i === 50) big = await producer.produce(new Uint8Array(50_000));
      }
      await producer.flush();
      const reports = new Map<unknown, Error | null>();
      for (let i = 0; i < 101; i++) {
        const [m, e] = (await producer.getDeliveryReport({
          timeoutMs: 10_000,
        }))!;
        reports.set(m, e);
      }
      assert.ok(reports.get(big) instanceof MessageSizeTooLarge);
      for (const m of sent) assert.equal(reports.get(m), null);
      assert.ok(producer.stats.batchSplits > 0);
      assert.equal(producer.stats.failed, 1);
      // Every small record once, in the order produced.
      const back = await readPartition(topic, 0, 100);
      assert.equal(back.records.length, 100);
      assert.deepEqual(
        back.records.map((r) => dec.decode(r.value!).split(" ")[0]),
        sent.map((_, i) => `m${i}`),
      );
      assert.deepEqual(
        back.records.map((r) => r.offset),
        sent.map((m) => m.offset),
      );
    } finally {
      await dropTopic(client, topic.name);
    }
  });
}

Deno.test("delivery reports carry offsets (pykafka test_async_produce)", async () => {
  await using client = await connect();
  const topic = await newTopic(client, "prod-reports", 3);
  try {
    await using producer = topic.getProducer({ deliveryReports: true });
    const sent = [];
    for (let i = 0; i < 300; i++) {
      sent.push(await producer.produce(enc.encode(`m${i}`)));
    }
    const seen = new Set();
    for (let i = 0; i < 300; i++) {
      const r = await producer.getDeliveryReport({
        block: true,
        timeoutMs: 10_000,
      });
      assert.ok(r);
      const [m, err] = r;
      assert.equal(err, null);
      assert.ok(m.offset >= 0);
      seen.add(m);
    }
    assert.equal(seen.size, 300);
    assert.ok(sent.every((m) => seen.has(m)));
    assert.equal(await producer.getDeliveryReport({ block: false }), null);
    assert.equal(await producer.getDeliveryReport({ timeoutMs: 20 }), null);
    // Offsets are where the records are.
    const counts = new Map<number, number>();
    for (const m of sent) {
      counts.set(m.partitionId, (counts.get(m.partitionId) ?? 0) + 1);
    }
    const back = await readTopic(topic, counts);
    for (const m of sent) {
      const r = back.get(m.partitionId)!.records.find((x) =>
        x.offset === m.offset
      )!;
      assert.deepEqual(r.value, m.value);
    }
  } finally {
    await dropTopic(client, topic.name);
  }
});

Deno.test("reports off: getDeliveryReport throws, failures surface in flush()", async () => {
  await using client = await connect();
  const topic = await newTopic(client, "prod-noreports", 1);
  try {
    await using producer = topic.getProducer({ maxRequestSize: 1000 });
    await assert.rejects(producer.getDeliveryReport(), KafkaError);
    await producer.produce(new Uint8Array(5000)); // fails: too large
    await producer.produce(enc.encode("fine"));
    const err = await producer.flush().then(() => null, (e) => e);
    assert.ok(err instanceof ProduceFailureError);
    assert.ok(err.cause instanceof MessageSizeTooLarge);
    await producer.flush(); // reported once
    assert.equal(producer.stats.delivered, 1);
    assert.equal(producer.stats.failed, 1);
  } finally {
    await dropTopic(client, topic.name);
  }
});

Deno.test("queue full with blockOnQueueFull: false throws ProducerQueueFullError", async () => {
  await using client = await connect();
  const topic = await newTopic(client, "prod-qfull", 1);
  try {
    await using producer = topic.getProducer({
      blockOnQueueFull: false,
      maxQueuedMessages: 1,
      lingerMs: 1000,
    });
    await producer.produce(enc.encode("one"));
    await assert.rejects(
      producer.produce(enc.encode("two")),
      ProducerQueueFullError,
    );
    await producer.flush();
    await producer.produce(enc.encode("three")); // room again
    // The byte bound: 600 + 600 > 1000; alone, a larger message is let in.
    await using bytes = topic.getProducer({
      blockOnQueueFull: false,
      maxQueuedBytes: 1000,
      lingerMs: 1000,
    });
    await bytes.produce(new Uint8Array(600));
    await assert.rejects(
      bytes.produce(new Uint8Array(600)),
      ProducerQueueFullError,
    );
    await bytes.produce(new Uint8Array(300));
    await bytes.flush();
    await bytes.produce(new Uint8Array(5000));
    await bytes.flush();
    assert.equal(bytes.stats.delivered, 3);
  } finally {
    await dropTopic(client, topic.name);
  }
});

Deno.test("blockOnQueueFull: produce() waits for room and keeps order", async () => {
  await using client = await connect();
  const topic = await newTopic(client, "prod-block", 1);
  try {
    await using producer = topic.getProducer({
      maxQueuedMessages: 10,
      maxQueuedBytes: 25,
      lingerMs: 20,
    });
    // 200 produce() calls at once: at most 10 messages / 25 bytes pending.
    const all = Array.from({ length: 200 }, (_, i) => {
      const p = producer.produce(enc.encode(`${i}`));
      assert.ok(producer.stats.pending <= 10);
      return p;
    });
    await Promise.all(all);
    await producer.flush();
    const back = await readPartition(topic, 0, 200);
    assert.deepEqual(
      back.records.map((r) => dec.decode(r.value!)),
      Array.from({ length: 200 }, (_, i) => `${i}`),
    );
  } finally {
    await dropTopic(client, topic.name);
  }
});

Deno.test("flush and stop deliver everything queued; await using stops", async () => {
  await using client = await connect();
  const topic = await newTopic(client, "prod-flush", 3);
  try {
    {
      await using producer = topic.getProducer({ lingerMs: 60_000 });
      for (let i = 0; i < 100; i++) await producer.produce(enc.encode(`a${i}`));
      const t0 = Date.now();
      await producer.flush();
      assert.ok(Date.now() - t0 < 10_000, "flush does not wait for linger");
      assert.equal(producer.stats.delivered, 100);
      for (let i = 0; i < 50; i++) await producer.produce(enc.encode(`b${i}`));
    } // disposed: stop() sends the 50
    const producer = topic.getProducer({ lingerMs: 60_000 });
    for (let i = 0; i < 25; i++) await producer.produce(enc.encode(`c${i}`));
    await producer.stop();
    assert.equal(producer.stats.delivered, 25);
    assert.equal(producer.running, false);
    await assert.rejects(
      producer.produce(enc.encode("late")),
      ProducerStoppedException,
    );
    await producer.start();
    await producer.produce(enc.encode("again"));
    await producer.stop();
    const latest = await topic.latestAvailableOffsets();
    assert.equal([...latest.values()].reduce((a, b) => a + b, 0), 176);
  } finally {
    await dropTopic(client, topic.name);
  }
});

Deno.test("requiredAcks 0 and -1 (pykafka test_required_acks)", async () => {
  await using client = await connect();
  const topic = await newTopic(client, "prod-acks", 2, 2);
  try {
    for (const acks of [0, -1] as const) {
      await using producer = topic.getProducer({
        requiredAcks: acks,
        deliveryReports: true,
      });
      for (let i = 0; i < 20; i++) {
        await producer.produce(enc.encode(`acks${acks}-${i}`));
      }
      await producer.flush();
      for (let i = 0; i < 20; i++) {
        const [m, e] = (await producer.getDeliveryReport({ timeoutMs: 5000 }))!;
        assert.equal(e, null);
        if (acks === 0) assert.equal(m.offset, -1);
        else assert.ok(m.offset >= 0);
      }
      assert.equal(producer.idempotent, acks === -1);
    }
    const counts = new Map([[0, 20], [1, 20]]);
    const back = await readTopic(topic, counts);
    const values = [...back.values()].flatMap((b) =>
      b.records.map((r) => dec.decode(r.value!))
    );
    assert.equal(values.length, 40);
  } finally {
    await dropTopic(client, topic.name);
  }
});

Deno.test("null and empty values stay distinct (pykafka test_null_payloads)", async () => {
  await using client = await connect();
  const topic = await newTopic(client, "prod-null", 1);
  try {
    await using producer = topic.getSyncProducer();
    await producer.produce(null);
    await producer.produce(new Uint8Array(0));
    await producer.produce(null, { partitionKey: new Uint8Array(0) });
    const back = await readPartition(topic, 0, 3);
    assert.equal(back.records[0].value, null);
    assert.deepEqual(back.records[1].value, new Uint8Array(0));
    assert.equal(back.records[2].value, null);
    assert.deepEqual(back.records[2].key, new Uint8Array(0));
    await assert.rejects(
      producer.produce("text" as unknown as Uint8Array),
      TypeError,
    );
  } finally {
    await dropTopic(client, topic.name);
  }
});

Deno.test("100 x 80 KB messages are split into requests under maxRequestSize", async () => {
  await using client = await connect();
  const topic = await newTopic(client, "prod-split", 3);
  try {
    await using producer = topic.getProducer({ lingerMs: 1000 });
    const payload = new Uint8Array(80 * 1024).fill(7);
    for (let i = 0; i < 100; i++) await producer.produce(payload);
    await producer.flush();
    const s = producer.stats;
    assert.equal(s.delivered, 100);
    assert.ok(s.largestRequestBytes <= 1_000_012, `${s.largestRequestBytes}`);
    assert.ok(s.requests >= 9, `${s.requests} requests`);
    // And with a small limit: every request under it.
    await using small = topic.getProducer({
      lingerMs: 1000,
      maxRequestSize: 200_000,
    });
    for (let i = 0; i < 20; i++) await small.produce(payload);
    await small.flush();
    assert.equal(small.stats.delivered, 20);
    assert.ok(small.stats.largestRequestBytes <= 200_000);
    assert.ok(small.stats.requests >= 10);
  } finally {
    await dropTopic(client, topic.name);
  }
});

Deno.test("every codec round trips 160 KB payloads (pykafka test_compression)", async () => {
  await using client = await connect();
  const topic = await newTopic(client, "prod-codecs", 1);
  try {
    // Text-like payload: compressible, larger than one 64 KiB LZ4 block.
    const text = Array.from(
      { length: 8000 },
      (_, i) => `{"n":${i},"word":"${(i * 7919).toString(36)}"}`,
    ).join("\n");
    const payload = enc.encode(text).slice(0, 160 * 1024);
    assert.equal(payload.length, 160 * 1024);
    const codecs = [
      CompressionType.NONE,
      CompressionType.GZIP,
      CompressionType.SNAPPY,
      CompressionType.LZ4,
      CompressionType.ZSTD,
    ];
    for (const compression of codecs) {
      await using producer = topic.getSyncProducer({ compression });
      const m = await producer.produce(payload);
      assert.equal(m.compressionType, compression);
    }
    const back = await readPartition(topic, 0, codecs.length);
    assert.deepEqual(back.batches.map((b) => b.compression), codecs);
    for (const r of back.records) assert.deepEqual(r.value, payload);
  } finally {
    await dropTopic(client, topic.name);
  }
});

Deno.test("headers, keys, timestamps and explicit partitions round trip", async () => {
  await using client = await connect();
  const topic = await newTopic(client, "prod-headers", 4);
  try {
    await using producer = topic.getProducer({ deliveryReports: true });
    const headers: [string, Uint8Array | null][] = [
      ["trace-id", enc.encode("abc")],
      ["empty", new Uint8Array(0)],
      ["null", null],
      ["ünïcode ✓", enc.encode("v")],
      ["trace-id", enc.encode("repeated key")],
    ];
    const when = new Date("2024-01-02T03:04:05.678Z");
    const m = await producer.produce(enc.encode("with headers"), {
      partitionKey: enc.encode("key"),
      headers,
      timestamp: when,
      partition: 3,
    });
    assert.equal(m.partitionId, 3);
    await producer.flush();
    const back = await readPartition(topic, 3, 1);
    const r = back.records[0];
    assert.deepEqual(r.headers, headers);
    assert.deepEqual(r.key, enc.encode("key"));
    assert.equal(r.timestamp, when.getTime());
    await assert.rejects(
      producer.produce(enc.encode("x"), { partition: 4 }),
      RangeError,
    );
    await assert.rejects(
      producer.produce(enc.encode("x"), {
        headers: [[1 as unknown as string, null]],
      }),
      TypeError,
    );
    await assert.rejects(
      producer.produce(enc.encode("x"), { timestamp: -5 }),
      RangeError,
    );
  } finally {
    await dropTopic(client, topic.name);
  }
});

Deno.test("partitioners place keys on the broker as pykafka and Java do", async () => {
  await using client = await connect();
  const topic = await newTopic(client, "prod-place", 6);
  try {
    // pykafka's SHA-1 placement over 6 partitions and Java's murmur2:
    // vectors from tests/producer/partitioners_test.ts.
    const cases: [string, number][] = [
      ["abc", 5],
      ["dummy", 5],
      ["user-42", 2],
      ["foobar", 4],
    ];
    const murmur = new Murmur2Partitioner();
    await using hashing = topic.getProducer({
      partitioner: new HashingPartitioner(),
      deliveryReports: true,
    });
    await using java = topic.getProducer({ deliveryReports: true });
    const counts = new Map<number, number>();
    for (const [key, sha1Partition] of cases) {
      const k = enc.encode(key);
      const a = await hashing.produce(enc.encode(`sha1 ${key}`), {
        partitionKey: k,
      });
      assert.equal(a.partitionId, sha1Partition, `sha1 ${key}`);
      const b = await java.produce(enc.encode(`murmur2 ${key}`), {
        partitionKey: k,
      });
      const want = murmur.partition([...topic.partitions.values()], k).id;
      assert.equal(b.partitionId, want, `murmur2 ${key}`);
      counts.set(a.partitionId, (counts.get(a.partitionId) ?? 0) + 1);
      counts.set(b.partitionId, (counts.get(b.partitionId) ?? 0) + 1);
    }
    assert.equal(
      java.stats.produced,
      4,
    );
    await hashing.flush();
    await java.flush();
    const back = await readTopic(topic, counts);
    for (const [key, sha1Partition] of cases) {
      const values = back.get(sha1Partition)!.records.map((r) =>
        dec.decode(r.value!)
      );
      assert.ok(values.includes(`sha1 ${key}`));
    }
    // Any function works, and the key reaches it.
    const lastOne: PartitionerFunction = (ps, key) => {
      assert.deepEqual(key, enc.encode("fn"));
      return ps[ps.length - 1];
    };
    await using fn = topic.getSyncProducer({ partitioner: lastOne });
    assert.equal(
      (await fn.produce(null, { partitionKey: enc.encode("fn") })).partitionId,
      5,
    );
    // A partitioner that returns something else is refused.
    await using wrong = topic.getProducer({
      partitioner: () => ({ id: 99 }) as never,
    });
    await assert.rejects(wrong.produce(null), TypeError);
  } finally {
    await dropTopic(client, topic.name);
  }
});

Deno.test("sync produce: a lost answer gives ProduceFailureError, a crashing send its error (pykafka test_sync_produce_*)", async () => {
  await using client = await connect();
  const topic = await newTopic(client, "prod-lost", 1);
  const leader = topic.partitions.get(0)!.leader;
  const send = leader.send;
  try {
    // The Produce answer never comes (pykafka stubs _send_request).
    leader.send = ((api: { name: string }, ...rest: unknown[]) =>
      api.name === "Produce"
        ? new Promise(() => {})
        : (send as (...a: unknown[]) => unknown).call(
          leader,
          api,
          ...rest,
        )) as typeof send;
    {
      await using producer = topic.getSyncProducer({ pendingTimeoutMs: 300 });
      const t0 = Date.now();
      const err = await producer.produce(enc.encode("x")).then(() =>
        null, (e) =>
        e);
      assert.ok(err instanceof ProduceFailureError, String(err));
      assert.match(err.message, /Delivery report not received after timeout/);
      assert.ok(Date.now() - t0 < 5000);
    }
    // The send itself crashes: the error reaches produce() (not retried).
    leader.send = ((api: { name: string }, ...rest: unknown[]) =>
      api.name === "Produce"
        ? Promise.reject(new RangeError("boom"))
        : (send as (...a: unknown[]) => unknown).call(
          leader,
          api,
          ...rest,
        )) as typeof send;
    {
      await using producer = topic.getSyncProducer();
      await assert.rejects(producer.produce(enc.encode("y")), RangeError);
      assert.equal(producer.stats.retries, 0);
    }
  } finally {
    leader.send = send;
    await dropTopic(client, topic.name);
  }
});

Deno.test("the report queue is bounded: the oldest reports are dropped and counted", async () => {
  await using client = await connect();
  const topic = await newTopic(client, "prod-bound", 1);
  try {
    await using producer = topic.getProducer({
      deliveryReports: true,
      maxQueuedMessages: 10,
    });
    const sent = [];
    for (let i = 0; i < 50; i++) {
      sent.push(await producer.produce(enc.encode(`${i}`)));
    }
    await producer.flush();
    assert.equal(producer.stats.droppedDeliveryReports, 40);
    const kept = [];
    let r;
    while ((r = await producer.getDeliveryReport({ block: false }))) {
      kept.push(r[0]);
    }
    assert.deepEqual(kept, sent.slice(40));
  } finally {
    await dropTopic(client, topic.name);
  }
});

Deno.test("writable stream with backpressure, and the deliveryReports() iterator", async () => {
  await using client = await connect();
  const topic = await newTopic(client, "prod-stream", 2);
  try {
    const producer = topic.getProducer({
      deliveryReports: true,
      maxQueuedMessages: 5,
    });
    const reports = (async () => {
      const got: number[] = [];
      for await (const [m, err] of producer.deliveryReports()) {
        assert.equal(err, null);
        got.push(Number(dec.decode(m.value!)));
      }
      return got;
    })();
    const source = ReadableStream.from(
      Array.from({ length: 500 }, (_, i) => ({
        value: enc.encode(`${i}`),
        partition: i % 2,
      })),
    );
    await source.pipeTo(producer.writable); // close() flushes
    assert.equal(producer.stats.delivered, 500);
    await producer.stop(); // ends the iterator
    const got = await reports;
    assert.deepEqual(
      got.sort((a, b) => a - b),
      Array.from({ length: 500 }, (_, i) => i),
    );
  } finally {
    await dropTopic(client, topic.name);
  }
});

Deno.test("options are validated in the constructor, naming the option", () => {
  const topic = {} as ClusterTopic;
  const bad: [Record<string, unknown>, typeof TypeError, RegExp][] = [
    [
      { lingerMs: "5" },
      TypeError,
      /lingerMs must be an integer .* got the string "5"/,
    ],
    [{ lingerMs: -1 }, RangeError, /lingerMs/],
    [
      { maxRetries: 1.5 },
      TypeError,
      /maxRetries must be 0 or a positive integer, got 1\.5/,
    ],
    [{ maxRetries: -1 }, RangeError, /maxRetries/],
    [{ retryBackoffMs: 0 }, RangeError, /retryBackoffMs/],
    [{ requiredAcks: 2 }, RangeError, /requiredAcks/],
    [{ compression: 9 }, RangeError, /compression/],
    [{ maxQueuedMessages: 0 }, RangeError, /maxQueuedMessages/],
    [{ minQueuedMessages: 0 }, RangeError, /minQueuedMessages/],
    [{ maxQueuedBytes: 0 }, RangeError, /maxQueuedBytes/],
    [{ maxRequestSize: 0 }, RangeError, /maxRequestSize/],
    [{ queueEmptyTimeoutMs: -2 }, RangeError, /queueEmptyTimeoutMs/],
    [{ pendingTimeoutMs: -2 }, RangeError, /pendingTimeoutMs/],
    [{ blockOnQueueFull: 1 }, TypeError, /blockOnQueueFull must be a boolean/],
    [{ sync: "yes" }, TypeError, /sync/],
    [{ partitioner: 42 }, TypeError, /partitioner/],
    [{ serializer: "utf8" }, TypeError, /serializer/],
    [{ idempotent: true, requiredAcks: 1 }, RangeError, /requiredAcks: -1/],
    [{ idempotent: true, maxInFlight: 6 }, RangeError, /maxInFlight <= 5/],
    [{ maxInFlight: 0 }, RangeError, /maxInFlight/],
    [{ batchSizeBytes: 0 }, RangeError, /batchSizeBytes/],
    [
      { lingerMs: 5, linger_ms: 5 },
      TypeError,
      /^Producer: unknown option "linger_ms" \(did you mean lingerMs\?\)/,
    ],
  ];
  for (const [options, type, message] of bad) {
    assert.throws(
      () => new Producer(topic, options),
      (e: unknown) => e instanceof type && message.test((e as Error).message),
      JSON.stringify(options),
    );
  }
  // Good options do not throw (no I/O before start).
  new Producer(topic, { autoStart: false, idempotent: true, lingerMs: 0 });
});

Deno.test("partitions added to the topic are used after a metadata update", async () => {
  await using client = await connect();
  const topic = await newTopic(client, "prod-grow", 2);
  try {
    await using producer = topic.getProducer({ deliveryReports: true });
    for (let i = 0; i < 4; i++) await producer.produce(enc.encode(`a${i}`));
    await client.createPartitions([{ topic: topic.name, count: 4 }]);
    await client.updateCluster();
    assert.equal(topic.partitions.size, 4);
    const ids = new Set<number>();
    for (let i = 0; i < 8; i++) {
      ids.add((await producer.produce(enc.encode(`b${i}`))).partitionId);
    }
    assert.deepEqual([...ids].sort(), [0, 1, 2, 3]);
    const m = await producer.produce(enc.encode("to 3"), { partition: 3 });
    await producer.flush();
    assert.ok(m.offset >= 0);
    assert.equal(producer.stats.delivered, 13);
  } finally {
    await dropTopic(client, topic.name);
  }
});
