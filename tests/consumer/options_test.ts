// SimpleConsumer options and partition state without a broker: every
// option checked in the constructor with the option named, pykafka's
// defaults, and the offset/queue bookkeeping of pykafka's OwnedPartition
// unit tests (adapted) plus the round-robin ring.
import assert from "node:assert/strict";
import { ConsumerStoppedException, KafkaError } from "../../src/errors/mod.ts";
import { Cluster, ClusterTopic, OffsetType } from "../../src/cluster/mod.ts";
import { CompressionType, Message } from "../../src/records/mod.ts";
import {
  type ConsumeOptions,
  IsolationLevel,
  SIMPLE_CONSUMER_DEFAULTS,
  SimpleConsumer,
  type SimpleConsumerOptions,
} from "../../src/consumer/mod.ts";
import {
  consumerOptionsFrom,
  SIMPLE_CONSUMER_RULES,
} from "../../src/consumer/options.ts";
import { rules, validateOptions } from "../../src/util/options.ts";
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

Deno.test("SimpleConsumer options: TypeError for unknown names and wrong types, RangeError for out-of-range values, naming the option and value", async () => {
  const { cluster, topic } = fakeTopic();
  const T = TypeError;
  const R = RangeError;
  const cases: [string, Record<string, unknown>, ErrorConstructor][] = [
    ["consumerGroup", { consumerGroup: "" }, R],
    ["consumerGroup", { consumerGroup: 5 }, T],
    ["partitions", { partitions: "0" }, T],
    ["partitions[0]", { partitions: [-1] }, R],
    ["partitions[1]", { partitions: [0, "1"] }, T],
    ["fetchMessageMaxBytes", { fetchMessageMaxBytes: 0 }, R],
    ["fetchMessageMaxBytes", { fetchMessageMaxBytes: 2 ** 31 }, R],
    ["numConsumerFetchers", { numConsumerFetchers: 0 }, R],
    ["numConsumerFetchers", { numConsumerFetchers: 1.5 }, T],
    ["autoCommitEnable", { autoCommitEnable: "yes" }, T],
    ["autoCommitIntervalMs", { autoCommitIntervalMs: 0 }, R],
    ["queuedMaxMessages", { queuedMaxMessages: 0 }, R],
    ["queuedMaxBytes", { queuedMaxBytes: -1 }, R],
    ["fetchMinBytes", { fetchMinBytes: -1 }, R],
    ["fetchErrorBackoffMs", { fetchErrorBackoffMs: -5 }, R],
    ["fetchWaitMaxMs", { fetchWaitMaxMs: "100" }, T],
    ["fetchMaxBytes", { fetchMaxBytes: 0 }, R],
    ["offsetsChannelBackoffMs", { offsetsChannelBackoffMs: NaN }, T],
    ["offsetsCommitMaxRetries", { offsetsCommitMaxRetries: -1 }, R],
    ["autoOffsetReset", { autoOffsetReset: 0 }, R],
    ["autoOffsetReset", { autoOffsetReset: "earliest" }, T],
    ["consumerTimeoutMs", { consumerTimeoutMs: 1.5 }, T],
    ["autoStart", { autoStart: 1 }, T],
    ["resetOffsetOnStart", { resetOffsetOnStart: null }, T],
    ["compactedTopic", { compactedTopic: "true" }, T],
    ["deserializer", { deserializer: "utf8" }, T],
    ["resetOffsetOnFetch", { resetOffsetOnFetch: 0 }, T],
    ["isolationLevel", { isolationLevel: 2 }, R],
    ["checkCrcs", { checkCrcs: "no" }, T],
    ["useWorkers", { useWorkers: 1 }, T],
    ["autoCommitEnable", { autoCommitEnable: true }, R], // needs a group
    ['"autoCommit"', { autoCommit: true }, T], // unknown name
    ["partitions[0]", { partitions: [7] }, R], // not a partition of the topic
    ["partitions[0]", {
      partitions: [fakeTopic("other").topic.partitions.get(0)],
    }, R],
  ];
  for (const [name, options, type] of cases) {
    assert.throws(
      () =>
        new SimpleConsumer(topic, {
          autoStart: false,
          ...(options as SimpleConsumerOptions),
        }),
      (e: unknown) => {
        const where = `${JSON.stringify(options)}: ${e}`;
        assert.ok(e instanceof type, where);
        assert.ok(!(e instanceof KafkaError), where);
        assert.ok((e as Error).message.startsWith("SimpleConsumer"), where);
        assert.ok((e as Error).message.includes(name), where);
        return true;
      },
    );
  }
  // The message names the value given, and the closest known name.
  assert.throws(
    () => new SimpleConsumer(topic, { fetchMinBytes: -1, autoStart: false }),
    {
      name: "RangeError",
      message:
        "SimpleConsumer option fetchMinBytes must be an integer from 0 to 2147483647, got -1",
    },
  );
  assert.throws(
    () =>
      new SimpleConsumer(
        topic,
        { consumergroup: "g", autoStart: false } as SimpleConsumerOptions,
      ),
    (e: unknown) =>
      e instanceof TypeError &&
      /^SimpleConsumer: unknown option "consumergroup" \(did you mean consumerGroup\?\)/
        .test(e.message),
  );
  assert.throws(
    () => new SimpleConsumer(topic, { partitions: [7], autoStart: false }),
    {
      name: "RangeError",
      message:
        "SimpleConsumer option partitions[0] must be a partition of topic t (ids 0, 1, 2), got 7",
    },
  );
  await cluster.close();
});

Deno.test("SimpleConsumer options: a consumer with more options checks the SimpleConsumer rules and its own in one call, under its own name", () => {
  const own = { rebalanceMaxRetries: rules.int(0) };
  const check = (o: unknown) =>
    consumerOptionsFrom(
      validateOptions("BalancedConsumer", o, {
        ...SIMPLE_CONSUMER_RULES,
        ...own,
      }),
      "BalancedConsumer",
    );
  assert.equal(
    check({ consumerGroup: "g", rebalanceMaxRetries: 2 }).consumerGroup,
    "g",
  );
  assert.throws(() => check({ rebalanceMaxRetrys: 2 }), {
    name: "TypeError",
    message:
      /^BalancedConsumer: unknown option "rebalanceMaxRetrys" \(did you mean rebalanceMaxRetries\?\)/,
  });
  assert.throws(() => check({ fetchMinBytes: -1 }), {
    name: "RangeError",
    message: /^BalancedConsumer option fetchMinBytes /,
  });
  assert.throws(() => check({ autoCommitEnable: true }), {
    name: "RangeError",
    message:
      /^BalancedConsumer option autoCommitEnable must be false without consumerGroup/,
  });
});

Deno.test("SimpleConsumer.consume: wrong option types are TypeErrors (checked only when it waits)", async () => {
  const { cluster, topic } = fakeTopic();
  const consumer = new SimpleConsumer(topic, { autoStart: false });
  for (
    const [options, name] of [
      [{ block: "yes" }, "block"],
      [{ timeoutMs: "5" }, "timeoutMs"],
      [{ signal: {} }, "signal"],
    ] as const
  ) {
    await assert.rejects(
      consumer.consume(options as ConsumeOptions),
      (e: unknown) =>
        e instanceof TypeError &&
        e.message.startsWith(`SimpleConsumer.consume option ${name} must be`),
    );
  }
  await consumer.stop();
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
