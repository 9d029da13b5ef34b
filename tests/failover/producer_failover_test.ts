// Producer through a leader failover on the Kafka 3.9 cluster: broker 2 is
// stopped and restarted (always restarted in `finally`) while an
// idempotent, acks=-1 producer writes 100 000 records to a topic with
// replication factor 2. Every acknowledged record must be read back exactly
// once, nothing may be duplicated, and each partition keeps the order of
// production. Lives in tests/failover/ (run serially, last).
import assert from "node:assert/strict";
import { failover } from "./_gate.ts";
import { cluster } from "../cluster/mod.ts";
import {
  connect,
  dec,
  dropTopic,
  enc,
  newTopic,
  readTopic,
} from "../producer/_helpers.ts";
import { waitFor } from "../wait_for.ts";
import { restartBroker } from "./_helpers.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

failover.test("failover: idempotent acks=-1 producer, broker 2 stopped and restarted during 100 000 records", async () => {
  await using client = await connect("kafka39", { socketTimeoutMs: 10_000 });
  const P = 4;
  const topic = await newTopic(client, "failover-producer", P, 2);
  let broker2Down = false;
  try {
    assert.ok(
      [...topic.partitions.values()].some((p) => p.leader.id === 2),
      "broker 2 leads a partition",
    );
    const producer = topic.getProducer({
      requiredAcks: -1,
      idempotent: true,
      deliveryReports: true,
      maxQueuedMessages: 200_000,
      maxRetries: 50,
      retryBackoffMs: 50,
      lingerMs: 5,
    });
    const N = 100_000;
    const acked: number[] = [];
    const failures: Error[] = [];
    const reports = (async () => {
      for await (const [m, err] of producer.deliveryReports()) {
        if (err) failures.push(err);
        else acked.push(Number(dec.decode(m.value!)));
      }
    })();

    let i = 0;
    const produceTo = async (limit: number, until?: () => boolean) => {
      while (i < limit && !(until?.() ?? false)) {
        const end = Math.min(limit, i + 500);
        for (; i < end; i++) {
          await producer.produce(enc.encode(`${i}`), { partition: i % P });
        }
        if (until) await sleep(20); // spread records over the transition
      }
    };

    const t0 = Date.now();
    const at = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
    await produceTo(20_000);
    let stopped = false;
    broker2Down = true;
    const stopping = cluster.stopBroker(2).then(() => stopped = true);
    await produceTo(50_000, () => stopped);
    await stopping;
    const stoppedAt = `${at()} (${i} records)`;
    await produceTo(60_000);
    // The producer's view of the topic moved off broker 2 (through a retry
    // after NOT_LEADER / a dropped connection, or a metadata refresh when
    // the connection closed between requests: both are valid).
    const ledBy2 = () =>
      [...topic.partitions.values()].filter((p) =>
        p.hasLeader && p.leaderId === 2
      ).length;
    // Usually the producer's own refresh has done it by now; when the
    // controller moved the last leader after the producer's last request,
    // nothing asks again, so after a while the poll asks for metadata too.
    // The bound covers a broker that is unregistered only when its session
    // ends (18 s) on a loaded machine.
    const since = Date.now();
    await waitFor(async () => {
      if (ledBy2() === 0) return true;
      if (Date.now() - since > 10_000) {
        await client.updateCluster().catch(() => {});
      }
      return ledBy2() === 0;
    }, {
      what: "leaders moved off the stopped broker 2",
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    let started = false;
    const starting = restartBroker(2).then(() => started = true);
    await produceTo(90_000, () => started);
    await starting;
    const startedAt = `${at()} (${i} records)`;
    broker2Down = false;
    await produceTo(N);
    await producer.flush();
    await producer.stop();
    await reports;

    const s = producer.stats;
    console.log(
      `failover producer: broker 2 stopped at ${stoppedAt}, back at ${startedAt}; ${acked.length} acknowledged, ${failures.length} failed, ${s.retries} retries, ${s.producerIdResets} producer id resets, ${s.requests} requests`,
    );
    assert.equal(acked.length + failures.length, N);
    assert.ok(acked.length >= N * 0.99, `${acked.length} of ${N} acknowledged`);

    // Read everything back.
    const counts = new Map<number, number>();
    for (const v of acked) counts.set(v % P, (counts.get(v % P) ?? 0) + 1);
    const back = await readTopic(topic, counts);
    const seen = new Map<number, number>();
    for (const [p, rb] of back) {
      let prev = -1;
      for (const r of rb.records) {
        const v = Number(dec.decode(r.value!));
        assert.equal(v % P, p, `record ${v} in partition ${p}`);
        assert.ok(v > prev, `partition ${p}: ${v} after ${prev} (order)`);
        prev = v;
        seen.set(v, (seen.get(v) ?? 0) + 1);
      }
    }
    const dupes = [...seen].filter(([, c]) => c > 1);
    assert.deepEqual(dupes, [], "no record is stored twice");
    for (const v of acked) {
      assert.equal(seen.get(v), 1, `acknowledged record ${v} read once`);
    }
  } finally {
    if (broker2Down) await restartBroker(2);
    await dropTopic(client, topic.name);
  }
});
