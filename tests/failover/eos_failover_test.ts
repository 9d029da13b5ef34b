// Exactly-once consume-transform-produce through a broker restart (Kafka
// 3.9, replication 2): 100 000 input records are read by a SimpleConsumer
// of a group, transformed and written by a transactional producer, with
// the group's offsets committed in the same transactions; broker 2 is
// stopped and restarted in the middle (always restarted in `finally`).
// A failed transaction is aborted and the consumer rewound to the group's
// committed offsets (a fenced producer is replaced); at the end the
// committed output equals the input transformed, each record exactly
// once, in order per partition. Lives in tests/failover/ (stops brokers).
import assert from "node:assert/strict";
import { failover } from "./_gate.ts";
import { cluster } from "../cluster/mod.ts";
import { IsolationLevel, type SimpleConsumer } from "../../src/consumer/mod.ts";
import type { ClientProducer } from "../../src/producer/mod.ts";
import { OffsetType } from "../../src/cluster/mod.ts";
import { ProducerFencedError } from "../../mod.ts";
import {
  connect,
  dec,
  dropTopic,
  enc,
  newTopic,
  uniqueName,
} from "../producer/_helpers.ts";
import { waitFor } from "../wait_for.ts";
import { restartBroker } from "./_helpers.ts";

failover.test("failover: exactly-once consume-transform-produce (SimpleConsumer + group offsets in transactions), 100 000 records, broker 2 restarted in the middle", async () => {
  await using client = await connect("kafka39", { socketTimeoutMs: 10_000 });
  const P = 4;
  const N = 100_000;
  // Both brokers (one may still be coming back from an earlier test).
  await waitFor(async () => {
    await client.updateCluster();
    return client.brokers.size >= 2;
  }, { timeoutMs: 60_000, intervalMs: 250, what: "both 3.9 brokers" });
  const input = await newTopic(client, "eos-in", P, 2);
  const output = await newTopic(client, "eos-out", P, 2);
  const group = uniqueName("eos-group");
  const txnId = uniqueName("eos-txn");
  let broker2Down = false;
  try {
    {
      await using fill = input.getProducer({ requiredAcks: -1, lingerMs: 5 });
      for (let i = 0; i < N; i += 1000) {
        await fill.produceBatch(
          Array.from({ length: 1000 }, (_, j) => ({
            value: enc.encode(`${i + j}`),
            partition: (i + j) % P,
          })),
        );
      }
      await fill.flush();
    }
    await waitFor(async () => {
      await client.updateCluster();
      return [...input.partitions.values(), ...output.partitions.values()]
        .every((p) => p.isr.length === 2);
    }, { timeoutMs: 60_000, intervalMs: 250, what: "every replica in sync" });

    const makeProducer = () =>
      client.getProducer({
        transactionalId: txnId,
        maxRetries: 30,
        retryBackoffMs: 100,
        lingerMs: 5,
      });
    const makeConsumer = () =>
      input.getSimpleConsumer({
        consumerGroup: group,
        // Also waits for offsets a transaction is still committing
        // (requireStable), so a rewind never goes behind a commit.
        isolationLevel: IsolationLevel.READ_COMMITTED,
        autoOffsetReset: OffsetType.EARLIEST,
        fetchErrorBackoffMs: 200,
      });
    let producer: ClientProducer = makeProducer();
    let consumer: SimpleConsumer = makeConsumer();
    let committed = 0;
    const failures: string[] = [];
    let stopping: Promise<void> | undefined;
    let starting: Promise<void> | undefined;
    const t0 = Date.now();
    const events: string[] = [];
    const at = (what: string) => {
      events.push(
        `${what} at ${
          ((Date.now() - t0) / 1000).toFixed(1)
        } s (${committed} committed)`,
      );
    };
    const deadline = t0 + 300_000;
    while (committed < N) {
      assert.ok(
        Date.now() < deadline,
        `not done within 300 s: ${committed} of ${N} committed; ${
          events.join("; ")
        }; ${failures.length} failed transactions (last: ${failures.at(-1)})`,
      );
      if (stopping === undefined && committed >= N * 0.3) {
        broker2Down = true;
        at("stopping broker 2");
        stopping = cluster.stopBroker(2).then(() => at("broker 2 stopped"));
      }
      if (starting === undefined && stopping && committed >= N * 0.6) {
        await stopping;
        at("starting broker 2");
        starting = restartBroker(2).then(() => {
          broker2Down = false;
          at("broker 2 back");
        });
      }
      try {
        await producer.beginTransaction();
        let n = 0;
        while (n < 2000) {
          const m = await consumer.consume({ timeoutMs: 300 });
          if (m === null) break;
          await producer.produce(
            output.name,
            enc.encode(`${dec.decode(m.value!)}:x`),
            { partition: m.partitionId },
          );
          n++;
        }
        await producer.sendOffsetsToTransaction(
          [...consumer.heldOffsets].filter(([, o]) => o >= 0).map((
            [partition, last],
          ) => ({ topic: input.name, partition, offset: last + 1 })),
          { groupId: group },
        );
        await producer.commitTransaction();
        committed += n;
      } catch (e) {
        failures.push(String(e));
        if (e instanceof ProducerFencedError) {
          await producer.stop().catch(() => {});
          producer = makeProducer();
        } else {
          try {
            await producer.abortTransaction();
          } catch {
            await producer.stop().catch(() => {});
            producer = makeProducer();
          }
        }
        // Back to what the group committed.
        await consumer.stop().catch(() => {});
        consumer = makeConsumer();
        const offs = await client.fetchConsumerGroupOffsets(group, [
          input.name,
        ]);
        committed = 0;
        for (const o of offs.get(input.name)?.values() ?? []) {
          if (o.offset > 0) committed += o.offset;
        }
      }
    }
    await starting;
    await producer.stop();
    await consumer.stop();
    console.log(
      `eos failover: ${
        events.join("; ")
      }; ${failures.length} transactions failed and were redone${
        failures.length ? ` (first: ${failures[0]})` : ""
      }`,
    );
    assert.ok(stopping !== undefined && starting !== undefined);

    // The group committed everything.
    const offs = await client.fetchConsumerGroupOffsets(group, [input.name]);
    let total = 0;
    for (const o of offs.get(input.name)!.values()) total += o.offset;
    assert.equal(total, N);
    // The committed output: every input record transformed, exactly once,
    // in input order per partition.
    await using reader = output.getSimpleConsumer({
      isolationLevel: IsolationLevel.READ_COMMITTED,
      autoOffsetReset: OffsetType.EARLIEST,
      consumerTimeoutMs: 3000,
    });
    const seen = new Uint8Array(N);
    const last = new Map<number, number>();
    let count = 0;
    for await (const m of reader) {
      const [v, suffix] = dec.decode(m.value!).split(":");
      const i = Number(v);
      assert.equal(suffix, "x");
      assert.equal(
        i % P,
        m.partitionId,
        `record ${i} in partition ${m.partitionId}`,
      );
      assert.ok(
        i > (last.get(m.partitionId) ?? -1),
        `partition ${m.partitionId}: ${i} after ${last.get(m.partitionId)}`,
      );
      last.set(m.partitionId, i);
      assert.equal(seen[i], 0, `record ${i} written twice`);
      seen[i] = 1;
      count++;
    }
    assert.equal(count, N, `${count} of ${N} records in the committed output`);
  } finally {
    if (broker2Down) await restartBroker(2);
    await dropTopic(client, input.name);
    await dropTopic(client, output.name);
  }
});
