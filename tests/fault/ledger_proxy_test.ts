// The ledger through the fault proxy (issue 17): 200 000 records with
// acks=-1 and idempotence, produced by one client and consumed at the same
// time by a SimpleConsumer (group, auto-commit) of another, every
// connection of both through the proxies (tests/fault/proxy.ts, broker
// addresses rewritten), which every 0.2–2.5 s drop connections, cut a
// response short, half-close, or stall a broker past the request timeout.
// Every acknowledged record is consumed exactly once, in order per
// partition; every record not acknowledged is reported failed; nothing is
// skipped. LEDGER_RECORDS overrides the count.
import assert from "node:assert/strict";
import { KafkaClient } from "../../src/client/mod.ts";
import { cluster } from "../cluster/mod.ts";
import { Ledger, LedgerConsumer, LedgerProducer } from "./_ledger.ts";
import { FaultCluster } from "./proxy.ts";

const N = Number(Deno.env.get("LEDGER_RECORDS") ?? 200_000);
const P = 4;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test(`ledger: ${N} idempotent acks=-1 records and a SimpleConsumer through a proxy that breaks connections every 0.2-2.5 s`, async () => {
  const started = performance.now();
  await using admin = await KafkaClient.connect({
    hosts: cluster.bootstrap("kafka39", "PLAINTEXT"),
  });
  const name = `ledger-proxy-${Date.now().toString(36)}-${
    crypto.randomUUID().slice(0, 6)
  }`;
  await admin.createTopics([{
    name,
    numPartitions: P,
    replicationFactor: 2,
  }]);
  try {
    await using faults = new FaultCluster(
      cluster.bootstrap("kafka39", "PLAINTEXT"),
    );
    const options = { hosts: faults.bootstrap, socketTimeoutMs: 3000 };
    await using producing = await KafkaClient.connect(options);
    await using consuming = await KafkaClient.connect(options);
    const ledger = new Ledger(P);
    const consumer = new LedgerConsumer(
      await consuming.topics.get(name),
      ledger,
      {
        consumerGroup: `${name}-g`,
        autoCommitEnable: true,
        autoCommitIntervalMs: 1000,
        fetchErrorBackoffMs: 100,
        // Commits ride out a run of broken connections (the default gives up
        // after 5 retries, and then the consumer fails).
        offsetsCommitMaxRetries: 30,
      },
    );
    const producer = new LedgerProducer(
      await producing.topics.get(name),
      ledger,
      {
        maxRetries: 30,
        retryBackoffMs: 100,
        lingerMs: 5,
        maxQueuedMessages: 50_000,
      },
    );
    const stopChaos = faults.chaos({
      minMs: 200,
      maxMs: 2500,
      maxStallMs: 4000,
      seed: 20_261_207,
    });
    const progress = setInterval(
      () => console.log(`[ledger proxy] ${ledger.line()}`),
      5000,
    );
    try {
      // About 10 000 records/s, so that the faults land all through.
      const t0 = performance.now();
      for (let done = 0; done < N; done += 1000) {
        await producer.produce(Math.min(1000, N - done));
        const ahead = done / 10 - (performance.now() - t0);
        if (ahead > 0) await sleep(ahead);
      }
      await producer.stop();
      await stopChaos();
      const caughtUp = await consumer.catchUp(60_000);
      await consumer.stop();
      assert.equal(consumer.error, undefined, String(consumer.error));
      const c = ledger.counts();
      console.log(
        `[ledger proxy] ${ledger.line()}; ${faults.events.length} faults (${
          summarize(faults.events.map((e) => e.what))
        }); ${
          faults.proxies.reduce((n, p) => n + p.accepted, 0)
        } connections through the proxies; ${
          ((performance.now() - started) / 1000).toFixed(1)
        } s`,
      );
      assert.ok(caughtUp, `missing: ${ledger.missingSample()}`);
      assert.equal(c.produced, N);
      assert.equal(c.acked + c.failed, N, "every record reported once");
      assert.equal(c.reportedTwice, 0);
      assert.equal(c.missing, 0, "every acknowledged record consumed");
      assert.equal(c.duplicates, 0, "none twice");
      assert.equal(c.reordered, 0, "order per partition");
      assert.equal(c.phantoms, 0);
      assert.ok(c.acked >= N * 0.99, `${c.acked} of ${N} acknowledged`);
      assert.ok(faults.events.length >= 10, "the faults happened");
    } finally {
      clearInterval(progress);
      await stopChaos();
    }
  } finally {
    await admin.deleteTopics([name]).catch(() => {});
  }
});

function summarize(whats: string[]): string {
  const counts = new Map<string, number>();
  for (const w of whats) {
    const k = w.split(" ")[0];
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].map(([k, v]) => `${k} ${v}`).join(", ");
}
