// Decode throughput of the generated protocol codecs beside kafkajs's
// hand-written decoders, on the same bytes:
//
// - a large Metadata response (1000 topics x 6 partitions, 3 brokers) at v6
//   (kafkajs's newest Metadata), plus ours alone at v12 (flexible);
// - Fetch response envelopes (200 topics x 10 partitions, empty record sets
//   so that kafkajs decodes no records) at v11 (kafkajs's newest Fetch), plus
//   ours alone at v11 with 1 KiB opaque record sets and at v16 (flexible).
//
//   deno bench --allow-read bench/protocol_bench.ts
import { Buffer } from "node:buffer";
import {
  Fetch,
  type FetchResponse,
  Metadata,
  type MetadataResponse,
  Reader,
  Writer,
} from "../src/protocol/mod.ts";
import kafkajsMetadataV6 from "npm:kafkajs@2.2.4/src/protocol/requests/metadata/v6/response.js";
import kafkajsFetchV11 from "npm:kafkajs@2.2.4/src/protocol/requests/fetch/v11/response.js";

type KafkajsDecode = { decode(raw: Buffer): Promise<Record<string, unknown>> };
const kjsMetadata = kafkajsMetadataV6 as unknown as KafkajsDecode;
const kjsFetch = kafkajsFetchV11 as unknown as KafkajsDecode;

function metadataResponse(
  topics: number,
  partitions: number,
): MetadataResponse {
  return {
    throttleTimeMs: 0,
    brokers: [1, 2, 3].map((id) => ({
      nodeId: id,
      host: `broker-${id}.kafka.internal`,
      port: 9092,
      rack: `rack-${id}`,
    })),
    clusterId: "dFghTZziT3GmKBHObNCZSA",
    controllerId: 1,
    topics: Array.from({ length: topics }, (_, t) => ({
      errorCode: 0,
      name: `events.topic-${String(t).padStart(5, "0")}`,
      isInternal: false,
      partitions: Array.from({ length: partitions }, (_, p) => ({
        errorCode: 0,
        partitionIndex: p,
        leaderId: 1 + ((t + p) % 3),
        leaderEpoch: 7,
        replicaNodes: [1, 2, 3],
        isrNodes: [1, 2, 3],
        offlineReplicas: [],
      })),
    })),
  };
}

function fetchResponse(
  topics: number,
  partitions: number,
  recordBytes: number,
): FetchResponse {
  const records = new Uint8Array(recordBytes).fill(0x61);
  return {
    throttleTimeMs: 0,
    errorCode: 0,
    sessionId: 12345,
    responses: Array.from({ length: topics }, (_, t) => ({
      topic: `events.topic-${String(t).padStart(5, "0")}`,
      partitions: Array.from({ length: partitions }, (_, p) => ({
        partitionIndex: p,
        errorCode: 0,
        highWatermark: 1_000_000 + p,
        lastStableOffset: 1_000_000 + p,
        logStartOffset: 0,
        abortedTransactions: [],
        preferredReadReplica: -1,
        records,
      })),
    })),
  };
}

function encodeMetadata(v: number, m: MetadataResponse): Uint8Array {
  const w = new Writer(1 << 20);
  Metadata.encodeResponse(w, v, m);
  return w.finish().slice();
}

function encodeFetch(v: number, m: FetchResponse): Uint8Array {
  const w = new Writer(1 << 20);
  Fetch.encodeResponse(w, v, m);
  return w.finish().slice();
}

const metadata = metadataResponse(1000, 6);
const metadataV6 = encodeMetadata(6, metadata);
const metadataV6Buf = Buffer.from(metadataV6);
const metadataV12 = encodeMetadata(12, metadata);
const fetchEmpty = fetchResponse(200, 10, 0);
const fetchV11 = encodeFetch(11, fetchEmpty);
const fetchV11Buf = Buffer.from(fetchV11);
const fetchV11Records = encodeFetch(11, fetchResponse(200, 10, 1024));
const fetchV16 = encodeFetch(16, fetchEmpty);

// Both decoders must see the same data before timing them.
{
  const ours = Metadata.decodeResponse(new Reader(metadataV6), 6);
  const theirs = await kjsMetadata.decode(metadataV6Buf) as {
    topicMetadata: { partitionMetadata: unknown[] }[];
  };
  if (
    ours.topics.length !== 1000 || theirs.topicMetadata.length !== 1000 ||
    theirs.topicMetadata[999].partitionMetadata.length !== 6
  ) throw new Error("Metadata decoders disagree");
  const f = Fetch.decodeResponse(new Reader(fetchV11), 11);
  const k = await kjsFetch.decode(fetchV11Buf) as {
    responses: { partitions: unknown[] }[];
  };
  if (
    f.responses.length !== 200 || k.responses.length !== 200 ||
    k.responses[199].partitions.length !== 10
  ) throw new Error("Fetch decoders disagree");
}

Deno.bench({
  name:
    `denokafka Metadata v6 (1000 topics x 6 partitions, ${metadataV6.length} B)`,
  group: "metadata-v6",
  baseline: true,
  fn() {
    Metadata.decodeResponse(new Reader(metadataV6), 6);
  },
});

Deno.bench({
  name: "kafkajs Metadata v6 (same bytes)",
  group: "metadata-v6",
  async fn() {
    await kjsMetadata.decode(metadataV6Buf);
  },
});

Deno.bench({
  name: `denokafka Metadata v12 flexible (${metadataV12.length} B)`,
  group: "metadata-v12",
  fn() {
    Metadata.decodeResponse(new Reader(metadataV12), 12);
  },
});

Deno.bench({
  name: `denokafka Fetch v11 envelope (2000 partitions, ${fetchV11.length} B)`,
  group: "fetch-v11",
  baseline: true,
  fn() {
    Fetch.decodeResponse(new Reader(fetchV11), 11);
  },
});

Deno.bench({
  name: "kafkajs Fetch v11 envelope (same bytes)",
  group: "fetch-v11",
  async fn() {
    await kjsFetch.decode(fetchV11Buf);
  },
});

Deno.bench({
  name:
    `denokafka Fetch v11, 1 KiB opaque records each (${fetchV11Records.length} B)`,
  group: "fetch-records",
  fn() {
    Fetch.decodeResponse(new Reader(fetchV11Records), 11);
  },
});

Deno.bench({
  name: `denokafka Fetch v16 flexible envelope (${fetchV16.length} B)`,
  group: "fetch-v16",
  fn() {
    Fetch.decodeResponse(new Reader(fetchV16), 16);
  },
});
