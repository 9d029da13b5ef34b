// SimpleConsumer against the real Kafka 3.9 brokers: pykafka's
// test_simpleconsumer.py adapted (1000 messages "msg <i>" on 3 partitions
// with replication 2), plus blocking, stopping, streams, autocommit and
// commit failures.
import assert from "node:assert/strict";
import { ConsumerStoppedException, KafkaError } from "../../src/errors/mod.ts";
import { OffsetType } from "../../src/cluster/mod.ts";
import type { Message } from "../../src/records/mod.ts";
import { KafkaClient, type Topic } from "../../src/client/mod.ts";
import { cluster } from "../cluster/mod.ts";
import type { SimpleConsumer } from "../../src/consumer/mod.ts";
import {
  connect,
  consumerTest,
  createTopic,
  dec,
  eventually,
  inWorkersMode,
  produceMany,
  produceTo,
  rec,
  uniqueName,
} from "./_helpers.ts";

const COUNT = 1000;

// One topic with 1000 messages, created once and only read by the tests.
let shared: Promise<string> | undefined;
function sharedTopic(): Promise<string> {
  shared ??= (async () => {
    const client = await connect();
    try {
      const topic = await createTopic(client, "shared", { partitions: 3 });
      await produceMany(topic, COUNT);
      return topic.name;
    } finally {
      await client.close();
    }
  })();
  return shared;
}

async function withShared(
  f: (client: KafkaClient, topic: Topic) => Promise<void>,
): Promise<void> {
  const name = await sharedTopic();
  await using client = await connect();
  await f(client, await client.topics.get(name));
}

/** pykafka's helper: a committed offset c means "last consumed c - 1"; -1 is reported as -2. */
function heldFromCommitted(c: number): number {
  return c - 1 === -1 ? -2 : c - 1;
}

/** Lets every queued callback run (timers due now, I/O, microtasks). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((r) => setTimeout(r, 0));
}

/**
 * True when `p` is still unsettled after the event loop had a turn: for
 * calls that must keep waiting (nothing they wait for can arrive).
 */
async function stillPending(p: Promise<unknown>): Promise<boolean> {
  let settled = false;
  p.then(() => settled = true, () => settled = true);
  await yieldToEventLoop();
  return !settled;
}

async function consumeN<V, K>(
  consumer: SimpleConsumer<V, K>,
  n: number,
): Promise<Message<V, K>[]> {
  const out: Message<V, K>[] = [];
  while (out.length < n) {
    const m = await consumer.consume({ timeoutMs: 10_000 });
    assert.ok(m, `only ${out.length} of ${n} messages arrived`);
    out.push(m);
  }
  return out;
}

consumerTest(
  "SimpleConsumer: iteration consumes exactly the 1000 produced messages",
  async () => {
    await withShared(async (_client, topic) => {
      await using consumer = topic.getSimpleConsumer({
        consumerTimeoutMs: 2000,
      });
      const seen = new Set<string>();
      let count = 0;
      for await (const m of consumer) {
        assert.notEqual(m.value, null);
        seen.add(dec.decode(m.value!));
        assert.equal(m.topic, topic.name);
        assert.equal(m.protocolVersion, 2);
        count++;
      }
      assert.equal(count, COUNT);
      assert.equal(seen.size, COUNT);
      for (let i = 0; i < COUNT; i++) assert.ok(seen.has(`msg ${i}`));
      // Offsets of each partition arrive in order without gaps.
      const held = consumer.heldOffsets;
      const latest = await topic.latestAvailableOffsets();
      for (const [id, o] of latest) assert.equal(held.get(id), o - 1);
    });
  },
);

consumerTest(
  "SimpleConsumer: messages come in offset order per partition, round-robin over partitions",
  async () => {
    await using client = await connect();
    // Three partitions on one broker (replication 1, so everything produced
    // is readable at once): the consumer's first Fetch returns all three, so
    // it holds messages of every partition before it returns the first one,
    // with no waiting for fetches from different leaders.
    const name = uniqueName("round-robin");
    await client.createTopics([{ name, replicaAssignment: [[1], [1], [1]] }]);
    const topic = await client.topics.get(name);
    assert.deepEqual([...topic.partitions.values()].map((p) => p.leaderId), [
      1,
      1,
      1,
    ]);
    await produceMany(topic, 300);
    await using consumer = topic.getSimpleConsumer({ consumerTimeoutMs: 2000 });
    const last = new Map<number, number>();
    const firstSix: number[] = [];
    let count = 0;
    for await (const m of consumer) {
      const prev = last.get(m.partitionId) ?? -1;
      assert.equal(m.offset, prev + 1, `partition ${m.partitionId}`);
      last.set(m.partitionId, m.offset);
      if (firstSix.length < 6) firstSix.push(m.partitionId);
      count++;
    }
    assert.equal(count, 300);
    // Every partition with data gets its turn.
    assert.deepEqual(
      firstSix.slice(3),
      firstSix.slice(0, 3),
      `order ${firstSix}`,
    );
    assert.equal(new Set(firstSix).size, 3, `order ${firstSix}`);
  },
);

consumerTest(
  "SimpleConsumer: an AbortSignal ends a consume() blocked on an empty topic",
  async () => {
    await using client = await connect();
    const topic = await createTopic(client, "empty", { partitions: 2 });
    await using consumer = topic.getSimpleConsumer();
    await consumer.start();
    // Not blocking: null at once.
    assert.equal(await consumer.consume({ block: false }), null);
    const controller = new AbortController();
    const started = Date.now();
    const timer = setTimeout(() => controller.abort(), 300);
    const m = await consumer.consume({ signal: controller.signal });
    clearTimeout(timer);
    const waited = Date.now() - started;
    assert.equal(m, null);
    assert.ok(waited >= 250 && waited < 5000, `waited ${waited} ms`);
    // An already aborted signal returns at once.
    assert.equal(await consumer.consume({ signal: controller.signal }), null);
    // timeoutMs bounds one call.
    const t = Date.now();
    assert.equal(await consumer.consume({ timeoutMs: 200 }), null);
    assert.ok(Date.now() - t >= 150);
  },
);

consumerTest(
  "SimpleConsumer: consumerTimeoutMs makes consume() return null and ends iteration",
  async () => {
    await using client = await connect();
    const topic = await createTopic(client, "timeout", { partitions: 1 });
    await using consumer = topic.getSimpleConsumer({ consumerTimeoutMs: 300 });
    const started = Date.now();
    assert.equal(await consumer.consume(), null);
    assert.ok(Date.now() - started >= 250);
    let n = 0;
    for await (const _ of consumer) n++;
    assert.equal(n, 0);
  },
);

consumerTest(
  "SimpleConsumer: commit then fetch gives the same held offsets",
  async () => {
    await withShared(async (_client, topic) => {
      await using consumer = topic.getSimpleConsumer({
        consumerGroup: uniqueName("g"),
      });
      await consumeN(consumer, 100);
      await consumer.commitOffsets();
      const held = consumer.heldOffsets;
      const fetched = await consumer.fetchOffsets();
      assert.equal(fetched.size, 3);
      for (const [id, f] of fetched) {
        assert.equal(
          heldFromCommitted(f.offset),
          held.get(id),
          `partition ${id}`,
        );
        // pykafka's commit metadata.
        const meta = JSON.parse(f.metadata!);
        assert.equal(meta.consumer_id, "");
        assert.equal(typeof meta.hostname, "string");
        assert.ok(meta.hostname.length > 0);
      }
      // The fetch moved nothing: the positions were already there.
      assert.deepEqual(consumer.heldOffsets, held);
    });
  },
);

consumerTest(
  "SimpleConsumer: committing 69 for every partition reads back 69",
  async () => {
    await withShared(async (_client, topic) => {
      await using consumer = topic.getSimpleConsumer({
        consumerGroup: uniqueName("g"),
      });
      await consumer.start();
      await consumer.commitOffsets(
        [...consumer.partitions.keys()].map((id) => [id, 69]),
      );
      const fetched = await consumer.fetchOffsets();
      for (const f of fetched.values()) assert.equal(f.offset, 69);
      // resetOffsetOnFetch (default): the consumer moved there.
      for (const o of consumer.heldOffsets.values()) assert.equal(o, 68);
      const m = await consumer.consume();
      assert.equal(m!.offset, 69);
      // Unknown partitions and bad offsets are refused.
      await assert.rejects(
        consumer.commitOffsets([[7, 1]]),
        /Unknown partition/,
      );
      await assert.rejects(consumer.commitOffsets([[0, 1.5]]), KafkaError);
    });
  },
);

consumerTest(
  "SimpleConsumer: a new consumer in the same group resumes at the same place",
  async () => {
    await withShared(async (_client, topic) => {
      const group = uniqueName("g");
      const first = topic.getSimpleConsumer({ consumerGroup: group });
      await consumeN(first, 250);
      await first.commitOffsets();
      const held = first.heldOffsets;
      await first.stop();
      await using second = topic.getSimpleConsumer({ consumerGroup: group });
      await second.start();
      assert.deepEqual(second.heldOffsets, held);
      const next = await consumeN(second, 30);
      const seen = new Map<number, number>();
      for (const m of next) {
        if (!seen.has(m.partitionId)) {
          seen.set(m.partitionId, m.offset);
          const h = held.get(m.partitionId)!;
          assert.equal(m.offset, h === -2 ? 0 : h + 1);
        }
      }
    });
  },
);

consumerTest(
  "SimpleConsumer: resetOffsetOnStart with EARLIEST and with LATEST",
  async () => {
    await withShared(async (_client, topic) => {
      const earliest = await topic.earliestAvailableOffsets();
      const latest = await topic.latestAvailableOffsets();
      let total = 0;
      for (const [id, o] of latest) total += o - earliest.get(id)!;
      assert.equal(total, COUNT);
      const group = uniqueName("g");
      {
        await using consumer = topic.getSimpleConsumer({
          consumerGroup: group,
          autoOffsetReset: OffsetType.EARLIEST,
          resetOffsetOnStart: true,
        });
        await consumer.start();
        for (const [id, o] of consumer.heldOffsets) {
          assert.equal(o, heldFromCommitted(earliest.get(id)!));
        }
        assert.ok(await consumer.consume());
        // Resetting committed the positions.
        for (const f of (await consumer.fetchOffsets()).values()) {
          assert.equal(f.offset, 0);
        }
      }
      await using consumer = topic.getSimpleConsumer({
        consumerGroup: group,
        autoOffsetReset: OffsetType.LATEST,
        resetOffsetOnStart: true,
      });
      await consumer.start();
      for (const [id, o] of consumer.heldOffsets) {
        assert.equal(o, latest.get(id)! - 1);
      }
      assert.equal(await consumer.consume({ block: false }), null);
      assert.equal(await consumer.consume({ timeoutMs: 300 }), null);
    });
  },
);

consumerTest(
  "SimpleConsumer: resetting to latest - 5 yields offset latest - 4 next",
  async () => {
    await withShared(async (_client, topic) => {
      await using consumer = topic.getSimpleConsumer({
        consumerTimeoutMs: 1000,
      });
      await consumer.start();
      const latest = await topic.latestAvailableOffsets();
      await consumer.resetOffsets([...latest].map(([id, o]) => [id, o - 5]));
      for (const [id, o] of consumer.heldOffsets) {
        assert.equal(o, latest.get(id)! - 5);
      }
      const firsts = new Map<number, number>();
      let n = 0;
      for await (const m of consumer) {
        if (!firsts.has(m.partitionId)) firsts.set(m.partitionId, m.offset);
        n++;
      }
      assert.equal(n, 4 * latest.size);
      for (const [id, o] of latest) assert.equal(firsts.get(id), o - 4);
    });
  },
);

consumerTest(
  "SimpleConsumer: resetting beyond the end goes to autoOffsetReset",
  async () => {
    await withShared(async (_client, topic) => {
      await using consumer = topic.getSimpleConsumer({
        autoOffsetReset: OffsetType.EARLIEST,
      });
      await consumer.start();
      const latest = await topic.latestAvailableOffsets();
      const earliest = await topic.earliestAvailableOffsets();
      await consumer.resetOffsets([...latest].map(([id, o]) => [id, o + 100]));
      const m = await consumer.consume({ timeoutMs: 10_000 });
      assert.ok(m);
      assert.equal(m.offset, earliest.get(m.partitionId));
      assert.equal(consumer.heldOffsets.get(m.partitionId), m.offset);
    });
  },
);

consumerTest(
  "SimpleConsumer: resetting to a Date starts at the first message at or after it",
  async () => {
    await using client = await connect();
    const topic = await createTopic(client, "date", { partitions: 1 });
    const base = Date.now() - 60_000;
    const records = Array.from({ length: 10 }, (_, i) => ({
      ...rec(`t${i}`),
      timestamp: base + i * 1000,
    }));
    await produceTo(topic, 0, records);
    await using consumer = topic.getSimpleConsumer({ consumerTimeoutMs: 500 });
    await consumer.start();
    await consumer.resetOffsets([[0, new Date(base + 4500)]]);
    assert.equal(consumer.heldOffsets.get(0), 4);
    let m = await consumer.consume();
    assert.equal(m!.offset, 5);
    assert.equal(m!.timestamp, base + 5000);
    // Before every message: the start.
    await consumer.resetOffsets([[0, new Date(base - 10_000)]]);
    m = await consumer.consume();
    assert.equal(m!.offset, 0);
    // After every message: the end.
    await consumer.resetOffsets([[0, new Date(base + 60_000)]]);
    assert.equal(consumer.heldOffsets.get(0), 9);
    assert.equal(await consumer.consume({ block: false }), null);
    // Bad targets are refused with the partition named.
    await assert.rejects(consumer.resetOffsets([[0, -3]]), /partition 0/);
    await assert.rejects(
      consumer.resetOffsets([[0, new Date(NaN)]]),
      KafkaError,
    );
    await assert.rejects(consumer.resetOffsets([[5, 1]]), /Unknown partition/);
  },
);

consumerTest(
  "SimpleConsumer: stop() ends blocked calls and iteration; consume() after stop throws; start() resumes",
  async () => {
    await using client = await connect();
    const topic = await createTopic(client, "stop", { partitions: 1 });
    await produceTo(topic, 0, [rec("a"), rec("b"), rec("c")]);
    const consumer = topic.getSimpleConsumer();
    assert.equal(dec.decode((await consumer.consume())!.value!), "a");
    // A call blocked on an empty partition... (b and c are buffered first)
    await consumeN(consumer, 2);
    const blocked = assert.rejects(
      consumer.consume(),
      ConsumerStoppedException,
    );
    const iteration = (async () => {
      let n = 0;
      for await (const _ of consumer) n++;
      return n;
    })();
    // Both wait for data that never comes (nothing more is produced).
    assert.ok(await stillPending(blocked), "consume() is blocked");
    assert.ok(await stillPending(iteration), "iteration is blocked");
    await consumer.stop();
    await blocked;
    assert.equal(await iteration, 0);
    await assert.rejects(consumer.consume(), ConsumerStoppedException);
    assert.equal(consumer.running, false);
    // Without a group, a restart resumes after the last consumed message.
    await produceTo(topic, 0, [rec("d")]);
    await consumer.start();
    assert.equal(dec.decode((await consumer.consume())!.value!), "d");
    await consumer.stop();
    await consumer.stop(); // idempotent
  },
);

consumerTest(
  "SimpleConsumer: readable streams messages with backpressure and closes on stop",
  async () => {
    await withShared(async (_client, topic) => {
      const consumer = topic.getSimpleConsumer({ partitions: [0] });
      const reader = consumer.readable.getReader();
      const got: number[] = [];
      for (let i = 0; i < 10; i++) {
        const { value, done } = await reader.read();
        assert.equal(done, false);
        got.push(value!.offset);
      }
      assert.deepEqual(got, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      // Nothing was taken beyond what was read: after pending work ran, the
      // consumer still holds 9, and consume() itself gets offset 10 (a read
      // ahead waiting for data would be woken first and take it).
      await yieldToEventLoop();
      assert.equal(consumer.heldOffsets.get(0), 9);
      const next = await consumer.consume({ timeoutMs: 10_000 });
      assert.equal(next?.offset, 10);
      assert.equal(consumer.readable, consumer.readable);
      const pending = reader.read();
      await consumer.stop();
      const last = await pending;
      // The read in flight got a message or the end; the stream is closed.
      if (!last.done) assert.equal(last.value.offset, 11);
      assert.equal((await reader.read()).done, true);
    });
  },
);

consumerTest(
  "SimpleConsumer: deserializer and a subset of partitions",
  async () => {
    await withShared(async (_client, topic) => {
      await using consumer = topic.getSimpleConsumer<string, string | null>({
        partitions: [topic.partitions.get(1)!, 2],
        consumerTimeoutMs: 1000,
        deserializer: (value, key) => [
          dec.decode(value!),
          key === null ? null : dec.decode(key),
        ],
      });
      assert.deepEqual([...consumer.partitions.keys()], [1, 2]);
      assert.deepEqual([...consumer.heldOffsets.keys()], [1, 2]);
      let n = 0;
      for await (const m of consumer) {
        assert.equal(typeof m.value, "string");
        assert.match(m.value, /^msg \d+$/);
        assert.ok(m.partitionId === 1 || m.partitionId === 2);
        n++;
      }
      const latest = await topic.latestAvailableOffsets();
      assert.equal(n, latest.get(1)! + latest.get(2)!);
    });
  },
);

consumerTest(
  "SimpleConsumer: autocommit commits periodically and on stop()",
  async () => {
    await withShared(async (client, topic) => {
      const group = uniqueName("g");
      const consumer = topic.getSimpleConsumer({
        consumerGroup: group,
        autoCommitEnable: true,
        autoCommitIntervalMs: 200,
        partitions: [0],
      });
      await consumeN(consumer, 10);
      await eventually(
        "an autocommit",
        async () => {
          const o = await client.fetchConsumerGroupOffsets(group, [topic.name]);
          return o.get(topic.name)?.get(0)?.offset === 10;
        },
        10_000,
        100,
      );
      await consumeN(consumer, 5);
      await consumer.stop();
      const o = await client.fetchConsumerGroupOffsets(group, [topic.name]);
      assert.equal(o.get(topic.name)!.get(0)!.offset, 15);
    });
  },
);

consumerTest(
  "SimpleConsumer: a commit that fails for good throws the Kafka error",
  async () => {
    await withShared(async (_client, topic) => {
      await using consumer = topic.getSimpleConsumer({
        consumerGroup: uniqueName("g"),
        offsetsCommitMaxRetries: 1,
        offsetsChannelBackoffMs: 10,
      });
      await consumer.start();
      // A generation and member the (empty) group does not know.
      consumer.generationId = 7;
      consumer.consumerId = "nobody";
      await assert.rejects(
        consumer.commitOffsets(),
        (e: unknown) => {
          assert.ok(e instanceof KafkaError);
          assert.ok([22, 25].includes(e.code), `code ${e.code}`);
          assert.match(e.message, /group/);
          return true;
        },
      );
      // Without a group there is nothing to commit to.
      await using plain = topic.getSimpleConsumer({ autoStart: false });
      await assert.rejects(plain.commitOffsets(), /consumerGroup/);
      await assert.rejects(plain.fetchOffsets(), /consumerGroup/);
    });
  },
);

consumerTest(
  "SimpleConsumer: two fetchers per broker consume everything",
  async () => {
    await withShared(async (_client, topic) => {
      await using consumer = topic.getSimpleConsumer({
        numConsumerFetchers: 2,
        consumerTimeoutMs: 2000,
        queuedMaxMessages: 7,
        fetchMessageMaxBytes: 2048,
      });
      let n = 0;
      for await (const _ of consumer) n++;
      assert.equal(n, COUNT);
    });
  },
);

consumerTest(
  "SimpleConsumer: a batch larger than fetchMessageMaxBytes is fetched anyway (Fetch v3+)",
  async () => {
    await using client = await connect();
    const topic = await createTopic(client, "big", { partitions: 2 });
    const big = "x".repeat(20_000);
    await produceTo(topic, 0, [rec("small")]);
    await produceTo(topic, 0, [rec(big)]);
    await produceTo(topic, 0, [rec("after")]);
    await produceTo(topic, 1, [rec(big), rec(big)]);
    await using consumer = topic.getSimpleConsumer({
      fetchMessageMaxBytes: 1024,
      consumerTimeoutMs: 2000,
    });
    const got: string[] = [];
    for await (const m of consumer) {
      got.push(`${m.partitionId}:${m.value!.length}`);
    }
    assert.deepEqual(got.sort(), [
      "0:20000",
      "0:5",
      "0:5",
      "1:20000",
      "1:20000",
    ]);
  },
);

consumerTest(
  "SimpleConsumer over SASL_SSL (SCRAM-SHA-512): fetches, commits and offset fetches on the secured listener",
  async () => {
    await withShared(async (_plain, shared) => {
      await using client = await KafkaClient.connect({
        hosts: cluster.bootstrap("kafka39", "SASL_SSL"),
        sslConfig: { cafile: cluster.tls.caFile },
        sasl: { mechanism: "SCRAM-SHA-512", ...cluster.sasl.alice },
        useWorkers: inWorkersMode(),
      });
      const topic = await client.topics.get(shared.name);
      const group = uniqueName("g");
      await using consumer = topic.getSimpleConsumer({
        consumerGroup: group,
        consumerTimeoutMs: 2000,
      });
      let n = 0;
      for await (const _ of consumer) n++;
      assert.equal(n, COUNT);
      await consumer.commitOffsets();
      const latest = await topic.latestAvailableOffsets();
      for (const [id, f] of await consumer.fetchOffsets()) {
        assert.equal(f.offset, latest.get(id));
      }
    });
  },
);
