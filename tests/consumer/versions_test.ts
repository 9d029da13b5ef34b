// The SimpleConsumer across broker generations: legacy mode
// (brokerVersion "0.9.0": Fetch v1 / MessageSet v0, ListOffsets v0 segment
// semantics, OffsetCommit v2, OffsetFetch v1; "0.10.0": Fetch v2 with
// MessageSet v1 compressed wrappers and relative inner offsets) against
// Kafka 3.9, and Kafka 4.x in KRaft mode (Fetch v13+ with topic ids).
import assert from "node:assert/strict";
import { MessageSizeTooLarge } from "../../src/errors/mod.ts";
import { OffsetType } from "../../src/cluster/mod.ts";
import { CompressionType } from "../../src/records/mod.ts";
import { Fetch, ListOffsets } from "../../src/protocol/mod.ts";
import {
  connect,
  createTopic,
  dec,
  produceTo,
  rec,
  uniqueName,
} from "./_helpers.ts";

const text = (b: Uint8Array | null) => (b === null ? null : dec.decode(b));

Deno.test("SimpleConsumer legacy mode (brokerVersion 0.9.0): MessageSet v0, group offsets, segment-based Date reset", async () => {
  await using modern = await connect();
  const { name } = await createTopic(modern, "legacy09", { partitions: 2 });
  await using client = await connect("kafka39", { brokerVersion: "0.9.0" });
  const topic = await client.topics.get(name);
  const leader = topic.partitions.get(0)!.leader;
  assert.equal(await leader.apiVersion(Fetch), 1);
  assert.equal(await leader.apiVersion(ListOffsets), 0);
  const started = Date.now();
  await produceTo(
    topic,
    0,
    Array.from({ length: 20 }, (_, i) => rec(`p0 ${i}`, `k${i}`)),
  );
  await produceTo(
    topic,
    0,
    Array.from({ length: 20 }, (_, i) => rec(`p0 ${20 + i}`)),
    {
      compression: CompressionType.GZIP,
    },
  );
  await produceTo(
    topic,
    1,
    Array.from({ length: 15 }, (_, i) => rec(`p1 ${i}`)),
    {
      compression: CompressionType.SNAPPY,
    },
  );
  const group = uniqueName("g");
  {
    await using consumer = topic.getSimpleConsumer({
      consumerGroup: group,
      consumerTimeoutMs: 1000,
    });
    const got = new Map<number, string[]>();
    for await (const m of consumer) {
      const l = got.get(m.partitionId) ?? [];
      got.set(m.partitionId, l);
      assert.equal(m.offset, l.length);
      assert.equal(m.protocolVersion, 0);
      assert.equal(m.timestamp, -1);
      l.push(text(m.value)!);
    }
    assert.deepEqual(
      got.get(0),
      Array.from({ length: 40 }, (_, i) => `p0 ${i}`),
    );
    assert.deepEqual(
      got.get(1),
      Array.from({ length: 15 }, (_, i) => `p1 ${i}`),
    );
    await consumer.commitOffsets();
    const fetched = await consumer.fetchOffsets();
    assert.equal(fetched.get(0)!.offset, 40);
    assert.equal(fetched.get(1)!.offset, 15);
  }
  // A new consumer of the group resumes there.
  await produceTo(topic, 1, [rec("p1 15")]);
  await using consumer = topic.getSimpleConsumer({
    consumerGroup: group,
    consumerTimeoutMs: 1000,
  });
  await consumer.start();
  assert.deepEqual([...consumer.heldOffsets], [[0, 39], [1, 14]]);
  const m = await consumer.consume();
  assert.equal(m!.offset, 15);
  assert.equal(text(m!.value), "p1 15");
  // ListOffsets v0 (pykafka's segment semantics): a time gives the base
  // offset of the newest segment last written before it. Partition 0 has one
  // segment, last written more than a second ago.
  await consumer.resetOffsets([[0, new Date(Date.now() - 200)]]);
  assert.equal(consumer.heldOffsets.get(0), -2);
  assert.equal((await consumer.consume())!.offset, 0);
  // Before every segment: no offset, so the start.
  await consumer.resetOffsets([[0, new Date(started - 60_000)]]);
  assert.equal(consumer.heldOffsets.get(0), -2);
  await consumer.resetOffsets([[0, OffsetType.LATEST], [
    1,
    OffsetType.EARLIEST,
  ]]);
  assert.deepEqual([...consumer.heldOffsets], [[0, 39], [1, -2]]);
  assert.equal((await consumer.fetchOffsets()).get(0)!.offset, 40);
});

Deno.test("SimpleConsumer legacy mode (0.9.0): a message larger than fetchMessageMaxBytes is a clear error", async () => {
  await using modern = await connect();
  const { name } = await createTopic(modern, "legacybig", { partitions: 1 });
  await using client = await connect("kafka39", { brokerVersion: "0.9.0" });
  const topic = await client.topics.get(name);
  await produceTo(topic, 0, [rec("x".repeat(5000))]);
  await using consumer = topic.getSimpleConsumer({
    fetchMessageMaxBytes: 1024,
    consumerTimeoutMs: 5000,
  });
  await assert.rejects(consumer.consume(), (e: unknown) => {
    assert.ok(e instanceof MessageSizeTooLarge, String(e));
    assert.match(e.message, /fetchMessageMaxBytes \(1024\)/);
    assert.match(e.message, /offset 0 of /);
    return true;
  });
  // Raising the limit gets it.
  await using bigger = topic.getSimpleConsumer({ fetchMessageMaxBytes: 16384 });
  assert.equal((await bigger.consume())!.value!.length, 5000);
});

Deno.test("SimpleConsumer with brokerVersion 0.10.0: compressed MessageSet v1 wrappers keep absolute offsets", async () => {
  await using modern = await connect();
  const topic39 = await createTopic(modern, "legacy010", { partitions: 1 });
  const ts = Date.now() - 5000;
  for (
    const compression of [
      CompressionType.GZIP,
      CompressionType.LZ4,
      CompressionType.SNAPPY,
    ]
  ) {
    await produceTo(
      topic39,
      0,
      Array.from(
        { length: 10 },
        (_, i) => ({ ...rec(`c${compression} ${i}`), timestamp: ts + i }),
      ),
      { compression },
    );
  }
  await using client = await connect("kafka39", { brokerVersion: "0.10.0" });
  const topic = await client.topics.get(topic39.name);
  assert.equal(await topic.partitions.get(0)!.leader.apiVersion(Fetch), 2);
  await using consumer = topic.getSimpleConsumer({ consumerTimeoutMs: 1000 });
  await consumer.start();
  // Start inside the second wrapper: the records before are skipped.
  await consumer.resetOffsets([[0, 12]]);
  const got: string[] = [];
  for await (const m of consumer) {
    assert.equal(m.protocolVersion, 1);
    assert.equal(m.timestamp, ts + (m.offset % 10));
    got.push(`${m.offset}:${text(m.value)}`);
  }
  assert.deepEqual(got, [
    ...Array.from({ length: 7 }, (_, i) => `${13 + i}:c3 ${3 + i}`),
    ...Array.from({ length: 10 }, (_, i) => `${20 + i}:c2 ${i}`),
  ]);
});

Deno.test("SimpleConsumer on Kafka 4.x (KRaft): topic ids, group offsets, resets", async () => {
  await using client = await connect("kafka4");
  const topic = await createTopic(client, "kraft", { partitions: 3 });
  assert.ok(topic.topicId !== undefined);
  assert.ok((await topic.partitions.get(0)!.leader.apiVersion(Fetch)) >= 13);
  const base = Date.now() - 30_000;
  for (const p of [0, 1, 2]) {
    await produceTo(
      topic,
      p,
      Array.from(
        { length: 100 },
        (_, i) => ({ ...rec(`${p}-${i}`), timestamp: base + i * 10 }),
      ),
      { compression: p === 2 ? CompressionType.ZSTD : CompressionType.LZ4 },
    );
  }
  const group = uniqueName("g");
  {
    await using consumer = topic.getSimpleConsumer({
      consumerGroup: group,
      consumerTimeoutMs: 1000,
    });
    let n = 0;
    for await (const m of consumer) {
      assert.equal(text(m.value), `${m.partitionId}-${m.offset}`);
      n++;
      if (n === 150) break;
    }
    await consumer.commitOffsets();
    const held = consumer.heldOffsets;
    const fetched = await consumer.fetchOffsets();
    for (const [id, f] of fetched) {
      assert.equal(f.offset - 1, held.get(id) === -2 ? -1 : held.get(id));
    }
  }
  await using consumer = topic.getSimpleConsumer({
    consumerGroup: group,
    consumerTimeoutMs: 1000,
  });
  let rest = 0;
  for await (const _ of consumer) rest++;
  assert.equal(rest, 150);
  await consumer.resetOffsets([[1, new Date(base + 505)]]);
  assert.equal(consumer.heldOffsets.get(1), 50);
  assert.equal((await consumer.consume())!.offset, 51);
  await consumer.resetOffsets([[0, 95], [1, OffsetType.LATEST]]);
  const m = await consumer.consume();
  assert.equal(m!.partitionId, 0);
  assert.equal(m!.offset, 96);
  assert.equal((await consumer.fetchOffsets()).get(0)!.offset, 96);
});
