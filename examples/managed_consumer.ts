/**
 * A consumer group that Kafka coordinates, with two members in one process
 * (pykafka's `get_balanced_consumer(group, managed=True)`): each member
 * gets half the partitions (the `range` assignor, as Java's), the two
 * together consume every record exactly once, and their commits leave the
 * group's lag at zero. Then one member leaves and the other takes over its
 * partitions at the committed offsets.
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 examples/managed_consumer.ts 127.0.0.1:9092
 * ```
 *
 * @module
 */
import {
  KafkaClient,
  type ManagedBalancedConsumer,
  type TopicPartition,
} from "../mod.ts";

const hosts = Deno.args[0] ?? "127.0.0.1:9092";
const COUNT = 200;
const enc = new TextEncoder();
const dec = new TextDecoder();

/** Polls `done` every 50 ms; throws after 30 s. */
async function until(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error("the group did not settle");
    await new Promise((r) => setTimeout(r, 50));
  }
}

await using client = await KafkaClient.connect({ hosts });
const name = `example-managed-${crypto.randomUUID().slice(0, 8)}`;
const group = `${name}-group`;
await client.createTopics([{ name, numPartitions: 4 }]);
try {
  const topic = await client.topics.get(name);
  const show = (tps: TopicPartition[]) =>
    tps.map((tp) => tp.partition).sort().join(",") || "-";
  const member = (label: string) =>
    topic.getBalancedConsumer({
      consumerGroup: group,
      managed: true, // Kafka's group protocol (no ZooKeeper)
      autoCommitEnable: true, // commits every 5 s, before a rebalance and on stop
      consumerTimeoutMs: 3000, // iteration ends after 3 s without messages
      rebalanceListener: {
        onPartitionsAssigned: (tps) =>
          console.log(`${label}: assigned partitions ${show(tps)}`),
      },
    });
  await using a = member("a");
  await using b = member("b");
  await Promise.all([a.start(), b.start()]);
  // The group settles once both hold their share (a member that joined
  // first may hold everything for a moment).
  await until(() => a.assignment.length === 2 && b.assignment.length === 2);
  console.log(
    `group ${group}: a holds ${show(a.assignment)}, b holds ${
      show(b.assignment)
    } (${a.protocolName}, generation ${a.generationId})`,
  );

  {
    await using producer = topic.getProducer();
    for (let i = 0; i < COUNT; i++) {
      await producer.produce(enc.encode(`event ${i}`), {
        partitionKey: enc.encode(`k${i}`),
      });
    }
  }

  // Both members consume at once; each sees only its own partitions.
  const seen = new Map<string, string>();
  const drain = async (label: string, m: ManagedBalancedConsumer) => {
    let n = 0;
    for await (const msg of m) {
      const value = dec.decode(msg.value!);
      if (seen.has(value)) throw new Error(`${value} consumed twice`);
      seen.set(value, label);
      n++;
    }
    await m.commitOffsets();
    return n;
  };
  const [na, nb] = await Promise.all([drain("a", a), drain("b", b)]);
  if (seen.size !== COUNT) {
    throw new Error(`consumed ${seen.size} of ${COUNT} records`);
  }
  console.log(
    `a consumed ${na}, b consumed ${nb}: ${COUNT} records, each exactly once`,
  );
  const lag = await client.consumerGroupLag(group, name);
  const total = [...lag.values()].reduce((s, l) => s + (l.lag ?? 0), 0);
  console.log(`lag of the group after the commits: ${total}`);

  // b leaves: a takes over every partition at the committed offsets.
  await b.stop();
  await until(() => a.assignment.length === 4);
  {
    await using producer = topic.getSyncProducer();
    await producer.produce(enc.encode("after b left"));
  }
  const next = await a.consume({ timeoutMs: 10_000 });
  console.log(
    `b left; a holds ${show(a.assignment)} and consumed "${
      next && dec.decode(next.value!)
    }" next`,
  );
  await a.stop();
  await client.deleteGroups([group]);
} finally {
  await client.deleteTopics([name]);
}
