// A consumer whose reader stalls, run as a child process by
// workers_test.ts (its RSS is measured alone): connects, measures the RSS
// of the idle connected client, starts a SimpleConsumer, takes one
// message and then reads nothing, sampling the RSS for `seconds`; prints
// one JSON line { idleRss, peakRss, queuedMaxBytes }.
//
//   deno run -A --v8-flags=--expose-gc _stalled_reader.ts <bootstrap> <topic> <loop|workers> <queuedMaxBytes> <seconds>
import { KafkaClient } from "../../src/client/mod.ts";

const [bootstrap, topicName, mode, maxBytes, seconds] = Deno.args;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const rss = () => Deno.memoryUsage().rss;

await using client = await KafkaClient.connect({
  hosts: bootstrap,
  clientId: "stalled-reader",
  useWorkers: mode === "workers",
});
const topic = await client.topics.get(topicName);
gc();
const idleRss = rss();
const queuedMaxBytes = Number(maxBytes);
await using consumer = topic.getSimpleConsumer({
  queuedMaxBytes,
  fetchMessageMaxBytes: 256 * 1024,
});
const first = await consumer.consume({ timeoutMs: 30_000 });
if (!first) throw new Error("no message within 30 s");
let peakRss = rss();
const until = Date.now() + Number(seconds) * 1000;
while (Date.now() < until) {
  await new Promise((r) => setTimeout(r, 50));
  peakRss = Math.max(peakRss, rss());
}
console.log(JSON.stringify({ idleRss, peakRss, queuedMaxBytes }));
