// SimpleConsumer options and partition state without a broker: every
// option checked in the constructor with the option named, pykafka's
// defaults, and the offset/queue bookkeeping of pykafka's OwnedPartition
// unit tests (adapted) plus the round-robin ring.
import assert from "node:assert/strict";
import { ConsumerStoppedException, KafkaError } from "../../src/errors/mod.ts";
import { Cluster, ClusterTopic, OffsetType } from "../../src/cluster/mod.ts";
import { CompressionType, Message } from "../../src/records/mod.ts";
import {
  IsolationLevel,
  SIMPLE_CONSUMER_DEFAULTS,
  SimpleConsumer,
  type SimpleConsumerOptions,
} from "../../src/consumer/mod.ts";
import {
  OwnedPartition,
  ReadyRing,
} from "../../src/consumer/_owned_partition.ts";

function fakeTopic(name = "t", partitions = 3): {
  cluster: Cluster;
  topic: ClusterTopic;
} {
  // Nothing listens on port 1; nothing here does I/O.
  const cluster = new Cluster({ hosts: "127.0.0.1:1" });
  const topic = new ClusterTopic(cluster, {
    errorCode: 0,
    name,
    partitions: Array.from({ length: partitions }, (_, i) => ({
      errorCode: 0,
      partitionIndex: i,
      leaderId: -1,
      replicaNodes: [],
      isrNodes: [],
    })),
  });
  return { cluster, topic };
}

Deno.test("SimpleConsumer options: pykafka's defaults", () => {
  assert.deepEqual({ ...SIMPLE_CONSUMER_DEFAULTS }, {
    fetchMessageMaxBytes: 1024 * 1024,
    numConsumerFetchers: 1,
    autoCommitEnable: false,
    autoCommitIntervalMs: 60_000,
    queuedMaxMessages: 100_000,
    queuedMaxBytes: 32 * 1024 * 1024,
    fetchMinBytes: 1,
    fetchErrorBackoffMs: 500,
    fetchWaitMaxMs: 100,
    fetchMaxBytes: 50 * 1024 * 1024,
    offsetsChannelBackoffMs: 1000,
    offsetsCommitMaxRetries: 5,
    autoOffsetReset: OffsetType.EARLIEST,
    consumerTimeoutMs: -1,
    autoStart: true,
    resetOffsetOnStart: false,
    compactedTopic: false,
    resetOffsetOnFetch: true,
    checkCrcs: true,
    isolationLevel: IsolationLevel.READ_UNCOMMITTED,
  });
});

Deno.test("SimpleConsumer options: a bad value throws a KafkaError naming the option", async () => {
  const { cluster, topic } = fakeTopic();
  const cases: [string, Record<string, unknown>][] = [
    ["consumerGroup", { consumerGroup: "" }],
    ["consumerGroup", { consumerGroup: 5 }],
    ["partitions", { partitions: "0" }],
    ["partitions", { partitions: [-1] }],
    ["fetchMessageMaxBytes", { fetchMessageMaxBytes: 0 }],
    ["fetchMessageMaxBytes", { fetchMessageMaxBytes: 2 ** 31 }],
    ["numConsumerFetchers", { numConsumerFetchers: 0 }],
    ["numConsumerFetchers", { numConsumerFetchers: 1.5 }],
    ["autoCommitEnable", { autoCommitEnable: "yes" }],
    ["autoCommitIntervalMs", { autoCommitIntervalMs: 0 }],
    ["queuedMaxMessages", { queuedMaxMessages: 0 }],
    ["queuedMaxBytes", { queuedMaxBytes: -1 }],
    ["fetchMinBytes", { fetchMinBytes: -1 }],
    ["fetchErrorBackoffMs", { fetchErrorBackoffMs: -5 }],
    ["fetchWaitMaxMs", { fetchWaitMaxMs: "100" }],
    ["fetchMaxBytes", { fetchMaxBytes: 0 }],
    ["offsetsChannelBackoffMs", { offsetsChannelBackoffMs: NaN }],
    ["offsetsCommitMaxRetries", { offsetsCommitMaxRetries: -1 }],
    ["autoOffsetReset", { autoOffsetReset: 0 }],
    ["autoOffsetReset", { autoOffsetReset: "earliest" }],
    ["consumerTimeoutMs", { consumerTimeoutMs: 1.5 }],
    ["autoStart", { autoStart: 1 }],
    ["resetOffsetOnStart", { resetOffsetOnStart: null }],
    ["compactedTopic", { compactedTopic: "true" }],
    ["deserializer", { deserializer: "utf8" }],
    ["resetOffsetOnFetch", { resetOffsetOnFetch: 0 }],
    ["isolationLevel", { isolationLevel: 2 }],
    ["checkCrcs", { checkCrcs: "no" }],
    ["autoCommitEnable", { autoCommitEnable: true }], // needs a group
    ["autoCommit", { autoCommit: true }], // unknown name
    ["partitions", { partitions: [7] }], // not a partition of the topic
    ["partitions", {
      partitions: [fakeTopic("other").topic.partitions.get(0)],
    }],
  ];
  for (const [name, options] of cases) {
    assert.throws(
      () =>
        new SimpleConsumer(topic, {
          autoStart: false,
          ...(options as SimpleConsumerOptions),
        }),
      (e: unknown) => {
        assert.ok(e instanceof KafkaError, `${name}: ${e}`);
        assert.ok(
          e.message.includes(name),
          `${JSON.stringify(options)}: ${e.message}`,
        );
        return true;
      },
    );
  }
  await cluster.close();
});

Deno.test("SimpleConsumer: not started, it does no I/O; consume() throws ConsumerStoppedException", async () => {
  const { cluster, topic } = fakeTopic();
  const consumer = new SimpleConsumer(topic, {
    autoStart: false,
    partitions: [2, topic.partitions.get(0)!, 2],
    consumerGroup: "g",
  });
  assert.deepEqual([...consumer.partitions.keys()], [0, 2]);
  assert.deepEqual([...consumer.heldOffsets], [[0, -2], [2, -2]]);
  assert.equal(consumer.running, false);
  assert.equal(consumer.consumerGroup, "g");
  assert.equal(String(consumer), "SimpleConsumer(t, partitions 0,2, group g)");
  await assert.rejects(consumer.consume(), ConsumerStoppedException);
  await assert.rejects(
    consumer.consume({ block: false }),
    ConsumerStoppedException,
  );
  const it = consumer[Symbol.asyncIterator]();
  assert.deepEqual(await it.next(), { value: undefined, done: true });
  consumer.consumerId = "member-1";
  consumer.generationId = 3;
  assert.equal(consumer.consumerId, "member-1");
  assert.equal(consumer.generationId, 3);
  assert.throws(() => consumer.generationId = 1.5, KafkaError);
  await consumer.stop();
  await cluster.close();
});

function msg(offset: number): Message {
  return new Message({
    value: new Uint8Array([offset & 255]),
    partitionKey: null,
    offset,
    partitionId: 0,
    topic: "t",
    timestamp: -1,
    compressionType: CompressionType.NONE,
    protocolVersion: 2,
  });
}

Deno.test("OwnedPartition: consuming sets the last consumed offset; setNext(n) and flush", async () => {
  const { cluster, topic } = fakeTopic();
  const budget = { bytes: 0 };
  const p = new OwnedPartition(topic.partitions.get(0)!, 0, 1024, budget);
  assert.equal(p.heldOffset, -2);
  p.setNext(400);
  assert.equal(p.lastOffsetConsumed, 399);
  assert.equal(p.nextOffset, 400);
  assert.equal(p.epoch, 1);
  p.push([msg(400), msg(401)], 100);
  p.push([msg(402)], 50);
  assert.equal(p.count, 3);
  assert.equal(budget.bytes, 150);
  assert.equal(p.take().offset, 400);
  assert.equal(p.lastOffsetConsumed, 400);
  assert.equal(budget.bytes, 150); // the first chunk is not done yet
  assert.equal(p.take().offset, 401);
  assert.equal(budget.bytes, 50);
  assert.equal(p.heldOffset, 401);
  p.flush();
  assert.equal(p.count, 0);
  assert.equal(budget.bytes, 0);
  // pykafka's set_offset(400): last consumed 400, next 401.
  p.setNext(401);
  assert.equal(p.heldOffset, 400);
  assert.equal(p.nextOffset, 401);
  // Positioned at 0: nothing consumed, reported as -2.
  p.setNext(0);
  assert.equal(p.heldOffset, -2);
  await cluster.close();
});

Deno.test("ReadyRing: one message per partition in turn; emptied partitions drop out", async () => {
  const { cluster, topic } = fakeTopic();
  const budget = { bytes: 0 };
  const [a, b, c] = [0, 1, 2].map((id) =>
    new OwnedPartition(topic.partitions.get(id)!, 0, 1024, budget)
  );
  const ring = new ReadyRing();
  assert.equal(ring.take(), undefined);
  const tag = (p: OwnedPartition, offsets: number[]) =>
    offsets.map((o) => {
      const m = msg(o);
      m.partitionId = p.id;
      return m;
    });
  a.push(tag(a, [0, 1, 2]), 3);
  ring.add(a);
  b.push(tag(b, [10]), 1);
  ring.add(b);
  c.push(tag(c, [20, 21]), 2);
  ring.add(c);
  ring.add(a); // already in: no double turn
  const order: string[] = [];
  for (let m = ring.take(); m; m = ring.take()) {
    order.push(`${m.partitionId}:${m.offset}`);
    assert.equal(ring.last!.id, m.partitionId);
  }
  assert.deepEqual(order, ["0:0", "1:10", "2:20", "0:1", "2:21", "0:2"]);
  assert.equal(budget.bytes, 0);
  // A partition flushed while in the ring is skipped.
  a.push(tag(a, [3]), 1);
  ring.add(a);
  b.push(tag(b, [11]), 1);
  ring.add(b);
  a.flush();
  assert.equal(ring.take()!.offset, 11);
  assert.equal(ring.take(), undefined);
  assert.equal(ring.size, 0);
  // Many partitions: the ring grows.
  const many = Array.from({ length: 40 }, (_, i) => {
    const p = new OwnedPartition(topic.partitions.get(i % 3)!, 0, 1, budget);
    p.push([msg(i)], 1);
    ring.add(p);
    return p;
  });
  const got: number[] = [];
  for (let m = ring.take(); m; m = ring.take()) got.push(m.offset);
  assert.deepEqual(got, many.map((_, i) => i));
  await cluster.close();
});
