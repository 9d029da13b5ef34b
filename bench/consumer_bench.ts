// The consumer's in-process hot path, without a broker: one fetch
// response's record set (about 1 MiB of records, in batches of 500, as a
// Java producer with linger writes them) is decoded, turned into Messages,
// queued on a partition and taken back one by one through the round-robin
// ring, exactly as SimpleConsumer.consume() does between fetches. The
// `decodeRecords` row alone shows what the consumer adds on top (it decodes
// an index and builds each Message as it is taken, `decodeMessagesLazy`).
// End-to-end numbers beside other clients come from bench/e2e.
//
//   deno bench -A bench/consumer_bench.ts
import { Cluster, ClusterTopic } from "../src/cluster/mod.ts";
import {
  CompressionType,
  decodeRecords,
  encodeRecords,
  type RecordInput,
} from "../src/records/mod.ts";
import { decodeMessagesLazy } from "../src/records/_lazy_messages.ts";
import { OwnedPartition, ReadyRing } from "../src/consumer/_owned_partition.ts";
import {
  MESSAGE_OVERHEAD,
  toMessages,
} from "../src/consumer/_fetch_records.ts";

const PER_BATCH = 500;
const enc = new TextEncoder();

function recordSet(valueSize: number, compression: CompressionType): {
  bytes: Uint8Array;
  count: number;
} {
  const parts: Uint8Array[] = [];
  let size = 0;
  let count = 0;
  const line = (i: number) =>
    enc.encode(
      `{"id":${i},"user":"u${i % 97}","event":"click","path":"/a/b/${
        i % 13
      }","pad":"${"x".repeat(Math.max(0, valueSize - 60))}"}`.slice(
        0,
        valueSize,
      ),
    );
  // About 1 MiB of record data (before compression).
  while (count * (valueSize + 10) < 1024 * 1024) {
    const records: RecordInput[] = [];
    for (let i = 0; i < PER_BATCH; i++) {
      records.push({ key: null, value: line(count + i) });
    }
    const b = encodeRecords({ records, compression, baseOffset: count });
    parts.push(b);
    size += b.length;
    count += PER_BATCH;
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return { bytes, count };
}

// A partition object without any I/O.
const cluster = new Cluster({ hosts: "127.0.0.1:1" });
const topic = new ClusterTopic(cluster, {
  errorCode: 0,
  name: "bench",
  partitions: [{
    errorCode: 0,
    partitionIndex: 0,
    leaderId: -1,
    replicaNodes: [],
    isrNodes: [],
  }],
});
const budget = { bytes: 0 };
const partition = new OwnedPartition(
  topic.partitions.get(0)!,
  0,
  1 << 20,
  budget,
);
const ring = new ReadyRing();
let sink = 0;

for (const valueSize of [100, 1024]) {
  for (const codec of ["none", "lz4"] as const) {
    const compression = codec === "lz4"
      ? CompressionType.LZ4
      : CompressionType.NONE;
    const { bytes, count } = recordSet(valueSize, compression);
    const group = `${valueSize} B ${codec} (${count} records, ${
      (bytes.length / 1024).toFixed(0)
    } KiB)`;
    Deno.bench({
      name: `decodeRecords only, ${valueSize} B ${codec}`,
      group,
      fn() {
        sink += decodeRecords(bytes, { topic: "bench", partition: 0 })
          .records.length;
      },
    });
    Deno.bench({
      name: `fetch response -> consumed messages, ${valueSize} B ${codec}`,
      group,
      baseline: true,
      fn() {
        const decoded = decodeMessagesLazy(bytes, {
          topic: "bench",
          partition: 0,
        });
        const msgs = toMessages(decoded, null);
        partition.push(msgs, bytes.length + msgs.length * MESSAGE_OVERHEAD);
        ring.add(partition);
        for (let m = ring.take(); m !== undefined; m = ring.take()) {
          sink += m.offset;
        }
      },
    });
  }
}

globalThis.addEventListener("unload", () => {
  if (sink === 42) console.log(sink);
  cluster.close();
});
