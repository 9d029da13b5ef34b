/**
 * The demo: a produce/consume round trip with denokafka, narrated.
 *
 * It connects a {@linkcode KafkaClient}, prints the brokers and the protocol
 * versions negotiated with them, creates a topic with 3 partitions, produces
 * messages with keys, headers and lz4 compression, reads them back with a
 * {@linkcode SimpleConsumer} in a consumer group, commits the offsets and
 * deletes the topic.
 *
 * Run it against any cluster with the bootstrap hosts as argument (or in
 * `KAFKA_HOSTS`). In the repository, `deno task demo` (`tools/demo.ts`)
 * first starts the project's local test cluster when `KAFKA_HOSTS` is not
 * set (`deno task cluster:up`, which downloads Kafka from Maven Central on
 * the first run) and runs the round trip against both its Kafka 3.9 brokers
 * and its Kafka 4.x KRaft node.
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 examples/demo.ts 127.0.0.1:9092
 * deno task demo
 * KAFKA_HOSTS=127.0.0.1:9092 deno task demo
 * ```
 *
 * @module
 */

import { Fetch, Produce } from "../src/protocol/mod.ts";
import {
  CompressionType,
  KafkaClient,
  OffsetType,
  type SimpleConsumer,
} from "../mod.ts";

const COUNT = 10_000;
const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * The round trip against the cluster at `hosts`.
 *
 * @param hosts bootstrap brokers, `"host1:9092,host2:9092"`
 */
export async function demo(hosts: string): Promise<void> {
  let t = performance.now();
  const elapsed = () => {
    const now = performance.now();
    const ms = (now - t).toFixed(0);
    t = now;
    return `${ms} ms`;
  };
  await using client = await KafkaClient.connect({
    hosts,
    clientId: "denokafka-demo",
  });
  console.log(`\n== ${hosts}: connected in ${elapsed()}`);
  for (const broker of client.brokers.values()) {
    const [produce, fetch] = await Promise.all([
      broker.apiVersion(Produce),
      broker.apiVersion(Fetch),
    ]);
    console.log(
      `   broker ${broker.id} at ${broker.host}:${broker.port}: Produce v${produce}, Fetch v${fetch}`,
    );
  }

  const name = `denokafka-demo-${crypto.randomUUID().slice(0, 8)}`;
  await client.createTopics([{ name, numPartitions: 3 }]);
  try {
    const topic = await client.topics.get(name);
    const leaders = [...topic.partitions.values()].map((p) =>
      `${p.id}@${p.leader.id}`
    ).join(", ");
    console.log(`   created topic ${name}: partitions (id@leader) ${leaders}`);

    // Produce: keys spread messages over the partitions (murmur2, like Java).
    {
      await using producer = topic.getProducer({
        compression: CompressionType.LZ4,
        deliveryReports: true,
      });
      for (let i = 0; i < COUNT; i++) {
        await producer.produce(enc.encode(`hello #${i}`), {
          partitionKey: enc.encode(`user-${i % 100}`),
          headers: [["source", enc.encode("demo")]],
        });
      }
      await producer.flush();
      let delivered = 0;
      let firstReport = "";
      for (
        let r;
        (r = await producer.getDeliveryReport({ block: false })) !== null;
      ) {
        const [m, err] = r;
        if (err) throw err;
        if (delivered++ === 0) {
          firstReport = `partition ${m.partitionId} offset ${m.offset}`;
        }
      }
      console.log(
        `   produced ${COUNT} messages (lz4) in ${elapsed()}; ${delivered} delivery reports, first: ${firstReport}`,
      );
    }
    const latest = await topic.latestAvailableOffsets();
    console.log(
      `   latest offsets per partition: ${
        JSON.stringify(Object.fromEntries(latest))
      }`,
    );

    // Consume them back in a group, then commit.
    const group = `${name}-group`;
    let consumer: SimpleConsumer | undefined;
    try {
      consumer = topic.getSimpleConsumer({
        consumerGroup: group,
        consumerTimeoutMs: 5000,
      });
      let n = 0;
      let first = "";
      for await (const m of consumer) {
        if (n === 0) {
          const [hk, hv] = m.headers[0];
          first = `"${dec.decode(m.value!)}" key ${
            dec.decode(m.partitionKey!)
          } header ${hk}=${dec.decode(hv!)}`;
        }
        if (++n === COUNT) break;
      }
      console.log(`   consumed ${n} messages in ${elapsed()}; first: ${first}`);
      await consumer.commitOffsets();
      const committed = await consumer.fetchOffsets();
      const shown = [...committed].map(([p, o]) => `${p}:${o.offset}`).join(
        " ",
      );
      console.log(`   committed offsets of group ${group}: ${shown}`);
    } finally {
      await consumer?.stop();
    }
    const earliest = await topic.fetchOffsetLimits(OffsetType.EARLIEST);
    console.log(
      `   earliest offsets: ${
        JSON.stringify([...earliest].map(([p, o]) => [p, o[0]]))
      }`,
    );
    await client.deleteGroups([group]);
  } finally {
    await client.deleteTopics([name]);
    console.log(`   deleted topic ${name}`);
  }
}

if (import.meta.main) {
  const hosts = Deno.args[0] ??
    (Deno.permissions.querySync({ name: "env", variable: "KAFKA_HOSTS" })
        .state === "granted"
      ? Deno.env.get("KAFKA_HOSTS")
      : undefined) ??
    "127.0.0.1:9092";
  await demo(hosts);
}
