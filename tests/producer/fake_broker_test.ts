// Failure paths of the idempotent producer that real brokers do not produce
// on demand: a fake broker that keeps Kafka's per-producer sequence checks
// (duplicates of the last 5 batches answered with their offset, gaps with
// OUT_OF_ORDER_SEQUENCE_NUMBER) and, on scripted Produce requests, drops
// the connection after writing (a lost acknowledgement) or before, answers
// NOT_LEADER_OR_FOLLOWER, or forgets the producer (UNKNOWN_PRODUCER_ID).
// Every acknowledged record must be in the log exactly once, in order.
//
// FAKE_FAULT_SEED=n replaces the scripted faults with seeded random ones
// (a local stress run: for s in $(seq 1 100); do FAKE_FAULT_SEED=$s deno
// test -A tests/producer/fake_broker_test.ts; done).
import assert from "node:assert/strict";
import {
  ApiVersions,
  InitProducerId,
  Metadata,
  type MetadataResponse,
  Produce,
  type ProduceResponsePartitionProduceResponse,
  Reader,
  Writer,
} from "../../src/protocol/mod.ts";
import { decodeRecords } from "../../src/records/mod.ts";
import { KafkaClient } from "../../src/client/mod.ts";
import { FakeBroker, type FakePeer } from "../network/_fake_server.ts";
import { dec, enc } from "./_helpers.ts";

function body(encode: (w: Writer) => void): Uint8Array {
  const w = new Writer();
  encode(w);
  return w.finish();
}

/** What to do with the n-th Produce request (1-based). */
type Fault =
  | "lose-ack" // write the batches, close without answering
  | "drop" // close before writing
  | "not-leader" // answer NOT_LEADER_OR_FOLLOWER, write nothing
  | "forget"; // answer UNKNOWN_PRODUCER_ID for every partition

interface ProducerEntry {
  lastSeq: number;
  recent: { first: number; last: number; offset: number }[];
}

/** A one-broker "cluster" with topic `t` (2 partitions) and a Kafka-like log. */
class FakeKafka implements AsyncDisposable {
  readonly logs = new Map<number, string[]>([[0, []], [1, []]]);
  readonly producers = new Map<string, ProducerEntry>();
  produceRequests = 0;
  nextProducerId = 1000;
  readonly faults: Map<number, Fault>;
  readonly broker: FakeBroker;

  constructor(faults: Map<number, Fault>) {
    this.faults = faults;
    this.broker = new FakeBroker((peer) => this.#serve(peer));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.broker.close();
  }

  #metadata(): MetadataResponse {
    return {
      brokers: [{
        nodeId: 1,
        host: "127.0.0.1",
        port: this.broker.port,
        rack: null,
      }],
      controllerId: 1,
      topics: [{
        errorCode: 0,
        name: "t",
        isInternal: false,
        partitions: [0, 1].map((p) => ({
          errorCode: 0,
          partitionIndex: p,
          leaderId: 1,
          replicaNodes: [1],
          isrNodes: [1],
        })),
      }],
    };
  }

  /** Kafka's idempotence check and append; returns [errorCode, baseOffset]. */
  #append(partition: number, records: Uint8Array): [number, number] {
    const d = decodeRecords(records);
    const b = d.batches[0];
    const log = this.logs.get(partition)!;
    const values = d.records.map((r) => dec.decode(r.value!));
    if (b.producerId < 0) {
      log.push(...values);
      return [0, log.length - values.length];
    }
    const key = `${b.producerId}/${partition}`;
    const first = b.baseSequence;
    const last = first + b.recordCount - 1;
    let entry = this.producers.get(key);
    if (entry === undefined) {
      if (first !== 0) return [45, -1];
      entry = { lastSeq: -1, recent: [] };
      this.producers.set(key, entry);
    }
    const dup = entry.recent.find((x) => x.first === first && x.last === last);
    if (dup) return [0, dup.offset];
    if (first !== entry.lastSeq + 1) return [45, -1];
    const offset = log.length;
    log.push(...values);
    entry.lastSeq = last;
    entry.recent.push({ first, last, offset });
    if (entry.recent.length > 5) entry.recent.shift();
    return [0, offset];
  }

  async #serve(peer: FakePeer): Promise<void> {
    for (;;) {
      const req = await peer.readRequest();
      if (req === null) return;
      const clientIdLen = new DataView(req.frame.buffer, req.frame.byteOffset)
        .getInt16(8);
      const r = new Reader(req.frame.subarray(10 + Math.max(0, clientIdLen)));
      if (req.apiKey === ApiVersions.apiKey) {
        await peer.respond(
          req.correlationId,
          body((w) =>
            ApiVersions.encodeResponse(w, 0, {
              errorCode: req.apiVersion === 0 ? 0 : 35,
              apiKeys: [
                { apiKey: 0, minVersion: 3, maxVersion: 8 },
                { apiKey: 3, minVersion: 0, maxVersion: 1 },
                { apiKey: 18, minVersion: 0, maxVersion: 0 },
                { apiKey: 22, minVersion: 0, maxVersion: 1 },
              ],
            })
          ),
        );
      } else if (req.apiKey === Metadata.apiKey) {
        await peer.respond(
          req.correlationId,
          body((w) =>
            Metadata.encodeResponse(w, req.apiVersion, this.#metadata())
          ),
        );
      } else if (req.apiKey === InitProducerId.apiKey) {
        await peer.respond(
          req.correlationId,
          body((w) =>
            InitProducerId.encodeResponse(w, req.apiVersion, {
              throttleTimeMs: 0,
              errorCode: 0,
              producerId: this.nextProducerId++,
              producerEpoch: 0,
            })
          ),
        );
      } else if (req.apiKey === Produce.apiKey) {
        const n = ++this.produceRequests;
        const fault = this.faults.get(n);
        const produce = Produce.decodeRequest(r, req.apiVersion);
        if (fault === "drop") return; // closes: nothing written
        const answers: ProduceResponsePartitionProduceResponse[] = [];
        for (const p of produce.topicData[0].partitionData) {
          let code = 0, offset = -1;
          if (fault === "not-leader") code = 6;
          else if (fault === "forget") code = 59;
          else [code, offset] = this.#append(p.index, p.records!);
          answers.push({
            index: p.index,
            errorCode: code,
            baseOffset: offset,
            logAppendTimeMs: -1,
            logStartOffset: 0,
            recordErrors: [],
            errorMessage: null,
          });
        }
        if (fault === "forget") this.producers.clear();
        if (fault === "lose-ack") return; // written, never acknowledged
        await peer.respond(
          req.correlationId,
          body((w) =>
            Produce.encodeResponse(w, req.apiVersion, {
              responses: [{ name: "t", partitionResponses: answers }],
              throttleTimeMs: 0,
            })
          ),
        );
      } else {
        return;
      }
    }
  }
}

const SCRIPTED = new Map<number, Fault>([
  [3, "lose-ack"],
  [6, "not-leader"],
  [9, "drop"],
  [12, "forget"],
  [15, "lose-ack"],
  [18, "not-leader"],
]);

/** Random faults (seeded), for FAKE_FAULT_SEED=n local stress runs. */
function randomFaults(seed: number): Map<number, Fault> {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32;
  // A lost acknowledgement followed by a broker that forgets the producer
  // is a duplicate no client can prevent (the broker cannot tell a retry
  // from new data any more): a seed has one or the other.
  const kinds: Fault[] = seed % 2 === 0
    ? ["lose-ack", "drop", "not-leader", "drop"]
    : ["forget", "drop", "not-leader", "drop"];
  const out = new Map<number, Fault>();
  for (let i = 2; i < 40; i++) {
    if (next() < 0.3) out.set(i, kinds[Math.floor(next() * 4)]);
  }
  return out;
}

const seed = Deno.env.get("FAKE_FAULT_SEED");

Deno.test("idempotent producer through lost acks, dropped connections, NOT_LEADER and a forgotten producer id: exactly once, in order", async () => {
  const faults = seed ? randomFaults(Number(seed)) : SCRIPTED;
  await using kafka = new FakeKafka(faults);
  await using client = await KafkaClient.connect({
    hosts: `127.0.0.1:${kafka.broker.port}`,
    metadataRefreshIntervalMs: 0,
    reconnectBackoff: { initialMs: 10, maxMs: 50 },
  });
  const topic = await client.topics.get("t", { autoCreate: false });
  const producer = topic.getProducer({
    idempotent: true,
    deliveryReports: true,
    batchSizeBytes: 2000, // many small batches, several requests in flight
    lingerMs: 1,
    maxRetries: 20,
    retryBackoffMs: 10,
  });
  const n = 3000;
  for (let i = 0; i < n; i++) {
    await producer.produce(enc.encode(`${i}`), { partition: i % 2 });
  }
  await producer.flush();
  await producer.stop();
  const errors = [];
  let r;
  while ((r = await producer.getDeliveryReport({ block: false }))) {
    if (r[1]) errors.push(r[1]);
  }
  if (seed) console.log(JSON.stringify(producer.stats), kafka.produceRequests);
  assert.deepEqual(errors, []);
  assert.equal(producer.stats.delivered, n);
  if (!seed) {
    assert.ok(kafka.produceRequests > 18, `${kafka.produceRequests} requests`);
    assert.ok(producer.stats.retries > 0);
    assert.ok(
      producer.stats.producerIdResets >= 1,
      "the forgotten id was replaced",
    );
  }
  for (const p of [0, 1]) {
    assert.deepEqual(
      kafka.logs.get(p),
      Array.from({ length: n / 2 }, (_, i) => `${2 * i + p}`),
      `partition ${p}: every record once, in order`,
    );
  }
  assert.deepEqual(kafka.broker.errors, []);
});

Deno.test("without idempotence a lost acknowledgement means a duplicate (at least once)", async () => {
  await using kafka = new FakeKafka(new Map([[2, "lose-ack"]]));
  await using client = await KafkaClient.connect({
    hosts: `127.0.0.1:${kafka.broker.port}`,
    metadataRefreshIntervalMs: 0,
    reconnectBackoff: { initialMs: 10, maxMs: 50 },
  });
  const topic = await client.topics.get("t", { autoCreate: false });
  await using producer = topic.getProducer({
    requiredAcks: -1,
    idempotent: false,
    batchSizeBytes: 200,
    lingerMs: 1,
    retryBackoffMs: 10,
  });
  for (let i = 0; i < 100; i++) {
    await producer.produce(enc.encode(`${i}`), { partition: 0 });
  }
  await producer.flush();
  assert.equal(producer.stats.delivered, 100);
  const log = kafka.logs.get(0)!;
  assert.ok(log.length > 100, "the unacknowledged batch was written twice");
  assert.deepEqual(
    [...new Set(log)].sort((a, b) => +a - +b),
    Array.from({ length: 100 }, (_, i) => `${i}`),
  );
});
