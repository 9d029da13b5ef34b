/**
 * `deno task soak`: produce and consume for a long time while brokers
 * restart, and keep the ledger (tests/fault/_ledger.ts): an idempotent
 * acks=-1 producer writes sequence-numbered records at a steady rate to a
 * replicated topic of the local Kafka 3.9 cluster, a SimpleConsumer (group,
 * auto-commit) reads them, and every `--restart-every` seconds one broker
 * (in turn) is stopped and started again (`--kill`: killed with SIGKILL,
 * started again once its ZooKeeper session expired). The ledger — produced,
 * acknowledged, failed, consumed, duplicates, missing — is printed every 10
 * seconds and at the end; the exit code is 1 when a record was duplicated,
 * reordered, skipped (acknowledged and never consumed), or not reported.
 * `--proxy` also sends every connection through the fault proxy
 * (tests/fault/proxy.ts) breaking connections every 0.2–2.5 s.
 *
 * Not part of CI. It stops brokers: on a shared cluster run it alone
 * (`flock -o -x` on the cluster lock).
 *
 * ```sh
 * deno task soak                          # 10 minutes
 * deno task soak --minutes 3 --restart-every 45 --kill --proxy
 * deno task soak --minutes 60 --rate 20000 --no-restarts
 * ```
 *
 * @module
 */
import { KafkaClient } from "../../src/client/mod.ts";
import { cluster } from "../cluster/mod.ts";
import { restartBroker } from "../failover/_helpers.ts";
import { Ledger, LedgerConsumer, LedgerProducer } from "../fault/_ledger.ts";
import { FaultCluster } from "../fault/proxy.ts";

function arg(name: string, fallback: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  const v = i >= 0
    ? Deno.args[i + 1]
    : Deno.args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  const n = v === undefined ? fallback : Number(v);
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`--${name} ${v}`);
  return n;
}
const flag = (name: string) => Deno.args.includes(`--${name}`);

const MINUTES = arg("minutes", 10);
const RATE = arg("rate", 5000);
const RESTART_EVERY_S = arg("restart-every", 60);
const PARTITIONS = arg("partitions", 6);
const RESTARTS = !flag("no-restarts");
const KILL = flag("kill");
const PROXY = flag("proxy");
const BROKERS = cluster.brokerIds("kafka39");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const t0 = performance.now();
const clock = () => {
  const s = Math.floor((performance.now() - t0) / 1000);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(Math.floor(s / 3600))}:${p(Math.floor(s / 60) % 60)}:${
    p(s % 60)
  }`;
};
const say = (text: string) => console.log(`[soak ${clock()}] ${text}`);

async function until(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(500);
  }
}

async function main(): Promise<number> {
  say(
    `${MINUTES} min, ${RATE} records/s, ${PARTITIONS} partitions, ${
      RESTARTS
        ? `a broker ${KILL ? "killed" : "restarted"} every ${RESTART_EVERY_S} s`
        : "no restarts"
    }${PROXY ? ", through the fault proxy" : ""}`,
  );
  await cluster.ensureUp();
  const real = cluster.bootstrap("kafka39", "PLAINTEXT");
  await using admin = await KafkaClient.connect({ hosts: real });
  const topic = `soak-${Date.now().toString(36)}`;
  await admin.createTopics([{
    name: topic,
    numPartitions: PARTITIONS,
    replicationFactor: 2,
  }]);
  await using faults = PROXY ? new FaultCluster(real) : undefined;
  const hosts = faults?.bootstrap ?? real;
  await using producing = await KafkaClient.connect({
    hosts,
    socketTimeoutMs: 10_000,
  });
  await using consuming = await KafkaClient.connect({
    hosts,
    socketTimeoutMs: 10_000,
  });
  const ledger = new Ledger(PARTITIONS);
  const producer = new LedgerProducer(
    await producing.topics.get(topic),
    ledger,
    {
      maxRetries: 40,
      retryBackoffMs: 250,
      lingerMs: 5,
      maxQueuedMessages: 500_000,
    },
  );
  const consumer = new LedgerConsumer(
    await consuming.topics.get(topic),
    ledger,
    {
      consumerGroup: `${topic}-g`,
      autoCommitEnable: true,
      autoCommitIntervalMs: 2000,
      fetchErrorBackoffMs: 200,
      // A crashed coordinator is away for its ZooKeeper session (18 s).
      offsetsCommitMaxRetries: 60,
    },
  );
  const stopChaos = faults?.chaos({
    minMs: 200,
    maxMs: 2500,
    maxStallMs: 4000,
    seed: Date.now() & 0x7fffffff,
  });
  const end = Date.now() + MINUTES * 60_000;
  const printer = setInterval(() => say(ledger.line()), 10_000);
  let restarts = 0;
  const down = new Set<number>();
  const restarting = (async () => {
    if (!RESTARTS) return;
    for (let i = 0; Date.now() + RESTART_EVERY_S * 1000 < end; i++) {
      await sleep(RESTART_EVERY_S * 1000);
      const id = BROKERS[i % BROKERS.length];
      say(`${KILL ? "killing" : "stopping"} broker ${id}`);
      down.add(id);
      if (KILL) {
        await cluster.killBroker(id);
        await until(`broker ${id} unregistered`, async () => {
          await admin.updateCluster().catch(() => {});
          return !admin.brokers.has(id);
        }, 60_000);
      } else {
        await cluster.stopBroker(id);
      }
      await restartBroker(id);
      down.delete(id);
      restarts++;
      say(`broker ${id} back`);
      await until(`${topic} in sync`, async () => {
        await admin.updateCluster().catch(() => {});
        const t = await admin.topics.get(topic);
        return [...t.partitions.values()].every((p) => p.isr.length === 2);
      }, 180_000);
    }
  })();
  try {
    // Steady production at RATE records/s.
    const start = performance.now();
    while (Date.now() < end) {
      await producer.produce(Math.max(1, Math.round(RATE / 20)));
      const ahead = ledger.produced / RATE * 1000 - (performance.now() - start);
      if (ahead > 0) await sleep(ahead);
      if (consumer.error !== undefined) break;
    }
    await restarting;
    await producer.stop();
    await stopChaos?.();
    say("production done; waiting for the consumer to catch up");
    await consumer.catchUp(120_000);
    await consumer.stop();
  } finally {
    clearInterval(printer);
    await stopChaos?.();
    for (const id of down) await restartBroker(id);
    await admin.deleteTopics([topic]).catch(() => {});
  }
  const c = ledger.counts();
  say(`final: ${ledger.line()}`);
  say(
    `${restarts} broker ${KILL ? "kills" : "restarts"}${
      faults ? `, ${faults.events.length} proxy faults` : ""
    }; ${c.failedButWritten} records reported failed were written anyway`,
  );
  const bad = c.duplicates + c.missing + c.reordered + c.phantoms +
    c.reportedTwice + (c.produced - c.acked - c.failed);
  if (consumer.error !== undefined) say(`consumer error: ${consumer.error}`);
  say(bad === 0 && consumer.error === undefined ? "OK" : "FAILED");
  return bad === 0 && consumer.error === undefined ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main());
