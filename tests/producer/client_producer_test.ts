// The client-wide produce engine: a client-level producer writing to three
// topics sends one Produce request per broker carrying all three (counted
// on the wire) under one producer id; topic producers with the same
// options share the engine; produceBatch (the low-overhead path); order
// while a topic is looked up.
import assert from "node:assert/strict";
import { InitProducerId, Produce } from "../../src/protocol/mod.ts";
import {
  KafkaError,
  MessageSizeTooLarge,
  ProduceFailureError,
  ProducerQueueFullError,
  ProducerStoppedException,
} from "../../mod.ts";
import type { Topic } from "../../src/client/mod.ts";
import {
  connect,
  dec,
  dropTopic,
  enc,
  newTopic,
  readPartition,
  readTopic,
} from "./_helpers.ts";
import { WireCounter } from "./_wire_counter.ts";

/** The broker ids leading a topic's partitions. */
function leaders(t: Topic): Set<number> {
  return new Set([...t.partitions.values()].map((p) => p.leaderId));
}

Deno.test("client producer: three topics, one Produce request per broker carrying all three, one producer id", async () => {
  const wire = new WireCounter();
  await using client = await connect("kafka39", { transport: wire.transport });
  const topics = [
    await newTopic(client, "engine-a", 2),
    await newTopic(client, "engine-b", 2),
    await newTopic(client, "engine-c", 2),
  ];
  try {
    const brokers = leaders(topics[0]);
    for (const t of topics) {
      for (const b of leaders(t)) brokers.add(b);
    }
    await using producer = client.getProducer({
      requiredAcks: -1, // idempotent: one producer id
      lingerMs: 60_000, // everything waits for flush()
      deliveryReports: true,
    });
    await producer.start();
    assert.equal(producer.idempotent, true);
    // Three ways to name the topic: a name, a topic, a batch of records.
    for (let p = 0; p < 2; p++) {
      for (let i = 0; i < 10; i++) {
        await producer.produce(topics[0].name, enc.encode(`a${p}-${i}`), {
          partition: p,
        });
        await producer.produce(topics[1], enc.encode(`b${p}-${i}`), {
          partition: p,
        });
      }
    }
    await producer.produceBatch(
      Array.from({ length: 20 }, (_, i) => ({
        topic: topics[2].name,
        value: enc.encode(`c${i % 2}-${i >> 1}`),
        partition: i % 2,
      })),
    );
    const from = wire.requests.length;
    await producer.flush();
    const produces = wire.of(Produce.apiKey, from);
    // One request per leader broker, each with the topics it leads.
    assert.equal(
      produces.length,
      brokers.size,
      `${produces.length} Produce requests for ${brokers.size} brokers`,
    );
    assert.equal(new Set(produces.map((r) => r.port)).size, brokers.size);
    for (const r of produces) {
      for (const t of topics) {
        assert.ok(
          WireCounter.mentions(r, t.name),
          `the request to port ${r.port} carries ${t.name}`,
        );
      }
    }
    // (InitProducerId may be retried on a busy cluster: the ids in the log
    // below are what count.)
    assert.ok(wire.of(InitProducerId.apiKey).length >= 1);
    assert.equal(producer.stats.producerIdResets, 0);
    assert.equal(producer.stats.requests, brokers.size);
    assert.equal(producer.stats.delivered, 60);
    // Everything back, in order, under one producer id.
    const ids = new Set<number>();
    for (const [k, t] of topics.entries()) {
      const back = await readTopic(t, new Map([[0, 10], [1, 10]]));
      for (const [p, rb] of back) {
        assert.deepEqual(
          rb.records.map((r) => dec.decode(r.value!)),
          Array.from({ length: 10 }, (_, i) => `${"abc"[k]}${p}-${i}`),
        );
        for (const b of rb.batches) ids.add(b.producerId);
      }
    }
    assert.equal(ids.size, 1);
    assert.ok([...ids][0] >= 0);
    // Every report names its topic and offset.
    let reports = 0;
    for (;;) {
      const r = await producer.getDeliveryReport({ block: false });
      if (r === null) break;
      assert.equal(r[1], null);
      assert.ok(topics.some((t) => t.name === r[0].topic));
      assert.ok(r[0].offset >= 0);
      reports++;
    }
    assert.equal(reports, 60);
  } finally {
    for (const t of topics) await dropTopic(client, t.name);
  }
});

Deno.test("topic producers with the same options share one engine: one request per broker, one producer id", async () => {
  const wire = new WireCounter();
  await using client = await connect("kafka39", { transport: wire.transport });
  const t1 = await newTopic(client, "engine-share1", 2);
  const t2 = await newTopic(client, "engine-share2", 2);
  try {
    const opts = { requiredAcks: -1 as const, lingerMs: 60_000 };
    await using p1 = t1.getProducer(opts);
    await using p2 = t2.getProducer(opts);
    // Other options: another engine (another producer id).
    await using p3 = t1.getProducer({ ...opts, lingerMs: 59_000 });
    await Promise.all([p1.start(), p2.start(), p3.start()]);
    for (let i = 0; i < 10; i++) {
      await p1.produce(enc.encode(`one${i}`), { partition: i % 2 });
      await p2.produce(enc.encode(`two${i}`), { partition: i % 2 });
    }
    await p3.produce(enc.encode("three"), { partition: 0 });
    const from = wire.requests.length;
    await p1.flush(); // sends what both queued
    const brokers = new Set([...leaders(t1), ...leaders(t2)]);
    const produces = wire.of(Produce.apiKey, from);
    assert.equal(produces.length, brokers.size);
    for (const r of produces) {
      assert.ok(WireCounter.mentions(r, t1.name));
      assert.ok(WireCounter.mentions(r, t2.name));
    }
    assert.equal(p1.stats.delivered, 10);
    assert.equal(p2.stats.delivered, 10);
    assert.equal(p2.stats.pending, 0);
    assert.equal(p3.stats.pending, 1);
    const three = await p3.produce(enc.encode("three-2"), { partition: 1 });
    await p3.flush();
    const ids = new Set<number>();
    let p3Id = -2;
    for (const t of [t1, t2]) {
      for (const p of [0, 1]) {
        const rb = await readPartition(t, p, t === t1 ? 6 : 5);
        for (const b of rb.batches) {
          const values = rb.records.filter((r) =>
            r.offset >= b.baseOffset && r.offset <= b.lastOffset
          ).map((r) => dec.decode(r.value!));
          if (values.some((v) => v.startsWith("three"))) p3Id = b.producerId;
          else ids.add(b.producerId);
        }
      }
    }
    assert.ok(three.offset >= 0);
    assert.equal(ids.size, 1, "p1 and p2 write under one producer id");
    assert.ok(p3Id >= 0 && !ids.has(p3Id), "p3 has a producer id of its own");
    // Stopping one leaves the other running on the engine.
    await p1.stop();
    const m = await p2.produce(enc.encode("after"), { partition: 1 });
    await p2.flush();
    assert.ok(m.offset >= 0);
  } finally {
    await dropTopic(client, t1.name);
    await dropTopic(client, t2.name);
  }
});

Deno.test("client producer: records to a topic being looked up keep their order; bad input", async () => {
  await using client = await connect();
  const t = await newTopic(client, "engine-order", 1);
  try {
    await using producer = client.getProducer({ lingerMs: 2 });
    // Not awaited: the first ones wait for the lookup, the rest queue behind.
    const sent = Array.from(
      { length: 200 },
      (_, i) => producer.produce(t.name, enc.encode(`${i}`)),
    );
    const msgs = await Promise.all(sent);
    await producer.flush();
    assert.deepEqual(
      msgs.map((m) => m.offset),
      Array.from({ length: 200 }, (_, i) => i),
    );
    const back = await readPartition(t, 0, 200);
    assert.deepEqual(
      back.records.map((r) => dec.decode(r.value!)),
      Array.from({ length: 200 }, (_, i) => `${i}`),
    );
    await assert.rejects(
      producer.produce(t.name, enc.encode("x"), { partition: 5 }),
      RangeError,
    );
    await assert.rejects(
      producer.produce(42 as unknown as string, enc.encode("x")),
      TypeError,
    );
    await assert.rejects(
      producer.produce("bad name!", enc.encode("x")),
      KafkaError,
    );
    // The sync variant resolves with offsets.
    await using sync = client.getSyncProducer();
    const m = await sync.produce(t, enc.encode("sync"));
    assert.equal(m.offset, 200);
    await sync.stop();
    await assert.rejects(
      sync.produce(t, enc.encode("late")),
      ProducerStoppedException,
    );
  } finally {
    await dropTopic(client, t.name);
  }
});

Deno.test("produceBatch: one promise for many records, reports when asked, queue bounds, failures in flush()", async () => {
  await using client = await connect();
  const t = await newTopic(client, "engine-batch", 2);
  try {
    // Without reports no message object is kept: counts only.
    await using bare = t.getProducer({ lingerMs: 2 });
    const n = await bare.produceBatch(
      Array.from({ length: 5000 }, (_, i) => ({
        value: enc.encode(`v${i}`),
        partitionKey: enc.encode(`k${i % 7}`),
      })),
    );
    assert.equal(n, 5000);
    await bare.flush();
    assert.equal(bare.stats.delivered, 5000);
    const back = await readTopic(t, new Map([[0, 1], [1, 1]]));
    assert.equal(
      [...back.values()].reduce((s, rb) => s + rb.records.length, 0),
      5000,
    );

    // With reports: one per record, in order per partition.
    await using rep = t.getProducer({ deliveryReports: true, lingerMs: 2 });
    await rep.produceBatch([
      { value: enc.encode("r0"), partition: 0 },
      { value: enc.encode("r1"), partition: 0, headers: [["h", null]] },
    ]);
    const r0 = (await rep.getDeliveryReport({ timeoutMs: 5000 }))!;
    const r1 = (await rep.getDeliveryReport({ timeoutMs: 5000 }))!;
    assert.equal(dec.decode(r0[0].value!), "r0");
    assert.equal(r1[0].offset, r0[0].offset + 1);
    assert.deepEqual(r1[0].headers, [["h", null]]);

    // A queue of 10: the batch waits for room and keeps going.
    await using small = t.getProducer({ maxQueuedMessages: 10, lingerMs: 1 });
    assert.equal(
      await small.produceBatch(
        Array.from({ length: 300 }, (_, i) => ({
          value: enc.encode(`s${i}`),
          partition: 1,
        })),
      ),
      300,
    );
    await small.flush();
    assert.equal(small.stats.delivered, 300);
    await using full = t.getProducer({
      maxQueuedMessages: 10,
      blockOnQueueFull: false,
      lingerMs: 1000,
    });
    await assert.rejects(
      full.produceBatch(
        Array.from({ length: 20 }, () => ({ value: enc.encode("f") })),
      ),
      ProducerQueueFullError,
    );
    assert.equal(full.stats.pending, 10, "the first ten stay queued");

    // Too large: counted as failed, surfaced by flush().
    await using big = t.getProducer({ maxRequestSize: 1000 });
    await big.produceBatch([{ value: new Uint8Array(5000) }]);
    await assert.rejects(big.flush(), (e: unknown) => {
      assert.ok(e instanceof ProduceFailureError);
      assert.ok(e.cause instanceof MessageSizeTooLarge);
      return true;
    });
    // A bad record rejects the call; the ones before it stay queued.
    await assert.rejects(
      bare.produceBatch([{ value: enc.encode("ok") }, {
        value: "no" as unknown as Uint8Array,
      }]),
      TypeError,
    );
    await bare.flush();
    assert.equal(bare.stats.delivered, 5001);
    // Sync: resolves once delivered.
    await using sync = t.getSyncProducer();
    assert.equal(
      await sync.produceBatch([{ value: enc.encode("x") }, {
        value: enc.encode("y"),
      }]),
      2,
    );
    assert.equal(sync.stats.delivered, 2);
  } finally {
    await dropTopic(client, t.name);
  }
});
