/**
 * Connects a {@linkcode KafkaClient} and prints what it knows about the
 * cluster: brokers (with the protocol versions negotiated with each), the
 * controller, and the topics with their partitions, leaders and offsets.
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 examples/client_metadata.ts 127.0.0.1:9092
 * ```
 *
 * @module
 */
import { KafkaClient } from "../mod.ts";
import { Fetch, Metadata, Produce } from "../src/protocol/mod.ts";

const hosts = Deno.args[0] ?? "127.0.0.1:9092";

await using client = await KafkaClient.connect({ hosts });
console.log(
  `connected to ${hosts}; controller: broker ${client.cluster.controllerId}`,
);
for (const broker of client.brokers.values()) {
  const [metadata, produce, fetch] = await Promise.all(
    [Metadata, Produce, Fetch].map((api) => broker.apiVersion(api)),
  );
  console.log(
    `broker ${broker.id} at ${broker.host}:${broker.port} (rack ${
      broker.rack ?? "-"
    }): Metadata v${metadata}, Produce v${produce}, Fetch v${fetch}`,
  );
}

// A topic of our own, so there is something to show on any cluster.
const name = `example-metadata-${crypto.randomUUID().slice(0, 8)}`;
await client.createTopics([{ name, numPartitions: 3 }]);
try {
  const topic = await client.topics.get(name);
  const latest = await topic.latestAvailableOffsets();
  for (const [id, p] of topic.partitions) {
    console.log(
      `topic ${name} partition ${id}: leader ${p.leader.id}, replicas [${p.replicaIds}], isr [${p.isrIds}], latest offset ${
        latest.get(id)
      }`,
    );
  }
  console.log(`topics known to the client: ${client.topics.size}`);
} finally {
  await client.deleteTopics([name]);
}
