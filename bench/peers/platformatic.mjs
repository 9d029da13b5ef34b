// @platformatic/kafka 2.12.1 peer for bench/e2e, under Node (the copy that
// bench/e2e/setup.sh installs; BENCH_NODE_MODULES points at it) or Deno (npm:).
//
// Settings (its own best practice):
// - produce: send() with arrays of up to `batchBytes` bytes per call (it has
//   no linger in send()), at most 5 calls in flight, idempotence off,
//   compression "none" or "lz4" (its built-in WASM codec);
// - consume: consumer group, stream mode "earliest", autocommit off,
//   default fetch sizes;
// - latency / e2e: records are collected for `lingerMs` (5 ms; a user-level
//   linger: send() has none), then sent in one send() call, not awaited in
//   sequence.

import { Buffer } from "node:buffer";
import process from "node:process";
import { pathToFileURL } from "node:url";
import {
  e2eSession,
  emit,
  inflightLimiter,
  isDeno,
  lingerBatcher,
  loadPayloads,
  now,
  paced,
  percentiles,
  readSpec,
  runtimeName,
  unavailable,
} from "./_common.mjs";

const spec = readSpec();
const VERSION = "2.12.1";

async function load() {
  if (isDeno) return await import("npm:@platformatic/kafka@2.12.1");
  const dir = process.env.BENCH_NODE_MODULES;
  if (!dir) {
    unavailable("BENCH_NODE_MODULES is not set (run bench/e2e/setup.sh)");
  }
  return await import(
    pathToFileURL(`${dir}/@platformatic/kafka/dist/index.js`).href
  );
}

let kafka;
try {
  kafka = await load();
} catch (e) {
  unavailable(
    `cannot load @platformatic/kafka under ${runtimeName()}: ${
      String(e?.message ?? e).split("\n")[0]
    }`,
  );
}
const { Producer, Consumer } = kafka;
const version = `@platformatic/kafka ${VERSION} on ${runtimeName()}`;
const bootstrapBrokers = spec.bootstrap.split(",");

if (spec.mode === "probe") {
  // A real round trip: metadata of the cluster.
  const producer = new Producer({ clientId: "bench-probe", bootstrapBrokers });
  try {
    await producer.metadata({ topics: [] });
  } catch (e) {
    unavailable(
      `metadata request failed under ${runtimeName()}: ${
        String(e?.message ?? e).split("\n")[0]
      }`,
    );
  } finally {
    await producer.close().catch(() => {});
  }
  emit({ available: true, version });
  process.exit(0);
}

const payloads = loadPayloads(spec.payloadFile);
const compression = spec.compression === "lz4" ? "lz4" : "none";

function newProducer() {
  return new Producer({
    clientId: "bench-platformatic",
    bootstrapBrokers,
    acks: spec.acks,
    compression,
    idempotent: false,
    autocreateTopics: false,
  });
}

/** Records per send() call: `batchBytes` worth. */
function perSend() {
  return Math.max(1, Math.floor(spec.batchBytes / spec.size));
}

async function produce() {
  const producer = newProducer();
  await producer.metadata({ topics: [spec.topic] });
  const perCall = Math.max(1, Math.floor(spec.batchBytes / spec.size));
  const limiter = inflightLimiter(5);
  const t0 = now();
  for (let i = 0; i < spec.records; i += perCall) {
    const n = Math.min(perCall, spec.records - i);
    const messages = new Array(n);
    for (let j = 0; j < n; j++) {
      messages[j] = {
        topic: spec.topic,
        value: payloads[(i + j) % payloads.length],
      };
    }
    await limiter.run(() => producer.send({ messages }));
  }
  await limiter.drain();
  const elapsedMs = now() - t0;
  await producer.close();
  return { records: spec.records, bytes: spec.records * spec.size, elapsedMs };
}

async function latency() {
  const producer = newProducer();
  await producer.metadata({ topics: [spec.topic] });
  const samples = [];
  let errors = 0;
  const batcher = lingerBatcher(
    spec.lingerMs,
    perSend(),
    (items) =>
      producer.send({
        messages: items.map((x) => ({ topic: spec.topic, value: x.value })),
      }).then(() => {
        const t = now();
        for (const x of items) samples.push(t - x.start);
      }, () => {
        errors += items.length;
      }),
  );
  const t0 = now();
  await paced(spec.rate, spec.records, (i) => {
    batcher.add({ value: payloads[i % payloads.length], start: now() });
  });
  await batcher.pending();
  const elapsedMs = now() - t0;
  await producer.close();
  return {
    records: samples.length,
    errors,
    bytes: samples.length * spec.size,
    elapsedMs,
    latencyMs: percentiles(samples),
  };
}

function newConsumer(extra = {}) {
  return new Consumer({
    clientId: "bench-platformatic",
    groupId: spec.group,
    bootstrapBrokers,
    autocommit: false,
    ...extra,
  });
}

async function consume() {
  const consumer = newConsumer();
  // Timed from the start of the group join to the N-th record.
  const t0 = now();
  const stream = await consumer.consume({
    topics: [spec.topic],
    mode: "earliest",
  });
  let count = 0;
  let bytes = 0;
  let result = null;
  await new Promise((resolve, reject) => {
    stream.on("error", reject);
    stream.on("data", (m) => {
      if (result) return;
      count++;
      bytes += m.value ? m.value.length : 0;
      if (count >= spec.records) {
        result = { records: count, bytes, elapsedMs: now() - t0 };
        resolve();
      }
    });
  });
  await stream.close();
  await consumer.close(true);
  return result;
}

async function e2e() {
  const producer = newProducer();
  const consumer = newConsumer({ maxWaitTime: 100 });
  await producer.metadata({ topics: [spec.topic] });
  const stream = await consumer.consume({
    topics: [spec.topic],
    mode: "latest",
  });
  const session = e2eSession(spec, payloads);
  stream.on("data", (m) => session.received(m.value));
  const batcher = lingerBatcher(
    spec.lingerMs,
    perSend(),
    (items) =>
      producer.send({
        messages: items.map((value) => ({
          topic: spec.topic,
          value: Buffer.from(value.buffer, value.byteOffset, value.length),
        })),
      }),
  );
  const result = await session.run((value) => batcher.add(value));
  await batcher.pending();
  await stream.close();
  await consumer.close(true);
  await producer.close();
  return result;
}

const modes = { produce, consume, latency, e2e };
const result = await modes[spec.mode]();
emit({ version, ...result });
process.exit(0);
