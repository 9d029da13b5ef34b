// Cluster-layer broker failover on the Kafka 3.9 cluster: broker 2 is
// stopped (and always restarted in `finally`). It disturbs every test that
// uses broker 2 while it is down, so it lives in tests/failover/, which
// tests/run.ts runs last, one file at a time; test names start with
// "failover:".
import assert from "node:assert/strict";
import { failover } from "./_gate.ts";
import { KafkaClient } from "../../src/client/mod.ts";
import { cluster } from "../cluster/mod.ts";
import { produce, uniqueName } from "../client/_helpers.ts";
import { waitFor } from "../wait_for.ts";
import { restartBroker } from "./_helpers.ts";

/** Polls `check` every 250 ms for up to 60 s (broker state changes take seconds). */
function until(what: string, check: () => Promise<boolean>): Promise<boolean> {
  return waitFor(check, { what, timeoutMs: 60_000, intervalMs: 250 });
}

failover.test("failover: stopping the leader broker of a replicated topic; restart brings it back", async () => {
  await using client = await KafkaClient.connect({
    hosts: cluster.bootstrap("kafka39", "PLAINTEXT"),
    socketTimeoutMs: 10_000,
  });
  const name = uniqueName("failover");
  await client.createTopics([{
    name,
    numPartitions: 4,
    replicationFactor: 2,
  }]);
  const topic = await client.topics.get(name);
  // Replicas alternate between the two brokers: some partitions are led by 2.
  const ledBy2 = [...topic.partitions.values()].filter((p) =>
    p.leader.id === 2
  );
  assert.ok(ledBy2.length > 0, "some partition is led by broker 2");
  for (const p of topic.partitions.keys()) await produce(topic, p, 10);
  // Every replica in sync before stopping (acks=-1 wrote to both).
  await until("ISR of 2", async () => {
    await client.updateCluster();
    return [...topic.partitions.values()].every((p) => p.isr.length === 2);
  });
  const broker2 = client.brokers.get(2)!;
  await broker2.connect();
  const group = uniqueName("failover-grp");

  try {
    await cluster.stopBroker(2);
    await client.updateCluster();
    // Every partition has a live leader: broker 1 (a controlled shutdown
    // moves leadership before the broker exits).
    for (const p of topic.partitions.values()) {
      assert.ok(p.hasLeader, `partition ${p.id} has a leader`);
      assert.equal(p.leader.id, 1);
    }
    // The metadata drops broker 2 once the controller noticed it left.
    await until("broker 2 gone from the metadata", async () => {
      await client.updateCluster();
      return !client.brokers.has(2);
    });
    assert.ok(broker2.closed, "the removed broker's connections are closed");
    await until("ISR without broker 2", async () => {
      await client.updateCluster();
      return [...topic.partitions.values()].every((p) => p.isr.length === 1);
    });
    for (const p of topic.partitions.values()) {
      assert.ok(p.hasLeader, `partition ${p.id} has a leader`);
      assert.equal(p.leader.id, 1);
      assert.deepEqual(p.replicaIds.sort(), [1, 2]);
      assert.deepEqual(p.replicas.map((b) => b.id), [1]);
      assert.deepEqual(p.isr.map((b) => b.id), [1]);
    }
    // The client keeps working: offsets, produce, coordinator, admin.
    const latest = await topic.latestAvailableOffsets();
    assert.deepEqual([...latest.values()], [10, 10, 10, 10]);
    for (const p of topic.partitions.keys()) await produce(topic, p, 5);
    assert.deepEqual(
      [...(await topic.latestAvailableOffsets()).values()],
      [15, 15, 15, 15],
    );
    await client.commitConsumerGroupOffsets(group, [
      { topic: name, partition: 0, offset: 7 },
    ]);
    const lag = await client.consumerGroupLag(group, name);
    assert.equal(lag.get(0)!.lag, 8);
    const fresh = await client.topics.get(uniqueName("failover-new"));
    assert.equal(fresh.partitions.get(0)!.leader.id, 1);
  } finally {
    await restartBroker(2);
  }
  // Broker 2 is back in the metadata, reachable, and in sync again.
  await until("broker 2 back in brokers", async () => {
    await client.updateCluster();
    return client.brokers.has(2);
  });
  const back = client.brokers.get(2)!;
  assert.notEqual(back, broker2);
  assert.equal(back.address, cluster.address(2, "PLAINTEXT"));
  await back.connect();
  assert.ok(back.connected);
  await until("ISR of 2 again", async () => {
    await client.updateCluster();
    return [...topic.partitions.values()].every((p) => p.isr.length === 2);
  });
  await client.deleteGroups([group]);
  await client.deleteTopics([name]);
});
