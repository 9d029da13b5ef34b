/**
 * Captures the fuzz corpus (`tests/fuzz/corpus/*.json`): real response
 * frames of every API the client uses, from the local cluster, at the
 * versions the client negotiates with Kafka 3.9 and 4.x and at the older
 * versions it uses when `brokerVersion` pins a release (0.9.0 to 2.8.0).
 * A recording transport (the client's `transport` option) reads the request
 * headers the client writes (API key, version, correlation id) and keeps
 * each response frame with its API and version.
 *
 * Run it by hand against the local cluster when the client starts using a
 * new API or version, then commit the corpus:
 *
 * ```sh
 * DENOKAFKA_CLUSTER_DIR=/work/cluster deno run -A tests/fuzz/capture.ts
 * ```
 *
 * @module
 */
import {
  CompressionType,
  ConfigResourceType,
  KafkaClient,
  type KafkaClientOptions,
} from "../../mod.ts";
import {
  openTransport,
  type Transport,
  type TransportFactory,
} from "../../src/network/mod.ts";
import { API_BY_KEY } from "../../src/protocol/mod.ts";
import { encodeBase64 } from "../../src/util/base64.ts";
import { cluster } from "../cluster/mod.ts";
import { type CorpusFile, corpusFileName } from "./_corpus.ts";

/** Frames kept per API and version. */
const PER_VERSION = 3;
/** Larger frames are not kept (the metadata of every topic of a busy cluster adds little). */
const MAX_FRAME = 32 * 1024;

const captured = new Map<string, Map<number, Uint8Array[]>>();

function keep(apiKey: number, version: number, frame: Uint8Array): void {
  const api = API_BY_KEY.get(apiKey);
  if (!api || frame.length > MAX_FRAME) return;
  let byVersion = captured.get(api.name);
  if (!byVersion) captured.set(api.name, byVersion = new Map());
  const list = byVersion.get(version) ?? [];
  // Prefer variety: one frame per length.
  if (
    list.length >= PER_VERSION || list.some((f) => f.length === frame.length)
  ) {
    return;
  }
  list.push(frame.slice());
  byVersion.set(version, list);
}

/** Splits a byte stream into size-prefixed frames. */
class Framer {
  #buf = new Uint8Array(0);
  push(bytes: Uint8Array, onFrame: (frame: Uint8Array) => void): void {
    const next = new Uint8Array(this.#buf.length + bytes.length);
    next.set(this.#buf);
    next.set(bytes, this.#buf.length);
    this.#buf = next;
    for (;;) {
      if (this.#buf.length < 4) return;
      const dv = new DataView(this.#buf.buffer, this.#buf.byteOffset);
      const size = dv.getInt32(0);
      if (size < 0 || this.#buf.length < 4 + size) return;
      onFrame(this.#buf.subarray(4, 4 + size));
      this.#buf = this.#buf.slice(4 + size);
    }
  }
}

const recording: TransportFactory = async (o) => {
  const inner: Transport = await openTransport(o);
  const pending = new Map<number, [number, number]>();
  const out = new Framer();
  const into = new Framer();
  return {
    get localAddress() {
      return inner.localAddress;
    },
    get noDelay() {
      return inner.noDelay;
    },
    close: () => inner.close(),
    write(data: Uint8Array): Promise<void> {
      out.push(data, (f) => {
        if (f.length < 8) return;
        const dv = new DataView(f.buffer, f.byteOffset, f.byteLength);
        pending.set(dv.getInt32(4), [dv.getInt16(0), dv.getInt16(2)]);
      });
      return inner.write(data);
    },
    async read(buf: Uint8Array): Promise<number | null> {
      const n = await inner.read(buf);
      if (n !== null && n > 0) {
        into.push(buf.subarray(0, n), (f) => {
          if (f.length < 4) return;
          const id = new DataView(f.buffer, f.byteOffset).getInt32(0);
          const req = pending.get(id);
          if (!req) return;
          pending.delete(id);
          keep(req[0], req[1], f);
        });
      }
      return n;
    },
  };
};

const enc = new TextEncoder();
const dec = new TextDecoder();
const CODECS = [
  CompressionType.NONE,
  CompressionType.GZIP,
  CompressionType.SNAPPY,
  CompressionType.LZ4,
  CompressionType.ZSTD,
];

async function step(label: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    console.log(`  ${label}: ${e instanceof Error ? e.name : e} (skipped)`);
  }
}

/** Exercises every API the client uses, through `options`. */
async function workload(name: string, options: KafkaClientOptions) {
  console.log(name);
  await using client = await KafkaClient.connect({
    ...options,
    transport: recording,
  });
  const id = `fuzz-${Date.now().toString(36)}-${
    crypto.randomUUID().slice(0, 6)
  }`;
  const topicName = `${id}-t`;
  await step(
    "createTopics",
    () => client.createTopics([{ name: topicName, numPartitions: 2 }]),
  );
  const topic = await client.topics.get(topicName);
  await step("describeConfigs", () =>
    client.describeConfigs([{
      type: ConfigResourceType.TOPIC,
      name: topicName,
    }]));
  await step("alterConfigs", () =>
    client.alterConfigs([{
      type: ConfigResourceType.TOPIC,
      name: topicName,
      configs: { "retention.ms": "3600000" },
    }]));
  await step(
    "createPartitions",
    () => client.createPartitions([{ topic: topicName, count: 3 }]),
  );
  for (const compression of CODECS) {
    await step(`produce codec ${compression}`, async () => {
      await using producer = topic.getProducer({
        compression,
        deliveryReports: true,
        lingerMs: 1,
      });
      for (let i = 0; i < 12; i++) {
        await producer.produce(
          enc.encode(`value ${compression}/${i} `.repeat(i + 1)),
          {
            partitionKey: i % 3 === 0 ? null : enc.encode(`key-${i}`),
            headers: i % 2 ? [["h", enc.encode(`${i}`)], ["n", null]] : [],
            partition: i % topic.partitions.size,
          },
        );
      }
      await producer.flush();
    });
  }
  await step("idempotent produce", async () => {
    await using producer = topic.getProducer({
      idempotent: true,
      requiredAcks: -1,
      deliveryReports: true,
    });
    for (let i = 0; i < 5; i++) {
      await producer.produce(enc.encode(`idem ${i}`), { partition: 0 });
    }
    await producer.flush();
  });
  const group = `${id}-g`;
  await step("consume", async () => {
    await using consumer = topic.getSimpleConsumer({
      consumerGroup: group,
      consumerTimeoutMs: 1500,
      fetchMessageMaxBytes: 8192,
    });
    let n = 0;
    for await (const m of consumer) {
      n += dec.decode(m.value ?? new Uint8Array()).length > 0 ? 1 : 0;
    }
    await consumer.commitOffsets();
    await consumer.fetchOffsets();
  });
  await step("offsets", async () => {
    await topic.earliestAvailableOffsets();
    await topic.latestAvailableOffsets();
    await topic.fetchOffsetLimits(Date.now() - 60_000);
  });
  await step("groups", async () => {
    await client.listGroups();
    await client.describeGroups([group]);
    await client.consumerGroupLag(group, topicName);
  });
  await step("deleteGroups", () => client.deleteGroups([group]));
  await step("deleteTopics", () => client.deleteTopics([topicName]));
}

const RUNS: [string, KafkaClientOptions][] = [
  ["kafka39 auto", { hosts: cluster.bootstrap("kafka39", "PLAINTEXT") }],
  ["kafka4 auto", { hosts: cluster.bootstrap("kafka4", "PLAINTEXT") }],
  ...["0.9.0", "0.10.0", "0.10.2", "0.11.0", "1.1.0", "2.1.0", "2.4.0", "2.8.0"]
    .map((v): [string, KafkaClientOptions] => [
      `kafka39 brokerVersion ${v}`,
      { hosts: cluster.bootstrap("kafka39", "PLAINTEXT"), brokerVersion: v },
    ]),
  ["kafka39 SASL PLAIN", {
    hosts: cluster.bootstrap("kafka39", "SASL_PLAINTEXT"),
    sasl: { mechanism: "PLAIN", ...cluster.sasl.alice },
  }],
  ["kafka4 SASL SCRAM-SHA-512", {
    hosts: cluster.bootstrap("kafka4", "SASL_PLAINTEXT"),
    sasl: { mechanism: "SCRAM-SHA-512", ...cluster.sasl.alice },
  }],
  ["kafka39 SASL SCRAM-SHA-256 v0.10.2", {
    hosts: cluster.bootstrap("kafka39", "SASL_PLAINTEXT"),
    sasl: { mechanism: "SCRAM-SHA-256", ...cluster.sasl.alice },
    brokerVersion: "0.10.2",
  }],
];

if (import.meta.main) {
  for (const [name, options] of RUNS) await workload(name, options);
  const dir = new URL("./corpus/", import.meta.url);
  await Deno.mkdir(dir, { recursive: true });
  let total = 0;
  for (const [api, byVersion] of [...captured].sort()) {
    const file: CorpusFile = {
      api,
      frames: [...byVersion].sort(([a], [b]) => a - b).flatMap((
        [version, frames],
      ) => frames.map((f) => ({ version, frame: encodeBase64(f) }))),
    };
    total += file.frames.length;
    await Deno.writeTextFile(
      new URL(corpusFileName(api), dir),
      JSON.stringify(file, null, 1) + "\n",
    );
    console.log(
      `${api}: versions ${
        [...byVersion.keys()].sort((a, b) => a - b).join(", ")
      }`,
    );
  }
  console.log(`${total} frames of ${captured.size} APIs in ${dir.pathname}`);
}
