// kafkajs 2.2.4 peer for bench/e2e, under Deno (npm:) or Node (the copy that
// bench/e2e/setup.sh installs; BENCH_NODE_MODULES points at it).
//
// Settings (kafkajs best practice; it has no linger/accumulator):
// - produce: records are sent in arrays of up to `batchBytes` bytes per
//   send() call, at most 5 send() calls in flight, idempotence off;
// - lz4: the kafkajs-lz4 codec plug-in (native `lz4` addon, Node only);
// - consume: consumer group, fromBeginning, eachBatch, default fetch sizes;
// - latency / e2e: records are collected for `lingerMs` (5 ms; a user-level
//   linger, as the kafkajs-buffer plug-in does), then sent in one send()
//   call, not awaited in sequence;
// - txn: a transactional producer (idempotent, 1 request in flight, as
//   kafkajs requires), one send() of `perTxn` records per transaction.

import { Buffer } from "node:buffer";
import { createRequire } from "node:module";
import process from "node:process";
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

async function load() {
  if (isDeno) {
    const k = await import("npm:kafkajs@2.2.4");
    return k.default ?? k;
  }
  const dir = process.env.BENCH_NODE_MODULES;
  if (!dir) {
    unavailable("BENCH_NODE_MODULES is not set (run bench/e2e/setup.sh)");
  }
  return createRequire(`${dir}/_.js`)("kafkajs");
}

function loadLz4() {
  // kafkajs-lz4 wraps the `lz4` package, a NAN native addon.
  const dir = process.env.BENCH_NODE_MODULES;
  if (!dir) throw new Error("BENCH_NODE_MODULES is not set");
  const LZ4Codec = createRequire(`${dir}/_.js`)("kafkajs-lz4");
  return new LZ4Codec().codec;
}

const kafkajs = await load();
const { Kafka, CompressionTypes, CompressionCodecs, logLevel } = kafkajs;
const version = "kafkajs 2.2.4";

if (spec.compression === "lz4") {
  try {
    CompressionCodecs[CompressionTypes.LZ4] = loadLz4();
  } catch (e) {
    unavailable(
      `kafkajs has no built-in LZ4; its codec plug-in kafkajs-lz4 needs the native 'lz4' addon, which fails under ${runtimeName()}: ${
        String(e?.message ?? e).split("\n")[0].replaceAll(
          process.env.HOME ?? "\0",
          "~",
        )
      }`,
    );
  }
}
if (spec.mode === "probe") {
  emit({ available: true, version: `${version} on ${runtimeName()}` });
  process.exit(0);
}

const compression = spec.compression === "lz4"
  ? CompressionTypes.LZ4
  : CompressionTypes.None;
const kafka = new Kafka({
  clientId: "bench-kafkajs",
  brokers: spec.bootstrap.split(","),
  logLevel: logLevel.ERROR,
});
const payloads = loadPayloads(spec.payloadFile);

/** Records per send() call: `batchBytes` worth. */
function perSend() {
  return Math.max(1, Math.floor(spec.batchBytes / spec.size));
}

async function produce() {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const perCall = Math.max(1, Math.floor(spec.batchBytes / spec.size));
  const limiter = inflightLimiter(5);
  const t0 = now();
  for (let i = 0; i < spec.records; i += perCall) {
    const n = Math.min(perCall, spec.records - i);
    const messages = new Array(n);
    for (let j = 0; j < n; j++) {
      messages[j] = { value: payloads[(i + j) % payloads.length] };
    }
    await limiter.run(() =>
      producer.send({
        topic: spec.topic,
        acks: spec.acks,
        compression,
        messages,
      })
    );
  }
  await limiter.drain();
  const elapsedMs = now() - t0;
  await producer.disconnect();
  return { records: spec.records, bytes: spec.records * spec.size, elapsedMs };
}

async function latency() {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const samples = [];
  let errors = 0;
  const batcher = lingerBatcher(
    spec.lingerMs,
    perSend(),
    (items) =>
      producer.send({
        topic: spec.topic,
        acks: spec.acks,
        compression,
        messages: items.map((x) => ({ value: x.value })),
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
  await producer.disconnect();
  return {
    records: samples.length,
    errors,
    bytes: samples.length * spec.size,
    elapsedMs,
    latencyMs: percentiles(samples),
  };
}

async function consume() {
  const consumer = kafka.consumer({ groupId: spec.group });
  await consumer.connect();
  await consumer.subscribe({ topic: spec.topic, fromBeginning: true });
  let count = 0;
  let bytes = 0;
  let t1 = 0;
  let result = null;
  // Timed from the start of the group join to the N-th record.
  const t0 = now();
  const done = new Promise((resolve) => {
    consumer.run({
      eachBatch: ({ batch }) => {
        if (t1) return Promise.resolve();
        for (const m of batch.messages) bytes += m.value ? m.value.length : 0;
        count += batch.messages.length;
        if (count >= spec.records) {
          t1 = now();
          result = { records: count, bytes, elapsedMs: t1 - t0 };
          resolve();
        }
        return Promise.resolve();
      },
    });
  });
  await done;
  await consumer.disconnect();
  return result;
}

async function e2e() {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const consumer = kafka.consumer({
    groupId: spec.group,
    maxWaitTimeInMs: 100,
  });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: spec.topic, fromBeginning: false });
  const session = e2eSession(spec, payloads);
  await consumer.run({
    eachMessage: ({ message }) => {
      session.received(message.value);
      return Promise.resolve();
    },
  });
  const batcher = lingerBatcher(
    spec.lingerMs,
    perSend(),
    (items) =>
      producer.send({
        topic: spec.topic,
        acks: spec.acks,
        compression,
        messages: items.map((value) => ({
          value: Buffer.from(value.buffer, value.byteOffset, value.length),
        })),
      }),
  );
  const result = await session.run((value) => batcher.add(value));
  await batcher.pending();
  await consumer.disconnect();
  await producer.disconnect();
  return result;
}

/**
 * Transactions of `perTxn` records, one after another: transaction(), one
 * send() with the transaction's records, commit().
 */
async function txn() {
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    transactionalId: `bench-kafkajs-${Math.random().toString(36).slice(2)}`,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  const per = spec.perTxn ?? 1000;
  const t0 = now();
  for (let i = 0; i < spec.records; i += per) {
    const n = Math.min(per, spec.records - i);
    const messages = new Array(n);
    for (let j = 0; j < n; j++) {
      messages[j] = { value: payloads[(i + j) % payloads.length] };
    }
    const tx = await producer.transaction();
    await tx.send({ topic: spec.topic, acks: -1, compression, messages });
    await tx.commit();
  }
  const elapsedMs = now() - t0;
  await producer.disconnect();
  return { records: spec.records, bytes: spec.records * spec.size, elapsedMs };
}

const modes = { produce, consume, latency, e2e, txn };
const result = await modes[spec.mode]();
emit({ version: `${version} on ${runtimeName()}`, ...result });
process.exit(0);
