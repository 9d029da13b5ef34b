// Interop on the real cluster: record sets written by librdkafka (kcat), the
// Java client (console producer) and kafka-python with every codec are
// fetched raw and decoded by decodeRecords; record sets from encodeRecords
// are produced with raw Produce requests and read back by kcat and the Java
// console consumer; MessageSet v0/v1 round-trip through Kafka 3.9 with
// Produce v0-v2 and Fetch v0-v4 (up- and down-conversion).
import assert from "node:assert/strict";
import { cluster } from "../cluster/mod.ts";
import { java, run } from "../cluster/tools.ts";
import { kafkaPython, kcat } from "../cluster/interop.ts";
import {
  type CompressionType,
  type DecodedRecord,
  decodeRecords,
  encodeRecords,
} from "../../src/records/mod.ts";
import { fetchAll, leaderOf } from "./_kafka_wire.ts";

const CODECS = ["none", "gzip", "snappy", "lz4", "zstd"] as const;
const dec = new TextDecoder();
const enc = new TextEncoder();
const text = (b: Uint8Array | null) => (b === null ? null : dec.decode(b));

function topicName(what: string): string {
  return `records-${what}-${crypto.randomUUID().slice(0, 8)}`;
}

interface Expected {
  key: string | null;
  value: string | null;
  headers: [string, string | null][];
  timestamp?: number;
}

function compare(got: DecodedRecord[], want: Expected[], what: string): void {
  assert.equal(got.length, want.length, `${what}: record count`);
  got.forEach((r, i) => {
    const w = want[i];
    assert.equal(text(r.key), w.key, `${what}: key ${i}`);
    assert.equal(text(r.value), w.value, `${what}: value ${i}`);
    assert.deepEqual(
      r.headers.map(([k, v]) => [k, text(v)]),
      w.headers,
      `${what}: headers ${i}`,
    );
    if (w.timestamp !== undefined) {
      assert.equal(r.timestamp, w.timestamp, `${what}: timestamp ${i}`);
    }
    assert.equal(r.offset, got[0].offset + i, `${what}: offset ${i}`);
  });
}

/** kcat's view of a topic: JSON lines (-J) of partition 0. */
async function kcatRead(
  bootstrap: string,
  topic: string,
  count: number,
): Promise<Expected[]> {
  const out = await run("kcat", [
    "-b",
    bootstrap,
    "-C",
    "-t",
    topic,
    "-p",
    "0",
    "-o",
    "beginning",
    "-c",
    String(count),
    "-e",
    "-J",
  ]);
  return out.trim().split("\n").map((line) => {
    const m = JSON.parse(line);
    const headers: [string, string | null][] = [];
    for (let i = 0; m.headers && i < m.headers.length; i += 2) {
      headers.push([m.headers[i], m.headers[i + 1]]);
    }
    return { key: m.key, value: m.payload, headers, timestamp: m.ts };
  });
}

async function rawRecords(
  name: "kafka39" | "kafka4",
  topic: string,
  count: number,
): Promise<DecodedRecord[]> {
  const wire = await leaderOf(name, topic);
  try {
    let records: DecodedRecord[] = [];
    await fetchAll(wire, 4, topic, (raw) => {
      records = decodeRecords(raw, { topic, partition: 0 }).records;
      return records.length >= count;
    });
    return records;
  } finally {
    wire.close();
  }
}

const lines = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => ({
    key: `key-${tag}-${i}`,
    value: `value ${tag} ${i} ${"payload ".repeat(i % 7)}`,
  }));

for (const clusterName of ["kafka39", "kafka4"] as const) {
  kcat.test(`kcat (librdkafka) batches with every codec decode identically (${clusterName})`, async () => {
    const bootstrap = cluster.bootstrap(clusterName, "PLAINTEXT");
    await Promise.all(CODECS.map(async (codec) => {
      const topic = topicName(`kcat-${codec}`);
      const msgs = lines(30, codec);
      await (await leaderOf(clusterName, topic)).close();
      await run("kcat", [
        "-b",
        bootstrap,
        "-P",
        "-t",
        topic,
        "-p",
        "0",
        "-z",
        codec,
        "-X",
        "linger.ms=200",
        "-K",
        "\t",
        "-H",
        "origin=kcat",
        "-H",
        `codec=${codec}`,
      ], msgs.map((m) => `${m.key}\t${m.value}\n`).join(""));
      const got = await rawRecords(clusterName, topic, msgs.length);
      const want = msgs.map((m) => ({
        ...m,
        headers: [["origin", "kcat"], ["codec", codec]] as [string, string][],
      }));
      compare(got, want, `kcat ${codec}`);
      // timestamps: identical to librdkafka's own consumer view
      const seen = await kcatRead(bootstrap, topic, msgs.length);
      compare(got, seen, `kcat ${codec} vs kcat consumer`);
      // librdkafka sends a batch uncompressed when compression does not shrink it
      const id = CODECS.indexOf(codec);
      assert.ok(
        got.some((r) => r.compression === id),
        `kcat ${codec}: no ${codec} batch`,
      );
      assert.ok(got.every((r) => r.compression === id || r.compression === 0));
    }));
  });
}

kcat.test("Java console producer batches with every codec decode identically", async () => {
  const bootstrap = cluster.bootstrap("kafka39", "PLAINTEXT");
  for (const codec of CODECS) {
    const topic = topicName(`java-${codec}`);
    const msgs = lines(25, `java-${codec}`);
    (await leaderOf("kafka39", topic)).close();
    await java(
      "kafka.tools.ConsoleProducer",
      [
        "--bootstrap-server",
        bootstrap,
        "--topic",
        topic,
        "--compression-codec",
        codec,
        "--property",
        "parse.key=true",
        "--property",
        "key.separator=|",
        "--property",
        "parse.headers=true",
      ],
      msgs.map((m) => `client:java,codec:${codec}\t${m.key}|${m.value}\n`).join(
        "",
      ),
    );
    const got = await rawRecords("kafka39", topic, msgs.length);
    compare(
      got,
      msgs.map((m) => ({
        ...m,
        headers: [["client", "java"], ["codec", codec]],
      })),
      `java ${codec}`,
    );
    compare(
      got,
      await kcatRead(bootstrap, topic, msgs.length),
      `java ${codec} vs kcat`,
    );
    assert.equal(got[0].compression, CODECS.indexOf(codec));
  }
});

kafkaPython.test("kafka-python batches with every codec decode identically, timestamps included", async () => {
  const bootstrap = cluster.bootstrap("kafka39", "PLAINTEXT");
  const topics = Object.fromEntries(
    CODECS.map((c) => [c, topicName(`python-${c}`)]),
  );
  for (const t of Object.values(topics)) (await leaderOf("kafka39", t)).close();
  const script = `
import sys, json
from kafka import KafkaProducer
topics = json.loads(sys.argv[2])
for codec, topic in topics.items():
    p = KafkaProducer(bootstrap_servers=sys.argv[1].split(","), compression_type=None if codec == "none" else codec, linger_ms=50, retries=10, acks=-1)
    futures = []
    for i in range(40):
        futures.append(p.send(topic, key=("k%d" % i).encode(), value=("python %s %d" % (codec, i)).encode() * (1 + i % 5),
               headers=[("client", b"kafka-python"), ("i", str(i).encode())], timestamp_ms=1600000000000 + i * 1000, partition=0))
    p.flush()
    for f in futures:
        f.get(timeout=30)
    p.close()
`;
  await run("/usr/bin/python3", [
    "-c",
    script,
    bootstrap,
    JSON.stringify(topics),
  ]);
  for (const codec of CODECS) {
    const got = await rawRecords("kafka39", topics[codec], 40);
    compare(
      got,
      Array.from({ length: 40 }, (_, i) => ({
        key: `k${i}`,
        value: `python ${codec} ${i}`.repeat(1 + (i % 5)),
        headers: [["client", "kafka-python"], ["i", String(i)]],
        timestamp: 1600000000000 + i * 1000,
      })),
      `kafka-python ${codec}`,
    );
  }
});

function ourRecords(tag: string, n: number) {
  return Array.from({ length: n }, (_, i) => ({
    key: i % 6 === 5 ? null : enc.encode(`our-key-${tag}-${i}`),
    value: enc.encode(`our value ${tag} ${i} ${"z".repeat(i * 3)}`),
    headers: [["tag", enc.encode(tag)], ["n", enc.encode(String(i))]] as [
      string,
      Uint8Array,
    ][],
    timestamp: 1_650_000_000_000 + i,
  }));
}

for (const clusterName of ["kafka39", "kafka4"] as const) {
  kcat.test(`encodeRecords batches are accepted by the broker and read back by kcat (${clusterName})`, async () => {
    const topic = topicName(`ours-${clusterName}`);
    const wire = await leaderOf(clusterName, topic);
    const want: Expected[] = [];
    try {
      for (const codec of CODECS) {
        const recs = ourRecords(codec, 20);
        const bytes = encodeRecords({
          compression: CODECS.indexOf(codec) as CompressionType,
          records: recs,
        });
        // zstd needs Produce v7+ (KIP-110); the others go with v3, the first RecordBatch version.
        const [err, base] = await wire.produce(
          codec === "zstd" ? 7 : 3,
          topic,
          0,
          bytes,
        );
        assert.equal(err, 0, `produce ${codec}`);
        assert.equal(base, want.length);
        for (const r of recs) {
          want.push({
            key: text(r.key),
            value: text(r.value),
            headers: r.headers.map(([k, v]) => [k, text(v)]),
            timestamp: r.timestamp,
          });
        }
      }
    } finally {
      wire.close();
    }
    const seen = await kcatRead(
      cluster.bootstrap(clusterName, "PLAINTEXT"),
      topic,
      want.length,
    );
    assert.deepEqual(seen, want);
    compare(
      await rawRecords(clusterName, topic, want.length),
      want,
      "ours via fetch",
    );
  });
}

Deno.test("encodeRecords batches are read back by the Java console consumer", async () => {
  const topic = topicName("ours-java");
  const wire = await leaderOf("kafka39", topic);
  const want: string[] = [];
  try {
    for (const codec of CODECS) {
      const recs = ourRecords(codec, 10);
      const [err] = await wire.produce(
        codec === "zstd" ? 7 : 3,
        topic,
        0,
        encodeRecords({
          compression: CODECS.indexOf(codec) as CompressionType,
          records: recs,
        }),
      );
      assert.equal(err, 0);
      for (const r of recs) {
        want.push(
          `CreateTime:${r.timestamp}\ttag:${codec},n:${
            text(r.headers[1][1])
          }\t${text(r.key)}\t${text(r.value)}`,
        );
      }
    }
  } finally {
    wire.close();
  }
  const out = await java("org.apache.kafka.tools.consumer.ConsoleConsumer", [
    "--bootstrap-server",
    cluster.bootstrap("kafka39", "PLAINTEXT"),
    "--topic",
    topic,
    "--from-beginning",
    "--max-messages",
    String(want.length),
    "--timeout-ms",
    "60000",
    "--property",
    "print.timestamp=true",
    "--property",
    "print.headers=true",
    "--property",
    "print.key=true",
  ]);
  assert.deepEqual(out.trim().split("\n"), want);
});

Deno.test("MessageSet v0/v1 round-trip through Kafka 3.9 (Produce v0-v2, Fetch v0-v4)", async () => {
  for (const magic of [0, 1] as const) {
    for (const codec of ["none", "gzip", "snappy", "lz4"] as const) {
      const topic = topicName(`legacy-v${magic}-${codec}`);
      const wire = await leaderOf("kafka39", topic);
      try {
        const recs = Array.from({ length: 15 }, (_, i) => ({
          key: i === 3 ? null : enc.encode(`legacy-${i}`),
          value: i === 4 ? null : enc.encode(
            `legacy value ${magic} ${codec} ${i} ${"q".repeat(i)}`,
          ),
          timestamp: 1_500_000_000_000 + i * 10,
        }));
        const bytes = encodeRecords({
          magic,
          compression: CODECS.indexOf(codec) as CompressionType,
          records: recs,
        });
        const produceVersion = magic === 0 ? 0 : 2;
        const [err, base] = await wire.produce(produceVersion, topic, 0, bytes);
        assert.equal(
          err,
          0,
          `produce v${produceVersion} magic ${magic} ${codec}`,
        );
        assert.equal(base, 0);
        // Fetch v0/v1 down-converts to magic 0, v2/v3 to magic 1, v4 returns the stored magic 2.
        for (
          const [fetchVersion, expectMagic] of [[1, 0], [3, 1], [4, 2]] as const
        ) {
          const raw = await fetchAll(
            wire,
            fetchVersion,
            topic,
            (b) => decodeRecords(b).records.length >= 15,
          );
          const out = decodeRecords(raw, { topic, partition: 0 });
          const what = `magic ${magic} ${codec} via fetch v${fetchVersion}`;
          assert.equal(out.nextOffset, 15, what);
          out.records.forEach((r, i) => {
            assert.equal(r.offset, i, what);
            assert.equal(r.magic, expectMagic, what);
            assert.equal(text(r.key), text(recs[i].key), what);
            assert.equal(text(r.value), text(recs[i].value), what);
            // v0 carries no timestamp; converted data keeps the producer's v1 timestamps
            if (expectMagic > 0 && magic === 1) {
              assert.equal(r.timestamp, recs[i].timestamp, what);
            }
            if (expectMagic === 0) assert.equal(r.timestamp, -1, what);
          });
          assert.equal(out.records[0].compression, CODECS.indexOf(codec), what);
        }
      } finally {
        wire.close();
      }
    }
  }
});
