// The ledger through broker crashes (issue 17): 200 000 records with
// acks=-1 and idempotence to a replicated topic of the Kafka 3.9 cluster
// while the leader of partition 0 is killed with SIGKILL and restarted,
// twice (the second time it is the other broker, which took over), and a
// SimpleConsumer (group, auto-commit) reads the topic all along. Every
// acknowledged record is consumed exactly once, in order per partition;
// every record not acknowledged is reported failed; nothing is skipped.
// In ZooKeeper mode a killed broker keeps its partitions until its session
// expires (18 s), so each crash is a real outage for the partitions it led.
// LEDGER_RECORDS overrides the count. Stops brokers: tests/failover/ only.
import assert from "node:assert/strict";
import { failover } from "./_gate.ts";
import type { KafkaClient } from "../../src/client/mod.ts";
import { cluster } from "../cluster/mod.ts";
import { connect } from "../producer/_helpers.ts";
import { restartBroker } from "./_helpers.ts";
import { waitFor } from "../wait_for.ts";
import { Ledger, LedgerConsumer, LedgerProducer } from "../fault/_ledger.ts";

const N = Number(Deno.env.get("LEDGER_RECORDS") ?? 200_000);
const P = 4;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the cluster's metadata no longer lists broker `id` (its ZooKeeper session expired). */
async function unregistered(client: KafkaClient, id: number): Promise<void> {
  await waitFor(async () => {
    await client.updateCluster().catch(() => {});
    return !client.brokers.has(id);
  }, { what: `broker ${id} unregistered`, timeoutMs: 60_000, intervalMs: 500 });
}

/** Waits until every partition of `topic` has both replicas in sync. */
async function inSync(client: KafkaClient, topic: string): Promise<void> {
  await waitFor(async () => {
    await client.updateCluster().catch(() => {});
    const t = client.topics.has(topic) ? await client.topics.get(topic) : null;
    return !!t &&
      [...t.partitions.values()].every((p) => p.isr.length === 2);
  }, { what: `${topic} in sync`, timeoutMs: 120_000, intervalMs: 500 });
}

failover.test(`failover: ledger of ${N} idempotent acks=-1 records and a SimpleConsumer while the partition leader is killed (SIGKILL) and restarted twice`, async () => {
  const started = performance.now();
  const at = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  await using admin = await connect("kafka39", { socketTimeoutMs: 10_000 });
  const name = `ledger-kill-${Date.now().toString(36)}-${
    crypto.randomUUID().slice(0, 6)
  }`;
  await admin.createTopics([{ name, numPartitions: P, replicationFactor: 2 }]);
  await inSync(admin, name);
  const down = new Set<number>();
  const log: string[] = [];
  try {
    await using producing = await connect("kafka39", {
      socketTimeoutMs: 10_000,
    });
    await using consuming = await connect("kafka39", {
      socketTimeoutMs: 10_000,
    });
    const ledger = new Ledger(P);
    const consumer = new LedgerConsumer(
      await consuming.topics.get(name),
      ledger,
      {
        consumerGroup: `${name}-g`,
        autoCommitEnable: true,
        autoCommitIntervalMs: 1000,
        fetchErrorBackoffMs: 200,
        // A crashed coordinator is away for its ZooKeeper session (18 s);
        // the default (5 retries, 1 s apart) gives up before it is back.
        offsetsCommitMaxRetries: 60,
      },
    );
    const producer = new LedgerProducer(
      await producing.topics.get(name),
      ledger,
      {
        // Long enough to outlast a crashed leader's ZooKeeper session.
        maxRetries: 40,
        retryBackoffMs: 250,
        lingerMs: 5,
        maxQueuedMessages: 200_000,
      },
    );
    const progress = setInterval(
      () => console.log(`[ledger kill] ${at()}: ${ledger.line()}`),
      10_000,
    );
    // Production runs all through both crashes: about 2 000 records/s, at
    // most `cap` records until the faults of the round are over (so that
    // it never runs out before a crash), then the rest as fast as the
    // producer takes them.
    let cap = 80_000;
    let faultsOver = false;
    const production = (async () => {
      const t0 = performance.now();
      for (let done = 0; done < N; done += 500) {
        while (!faultsOver && done >= cap) await sleep(100);
        await producer.produce(Math.min(500, N - done));
        if (!faultsOver) {
          const ahead = done / 2 - (performance.now() - t0);
          if (ahead > 0) await sleep(Math.min(ahead, 1000));
        }
      }
    })();
    try {
      for (const [round, kill] of [[1, 30_000], [2, 90_000]]) {
        await waitFor(() => ledger.produced >= kill, {
          what: `${kill} records produced`,
          timeoutMs: 120_000,
        });
        await admin.updateCluster();
        const t = await admin.topics.get(name);
        const victim = t.partitions.get(0)!.leader.id;
        log.push(
          `${at()}: kill broker ${victim} (${ledger.produced} produced)`,
        );
        down.add(victim);
        await cluster.killBroker(victim);
        await unregistered(admin, victim);
        log.push(`${at()}: broker ${victim} unregistered`);
        await restartBroker(victim);
        down.delete(victim);
        log.push(
          `${at()}: broker ${victim} back (${ledger.produced} produced)`,
        );
        await inSync(admin, name);
        log.push(`${at()}: in sync again`);
        if (round === 1) cap = 160_000;
      }
      faultsOver = true;
      await production;
      await producer.stop();
      const caughtUp = await consumer.catchUp(120_000);
      await consumer.stop();
      console.log(`[ledger kill] ${log.join("; ")}`);
      console.log(`[ledger kill] ${at()}: ${ledger.line()}`);
      assert.equal(consumer.error, undefined, String(consumer.error));
      const c = ledger.counts();
      assert.ok(caughtUp, `missing: ${ledger.missingSample()}`);
      assert.equal(c.produced, N);
      assert.equal(c.acked + c.failed, N, "every record reported once");
      assert.equal(c.reportedTwice, 0);
      assert.equal(c.missing, 0, "every acknowledged record consumed");
      assert.equal(c.duplicates, 0, "none twice");
      assert.equal(c.reordered, 0, "order per partition");
      assert.equal(c.phantoms, 0);
      assert.ok(c.acked >= N * 0.95, `${c.acked} of ${N} acknowledged`);
    } finally {
      clearInterval(progress);
      faultsOver = true;
      // On a failure above, stop the producer so that production ends.
      await producer.stop().catch(() => {});
      await production.catch(() => {});
      await consumer.stop().catch(() => {});
    }
  } finally {
    for (const id of down) await restartBroker(id);
    await admin.deleteTopics([name]).catch(() => {});
  }
});
