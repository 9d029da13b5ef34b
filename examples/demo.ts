/**
 * The demo: connects a {@linkcode KafkaClient} to a Kafka cluster and prints
 * what it finds: brokers and their negotiated protocol versions, and a demo
 * topic's partitions, leaders and offsets.
 *
 * Without `KAFKA_HOSTS` it first starts the project's local test cluster
 * (`deno task cluster:up`), which downloads Kafka from Maven Central on the
 * first run, and talks to both its Kafka 3.9 and its Kafka 4.x brokers.
 *
 * ```sh
 * deno task demo
 * KAFKA_HOSTS=127.0.0.1:9092 deno task demo
 * ```
 *
 * @module
 */

import { Fetch, Metadata, Produce } from "../src/protocol/mod.ts";
import { KafkaClient, OffsetType } from "../mod.ts";
import { clusterUp } from "../tests/cluster/manager.ts";
import { cluster } from "../tests/cluster/mod.ts";

async function demo(hosts: string): Promise<void> {
  const started = performance.now();
  await using client = await KafkaClient.connect({
    hosts,
    clientId: "denokafka-demo",
  });
  const ms = (performance.now() - started).toFixed(0);
  console.log(
    `\n== ${hosts}: connected in ${ms} ms (ApiVersions + Metadata over the wire)`,
  );
  for (const broker of client.brokers.values()) {
    const [produce, fetch, metadata] = await Promise.all([
      broker.apiVersion(Produce),
      broker.apiVersion(Fetch),
      broker.apiVersion(Metadata),
    ]);
    console.log(
      `   broker ${broker.id} at ${broker.host}:${broker.port}: using Produce v${produce}, Fetch v${fetch}, Metadata v${metadata}`,
    );
  }
  const topic = await client.topics.get("denokafka-demo"); // created if missing, like pykafka
  const earliest = await topic.earliestAvailableOffsets();
  const latest = await topic.latestAvailableOffsets();
  console.log(`   topic ${topic.name}: ${topic.partitions.size} partition(s)`);
  for (const [id, partition] of topic.partitions) {
    console.log(
      `     partition ${id}: leader ${partition.leader.id}, replicas [${partition.replicaIds}], ` +
        `offsets ${earliest.get(id)}..${latest.get(id)}`,
    );
  }
  const before = await topic.fetchOffsetLimits(OffsetType.LATEST);
  console.log(
    `   latest offsets by fetchOffsetLimits(LATEST): ${
      JSON.stringify([...before])
    }`,
  );
}

async function main(): Promise<void> {
  const fromEnv = Deno.env.get("KAFKA_HOSTS");
  if (fromEnv) {
    await demo(fromEnv);
    return;
  }
  console.log(
    "KAFKA_HOSTS is not set: starting the local test cluster (deno task cluster:up) ...",
  );
  await clusterUp();
  await demo(cluster.bootstrap("kafka39", "PLAINTEXT"));
  await demo(cluster.bootstrap("kafka4", "PLAINTEXT"));
}

if (import.meta.main) await main();
