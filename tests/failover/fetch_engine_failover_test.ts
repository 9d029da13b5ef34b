// The fetch engine when a leader broker stops in the middle of an
// assignment change (Kafka 3.9, replication 2; the broker is always
// restarted in `finally`): the retained partitions deliver every record
// once, in order, across the leader move; the revoked ones deliver nothing
// after revoke(); partitions assigned while the broker is down are fetched
// from the new leaders. Stops a broker, so it lives in tests/failover/.
import assert from "node:assert/strict";
import { cluster } from "../cluster/mod.ts";
import { connect, createTopic, eventually } from "../consumer/_helpers.ts";
import {
  BackgroundProducer,
  EngineReader,
  RecordLog,
} from "../consumer/_engine.ts";

async function restart(id: number): Promise<void> {
  try {
    await cluster.startBroker(id);
  } catch (e) {
    console.error(`startBroker(${id}) failed once, retrying: ${e}`);
    await new Promise((r) => setTimeout(r, 1000));
    await cluster.startBroker(id);
  }
}

Deno.test("failover: a leader stops during an assignment change; retained partitions exactly once in order, revoked ones fenced", async () => {
  await using client = await connect("kafka39", { socketTimeoutMs: 10_000 });
  const a = await createTopic(client, "engfoa", {
    partitions: 4,
    replicationFactor: 2,
  });
  const b = await createTopic(client, "engfob", {
    partitions: 2,
    replicationFactor: 2,
  });
  await eventually(
    "every replica in sync",
    async () => {
      await client.updateCluster();
      return [...a.partitions.values(), ...b.partitions.values()].every((p) =>
        p.isr.length === 2
      );
    },
    60_000,
    250,
  );
  const victim = a.partitions.get(0)!.leader.id;
  const producer = new BackgroundProducer([a, b], 10);
  const reader = new EngineReader(client.cluster, {
    queuedMaxMessages: 40,
    fetchMessageMaxBytes: 2048,
    fetchErrorBackoffMs: 200,
  });
  const log = new RecordLog();
  let atRevoke = new Map<string, number>();
  try {
    reader.engine.assign(
      [...a.partitions.keys()].map((partition) => ({
        topic: a,
        partition,
        position: 0,
      })),
    );
    reader.engine.start();
    await reader.readUntil(
      log,
      () => log.total >= 300,
      60_000,
      () => producer.describe(),
    );
    try {
      const stopping = cluster.stopBroker(victim);
      // The assignment changes while the leader goes away: one partition
      // led by the victim and one led by the other broker leave, the
      // partitions of another topic join.
      const other = [...a.partitions.values()].find((p) =>
        p.leaderId !== victim
      );
      const leaving = [0, other?.id ?? 1].map((partition) => ({
        topic: a.name,
        partition,
      }));
      await reader.engine.revoke(leaving);
      atRevoke = new Map(
        leaving.map((
          tp,
        ) => [
          `${tp.topic}/${tp.partition}`,
          log.count(tp.topic, tp.partition),
        ]),
      );
      reader.engine.assign(
        [0, 1].map((partition) => ({ topic: b, partition, position: 0 })),
      );
      const mark = log.total;
      await reader.readUntil(
        log,
        () => log.total >= mark + 300,
        60_000,
        () => producer.describe(),
      );
      await stopping;
      const mark2 = log.total;
      await reader.readUntil(
        log,
        () => log.total >= mark2 + 300,
        60_000,
        () => producer.describe(),
      );
    } finally {
      await restart(victim);
    }
    const mark3 = log.total;
    await reader.readUntil(
      log,
      () => log.total >= mark3 + 200,
      60_000,
      () => producer.describe(),
    );
    await producer.stop();
    // What the partitions hold (a produce retried across the broker stop may
    // have been written twice: the log, not the producer, is the reference).
    const ends = new Map<string, number>();
    for (const t of [a, b]) {
      for (const [p, o] of await t.latestAvailableOffsets()) {
        ends.set(`${t.name}/${p}`, o);
      }
    }
    const retained = reader.engine.cursors;
    await reader.readUntil(
      log,
      () =>
        retained.every((c) =>
          log.count(c.topic.name, c.id) === ends.get(String(c))
        ),
      60_000,
      () => `${producer.describe()} ends ${JSON.stringify([...ends])}`,
    );
    assert.equal(await reader.next(500), null);
    // Every record of a retained partition once, in offset order.
    for (const c of retained) {
      const offsets = log.offsets.get(String(c)) ?? [];
      assert.deepEqual(
        offsets,
        Array.from({ length: ends.get(String(c))! }, (_, i) => i),
        String(c),
      );
    }
    for (const [key, n] of atRevoke) {
      assert.equal(
        log.byPartition.get(key)?.length ?? 0,
        n,
        `${key} delivered after revoke()`,
      );
    }
  } finally {
    await producer.stop();
    await reader.stop();
  }
  assert.equal(reader.engine.stats.connectionsOpen, 0);
});
