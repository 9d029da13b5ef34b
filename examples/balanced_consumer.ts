/**
 * A {@linkcode BalancedConsumer} group of two in one process (pykafka's
 * `get_balanced_consumer`, coordinated through ZooKeeper in pykafka's
 * layout): both members join, split the topic's 3 partitions (2 + 1, the
 * range protocol), read every message exactly once between them; then one
 * leaves, the other takes over its partition and resumes at the offsets
 * the first committed. The counts are checked.
 *
 * Needs a Kafka cluster with a ZooKeeper (Kafka 3.x in ZooKeeper mode);
 * the ZooKeeper connection string ends with the cluster's chroot, if any.
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 examples/balanced_consumer.ts 127.0.0.1:9092 127.0.0.1:2181
 * ```
 *
 * @module
 */
import { type BalancedConsumer, KafkaClient } from "../mod.ts";

const hosts = Deno.args[0] ?? "127.0.0.1:9092";
const zookeeperHosts = Deno.args[1] ?? "127.0.0.1:2181";
const COUNT = 300;
const enc = new TextEncoder();

/** Waits (at most `ms`) until `ok()` holds, checking every 50 ms. */
async function until(ok: () => boolean, what: string, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Reads from `m` until nothing arrives for 2 s; returns partition/offset keys. */
async function drain(m: BalancedConsumer): Promise<string[]> {
  const seen: string[] = [];
  for (;;) {
    const msg = await m.consume({ timeoutMs: 2000 });
    if (!msg) return seen;
    seen.push(`${msg.partitionId}/${msg.offset}`);
  }
}

const ids = (m: BalancedConsumer) => [...m.partitions.keys()].sort().join(",");

await using client = await KafkaClient.connect({ hosts });
const name = `example-balanced-${crypto.randomUUID().slice(0, 8)}`;
const group = `${name}-group`;
await client.createTopics([{ name, numPartitions: 3 }]);
try {
  const topic = await client.topics.get(name);
  {
    await using producer = topic.getProducer();
    for (let i = 0; i < COUNT; i++) {
      await producer.produce(enc.encode(`event ${i}`), {
        partitionKey: enc.encode(`key ${i}`),
      });
    }
  }

  // Two members of one group. Each joins in the background (autoStart);
  // start() waits for its first rebalance.
  const options = {
    consumerGroup: group,
    zookeeperHosts,
    rebalanceBackoffMs: 500,
  };
  const a = topic.getBalancedConsumer(options);
  const b = topic.getBalancedConsumer(options);
  try {
    await Promise.all([a.start(), b.start()]);
    await until(
      () =>
        a.partitions.size + b.partitions.size === 3 && a.partitions.size > 0 &&
        b.partitions.size > 0,
      "both members to hold partitions",
    );
    console.log(`member a holds partitions ${ids(a)}, member b ${ids(b)}`);

    const [fromA, fromB] = await Promise.all([drain(a), drain(b)]);
    const all = new Set([...fromA, ...fromB]);
    if (all.size !== COUNT || fromA.length + fromB.length !== COUNT) {
      throw new Error(
        `read ${fromA.length} + ${fromB.length} messages, ${all.size} distinct, of ${COUNT}`,
      );
    }
    console.log(
      `read ${COUNT} messages, each exactly once: ${fromA.length} by a, ${fromB.length} by b`,
    );
    await a.commitOffsets();
    await b.commitOffsets();

    // b leaves (stop() commits and deletes its ZooKeeper nodes); a takes
    // its partitions over and resumes after b's committed offsets.
    await b.stop();
    await until(() => a.partitions.size === 3, "a to hold every partition");
    console.log(`b left; a holds partitions ${ids(a)}`);
    {
      await using producer = topic.getProducer();
      for (let i = COUNT; i < COUNT + 30; i++) {
        await producer.produce(enc.encode(`event ${i}`), {
          partitionKey: enc.encode(`key ${i}`),
        });
      }
    }
    const more = await drain(a);
    if (more.length !== 30 || more.some((k) => all.has(k))) {
      throw new Error(`a read ${more.length} messages, not the 30 new ones`);
    }
    console.log(`a read the 30 new messages and nothing twice`);
  } finally {
    await a.stop();
    await b.stop();
  }
  await client.deleteGroups([group]);
} finally {
  await client.deleteTopics([name]);
}
