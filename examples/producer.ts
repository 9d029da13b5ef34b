/**
 * Producing, two ways:
 *
 * 1. an asynchronous {@linkcode Producer} (`topic.getProducer`): `produce()`
 *    resolves once the message is queued; batches per broker, lz4 in
 *    WebAssembly; delivery reports say where each message landed or why it
 *    failed;
 * 2. a synchronous producer (`topic.getSyncProducer`): `produce()` resolves
 *    after delivery, with the partition and offset set, or throws the
 *    delivery error.
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 examples/producer.ts 127.0.0.1:9092
 * ```
 *
 * @module
 */
import { CompressionType, KafkaClient } from "../mod.ts";

const hosts = Deno.args[0] ?? "127.0.0.1:9092";
const COUNT = 1000;
const enc = new TextEncoder();

await using client = await KafkaClient.connect({ hosts });
const name = `example-producer-${crypto.randomUUID().slice(0, 8)}`;
await client.createTopics([{ name, numPartitions: 3 }]);
try {
  const topic = await client.topics.get(name);

  // 1. Asynchronous, with delivery reports.
  {
    await using producer = topic.getProducer({
      compression: CompressionType.LZ4,
      deliveryReports: true,
    });
    for (let i = 0; i < COUNT; i++) {
      await producer.produce(enc.encode(`order #${i}`), {
        partitionKey: enc.encode(`customer-${i % 10}`), // same key, same partition
        headers: [["source", enc.encode("examples/producer.ts")]],
      });
    }
    await producer.flush(); // every queued message delivered (or failed)
    const perPartition = new Map<number, number>();
    let failed = 0;
    for (
      let report;
      (report = await producer.getDeliveryReport({ block: false })) !== null;
    ) {
      const [message, error] = report;
      if (error) failed++;
      else {
        perPartition.set(
          message.partitionId,
          (perPartition.get(message.partitionId) ?? 0) + 1,
        );
      }
    }
    const spread = [...perPartition].sort(([a], [b]) => a - b)
      .map(([p, n]) => `${p}:${n}`).join(" ");
    console.log(
      `async producer: ${
        COUNT - failed
      } delivered, ${failed} failed (partition:count ${spread})`,
    );
  }

  // 2. Synchronous: each produce() waits for the broker's acknowledgement.
  {
    await using producer = topic.getSyncProducer({ requiredAcks: -1 });
    const m = await producer.produce(enc.encode("one more"), { partition: 0 });
    console.log(
      `sync producer: delivered to partition ${m.partitionId} at offset ${m.offset}`,
    );
  }

  const latest = await topic.latestAvailableOffsets();
  const total = [...latest.values()].reduce((a, b) => a + b, 0);
  console.log(`the topic now holds ${total} messages`);
} finally {
  await client.deleteTopics([name]);
}
