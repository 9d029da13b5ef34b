// A consumer whose reader stalls, run as a child process by
// workers_test.ts (its RSS is measured alone): connects, measures the RSS
// of the idle connected client, starts a SimpleConsumer, takes one
// message and then reads nothing, sampling the RSS for at least `seconds`
// and until it stops growing; prints
// one JSON line { idleRss, peakRss, queuedMaxBytes }.
//
//   deno run -A --v8-flags=--expose-gc _stalled_reader.ts <bootstrap> <topic> <loop|workers|sockets> <queuedMaxBytes> <seconds>
import { KafkaClient } from "../../src/client/mod.ts";
import { waitFor } from "../wait_for.ts";

const [bootstrap, topicName, mode, maxBytes, seconds] = Deno.args;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const rss = () => Deno.memoryUsage().rss;

await using client = await KafkaClient.connect({
  hosts: bootstrap,
  clientId: "stalled-reader",
  useWorkers: mode === "workers"
    ? true
    : mode === "sockets"
    ? "sockets"
    : false,
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
// Sampled until the RSS has stopped growing (no new peak of 1 MiB more for
// a second) and at least `seconds` passed: the consumer has filled its
// prefetch (or, if it were unbounded, the whole topic). Bounded at 60 s.
let peakRss = rss();
const started = Date.now();
let grewAt = started;
let mark = peakRss;
await waitFor(() => {
  const now = rss();
  if (now > mark + 2 ** 20) {
    mark = now;
    grewAt = Date.now();
  }
  peakRss = Math.max(peakRss, now);
  return Date.now() - started >= Number(seconds) * 1000 &&
    Date.now() - grewAt >= 1000;
}, { timeoutMs: 60_000, intervalMs: 50, what: "the RSS to stop growing" });
console.log(JSON.stringify({ idleRss, peakRss, queuedMaxBytes }));
