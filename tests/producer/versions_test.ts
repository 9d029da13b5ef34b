// The producer on Kafka 4.x (KRaft; Produce v3+ only, topic ids in
// Produce v13), idempotence on both clusters, and legacy mode
// (`brokerVersion: "0.9.0"` / `"0.10.0"`: MessageSet v0 / v1) against 3.9.
import assert from "node:assert/strict";
import {
  CompressionType,
  UnsupportedCompressionType,
  UnsupportedFeatureError,
  UnsupportedForMessageFormat,
} from "../../mod.ts";
import { Produce } from "../../src/protocol/mod.ts";
import {
  connect,
  dec,
  dropTopic,
  enc,
  newTopic,
  readPartition,
  readTopic,
} from "./_helpers.ts";

Deno.test("Kafka 4.x KRaft: sync, async, idempotent, zstd, headers", async () => {
  await using client = await connect("kafka4");
  const topic = await newTopic(client, "prod-k4", 2);
  try {
    assert.ok(topic.topicId !== undefined);
    const leader = topic.partitions.get(0)!.leader;
    assert.ok((await leader.apiVersion(Produce)) >= 9);
    await using sync = topic.getSyncProducer({
      compression: CompressionType.ZSTD,
    });
    const m = await sync.produce(enc.encode("zstd on 4.x"), {
      partition: 0,
      headers: [["h", enc.encode("v")]],
    });
    assert.ok(m.offset >= 0);
    await using idem = topic.getProducer({
      requiredAcks: -1,
      deliveryReports: true,
      compression: CompressionType.LZ4,
    });
    for (let i = 0; i < 1000; i++) {
      await idem.produce(enc.encode(`i${i}`), { partition: i % 2 });
    }
    await idem.flush();
    assert.equal(idem.idempotent, true);
    assert.equal(idem.stats.delivered, 1000);
    const back = await readTopic(topic, new Map([[0, 501], [1, 500]]));
    const p0 = back.get(0)!;
    assert.equal(dec.decode(p0.records[0].value!), "zstd on 4.x");
    assert.deepEqual(p0.records[0].headers, [["h", enc.encode("v")]]);
    const idemBatches = [...back.values()].flatMap((b) => b.batches).filter(
      (b) => b.producerId >= 0,
    );
    assert.ok(idemBatches.length >= 2);
    // Sequences start at 0 per partition and follow each other.
    for (const p of [0, 1]) {
      const bs = back.get(p)!.batches.filter((b) => b.producerId >= 0);
      let seq = 0;
      for (const b of bs) {
        assert.equal(b.baseSequence, seq);
        seq += b.recordCount;
      }
      assert.equal(seq, 500);
    }
    assert.deepEqual(
      back.get(1)!.records.map((r) => dec.decode(r.value!)),
      Array.from({ length: 500 }, (_, i) => `i${2 * i + 1}`),
    );
  } finally {
    await dropTopic(client, topic.name);
  }
});

Deno.test("idempotent on 3.9 with RF 2: producer id, sequences, exactly once", async () => {
  await using client = await connect("kafka39");
  const topic = await newTopic(client, "prod-idem39", 3, 2);
  try {
    await using producer = topic.getProducer({
      idempotent: true,
      lingerMs: 2,
      batchSizeBytes: 4096,
    });
    assert.equal(producer.idempotent, false); // not known before start ends
    await producer.start();
    assert.equal(producer.idempotent, true);
    const n = 5000;
    for (let i = 0; i < n; i++) {
      await producer.produce(enc.encode(`${i}`), { partition: i % 3 });
    }
    await producer.flush();
    assert.equal(producer.stats.delivered, n);
    const counts = new Map([[0, 1667], [1, 1667], [2, 1666]]);
    const back = await readTopic(topic, counts);
    for (const [p, rb] of back) {
      const values = rb.records.map((r) => Number(dec.decode(r.value!)));
      assert.deepEqual(values, values.map((_, i) => p + 3 * i));
      assert.ok(rb.batches.every((b) => b.producerId >= 0));
      assert.equal(new Set(rb.batches.map((b) => b.producerId)).size, 1);
    }
  } finally {
    await dropTopic(client, topic.name);
  }
});

Deno.test("legacy mode brokerVersion 0.9.0 against 3.9: MessageSet v0", async () => {
  await using admin = await connect("kafka39");
  const topic0 = await newTopic(admin, "prod-legacy", 2);
  try {
    await using client = await connect("kafka39", { brokerVersion: "0.9.0" });
    const topic = await client.topics.get(topic0.name);
    assert.ok((await topic.partitions.get(0)!.leader.apiVersion(Produce)) <= 1);
    await using producer = topic.getSyncProducer({
      compression: CompressionType.GZIP,
    });
    const m = await producer.produce(enc.encode("legacy v0"), {
      partitionKey: enc.encode("k"),
      partition: 0,
    });
    assert.equal(m.protocolVersion, 0);
    assert.equal(m.timestamp, -1);
    assert.ok(m.offset >= 0);
    await producer.produce(null, { partition: 0 });
    // No headers in MessageSet v0/v1; no zstd before Produce v7.
    await assert.rejects(
      producer.produce(enc.encode("h"), { headers: [["a", null]] }),
      UnsupportedForMessageFormat,
    );
    await using zstd = topic.getSyncProducer({
      compression: CompressionType.ZSTD,
    });
    await assert.rejects(
      zstd.produce(enc.encode("z")),
      UnsupportedCompressionType,
    );
    // Idempotence needs 0.11+: refused when asked for, off when automatic.
    await using idem = topic.getProducer({
      idempotent: true,
      autoStart: false,
    });
    await assert.rejects(idem.start(), UnsupportedFeatureError);
    await assert.rejects(
      idem.produce(enc.encode("x")),
      UnsupportedFeatureError,
    );
    await using auto = topic.getSyncProducer({ requiredAcks: -1 });
    await auto.produce(enc.encode("acks -1, v0"), { partition: 0 });
    assert.equal(auto.idempotent, false);

    const back = await readPartition(topic0, 0, 3);
    assert.deepEqual(
      back.records.map((r) => r.value === null ? null : dec.decode(r.value)),
      ["legacy v0", null, "acks -1, v0"],
    );
    assert.deepEqual(back.records[0].key, enc.encode("k"));
  } finally {
    await dropTopic(admin, topic0.name);
  }
});

Deno.test("legacy mode brokerVersion 0.10.0: MessageSet v1 with timestamps", async () => {
  await using admin = await connect("kafka39");
  const topic0 = await newTopic(admin, "prod-legacy1", 1);
  try {
    await using client = await connect("kafka39", { brokerVersion: "0.10.0" });
    const topic = await client.topics.get(topic0.name);
    await using producer = topic.getProducer({
      compression: CompressionType.LZ4,
      deliveryReports: true,
    });
    const ts = 1_600_000_000_000;
    for (let i = 0; i < 100; i++) {
      await producer.produce(enc.encode(`v1-${i}`), { timestamp: ts + i });
    }
    await producer.flush();
    const [m, err] = (await producer.getDeliveryReport())!;
    assert.equal(err, null);
    assert.equal(m.protocolVersion, 1);
    const back = await readPartition(topic0, 0, 100);
    assert.deepEqual(
      back.records.map((r) => [dec.decode(r.value!), r.timestamp]),
      Array.from({ length: 100 }, (_, i) => [`v1-${i}`, ts + i]),
    );
  } finally {
    await dropTopic(admin, topic0.name);
  }
});
