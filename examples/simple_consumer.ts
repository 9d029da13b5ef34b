/**
 * A {@linkcode SimpleConsumer} in a consumer group with manual commits
 * (pykafka's `get_simple_consumer`): consume a batch, commit it ("last
 * consumed + 1"), and show that a second consumer of the same group resumes
 * after the committed offsets. Works on any number of partitions.
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 examples/simple_consumer.ts 127.0.0.1:9092
 * ```
 *
 * @module
 */
import { KafkaClient } from "../mod.ts";

const hosts = Deno.args[0] ?? "127.0.0.1:9092";
const enc = new TextEncoder();
const dec = new TextDecoder();

await using client = await KafkaClient.connect({ hosts });
const name = `example-consumer-${crypto.randomUUID().slice(0, 8)}`;
const group = `${name}-group`;
await client.createTopics([{ name, numPartitions: 2 }]);
try {
  const topic = await client.topics.get(name);
  {
    await using producer = topic.getSyncProducer();
    for (let i = 0; i < 10; i++) {
      await producer.produce(enc.encode(`event ${i}`));
    }
  }

  // First consumer: read everything there is, then commit.
  {
    await using consumer = topic.getSimpleConsumer({
      consumerGroup: group,
      autoCommitEnable: false, // commit by hand
      consumerTimeoutMs: 3000, // the loop ends after 3 s without messages
    });
    let n = 0;
    for await (const m of consumer) {
      n++;
      if (n === 1) {
        console.log(
          `first message: "${
            dec.decode(m.value!)
          }" (partition ${m.partitionId}, offset ${m.offset})`,
        );
      }
    }
    await consumer.commitOffsets();
    const committed = [...await consumer.fetchOffsets()]
      .map(([p, o]) => `${p}:${o.offset}`).join(" ");
    console.log(`consumed ${n} messages; committed offsets ${committed}`);
  }

  // More messages, and a second consumer of the same group: it starts at
  // the committed offsets, so it sees only the new ones.
  {
    await using producer = topic.getSyncProducer();
    for (let i = 10; i < 15; i++) {
      await producer.produce(enc.encode(`event ${i}`));
    }
  }
  {
    await using consumer = topic.getSimpleConsumer({
      consumerGroup: group,
      consumerTimeoutMs: 3000,
    });
    const seen: string[] = [];
    for await (const m of consumer) seen.push(dec.decode(m.value!));
    await consumer.commitOffsets();
    console.log(
      `resumed after the commit: ${seen.length} new messages (${
        seen.sort().join(", ")
      })`,
    );
  }
  await client.deleteGroups([group]);
} finally {
  await client.deleteTopics([name]);
}
