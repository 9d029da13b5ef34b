// What the SimpleConsumer reads: every codec, records written by kcat
// (librdkafka) and the Java producer, a compacted topic with offset gaps,
// and transactional topics (control records skipped, aborted transactions
// left out with READ_COMMITTED). Kafka 3.9 brokers.
import assert from "node:assert/strict";
import { CompressionType } from "../../src/records/mod.ts";
import { IsolationLevel } from "../../src/consumer/mod.ts";
import { OffsetType } from "../../src/cluster/mod.ts";
import { cluster } from "../cluster/mod.ts";
import { kcat } from "../cluster/interop.ts";
import {
  connect,
  consumerTest,
  createTopic,
  dec,
  enc,
  eventually,
  java,
  produceTo,
  RawTransactionalProducer,
  rec,
  run,
} from "./_helpers.ts";

const CODECS = ["none", "gzip", "snappy", "lz4", "zstd"] as const;
const text = (b: Uint8Array | null) => (b === null ? null : dec.decode(b));

consumerTest(
  "SimpleConsumer: every codec, with keys, headers, nulls and broker offsets",
  async () => {
    await using client = await connect();
    const topic = await createTopic(client, "codecs", {
      partitions: CODECS.length,
    });
    await Promise.all(CODECS.map(async (codec, p) => {
      for (let b = 0; b < 3; b++) {
        await produceTo(
          topic,
          p,
          Array.from({ length: 40 }, (_, i) => ({
            key: i % 5 === 0 ? null : enc.encode(`k${b}-${i}`),
            value: i % 7 === 0
              ? null
              : enc.encode(`${codec} ${b}-${i} ${"z".repeat(i)}`),
            headers: [["codec", enc.encode(codec)], ["n", null]] as [
              string,
              Uint8Array | null,
            ][],
          })),
          { compression: CompressionType[codec.toUpperCase() as "NONE"] },
        );
      }
    }));
    await using consumer = topic.getSimpleConsumer({ consumerTimeoutMs: 1500 });
    const next = new Map<number, number>();
    let n = 0;
    for await (const m of consumer) {
      const codec = CODECS[m.partitionId];
      const expect = next.get(m.partitionId) ?? 0;
      assert.equal(m.offset, expect, `${codec} offsets`);
      next.set(m.partitionId, expect + 1);
      const b = Math.floor(m.offset / 40);
      const i = m.offset % 40;
      assert.equal(text(m.partitionKey), i % 5 === 0 ? null : `k${b}-${i}`);
      assert.equal(
        text(m.value),
        i % 7 === 0 ? null : `${codec} ${b}-${i} ${"z".repeat(i)}`,
      );
      assert.deepEqual(m.headers.map(([k, v]) => [k, text(v)]), [
        ["codec", codec],
        ["n", null],
      ]);
      assert.equal(m.compressionType, CODECS.indexOf(codec));
      assert.equal(m.protocolVersion, 2);
      n++;
    }
    assert.equal(n, CODECS.length * 120);
  },
);

kcat.test("SimpleConsumer: reads what kcat (librdkafka) wrote with every codec", async () => {
  await using client = await connect();
  const topic = await createTopic(client, "kcat", {
    partitions: CODECS.length,
  });
  const bootstrap = cluster.bootstrap("kafka39", "PLAINTEXT");
  await Promise.all(CODECS.map((codec, p) =>
    run(
      "kcat",
      [
        "-b",
        bootstrap,
        "-P",
        "-t",
        topic.name,
        "-p",
        String(p),
        "-z",
        codec,
        "-X",
        "linger.ms=100",
        "-K",
        "\t",
        "-H",
        `codec=${codec}`,
      ],
      Array.from(
        { length: 60 },
        (_, i) => `key${i}\t${codec} value ${i} ${"k".repeat(i)}\n`,
      ).join(""),
    )
  ));
  await using consumer = topic.getSimpleConsumer({ consumerTimeoutMs: 1500 });
  const byPartition = new Map<number, string[]>();
  for await (const m of consumer) {
    const l = byPartition.get(m.partitionId) ?? [];
    byPartition.set(m.partitionId, l);
    assert.equal(m.offset, l.length);
    const codec = CODECS[m.partitionId];
    assert.equal(text(m.partitionKey), `key${l.length}`);
    assert.deepEqual(m.headers.map(([k, v]) => [k, text(v)]), [[
      "codec",
      codec,
    ]]);
    l.push(text(m.value)!);
  }
  for (const [p, codec] of CODECS.entries()) {
    assert.deepEqual(
      byPartition.get(p),
      Array.from(
        { length: 60 },
        (_, i) => `${codec} value ${i} ${"k".repeat(i)}`,
      ),
    );
  }
});

consumerTest(
  "SimpleConsumer: reads what the Java console producer wrote (snappy, zstd)",
  async () => {
    await using client = await connect();
    const topic = await createTopic(client, "java", { partitions: 1 });
    const bootstrap = cluster.bootstrap("kafka39", "PLAINTEXT");
    for (const codec of ["snappy", "zstd"]) {
      await java(
        "kafka.tools.ConsoleProducer",
        [
          "--bootstrap-server",
          bootstrap,
          "--topic",
          topic.name,
          "--compression-codec",
          codec,
          "--property",
          "parse.key=true",
          "--property",
          "key.separator=|",
        ],
        Array.from(
          { length: 30 },
          (_, i) => `${codec}${i}|java ${codec} ${i}\n`,
        )
          .join(""),
      );
    }
    await using consumer = topic.getSimpleConsumer({ consumerTimeoutMs: 1500 });
    const got: string[] = [];
    for await (const m of consumer) {
      assert.equal(m.offset, got.length);
      got.push(`${text(m.partitionKey)}|${text(m.value)}`);
    }
    assert.deepEqual(got, [
      ...Array.from({ length: 30 }, (_, i) => `snappy${i}|java snappy ${i}`),
      ...Array.from({ length: 30 }, (_, i) => `zstd${i}|java zstd ${i}`),
    ]);
  },
);

consumerTest("SimpleConsumer: a compacted topic with offset gaps", async () => {
  await using client = await connect();
  const topic = await createTopic(client, "compacted", {
    partitions: 1,
    config: {
      "cleanup.policy": "compact",
      "segment.bytes": "1024",
      "segment.ms": "100",
      "min.cleanable.dirty.ratio": "0.01",
      "min.compaction.lag.ms": "0",
      "delete.retention.ms": "0",
    },
  });
  // key0-key4 once, then key0 and key1 seven more times, in small batches
  // (each rolls a segment), then a tail record.
  await produceTo(
    topic,
    0,
    Array.from({ length: 5 }, (_, k) => rec(`key${k} v0`, `key${k}`)),
  ); // 0-4
  for (let round = 1; round < 8; round++) {
    await produceTo(topic, 0, [
      rec(`key0 v${round}`, "key0"),
      rec(`key1 v${round}`, "key1"),
    ]); // 5-18
  }
  await new Promise((r) => setTimeout(r, 200));
  await produceTo(topic, 0, [rec("tail", "tail")]); // 19, rolls the last segment
  const latest = (await topic.latestAvailableOffsets()).get(0)!;
  assert.equal(latest, 20);
  let got: string[] = [];
  // The log cleaner runs every 15 s at most when idle.
  await eventually(
    "the log cleaner to compact the topic",
    async () => {
      await using consumer = topic.getSimpleConsumer({
        compactedTopic: true,
        consumerTimeoutMs: 500,
      });
      got = [];
      for await (const m of consumer) got.push(`${m.offset}:${text(m.value)}`);
      return got.length === 6;
    },
    60_000,
    1000,
  );
  // The newest value of each key at its original offset: the consumer
  // follows the gaps (0-1 and 5-16 are gone).
  assert.deepEqual(got, [
    "2:key2 v0",
    "3:key3 v0",
    "4:key4 v0",
    "17:key0 v7",
    "18:key1 v7",
    "19:tail",
  ]);
  // A consumer positioned inside a gap moves on to the next record.
  await using consumer = topic.getSimpleConsumer({ consumerTimeoutMs: 500 });
  await consumer.start();
  await consumer.resetOffsets([[0, 7]]);
  const m = await consumer.consume();
  assert.equal(m!.offset, 17);
});

consumerTest(
  "SimpleConsumer: transactional topics: markers skipped, aborted transactions left out with READ_COMMITTED",
  async () => {
    await using client = await connect();
    const topic = await createTopic(client, "txn", { partitions: 1 });
    const txn = new RawTransactionalProducer(topic, 0);
    await txn.init();
    await txn.transaction([rec("c1"), rec("c2"), rec("c3")], true); // 0-2, marker 3
    await txn.transaction([rec("a1"), rec("a2")], false); // 4-5, marker 6
    await produceTo(topic, 0, [rec("n1")]); // 7
    await txn.transaction([rec("c4")], true); // 8, marker 9
    const read = async (isolationLevel: IsolationLevel) => {
      await using consumer = topic.getSimpleConsumer({
        isolationLevel,
        consumerTimeoutMs: 800,
      });
      const got: string[] = [];
      for await (const m of consumer) got.push(`${m.offset}:${text(m.value)}`);
      return { got, held: consumer.heldOffsets.get(0) };
    };
    // Transaction markers are written after EndTxn answers: the offsets are
    // checked relative to each other.
    const values = (l: string[]) => l.map((x) => x.split(":")[1]);
    const offsetsOf = (l: string[]) => l.map((x) => Number(x.split(":")[0]));
    const uncommitted = await read(IsolationLevel.READ_UNCOMMITTED);
    assert.deepEqual(values(uncommitted.got), [
      "c1",
      "c2",
      "c3",
      "a1",
      "a2",
      "n1",
      "c4",
    ]);
    const uo = offsetsOf(uncommitted.got);
    assert.deepEqual(uo.slice(0, 3), [0, 1, 2]);
    assert.equal(
      uo[3],
      4,
      "the commit marker of the first transaction is at 3",
    );
    for (let i = 1; i < uo.length; i++) assert.ok(uo[i] > uo[i - 1]);
    const committed = await read(IsolationLevel.READ_COMMITTED);
    assert.deepEqual(values(committed.got), ["c1", "c2", "c3", "n1", "c4"]);
    assert.deepEqual(
      offsetsOf(committed.got),
      [0, 1, 2, uo[5], uo[6]],
    );
    assert.equal(committed.held, uo[6]);

    // An open transaction holds READ_COMMITTED consumers at the last stable
    // offset until it ends.
    await eventually(
      "the last transaction marker",
      async () => {
        const latest = (await topic.latestAvailableOffsets()).get(0)!;
        return latest === uo[6] + 2;
      },
      10_000,
      50,
    );
    await txn.begin();
    await txn.produce([rec("o1")]);
    await produceTo(topic, 0, [rec("n2")]);
    await using rc = topic.getSimpleConsumer({
      isolationLevel: IsolationLevel.READ_COMMITTED,
      autoOffsetReset: OffsetType.LATEST,
      resetOffsetOnStart: true,
    });
    await rc.start();
    // LATEST is the last stable offset: the open transaction's first record.
    assert.equal(rc.heldOffsets.get(0), uo[6] + 1);
    assert.equal(await rc.consume({ timeoutMs: 500 }), null);
    await txn.end(true);
    const after: string[] = [];
    for (let i = 0; i < 2; i++) {
      const m = await rc.consume({ timeoutMs: 10_000 });
      after.push(`${m!.offset}:${text(m!.value)}`);
    }
    assert.deepEqual(after, [`${uo[6] + 2}:o1`, `${uo[6] + 3}:n2`]);
  },
);
