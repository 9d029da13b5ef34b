/**
 * This library's peer for bench/e2e, written against the public API contract
 * (`/work/shared/docs/api-sketch.md`): `KafkaClient`, `client.topics.get`,
 * `topic.getProducer`, `producer.produce/flush/stop`,
 * `topic.getSimpleConsumer`, `consumer.consume/stop`.
 *
 * The probe names any export the adapter needs that `mod.ts` lacks, and the
 * harness then lists this client as not available: no number is made up.
 *
 * Settings: lingerMs 5, batchSizeBytes 1 MiB, requiredAcks and compression
 * from the scenario, maxQueuedMessages 100 000, blockOnQueueFull,
 * idempotent: false (as for every peer); produce mode: `produceBatch()` of
 * 1000 records per call (the low-overhead path; `produceApi: "produce"` in
 * the spec, or a checkout without it: an awaited `produce()` per record);
 * consume:
 * a SimpleConsumer without a group, EARLIEST, resetOffsetOnStart.
 *
 * @module
 */

import {
  e2eSession,
  emit,
  loadPayloads,
  now,
  paced,
  percentiles,
  readSpec,
  runtimeName,
  unavailable,
} from "./_common.mjs";

// The slice of the public API this adapter uses (api-sketch.md).
interface Message {
  value: Uint8Array | null;
}
interface Producer {
  produce(value: Uint8Array, opts?: Record<string, unknown>): Promise<Message>;
  /** The low-overhead path (one promise per batch of records), if built. */
  produceBatch?(records: { value: Uint8Array }[]): Promise<number>;
  getDeliveryReport(
    opts?: { block?: boolean; timeoutMs?: number },
  ): Promise<[Message, Error | null] | null>;
  flush(): Promise<void>;
  stop(): Promise<void>;
}
interface SimpleConsumer {
  consume(opts?: { block?: boolean }): Promise<Message | null>;
  stop(): Promise<void>;
}
interface Topic {
  getProducer(opts?: Record<string, unknown>): Producer;
  getSimpleConsumer(opts?: Record<string, unknown>): SimpleConsumer;
}
/** A client-level producer (`client.getProducer()`), for transactions. */
interface ClientProducer {
  produceBatch(
    records: { topic: string; value: Uint8Array }[],
  ): Promise<number>;
  beginTransaction(): Promise<void>;
  commitTransaction(): Promise<void>;
  stop(): Promise<void>;
}
interface KafkaClient {
  connect(): Promise<void>;
  close(): Promise<void>;
  topics: { get(name: string): Promise<Topic> };
  getProducer?(opts?: Record<string, unknown>): ClientProducer;
}
interface OurModule {
  VERSION: string;
  KafkaClient: new (opts: Record<string, unknown>) => KafkaClient;
  CompressionType: Record<string, number>;
  OffsetType: Record<string, number>;
}

interface Spec {
  mode: string;
  bootstrap: string;
  topic: string;
  records: number;
  size: number;
  compression: string;
  acks: number;
  rate: number;
  lingerMs: number;
  batchBytes: number;
  payloadFile: string;
  group: string;
  /**
   * "batch" (default when the producer has it): produceBatch() with 1000
   * records per call; "produce": an awaited produce() per record.
   */
  produceApi?: string;
  /** Records per transaction (txn mode; default 1000). */
  perTxn?: number;
}

const REQUIRED = ["KafkaClient", "CompressionType", "OffsetType"] as const;

const spec = readSpec() as Spec;
const mod = (await import("../../mod.ts")) as unknown as Partial<OurModule>;
const missing = REQUIRED.filter((name) => !(name in mod));
if (missing.length > 0) {
  unavailable(
    `mod.ts does not export ${missing.join(", ")} (api-sketch.md)`,
  );
}
const api = mod as OurModule;
const version = `denokafka ${api.VERSION} on ${runtimeName()}`;

async function connect(): Promise<KafkaClient> {
  const client = new api.KafkaClient({
    hosts: spec.bootstrap,
    clientId: "bench-denokafka",
    // The worker mode (peer denokafka-workers); only passed when set, so
    // checkouts without the option still run.
    ...(Deno.env.get("DENOKAFKA_USE_WORKERS") === "1"
      ? { useWorkers: true }
      : Deno.env.get("DENOKAFKA_USE_WORKERS") === "sockets"
      ? { useWorkers: "sockets" }
      : {}),
  });
  await client.connect();
  return client;
}

if (spec.mode === "probe") {
  try {
    const client = await connect();
    await client.close();
  } catch (e) {
    unavailable(`KafkaClient.connect() failed: ${(e as Error)?.message ?? e}`);
  }
  emit({ available: true, version });
  Deno.exit(0);
}

const payloads = loadPayloads(spec.payloadFile) as Uint8Array[];
const compression = spec.compression === "lz4"
  ? api.CompressionType.LZ4
  : api.CompressionType.NONE;

function producerOptions(extra: Record<string, unknown> = {}) {
  return {
    compression,
    requiredAcks: spec.acks,
    lingerMs: spec.lingerMs,
    batchSizeBytes: spec.batchBytes,
    maxQueuedMessages: 100_000,
    blockOnQueueFull: true,
    deliveryReports: false,
    // The harness runs every peer without idempotence; with requiredAcks -1
    // this producer would turn it on by itself.
    idempotent: false,
    ...extra,
  };
}

/** Reports "unavailable" when the Producer is not built yet. */
function requireProducer(topic: Topic): void {
  if (typeof topic.getProducer !== "function") {
    unavailable("topic.getProducer is not built yet (src/producer)");
  }
}

async function produce() {
  const client = await connect();
  const topic = await client.topics.get(spec.topic);
  requireProducer(topic);
  const producer = topic.getProducer(producerOptions());
  const batched = spec.produceApi !== "produce" &&
    typeof producer.produceBatch === "function";
  const t0 = now();
  if (batched) {
    // One promise per 1000 records; the records' objects are short-lived.
    const CHUNK = 1000;
    for (let i = 0; i < spec.records; i += CHUNK) {
      const n = Math.min(CHUNK, spec.records - i);
      const chunk = new Array(n);
      for (let j = 0; j < n; j++) {
        chunk[j] = { value: payloads[(i + j) % payloads.length] };
      }
      await producer.produceBatch!(chunk);
    }
  } else {
    for (let i = 0; i < spec.records; i++) {
      await producer.produce(payloads[i % payloads.length]);
    }
  }
  await producer.flush();
  const elapsedMs = now() - t0;
  await producer.stop();
  await client.close();
  return { records: spec.records, bytes: spec.records * spec.size, elapsedMs };
}

async function latency() {
  const client = await connect();
  const topic = await client.topics.get(spec.topic);
  requireProducer(topic);
  const producer = topic.getProducer(
    producerOptions({ deliveryReports: true }),
  );
  const startOf = new Map<Message, number>();
  const earlyReport = new Map<Message, number>();
  const samples: number[] = [];
  let errors = 0;
  let reported = 0;
  let sent = 0;
  let sendingDone = false;
  const reports = (async () => {
    while (!sendingDone || reported < sent) {
      const r = await producer.getDeliveryReport({
        block: true,
        timeoutMs: 100,
      });
      if (!r) continue;
      reported++;
      const [msg, err] = r;
      if (err) {
        errors++;
        continue;
      }
      const t = now();
      const start = startOf.get(msg);
      if (start === undefined) earlyReport.set(msg, t);
      else {
        startOf.delete(msg);
        samples.push(t - start);
      }
    }
  })();
  const t0 = now();
  await paced(spec.rate, spec.records, (i: number) => {
    const start = now();
    sent++;
    producer.produce(payloads[i % payloads.length]).then((msg) => {
      const t = earlyReport.get(msg);
      if (t === undefined) startOf.set(msg, start);
      else {
        earlyReport.delete(msg);
        samples.push(t - start);
      }
    }, () => errors++);
  });
  sendingDone = true;
  await producer.flush();
  await reports;
  const elapsedMs = now() - t0;
  await producer.stop();
  await client.close();
  return {
    records: samples.length,
    errors,
    bytes: samples.length * spec.size,
    elapsedMs,
    latencyMs: percentiles(samples),
  };
}

async function consume() {
  const client = await connect();
  const topic = await client.topics.get(spec.topic);
  const t0 = now();
  const consumer = topic.getSimpleConsumer({
    autoOffsetReset: api.OffsetType.EARLIEST,
    resetOffsetOnStart: true,
  });
  let count = 0;
  let bytes = 0;
  while (count < spec.records) {
    const m = await consumer.consume();
    if (!m) continue;
    count++;
    bytes += m.value ? m.value.length : 0;
  }
  const elapsedMs = now() - t0;
  await consumer.stop();
  await client.close();
  return { records: count, bytes, elapsedMs };
}

async function e2e() {
  const client = await connect();
  const topic = await client.topics.get(spec.topic);
  requireProducer(topic);
  const producer = topic.getProducer(producerOptions());
  const consumer = topic.getSimpleConsumer({
    autoOffsetReset: api.OffsetType.LATEST,
    resetOffsetOnStart: true,
    fetchWaitMaxMs: 100,
  });
  const session = e2eSession(spec, payloads);
  let stopping = false;
  const reader = (async () => {
    while (!stopping) {
      const m = await consumer.consume({ block: true }).catch(() => null);
      if (m) session.received(m.value);
    }
  })();
  const result = await session.run((value: Uint8Array) => {
    producer.produce(value).catch(() => {});
  });
  stopping = true;
  await producer.stop();
  await consumer.stop();
  await reader;
  await client.close();
  return result;
}

/**
 * Transactions of `perTxn` records, one after another: begin,
 * produceBatch() of the transaction's records, commit (which waits for
 * every acknowledgement, then EndTxn).
 */
async function txn() {
  const client = await connect();
  if (typeof client.getProducer !== "function") {
    unavailable("client.getProducer (transactions) is not built yet");
  }
  await client.topics.get(spec.topic);
  const { idempotent: _, ...options } = producerOptions();
  const producer = client.getProducer!({
    ...options,
    requiredAcks: -1,
    transactionalId: `bench-denokafka-${crypto.randomUUID()}`,
  });
  const per = spec.perTxn ?? 1000;
  const t0 = now();
  for (let i = 0; i < spec.records; i += per) {
    const n = Math.min(per, spec.records - i);
    const records = new Array(n);
    for (let j = 0; j < n; j++) {
      records[j] = {
        topic: spec.topic,
        value: payloads[(i + j) % payloads.length],
      };
    }
    await producer.beginTransaction();
    await producer.produceBatch(records);
    await producer.commitTransaction();
  }
  const elapsedMs = now() - t0;
  await producer.stop();
  await client.close();
  return { records: spec.records, bytes: spec.records * spec.size, elapsedMs };
}

const modes: Record<string, () => Promise<Record<string, unknown>>> = {
  produce,
  consume,
  latency,
  e2e,
  txn,
};
const result = await modes[spec.mode]();
emit({ version, ...result });
Deno.exit(0);
