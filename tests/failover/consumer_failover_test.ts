// SimpleConsumer broker failover. Kafka 3.9: the leader broker of a
// replicated topic is stopped mid-consumption (and always restarted in
// `finally`): every record is consumed, none skipped, no duplicates while
// the consumer runs, and a new consumer of the group re-reads only what
// came after the last commit. Kafka 4.x: the single KRaft node restarts
// under a running consumer, which resumes at its position. These stop
// brokers, so they live in tests/failover/ (run last, one file at a time).
import assert from "node:assert/strict";
import { failover } from "./_gate.ts";
import type { SimpleConsumer } from "../../src/consumer/mod.ts";
import { cluster } from "../cluster/mod.ts";
import {
  connect,
  createTopic,
  dec,
  eventually,
  produceTo,
  rec,
  uniqueName,
} from "../consumer/_helpers.ts";
import { restartBroker } from "./_helpers.ts";

/** Consumes until `want` values are in `into` (or `timeoutMs` passes without progress). */
async function consumeUntil(
  consumer: SimpleConsumer,
  into: string[],
  want: number,
  timeoutMs = 60_000,
): Promise<void> {
  while (into.length < want) {
    const m = await consumer.consume({ timeoutMs });
    assert.ok(m, `stalled at ${into.length} of ${want} records`);
    into.push(dec.decode(m.value!));
  }
}

failover.test("failover: the leader broker stops mid-consumption; nothing is skipped, duplicates only after the last commit", async () => {
  await using client = await connect("kafka39", { socketTimeoutMs: 10_000 });
  const topic = await createTopic(client, "failover", {
    partitions: 4,
    replicationFactor: 2,
  });
  const produced: string[] = [];
  const produceRound = async (round: string, perPartition: number) => {
    await Promise.all([...topic.partitions.keys()].map(async (p) => {
      const values = Array.from(
        { length: perPartition },
        (_, i) => `${round} p${p} ${i}`,
      );
      for (let at = 0; at < values.length; at += 100) {
        await produceTo(
          topic,
          p,
          values.slice(at, at + 100).map((v) => rec(v)),
        );
      }
      produced.push(...values);
    }));
  };
  await produceRound("before", 500);
  await eventually(
    "every replica in sync",
    async () => {
      await client.updateCluster();
      return [...topic.partitions.values()].every((p) => p.isr.length === 2);
    },
    60_000,
    250,
  );
  const victim = topic.partitions.get(0)!.leader.id;
  const group = uniqueName("g");
  const consumer = topic.getSimpleConsumer({
    consumerGroup: group,
    queuedMaxMessages: 50,
    fetchMessageMaxBytes: 4096,
    fetchErrorBackoffMs: 200,
  });
  const seen: string[] = [];
  let afterCommit: string[] = [];
  try {
    await consumeUntil(consumer, seen, 600);
    await consumer.commitOffsets();
    try {
      // Stop while fetches are in flight.
      const stopping = cluster.stopBroker(victim);
      await consumeUntil(consumer, seen, 900);
      await stopping;
      await produceRound("during", 150);
      await consumeUntil(consumer, seen, 1200);
      // A commit while a broker is down (the coordinator may have moved).
      await consumer.commitOffsets();
      afterCommit = [];
      const mark = seen.length;
      await consumeUntil(consumer, seen, 2300);
      afterCommit = seen.slice(mark);
    } finally {
      await restartBroker(victim);
    }
    await produceRound("after", 100);
    const mark = seen.length;
    await consumeUntil(consumer, seen, produced.length);
    afterCommit.push(...seen.slice(mark));
    assert.equal(await consumer.consume({ timeoutMs: 500 }), null);
  } finally {
    await consumer.stop();
  }
  // Every record exactly once while the consumer ran.
  assert.equal(seen.length, produced.length);
  assert.equal(new Set(seen).size, produced.length);
  assert.deepEqual([...seen].sort(), [...produced].sort());
  // Per partition in order.
  for (const p of topic.partitions.keys()) {
    const mine = seen.filter((v) => v.includes(` p${p} `));
    const order = produced.filter((v) => v.includes(` p${p} `));
    assert.deepEqual(mine, order, `partition ${p} order`);
  }
  // A new consumer of the group re-reads exactly what came after the last
  // commit.
  await using again = topic.getSimpleConsumer({
    consumerGroup: group,
    consumerTimeoutMs: 2000,
  });
  const reread: string[] = [];
  for await (const m of again) reread.push(dec.decode(m.value!));
  assert.deepEqual(reread.sort(), afterCommit.sort());
});

failover.test("failover: a single-node Kafka 4.x cluster restarts under a running consumer", async () => {
  await using client = await connect("kafka4", { socketTimeoutMs: 10_000 });
  const topic = await createTopic(client, "restart", { partitions: 2 });
  // Small batches, so the fetch size bounds what is prefetched.
  for (const p of [0, 1]) {
    for (let b = 0; b < 30; b++) {
      await produceTo(
        topic,
        p,
        Array.from({ length: 10 }, (_, i) => rec(`a${p}-${b * 10 + i}`)),
      );
    }
  }
  await using consumer = topic.getSimpleConsumer({
    queuedMaxMessages: 20,
    fetchMessageMaxBytes: 2048,
    fetchErrorBackoffMs: 200,
  });
  const seen: string[] = [];
  await consumeUntil(consumer, seen, 100);
  try {
    await cluster.stopBroker(101);
    // What was prefetched can still be consumed while the node is down.
    for (;;) {
      const m = await consumer.consume({ timeoutMs: 200 });
      if (m === null) break;
      seen.push(dec.decode(m.value!));
    }
    assert.ok(seen.length < 600, "the consumer cannot have read everything");
  } finally {
    await restartBroker(101);
  }
  for (const p of [0, 1]) {
    await produceTo(
      topic,
      p,
      Array.from({ length: 100 }, (_, i) => rec(`b${p}-${i}`)),
    );
  }
  while (seen.length < 800) {
    const m = await consumer.consume({ timeoutMs: 60_000 });
    assert.ok(m, `stalled at ${seen.length}`);
    seen.push(dec.decode(m.value!));
  }
  assert.equal(new Set(seen).size, 800);
  assert.equal(await consumer.consume({ timeoutMs: 300 }), null);
});
