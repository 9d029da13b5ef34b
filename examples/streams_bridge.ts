/**
 * A Web Streams bridge: a {@linkcode SimpleConsumer}'s `readable` piped
 * through a `TransformStream` into a {@linkcode Producer}'s `writable`, so
 * every message of one topic is copied (transformed) to another, with
 * backpressure from end to end.
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 examples/streams_bridge.ts 127.0.0.1:9092
 * ```
 *
 * @module
 */
import { KafkaClient, type Message, type ProducerRecord } from "../mod.ts";

const hosts = Deno.args[0] ?? "127.0.0.1:9092";
const COUNT = 500;
const enc = new TextEncoder();
const dec = new TextDecoder();

await using client = await KafkaClient.connect({ hosts });
const id = crypto.randomUUID().slice(0, 8);
const source = `example-bridge-in-${id}`;
const target = `example-bridge-out-${id}`;
await client.createTopics([
  { name: source, numPartitions: 3 },
  { name: target, numPartitions: 2 },
]);
try {
  const from = await client.topics.get(source);
  const to = await client.topics.get(target);
  {
    await using producer = from.getProducer();
    for (let i = 0; i < COUNT; i++) {
      await producer.produce(enc.encode(`reading ${i}`), {
        partitionKey: enc.encode(`sensor-${i % 5}`),
      });
    }
    await producer.flush();
  }

  // The bridge: consume -> transform -> produce. The consumer's stream ends
  // after 3 s without messages; closing the writable flushes the producer.
  {
    await using consumer = from.getSimpleConsumer({ consumerTimeoutMs: 3000 });
    await using producer = to.getProducer();
    let copied = 0;
    await consumer.readable
      .pipeThrough(
        new TransformStream<Message, ProducerRecord>({
          transform(m, out) {
            copied++;
            out.enqueue({
              value: enc.encode(dec.decode(m.value!).toUpperCase()),
              partitionKey: m.partitionKey,
              headers: [[
                "from",
                enc.encode(`${source}/${m.partitionId}@${m.offset}`),
              ]],
            });
          },
        }),
      )
      .pipeTo(producer.writable);
    console.log(`bridged ${copied} messages from ${source} to ${target}`);
  }

  const latest = await to.latestAvailableOffsets();
  const total = [...latest.values()].reduce((a, b) => a + b, 0);
  console.log(`${target} holds ${total} messages`);
} finally {
  await client.deleteTopics([source, target]);
}
