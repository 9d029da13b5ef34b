// Producer throughput against the local Kafka 3.9 brokers (deno task
// cluster:up): 100 B and 1 KiB JSON-like records (the e2e harness's
// payloads), compression none and lz4, acks 1 and -1, on a fresh topic with
// 6 partitions and replication factor 2. One iteration produces a fixed
// number of records with `await produce()` each and flushes; records/s and
// MB/s are printed after each group (deno bench's own table shows time per
// iteration). The e2e harness (`deno task bench:e2e`) puts the other
// clients beside these numbers.
//
//   deno bench -A bench/producer_bench.ts
//
// Without reachable brokers no bench is registered (a note is printed).
import { KafkaClient } from "../src/client/mod.ts";
import type { Topic } from "../src/client/mod.ts";
import { CompressionType } from "../src/records/mod.ts";
import { payloadText } from "./e2e/payload.ts";

const HOSTS = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:19192,127.0.0.1:19292";

let client: KafkaClient | undefined;
try {
  client = await KafkaClient.connect({
    hosts: HOSTS,
    clientId: "producer-bench",
  });
} catch (e) {
  console.error(
    `producer_bench: no brokers at ${HOSTS} (${
      (e as Error).message
    }); start them with deno task cluster:up. No producer bench registered.`,
  );
}

if (client !== undefined) {
  const c = client;
  const name = `bench-producer-${Date.now().toString(36)}`;
  await c.createTopics([{
    name,
    numPartitions: 6,
    replicationFactor: Math.min(2, c.brokers.size),
  }]);
  const topic: Topic = await c.topics.get(name);
  const enc = new TextEncoder();
  const payloads = new Map<number, Uint8Array[]>();
  for (const size of [100, 1024]) {
    payloads.set(
      size,
      payloadText(size).split("\n").filter((l) => l.length > 0).map((l) =>
        enc.encode(l)
      ),
    );
  }
  const ITERATIONS = 5;
  const WARMUP = 1;
  const totals = new Map<
    string,
    { runs: number; records: number; bytes: number; ms: number }
  >();

  for (const size of [100, 1024]) {
    const records = size === 100 ? 200_000 : 50_000;
    for (const codec of ["none", "lz4"] as const) {
      for (const acks of [1, -1] as const) {
        const label = `${size === 100 ? "100 B" : "1 KiB"} ${codec} acks=${
          acks === 1 ? "1" : "all"
        }`;
        Deno.bench({
          name: `produce ${records.toLocaleString("en")} × ${label}`,
          group: `produce ${size === 100 ? "100 B" : "1 KiB"}`,
          n: ITERATIONS,
          warmup: WARMUP,
          async fn(b) {
            const values = payloads.get(size)!;
            const producer = topic.getProducer({
              compression: codec === "lz4"
                ? CompressionType.LZ4
                : CompressionType.NONE,
              requiredAcks: acks,
              idempotent: false,
              lingerMs: 5,
            });
            b.start();
            const t0 = performance.now();
            for (let i = 0; i < records; i++) {
              await producer.produce(values[i % values.length]);
            }
            await producer.flush();
            const ms = performance.now() - t0;
            b.end();
            await producer.stop();
            const t = totals.get(label) ??
              { runs: 0, records: 0, bytes: 0, ms: 0 };
            if (t.runs++ >= WARMUP) { // warm-up iterations are not counted
              t.records += records;
              t.bytes += records * size;
              t.ms += ms;
            }
            totals.set(label, t);
          },
        });
      }
    }
  }

  // Runs last (bench order is registration order); deno bench may call it
  // more than once.
  let cleaned = false;
  Deno.bench({
    name: "(delete the bench topic)",
    group: "zz cleanup",
    n: 1,
    warmup: 0,
    async fn() {
      if (cleaned) return;
      cleaned = true;
      await c.deleteTopics([name]).catch(() => {});
      await c.close();
    },
  });

  // Print the throughput once the process ends.
  globalThis.addEventListener("unload", () => {
    for (const [label, t] of totals) {
      console.log(
        `producer ${label}: ${
          Math.round(t.records / t.ms * 1000).toLocaleString("en")
        } records/s, ${(t.bytes / t.ms / 1000).toFixed(1)} MB/s`,
      );
    }
  });
}
